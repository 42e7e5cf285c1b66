using System.Runtime.CompilerServices;
using GradeBench.Core.Messages;

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
        ratings.CheckUnitWeights(unitWeights);
        return From(ratings, weights, ratings.AllUnitCounts, ratings.AllUnitTotals, unitWeights);
    }

    /// <summary>The same sums over rows of category counts other than the units' own: the bootstrap passes each
    /// distinct count pattern once (<see cref="UnitPatterns"/>) with its weight, the sum of its units' weights.
    /// The sums are integers, so the result is bit for bit that of the units.</summary>
    public static MultiraterAgreement From(RatingMatrix ratings, AgreementWeights weights, ReadOnlySpan<int> counts,
        ReadOnlySpan<int> totals, ReadOnlySpan<int> rowWeights)
    {
        int k = ratings.CategoryCount, maxTotal = ratings.RaterCount;
        var w = IntegerAgreementWeights.Numerators(weights, k, out var d);

        // Sums grouped by the unit's number of ratings r, all in integers: the per-unit terms c(c*−1)/(r(r−1)) and
        // c/r share their denominator within a group, so grouping is exact and the result does not depend on the order
        // of units (a bootstrap weight of 3 is the same as three copies of the unit, to the last bit).
        var agreeByTotal = new long[maxTotal + 1];
        var unitsByTotal = new long[maxTotal + 1];
        var categoryByTotal = new long[(maxTotal + 1) * k];
        switch (k < 2 ? AgreementWeights.None : weights)
        {
            case AgreementWeights.Linear:
                Accumulate<LinearPairs>(k, counts, totals, d, rowWeights, agreeByTotal, unitsByTotal, categoryByTotal);
                break;
            case AgreementWeights.Quadratic:
                Accumulate<QuadraticPairs>(k, counts, totals, d, rowWeights, agreeByTotal, unitsByTotal, categoryByTotal);
                break;
            default:
                Accumulate<IdentityPairs>(k, counts, totals, d, rowWeights, agreeByTotal, unitsByTotal, categoryByTotal);
                break;
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

    // One loop per weighting, specialised by the JIT through the struct type parameter, so that the per-unit work is a
    // few integer operations per category with no call or switch inside the loop. Optimised at first call: the command
    // line computes each coefficient once, on up to a million ratings, with no time to warm up tiered compilation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Accumulate<TPairs>(int k, ReadOnlySpan<int> counts, ReadOnlySpan<int> totals, long d, ReadOnlySpan<int> unitWeights,
        long[] agreeByTotal, long[] unitsByTotal, long[] categoryByTotal) where TPairs : struct, IPairSums
    {
        var weighted = !unitWeights.IsEmpty;
        for (var u = 0; u < totals.Length; u++)
        {
            // No branch on r = 0 or a weight of 0: such a unit adds zeros (its r = 0 slot is never read), and random
            // bootstrap weights would make those branches unpredictable.
            var r = totals[u];
            long times = weighted ? unitWeights[u] : 1;
            var pairs = TPairs.AddCounts(counts.Slice(u * k, k), categoryByTotal.AsSpan(r * k, k), times, r, d);
            unitsByTotal[r] += times;
            agreeByTotal[r] += times * (pairs - d * r);
        }
    }

    /// <summary>For one unit's counts c: adds times·c to the category sums and returns D · Σ_k c_k c*_k =
    /// Σ_kl W_kl c_k c_l, in O(K) thanks to the shape of the weights.</summary>
    interface IPairSums
    {
        static abstract long AddCounts(ReadOnlySpan<int> row, Span<long> byCategory, long times, long r, long d);
    }

    /// <summary>No weights: Σ_k c_k².</summary>
    struct IdentityPairs : IPairSums
    {
        public static long AddCounts(ReadOnlySpan<int> row, Span<long> byCategory, long times, long r, long d)
        {
            long squares = 0;
            for (var c = 0; c < row.Length; c++)
            {
                long x = row[c];
                squares += x * x;
                byCategory[c] += times * x;
            }
            return squares;
        }
    }

    /// <summary>W_kl = D − (k−l)²: D r² − Σ_kl c_k c_l (k−l)² = D r² − 2 (r Σ c_k k² − (Σ c_k k)²).</summary>
    struct QuadraticPairs : IPairSums
    {
        public static long AddCounts(ReadOnlySpan<int> row, Span<long> byCategory, long times, long r, long d)
        {
            long s1 = 0, s2 = 0;
            for (var c = 0; c < row.Length; c++)
            {
                long x = row[c];
                s1 += x * c;
                s2 += x * c * c;
                byCategory[c] += times * x;
            }
            return d * r * r - 2 * (r * s2 - s1 * s1);
        }
    }

    /// <summary>W_kl = D − |k−l|: D r² − 2 Σ_l c_l Σ_{k&lt;l} c_k (l − k), with running totals along the scale.</summary>
    struct LinearPairs : IPairSums
    {
        public static long AddCounts(ReadOnlySpan<int> row, Span<long> byCategory, long times, long r, long d)
        {
            long below = 0, belowPositions = 0, distances = 0;
            for (var c = 0; c < row.Length; c++)
            {
                long x = row[c];
                distances += x * (c * below - belowPositions);
                below += x;
                belowPositions += x * c;
                byCategory[c] += times * x;
            }
            return d * r * r - 2 * distances;
        }
    }

    /// <summary>The reason a multi-rater coefficient has no value for lack of data, or null when pₐ and π exist.</summary>
    public Message? MissingDataReason(RatingMatrix ratings)
    {
        if (ratings.RaterCount < 2) return AbsentReason.NeedsTwoRaters(ratings.RaterCount);
        if (RatedUnits == 0) return AbsentReason.NoRatings;
        if (PairableUnits == 0) return AbsentReason.NoRatedPair;
        return null;
    }
}
