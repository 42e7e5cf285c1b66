using MathNet.Numerics.Distributions;

namespace GradeBench.Core.Results;

/// <summary>V: the sum of the ranks of the positive differences; N: the differences left after dropping zeros.</summary>
public sealed record SignedRankTest(double V, int N, double PValue, bool Exact);

/// <summary>The Wilcoxon signed-rank test of paired samples, two-sided, computed as R's <c>wilcox.test(x, y, paired =
/// TRUE)</c> does (Hollander, Wolfe &amp; Chicken 2014, ch. 3): zero differences are dropped; with fewer than 50
/// differences and no ties or zeros the p-value is exact; otherwise it comes from the normal approximation with the
/// tie correction of the variance and a continuity correction of 0.5.</summary>
public static class WilcoxonSignedRank
{
    const int ExactBelow = 50;

    /// <summary>Null when no pair differs (the test is undefined). The differences are taken in floating point, so
    /// differences equal in exact arithmetic may differ in the last bit and be ranked apart: for derived values such as
    /// means, pass exact differences to <see cref="Test(IReadOnlyList{Fraction})"/>.</summary>
    public static SignedRankTest? Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException("Paired samples must have the same length.");
        var signed = new List<(bool Positive, double Magnitude)>(x.Count);
        for (var i = 0; i < x.Count; i++)
            if (x[i] - y[i] is var d and not 0) signed.Add((d > 0, Math.Abs(d)));
        return Ranked(signed, x.Count);
    }

    /// <summary>The test on exact paired differences: zeros and ties are found by exact comparison, so R's rule (exact
    /// only without ties or zeros) applies to the values as they are, not to their rounding. Null when all are 0.</summary>
    public static SignedRankTest? Test(IReadOnlyList<Fraction> differences) =>
        Ranked(differences.Where(d => d.Sign != 0).Select(d => (d.Sign > 0, d.Abs())).ToList(), differences.Count);

    static SignedRankTest? Ranked<T>(List<(bool Positive, T Magnitude)> nonZero, int pairs) where T : IComparable<T>
    {
        var hadZeros = nonZero.Count < pairs;
        var n = nonZero.Count;
        if (n == 0) return null;

        var ranks = MidRanks(nonZero.Select(d => d.Magnitude).ToArray(), out var tieGroups);
        var v = 0.0;
        for (var i = 0; i < n; i++)
            if (nonZero[i].Positive) v += ranks[i];

        if (n < ExactBelow && tieGroups.Count == 0 && !hadZeros)
        {
            var lower = ExactCdf((int)v, n);
            var upper = 1 - ExactCdf((int)v - 1, n);
            return new SignedRankTest(v, n, Math.Min(1, 2 * Math.Min(lower, upper)), true);
        }
        var z = v - n * (n + 1) / 4.0;
        var tieCorrection = tieGroups.Sum(t => (double)t * t * t - t) / 48.0;
        var sigma = Math.Sqrt(n * (n + 1) * (2.0 * n + 1) / 24.0 - tieCorrection);
        if (sigma == 0) return new SignedRankTest(v, n, 1, false);
        z = (z - Math.Sign(z) * 0.5) / sigma;
        var p = 2 * Math.Min(Normal.CDF(0, 1, z), 1 - Normal.CDF(0, 1, z));
        return new SignedRankTest(v, n, Math.Min(1, p), false);
    }

    /// <summary>P(V ≤ v) for n untied, non-zero differences: the count of subsets of {1..n} with rank sum ≤ v over 2^n.</summary>
    static double ExactCdf(int v, int n)
    {
        if (v < 0) return 0;
        var max = n * (n + 1) / 2;
        if (v >= max) return 1;
        var counts = new double[max + 1];
        counts[0] = 1;
        for (var rank = 1; rank <= n; rank++)
            for (var sum = max; sum >= rank; sum--)
                counts[sum] += counts[sum - rank];
        var below = 0.0;
        for (var sum = 0; sum <= v; sum++) below += counts[sum];
        return below / Math.Pow(2, n);
    }

    /// <summary>Ranks 1..n with ties given their mean rank; the sizes of the tie groups (of two or more) are returned.</summary>
    static double[] MidRanks<T>(T[] values, out List<int> tieGroups) where T : IComparable<T>
    {
        // Sorting a copy with the indices beside it; the order within a tie does not matter, all get the same rank.
        var sorted = (T[])values.Clone();
        var order = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort(sorted, order);
        var ranks = new double[values.Length];
        tieGroups = [];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && sorted[end + 1].CompareTo(sorted[start]) == 0) end++;
            var mean = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = mean;
            if (end > start) tieGroups.Add(end - start + 1);
            start = end + 1;
        }
        return ranks;
    }
}
