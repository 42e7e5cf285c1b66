using BenchmarkDotNet.Attributes;
using GradeBench.Core.Agreement;

namespace GradeBench.Benchmarks;

/// <summary>The coefficients on 10,000 units × 10 raters, 5-point ordinal scale, 10% missing (parsed ratings).</summary>
[MemoryDiagnoser]
public class AgreementBenchmarks
{
    RatingMatrix _ratings = null!;

    [GlobalSetup]
    public void Setup() => _ratings = SyntheticRatings.Create(units: 10_000, raters: 10);

    [Benchmark] public double? KrippendorffAlphaOrdinal() => KrippendorffAlpha.Compute(_ratings, MeasurementLevel.Ordinal).Value;
    [Benchmark] public double? KrippendorffAlphaInterval() => KrippendorffAlpha.Compute(_ratings, MeasurementLevel.Interval).Value;
    [Benchmark] public double? FleissKappa_() => FleissKappa.Compute(_ratings).Value;
    [Benchmark] public double? GwetAc1() => GwetAc.Compute(_ratings).Value;
}

/// <summary>1,000 bootstrap resamples on 1,000 units × 5 raters (5-point ordinal, 10% missing).</summary>
[MemoryDiagnoser]
public class BootstrapBenchmarks
{
    RatingMatrix _ratings = null!;

    [GlobalSetup]
    public void Setup() => _ratings = SyntheticRatings.Create(units: 1_000, raters: 5);

    [Benchmark]
    public ConfidenceInterval? KrippendorffAlphaOrdinal() =>
        Bootstrap.PercentileInterval(_ratings.UnitCount, w => KrippendorffAlpha.Compute(_ratings, MeasurementLevel.Ordinal, w).Value);

    [Benchmark]
    public ConfidenceInterval? GwetAc1() =>
        Bootstrap.PercentileInterval(_ratings.UnitCount, w => GwetAc.Compute(_ratings, AgreementWeights.None, w).Value);

    /// <summary>The engine the command line and the results use: every multi-rater coefficient of the ratio level
    /// (alpha at four levels, Fleiss, Randolph, AC1, AC2 × 2) from the same 1,000 resamples.</summary>
    [Benchmark]
    public int AllCoefficientsAtOnce() => AgreementBootstrap.Intervals(_ratings,
    [
        "fleiss_kappa", "randolph_kappa", "krippendorff_alpha_nominal", "krippendorff_alpha_ordinal", "krippendorff_alpha_interval",
        "krippendorff_alpha_ratio", "gwet_ac1", "gwet_ac2_linear", "gwet_ac2_quadratic",
    ]).Count;
}
