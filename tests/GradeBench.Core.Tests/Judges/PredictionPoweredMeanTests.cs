using GradeBench.Core.Judges;
using MathNet.Numerics.Distributions;

namespace GradeBench.Core.Tests.Judges;

/// <summary>Against the <c>ppi_py</c> package (github.com/aangelopoulos/ppi_py, MIT licence, commit bd90caa): its
/// unit tests in <c>tests/test_mean.py</c>, made deterministic with seeded draws, and its functions' values on a small
/// example, computed with that commit's <c>ppi_mean_pointestimate</c>, <c>ppi_mean_ci</c> (<c>lam=1</c>) and
/// <c>classical_mean_ci</c> under NumPy 1.24.2 and SciPy 1.10.1.</summary>
public sealed class PredictionPoweredMeanTests
{
    /// <summary><c>test_ppi_mean_pointestimate</c>: predictions that are the labels plus 2, and unlabelled predictions
    /// all 2, give an estimate of exactly 0.</summary>
    [Fact]
    public void PredictionsOffByAConstantAreRectifiedToTheTruth()
    {
        double[] y = [0.3, -1.2, 0.8, 1.5, -0.4, 0.0, 2.1, -0.7];

        var estimate = PredictionPoweredMean.Estimate(y, y.Select(v => v + 2).ToArray(), Enumerable.Repeat(2.0, 50).ToArray());

        Assert.Equal(0, estimate.Mean, 15);
    }

    // Physicians' per-response shares of "yes" (gold), a judge's yes/no on the same 12 responses, and the judge alone on 30 more.
    static readonly double[] Gold = [1, 1, 0, 1, 0.5, 1, 0, 1, 1, 0, 1, 1];
    static readonly double[] Judged = [1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1];
    static readonly double[] JudgeOnly = [.. Enumerable.Repeat(1.0, 19), .. Enumerable.Repeat(0.0, 11)];

    [Theory]
    [InlineData(0.95, 0.42494807160741793, 0.925051928392582)]
    [InlineData(0.90, 0.46514980653368065, 0.8848501934663192)]
    public void EstimateAndIntervalAreThoseOfPpiMeanCi(double confidence, double lower, double upper)
    {
        var estimate = PredictionPoweredMean.Estimate(Gold, Judged, JudgeOnly, confidence);

        Assert.Equal(0.675, estimate.Mean, 15);
        Assert.Equal(lower, estimate.Interval.Lower, 12);
        Assert.Equal(upper, estimate.Interval.Upper, 12);
    }

    [Theory]
    [InlineData(0.95, 0.4644747114608322, 0.9521919552058346)]
    [InlineData(0.90, 0.5036807265434692, 0.9129859401231976)]
    public void ClassicalIntervalIsThatOfClassicalMeanCi(double confidence, double lower, double upper)
    {
        var estimate = PredictionPoweredMean.Classical(Gold, confidence);

        Assert.Equal(0.7083333333333334, estimate.Mean, 15);
        Assert.Equal(lower, estimate.Interval.Lower, 12);
        Assert.Equal(upper, estimate.Interval.Upper, 12);
    }

    [Fact]
    public void EffectiveSampleSizeIsTheGoldVarianceOverTheSquaredStandardError()
    {
        var powered = PredictionPoweredMean.Estimate(Gold, Judged, JudgeOnly);
        var classical = PredictionPoweredMean.Classical(Gold);

        var n = PredictionPoweredMean.EffectiveSampleSize(Gold, powered)!.Value;

        // n_eff / n is the ratio of the classical to the prediction-powered variance.
        Assert.Equal(Math.Pow(classical.StandardError / powered.StandardError, 2), n / Gold.Length, 12);
    }

    static readonly double[] Alphas = [0.5, 0.2, 0.1, 0.05, 0.01];

    /// <summary><c>test_ppi_mean_ci</c>: 100 trials of 10,000 labels ~ N(0, 1) with predictions ~ N(−2, 1) (useless
    /// ones), 10,000 unlabelled predictions ~ N(−2, 1); each interval must cover 0 in at least 1 − α − 0.1 of them.</summary>
    [Fact]
    public void IntervalsCoverTheMeanAsOftenAsPpiPysTestRequires()
    {
        var random = new Random(20230901);
        var covered = new int[Alphas.Length];
        const int trials = 100;
        for (var t = 0; t < trials; t++)
        {
            var y = Draw(random, 0, 10_000);
            var predictions = Draw(random, -2, 10_000);
            var unlabeled = Draw(random, -2, 10_000);
            for (var a = 0; a < Alphas.Length; a++)
                if (PredictionPoweredMean.Estimate(y, predictions, unlabeled, 1 - Alphas[a]).Interval is { Lower: <= 0, Upper: >= 0 }) covered[a]++;
        }
        for (var a = 0; a < Alphas.Length; a++)
            Assert.True((double)covered[a] / trials >= 1 - Alphas[a] - 0.1, $"α = {Alphas[a]}: {covered[a]} of {trials}");
    }

    /// <summary><c>test_classical_mean_ci</c>: 1,000 trials of 10,000 draws of N(0, 1), coverage at least 1 − α − 0.05.</summary>
    [Fact]
    public void ClassicalIntervalsCoverTheMeanAsOftenAsPpiPysTestRequires()
    {
        var random = new Random(20230902);
        var covered = new int[Alphas.Length];
        const int trials = 1000;
        for (var t = 0; t < trials; t++)
        {
            var y = Draw(random, 0, 10_000);
            for (var a = 0; a < Alphas.Length; a++)
                if (PredictionPoweredMean.Classical(y, 1 - Alphas[a]).Interval is { Lower: <= 0, Upper: >= 0 }) covered[a]++;
        }
        for (var a = 0; a < Alphas.Length; a++)
            Assert.True((double)covered[a] / trials >= 1 - Alphas[a] - 0.05, $"α = {Alphas[a]}: {covered[a]} of {trials}");
    }

    static double[] Draw(Random random, double mean, int count)
    {
        var values = new double[count];
        Normal.Samples(random, values, mean, 1);
        return values;
    }
}
