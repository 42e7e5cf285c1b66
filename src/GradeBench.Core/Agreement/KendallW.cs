namespace GradeBench.Core.Agreement;

/// <summary>Kendall's coefficient of concordance W with the correction for ties (Kendall &amp; Babington Smith 1939;
/// Siegel &amp; Castellan 1988). Each of the m raters ranks the n units by the position of their category on the
/// scale, tied units sharing the mean of the ranks they span (midranks). With R_i the sum of unit i's ranks,
/// S = Σ (R_i − m(n + 1)/2)² and T_j = Σ (t³ − t) over the groups of t tied units of rater j,
/// W = 12 S / (m²(n³ − n) − m Σ_j T_j).
/// References: Kendall, M. G., &amp; Babington Smith, B. (1939). The problem of m rankings. Annals of Mathematical
/// Statistics, 10(3), 275–287. Siegel, S., &amp; Castellan, N. J. (1988). Nonparametric statistics for the
/// behavioral sciences (2nd ed.). McGraw-Hill.</summary>
public static class KendallW
{
    /// <summary>W of complete ratings (every rater rates every unit), ranked by category position. A rater who gives
    /// every unit the same category ranks them all tied: their midranks are all equal, so they add nothing to S
    /// and their T_j = n³ − n takes their share out of the maximum. W is absent when no rater tells any two
    /// units apart. Cost: O(units × raters + raters × categories), no sorting.</summary>
    public static Estimate Compute(RatingMatrix ratings)
    {
        int n = ratings.UnitCount, m = ratings.RaterCount, k = ratings.CategoryCount;
        if (n < 2) return Estimate.Absent(AbsentReason.KendallNeedsTwoUnits);
        if (m < 2) return Estimate.Absent(AbsentReason.KendallNeedsTwoRaters);
        if (!ratings.IsComplete)
        {
            return Estimate.Absent(AbsentReason.KendallNeedsCompleteData(n * m - ratings.RatingCount, n * m));
        }

        // How many units each rater put in each category, rater-major: [rater * k + category].
        var counts = new int[m * k];
        for (var u = 0; u < n; u++)
        {
            var row = ratings.UnitRow(u);
            for (var r = 0; r < row.Length; r++) counts[r * k + row[r]]++;
        }

        // Each category's midrank for each rater, in place of its count: a category holding t units after
        // `below` units with lower categories spans ranks below + 1 … below + t, mean below + (t + 1)/2.
        var midranks = new double[m * k];
        double nn = n, ties = 0;
        for (var r = 0; r < m; r++)
        {
            var below = 0;
            for (var c = 0; c < k; c++)
            {
                var t = counts[r * k + c];
                midranks[r * k + c] = below + (t + 1) / 2.0;
                below += t;
                ties += (double)t * t * t - t;
            }
        }

        var denominator = (double)m * m * (nn * nn * nn - nn) - m * ties;
        if (denominator == 0)
            return Estimate.Absent(AbsentReason.KendallNoRankings);

        // Midranks are multiples of 1/2, so the rank sums and their deviations are exact in floating point.
        var meanSum = m * (nn + 1) / 2;
        var s = 0.0;
        for (var u = 0; u < n; u++)
        {
            var row = ratings.UnitRow(u);
            var sum = 0.0;
            for (var r = 0; r < row.Length; r++) sum += midranks[r * k + row[r]];
            var d = sum - meanSum;
            s += d * d;
        }
        return Estimate.Of(12 * s / denominator);
    }
}
