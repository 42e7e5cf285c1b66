namespace GradeBench.Core.Agreement;

/// <summary>Percentile bootstrap over units (Efron &amp; Tibshirani 1993, ch. 13): each resample draws as many
/// units as there are, with replacement, and the statistic is computed with each unit weighted by how often it
/// was drawn. Reproducible: the draws come from <see cref="Random"/> seeded with the given seed.</summary>
public static class Bootstrap
{
    public const int DefaultResamples = 1000;
    public const int DefaultSeed = 20261125;

    /// <summary>A statistic of the data with each unit counted <c>unitWeights[u]</c> times; null when undefined.</summary>
    public delegate double? WeightedStatistic(ReadOnlySpan<int> unitWeights);

    /// <summary>The 2.5th and 97.5th percentiles (linear interpolation between order statistics, Hyndman &amp; Fan
    /// type 7) of the statistic over <paramref name="resamples"/> resamples; resamples where it is undefined are
    /// left out. Null when fewer than half of the resamples give a value.</summary>
    public static ConfidenceInterval? PercentileInterval(int unitCount, WeightedStatistic statistic, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        if (unitCount == 0 || resamples <= 0) return null;
        var random = new Random(seed);
        var weights = new int[unitCount];
        var values = new double[resamples];
        var defined = 0;
        for (var b = 0; b < resamples; b++)
        {
            Array.Clear(weights);
            for (var i = 0; i < unitCount; i++) weights[random.Next(unitCount)]++;
            if (statistic(weights) is { } value && double.IsFinite(value)) values[defined++] = value;
        }
        if (defined * 2 < resamples) return null;
        var sorted = values.AsSpan(0, defined);
        sorted.Sort();
        return new ConfidenceInterval(Quantile(sorted, 0.025), Quantile(sorted, 0.975));
    }

    /// <summary>Hyndman &amp; Fan (1996) type 7 quantile of sorted values (R's and NumPy's default).</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var below = (int)Math.Floor(h);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
    }
}
