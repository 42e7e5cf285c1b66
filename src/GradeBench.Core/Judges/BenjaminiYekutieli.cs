namespace GradeBench.Core.Judges;

/// <summary>The Benjamini–Yekutieli step-up procedure (Benjamini &amp; Yekutieli 2001, "The control of the false discovery
/// rate in multiple testing under dependency", Ann Stat 29:1165–1188), which controls the false discovery rate at q
/// under any dependence between the tests: with c(m) = Σ_{i=1..m} 1/i and p₍₁₎ ≤ … ≤ p₍ₘ₎, reject the k smallest
/// p-values, where k is the largest i with p₍ᵢ₎ ≤ i·q/(m·c(m)); none when there is no such i.</summary>
public static class BenjaminiYekutieli
{
    /// <returns>For each p-value, in the order given, whether its null hypothesis is rejected.</returns>
    public static bool[] Reject(IReadOnlyList<double> pValues, double q)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var rejected = new bool[m];
        if (m == 0) return rejected;
        var harmonic = 0.0;
        for (var i = 1; i <= m; i++) harmonic += 1.0 / i;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var k = 0;
        for (var rank = 1; rank <= m; rank++)
            // Written as the authors' code writes the threshold, (i/m)·(q/c(m)), so that a p-value on it is judged alike.
            if (pValues[order[rank - 1]] <= (double)rank / m * (q / harmonic)) k = rank;
        for (var rank = 0; rank < k; rank++) rejected[order[rank]] = true;
        return rejected;
    }
}
