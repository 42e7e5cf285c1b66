namespace GradeBench.Core.Agreement;

/// <summary>The two ingredients that Fleiss' kappa, Randolph's free-marginal kappa and Gwet's AC1/AC2 share, computed
/// from the per-unit category counts as in Gwet (2014, Handbook of Inter-Rater Reliability, 4th ed., ch. 2–3) and R
/// irrCAC (<c>fleiss.kappa.raw</c>, <c>gwet.ac1.raw</c>):
/// <list type="bullet">
/// <item>observed agreement pₐ = (1/n₂) Σ_{u: r_u ≥ 2} Σ_k c_uk (c*_uk − 1) / (r_u (r_u − 1)), with c*_uk = Σ_l w_kl c_ul,
/// over the n₂ units with at least two ratings (the share of agreeing ordered pairs of ratings within a unit, averaged
/// over units);</item>
/// <item>category prevalences π_k = (1/n) Σ_{u: r_u ≥ 1} c_uk / r_u over the n units with at least one rating, so that
/// a unit rated once still tells how often a category is used.</item>
/// </list></summary>
internal sealed class MultiraterAgreement
{
    MultiraterAgreement(double observed, double[] prevalence, long ratedUnits, long pairableUnits, double weightSum)
    {
        Observed = observed;
        Prevalence = prevalence;
        RatedUnits = ratedUnits;
        PairableUnits = pairableUnits;
        WeightSum = weightSum;
    }

    /// <summary>pₐ; meaningful only when <see cref="PairableUnits"/> &gt; 0.</summary>
    public double Observed { get; }

    /// <summary>π_k per category; meaningful only when <see cref="RatedUnits"/> &gt; 0.</summary>
    public double[] Prevalence { get; }

    /// <summary>n: units (counted with their bootstrap weight) with at least one rating.</summary>
    public long RatedUnits { get; }

    /// <summary>n₂: units (counted with their bootstrap weight) with at least two ratings.</summary>
    public long PairableUnits { get; }

    /// <summary>Σ_kl w_kl, the sum of all K×K weights (K for no weights).</summary>
    public double WeightSum { get; }

    public static MultiraterAgreement From(RatingMatrix ratings, AgreementWeights weights, ReadOnlySpan<int> unitWeights)
    {
        CheckUnitWeights(ratings, unitWeights);
        int k = ratings.CategoryCount, maxTotal = ratings.RaterCount;
        var w = IntegerAgreementWeights.Numerators(weights, k, out var d);
        var identity = d == 1;
        var counts = ratings.AllUnitCounts;
        var totals = ratings.AllUnitTotals;
        var weighted = !unitWeights.IsEmpty;

        // Sums grouped by the unit's number of ratings r, all in integers: the per-unit terms c(c*−1)/(r(r−1)) and
        // c/r share their denominator within a group, so grouping is exact and the result does not depend on the order
        // of units (a bootstrap weight of 3 is the same as three copies of the unit, to the last bit).
        var agreeByTotal = new long[maxTotal + 1];
        var unitsByTotal = new long[maxTotal + 1];
        var categoryByTotal = new long[(maxTotal + 1) * k];
        Span<int> present = k <= 512 ? stackalloc int[k] : new int[k];

        for (var u = 0; u < totals.Length; u++)
        {
            var r = totals[u];
            if (r == 0) continue;
            long times = weighted ? unitWeights[u] : 1;
            if (times == 0) continue;
            var row = counts.Slice(u * k, k);
            var byCategory = categoryByTotal.AsSpan(r * k, k);
            long agree;
            if (identity)
            {
                long squares = 0;
                for (var c = 0; c < row.Length; c++)
                {
                    long x = row[c];
                    squares += x * x;
                    byCategory[c] += times * x;
                }
                agree = squares - r;
            }
            else
            {
                // Only the categories this unit used enter the weighted pair sum: O(K + m²) with m ≤ raters.
                var m = 0;
                for (var c = 0; c < row.Length; c++)
                {
                    long x = row[c];
                    if (x == 0) continue;
                    present[m++] = c;
                    byCategory[c] += times * x;
                }
                long quadratic = 0;
                for (var a = 0; a < m; a++)
                {
                    var ca = present[a];
                    long inner = 0;
                    for (var b = 0; b < m; b++) inner += w[ca * k + present[b]] * row[present[b]];
                    quadratic += row[ca] * inner;
                }
                agree = quadratic - d * r;
            }
            unitsByTotal[r] += times;
            agreeByTotal[r] += times * agree;
        }

        long n = 0, n2 = 0;
        double observed = 0;
        for (var r = 1; r <= maxTotal; r++)
        {
            n += unitsByTotal[r];
            if (r < 2) continue;
            n2 += unitsByTotal[r];
            observed += agreeByTotal[r] / ((double)d * r * (r - 1));
        }
        if (n2 > 0) observed /= n2;

        var prevalence = new double[k];
        if (n > 0)
        {
            for (var c = 0; c < k; c++)
            {
                double sum = 0;
                for (var r = 1; r <= maxTotal; r++) sum += categoryByTotal[r * k + c] / (double)r;
                prevalence[c] = sum / n;
            }
        }

        long weightNumerators = 0;
        foreach (var x in w) weightNumerators += x;
        return new MultiraterAgreement(observed, prevalence, n, n2, weightNumerators / (double)d);
    }

    /// <summary>The reason a multi-rater coefficient has no value for lack of data, or null when pₐ and π exist.</summary>
    public string? MissingDataReason(RatingMatrix ratings)
    {
        if (ratings.RaterCount < 2) return $"agreement needs at least two raters; these data have {ratings.RaterCount}";
        if (RatedUnits == 0) return "there are no ratings";
        if (PairableUnits == 0) return "no unit has two or more ratings, so there is no pair of ratings to compare";
        return null;
    }

    internal static void CheckUnitWeights(RatingMatrix ratings, ReadOnlySpan<int> unitWeights)
    {
        if (unitWeights.IsEmpty) return;
        if (unitWeights.Length != ratings.UnitCount)
            throw new ArgumentException($"unitWeights has {unitWeights.Length} entries for {ratings.UnitCount} units.", nameof(unitWeights));
        foreach (var x in unitWeights)
            if (x < 0) throw new ArgumentException("unit weights count resampled copies and cannot be negative.", nameof(unitWeights));
    }
}
