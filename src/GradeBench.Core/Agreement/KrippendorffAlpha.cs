namespace GradeBench.Core.Agreement;

/// <summary>How many units a pairwise coefficient uses (two or more ratings) and how many it leaves out (fewer
/// than two), and how many ratings the used units hold (Krippendorff's n, the number of pairable values).</summary>
public readonly record struct UnitUsage(int Used, int LeftOut, int PairableValues);

/// <summary>Krippendorff's alpha for nominal, ordinal, interval and ratio data, with missing ratings:
/// α = 1 − D_o / D_e = 1 − (n − 1) · Σ_c Σ_k o_ck δ²_ck / Σ_c Σ_k n_c n_k δ²_ck, computed from the
/// coincidence matrix o_ck = Σ_u (n_uc n_uk − [c = k] n_uc) / (m_u − 1) over the units u with m_u ≥ 2 ratings
/// (n_uc = ratings of category c in unit u; n_c = Σ_k o_ck; n = Σ_c n_c, the pairable values).
/// Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication,
/// University of Pennsylvania, https://repository.upenn.edu/asc_papers/43.</summary>
public static class KrippendorffAlpha
{
    // Work arrays of up to this many entries live on the stack (the K × K coincidences up to K = 32, at most
    // 28 KB in all), so that bootstrap calls allocate nothing but their result; larger ones go to the heap.
    const int StackCells = 1024;

    /// <summary>Krippendorff's alpha at the given level of measurement, with difference functions
    /// (Krippendorff 2011): nominal δ² = [c ≠ k]; ordinal δ² = (Σ_{g=c..k} n_g − (n_c + n_k)/2)², over the
    /// category positions of the declared scale and the coincidence marginals n_g; interval δ² = (v_c − v_k)²;
    /// ratio δ² = ((v_c − v_k)/(v_c + v_k))², where v are the category values (interval and ratio need numeric
    /// categories, ratio also non-negative ones). Units with fewer than two ratings are left out
    /// (<see cref="PairableUnits"/> counts them). Absent when no unit has two ratings or when there is no
    /// variation (D_e = 0).</summary>
    /// <param name="unitWeights">Empty: each unit once. Else how many times each unit counts (a bootstrap
    /// resample's multiplicities; 0 allowed): the result equals alpha on <see cref="RatingMatrix.Resample"/>.</param>
    public static Estimate Compute(RatingMatrix ratings, MeasurementLevel level, ReadOnlySpan<int> unitWeights = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        if (!Enum.IsDefined(level)) throw new ArgumentOutOfRangeException(nameof(level));
        ratings.CheckUnitWeights(unitWeights);
        var values = ratings.CategoryValues;
        if (level is MeasurementLevel.Interval or MeasurementLevel.Ratio)
        {
            var name = level == MeasurementLevel.Interval ? "interval" : "ratio";
            if (values is null)
                return Estimate.Absent($"Krippendorff's {name} alpha needs numeric categories, and these categories are not all numbers.");
            if (level == MeasurementLevel.Ratio)
                for (var c = 0; c < values.Length; c++)
                    if (values[c] < 0)
                        return Estimate.Absent($"Krippendorff's ratio alpha needs non-negative values (a ratio scale has a true zero), but category \"{ratings.Categories[c]}\" is negative.");
        }

        var k = ratings.CategoryCount;
        // Upper triangle (c < k) of the coincidence matrix: the diagonal is never needed, since δ²_cc = 0 for
        // every level, and the matrix is symmetric.
        Span<double> coincidences = k * k <= StackCells ? stackalloc double[k * k] : new double[k * k];
        Span<long> marginals = k <= StackCells ? stackalloc long[k] : new long[k];
        Span<int> present = k <= StackCells ? stackalloc int[k] : new int[k];
        var n = Coincidences(ratings, unitWeights, coincidences, marginals, present);
        if (n == 0)
            return Estimate.Absent("No unit has ratings from two or more raters, so there is no pair of ratings to compare (units with fewer than two ratings are left out).");

        // α = 1 − (n − 1) Σ_{c<k} o_ck δ²_ck / Σ_{c<k} n_c n_k δ²_ck: the factor 2 of the symmetric halves cancels.
        Span<double> cumulative = k <= StackCells ? stackalloc double[k] : new double[k];
        if (level == MeasurementLevel.Ordinal)
        {
            double running = 0;
            for (var c = 0; c < k; c++) cumulative[c] = running += marginals[c];
        }
        double observed = 0, expected = 0;
        for (var c = 0; c < k; c++)
        {
            var nc = (double)marginals[c];
            var row = coincidences.Slice(c * k, k);
            for (var j = c + 1; j < k; j++)
            {
                var d = level switch
                {
                    MeasurementLevel.Nominal => 1.0,
                    MeasurementLevel.Ordinal => Square(cumulative[j] - cumulative[c] + nc - (nc + marginals[j]) / 2.0),
                    MeasurementLevel.Interval => Square(values![c] - values[j]),
                    _ => RatioDifference(values![c], values[j]),
                };
                observed += row[j] * d;
                expected += nc * marginals[j] * d;
            }
        }
        if (expected == 0)
            return Estimate.Absent("No variation: every pairable rating has the same value, so the expected disagreement D_e is zero and alpha is undefined.");
        return Estimate.Of(1 - (n - 1) * observed / expected);
    }

    /// <summary>The units alpha uses (two or more ratings), the units it leaves out (fewer than two ratings) and
    /// the number of pairable values n (ratings in the used units).</summary>
    public static UnitUsage PairableUnits(RatingMatrix ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        int used = 0, values = 0;
        foreach (var m in ratings.AllUnitTotals)
            if (m >= 2) { used++; values += m; }
        return new UnitUsage(used, ratings.UnitCount - used, values);
    }

    /// <summary>Fills the upper triangle of the coincidence matrix and its marginals n_c from the per-unit counts,
    /// and returns n. Each unit costs O(K + p²) for its p distinct categories, never a loop over rater pairs.</summary>
    static long Coincidences(RatingMatrix ratings, ReadOnlySpan<int> unitWeights, Span<double> coincidences,
        Span<long> marginals, Span<int> present)
    {
        var k = ratings.CategoryCount;
        var counts = ratings.AllUnitCounts;
        var totals = ratings.AllUnitTotals;
        var weighted = !unitWeights.IsEmpty;
        long n = 0;
        for (var u = 0; u < totals.Length; u++)
        {
            var m = totals[u];
            if (m < 2) continue;
            var w = weighted ? unitWeights[u] : 1;
            if (w == 0) continue;
            var row = counts.Slice(u * k, k);
            var distinct = 0;
            for (var c = 0; c < k; c++)
            {
                var x = row[c];
                if (x == 0) continue;
                present[distinct++] = c;
                marginals[c] += (long)w * x;
            }
            n += (long)w * m;
            if (distinct < 2) continue; // all ratings agree: only the diagonal, which alpha never needs
            var scale = (double)w / (m - 1);
            for (var i = 0; i < distinct - 1; i++)
            {
                var a = present[i];
                var pairs = coincidences.Slice(a * k, k);
                var weight = scale * row[a];
                for (var j = i + 1; j < distinct; j++)
                {
                    var b = present[j];
                    pairs[b] += weight * row[b];
                }
            }
        }
        return n;
    }

    static double Square(double x) => x * x;

    // Two categories whose values are both zero do not differ (0/0 is taken as no difference).
    static double RatioDifference(double a, double b) => a + b == 0 ? 0 : Square((a - b) / (a + b));
}
