using GradeBench.Core.Grading;

namespace GradeBench.Core.Agreement;

/// <summary>Percentile bootstrap over units (Efron &amp; Tibshirani 1993, ch. 13): each resample draws as many
/// units as there are, uniformly with replacement (multinomial unit weights), and the statistic is computed with
/// each unit weighted by how often it was drawn. Reproducible: resample b draws from its own generator seeded by
/// (seed, b) (<see cref="Generator"/>), so a resample's draws do not depend on which other resamples ran,
/// in which order or on how many threads (docs/agreement.md, "Bootstrap confidence intervals").</summary>
public static class Bootstrap
{
    public const int DefaultResamples = 1000;
    public const int DefaultSeed = 20261125;

    /// <summary>A statistic of the data with each unit counted <c>unitWeights[u]</c> times; null when undefined.</summary>
    public delegate double? WeightedStatistic(ReadOnlySpan<int> unitWeights);

    /// <summary>The 2.5th and 97.5th percentiles (linear interpolation between order statistics, Hyndman &amp; Fan
    /// type 7) of the statistic over <paramref name="resamples"/> resamples; resamples where it is undefined are
    /// left out. Null when fewer than half of the resamples give a value. Calls the statistic on one thread.</summary>
    public static ConfidenceInterval? PercentileInterval(int unitCount, WeightedStatistic statistic, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        if (unitCount == 0 || resamples <= 0) return null;
        var weights = new int[unitCount];
        var values = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            DrawUnitWeights(seed, b, weights);
            values[b] = statistic(weights) is { } value ? value : double.NaN;
        }
        return Interval(values);
    }

    /// <summary>Resample b's unit weights: <c>weights.Length</c> draws of a unit, uniformly with replacement.</summary>
    public static void DrawUnitWeights(int seed, int resample, Span<int> weights)
    {
        weights.Clear();
        var random = Generator(seed, resample);
        var n = weights.Length;
        for (var i = 0; i < n; i++) weights[random.NextBelow(n)]++;
    }

    /// <summary>Resample b's own generator: SplitMix64 (<see cref="SplitMix64"/>, Steele, Lea &amp; Flood 2014) started
    /// at the SplitMix64 mix of seed · 2³² + b; its draws are unbiased unit indices (Lemire 2019). Each resample's
    /// stream is fixed by (seed, b) alone, so resamples can run on any thread in any order.</summary>
    internal static SplitMix64 Generator(int seed, int resample) =>
        new(SplitMix64.Mix(((ulong)(uint)seed << 32) | (uint)resample));

    /// <summary>The type 7 percentile interval of one statistic's resampled values, NaN (or infinity) where it was
    /// undefined; null when fewer than half are defined. Sorts the values in place.</summary>
    internal static ConfidenceInterval? Interval(Span<double> values)
    {
        var defined = 0;
        for (var b = 0; b < values.Length; b++)
            if (double.IsFinite(values[b])) values[defined++] = values[b];
        if (defined == 0 || defined * 2 < values.Length) return null;
        var sorted = values[..defined];
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
