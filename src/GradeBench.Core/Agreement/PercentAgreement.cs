namespace GradeBench.Core.Agreement;

/// <summary>Pairwise percent agreement: for each unit with m_u ≥ 2 ratings, the share of its m_u(m_u − 1) ordered
/// rater pairs that agree, p_u = Σ_c n_uc(n_uc − 1) / (m_u(m_u − 1)), averaged over those units,
/// p_a = (1/n′) Σ_u p_u (Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed.: the percent
/// agreement of multiple raters with missing ratings, as in Gwet's R package irrCAC, pa.coeff.raw).
/// Each unit counts once, however many raters rated it; pooling the pairs of all units instead,
/// Σ_u Σ_c n_uc(n_uc − 1) / Σ_u m_u(m_u − 1), weights a unit by its number of pairs and differs when units have
/// different numbers of ratings. Units with fewer than two ratings are left out
/// (<see cref="KrippendorffAlpha.PairableUnits"/> counts them).</summary>
public static class PercentAgreement
{
    /// <summary>The mean over units (with two or more ratings) of the share of rater pairs that chose the same
    /// category, p_a = (1/n′) Σ_u Σ_c n_uc(n_uc − 1) / (m_u(m_u − 1)). Absent when no unit has two ratings.</summary>
    /// <param name="unitWeights">Empty: each unit once. Else how many times each unit counts (a bootstrap
    /// resample's multiplicities; 0 allowed): the result equals the coefficient on <see cref="RatingMatrix.Resample"/>.</param>
    public static Estimate Compute(RatingMatrix ratings, ReadOnlySpan<int> unitWeights = default) =>
        MeanPairShare(ratings, unitWeights, withinOne: false);

    /// <summary>For ordered scales: the mean over units (with two or more ratings) of the share of rater pairs whose
    /// category positions i, j on the declared scale differ by at most one,
    /// (1/n′) Σ_u [Σ_c n_uc(n_uc − 1) + 2 Σ_c n_uc n_u,c+1] / (m_u(m_u − 1)). Positions, not values: on a scale
    /// 0, 5, 10 the pair (0, 5) is within one point. Meaningless for nominal data, whose order is arbitrary.
    /// Absent when no unit has two ratings.</summary>
    /// <param name="unitWeights">As for <see cref="Compute"/>.</param>
    public static Estimate WithinOne(RatingMatrix ratings, ReadOnlySpan<int> unitWeights = default) =>
        MeanPairShare(ratings, unitWeights, withinOne: true);

    static Estimate MeanPairShare(RatingMatrix ratings, ReadOnlySpan<int> unitWeights, bool withinOne)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ratings.CheckUnitWeights(unitWeights);
        var k = ratings.CategoryCount;
        var counts = ratings.AllUnitCounts;
        var totals = ratings.AllUnitTotals;
        var weighted = !unitWeights.IsEmpty;
        double sum = 0;
        long units = 0;
        for (var u = 0; u < totals.Length; u++)
        {
            long m = totals[u];
            if (m < 2) continue;
            var w = weighted ? unitWeights[u] : 1;
            if (w == 0) continue;
            var row = counts.Slice(u * k, k);
            long agreeing = 0;
            if (withinOne)
            {
                long previous = 0;
                foreach (long x in row)
                {
                    agreeing += x * (x - 1) + 2 * previous * x;
                    previous = x;
                }
            }
            else
            {
                foreach (long x in row) agreeing += x * (x - 1);
            }
            sum += w * ((double)agreeing / (m * (m - 1)));
            units += w;
        }
        if (units == 0)
            return Estimate.Absent(AbsentReason.NoPairableUnit);
        return Estimate.Of(sum / units);
    }
}
