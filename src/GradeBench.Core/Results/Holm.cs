namespace GradeBench.Core.Results;

/// <summary>Holm's (1979) step-down adjustment of p-values for multiple comparisons, as R's
/// <c>p.adjust(p, "holm")</c>: the i-th smallest p is multiplied by (m − i + 1), made monotone, and capped at 1.</summary>
public static class Holm
{
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, (m - rank) * pValues[order[rank]]);
            adjusted[order[rank]] = Math.Min(1, running);
        }
        return adjusted;
    }
}
