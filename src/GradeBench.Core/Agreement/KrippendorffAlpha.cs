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
        if (LevelProblem(ratings, level) is { } problem) return problem;
        var coincidences = Coincidences.From(ratings.CategoryCount, ratings.RaterCount, ratings.AllUnitCounts, ratings.AllUnitTotals, unitWeights);
        return FromCoincidences(ratings, level, coincidences);
    }

    /// <summary>Why alpha at this level cannot be computed for these categories, or null.</summary>
    static Estimate? LevelProblem(RatingMatrix ratings, MeasurementLevel level)
    {
        if (level is not (MeasurementLevel.Interval or MeasurementLevel.Ratio)) return null;
        if (ratings.CategoryValues is not { } values)
            return Estimate.Absent(level == MeasurementLevel.Interval ? AbsentReason.IntervalAlphaNeedsNumbers : AbsentReason.RatioAlphaNeedsNumbers);
        if (level == MeasurementLevel.Ratio)
            for (var c = 0; c < values.Length; c++)
                if (values[c] < 0)
                    return Estimate.Absent(AbsentReason.RatioAlphaNegativeCategory(ratings.Categories[c]));
        return null;
    }

    /// <summary>Alpha at a level from the coincidences of the data (or of a bootstrap resample).</summary>
    internal static Estimate FromCoincidences(RatingMatrix ratings, MeasurementLevel level, Coincidences coincidences)
    {
        if (LevelProblem(ratings, level) is { } problem) return problem;
        var values = ratings.CategoryValues;
        var k = ratings.CategoryCount;
        var n = coincidences.PairableValues;
        var marginals = coincidences.Marginals;
        var pairs = coincidences.UpperTriangle;
        if (n == 0)
            return Estimate.Absent(AbsentReason.NoPairableUnit);

        // α = 1 − (n − 1) Σ_{c<k} o_ck δ²_ck / Σ_{c<k} n_c n_k δ²_ck: the factor 2 of the symmetric halves cancels.
        Span<double> cumulative = k <= 1024 ? stackalloc double[k] : new double[k];
        if (level == MeasurementLevel.Ordinal)
        {
            double running = 0;
            for (var c = 0; c < k; c++) cumulative[c] = running += marginals[c];
        }
        double observed = 0, expected = 0;
        for (var c = 0; c < k; c++)
        {
            var nc = (double)marginals[c];
            var row = pairs.Slice(c * k, k);
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
            return Estimate.Absent(AbsentReason.AlphaNoVariation);
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

    static double Square(double x) => x * x;

    // Two categories whose values are both zero do not differ (0/0 is taken as no difference).
    static double RatioDifference(double a, double b) => a + b == 0 ? 0 : Square((a - b) / (a + b));
}
