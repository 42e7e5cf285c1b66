using GradeBench.Core.Agreement;
using MathNet.Numerics.Distributions;

namespace GradeBench.Core.Judges;

/// <summary>A mean, its standard error and its normal-approximation interval.</summary>
public readonly record struct MeanInterval(double Mean, double StandardError, ConfidenceInterval Interval);

/// <summary>Prediction-powered inference for a mean (Angelopoulos, Bates, Fannjiang, Jordan &amp; Zrnic 2023,
/// "Prediction-powered inference", Science 382:669–674), the classical estimator without power tuning, as the
/// <c>ppi_py</c> package's <c>ppi_mean_pointestimate</c> and <c>ppi_mean_ci</c> with <c>lam=1</c>: n labelled items with
/// gold values Y and predictions Ŷ, N unlabelled items with predictions Ỹ;
/// θ̂ = mean(Ỹ) + mean(Y − Ŷ), se = √(σ̂²(Ỹ)/N + σ̂²(Y − Ŷ)/n) with σ̂² the variance with divisor n (NumPy's default),
/// and the interval θ̂ ± z₁₋α/₂ · se (docs/judges.md, "Prediction-powered estimates").</summary>
public static class PredictionPoweredMean
{
    public const double DefaultConfidence = 0.95;

    /// <param name="labels">Y, the gold values of the labelled items.</param>
    /// <param name="predictions">Ŷ, the predictions of the same items, in the same order.</param>
    /// <param name="unlabeledPredictions">Ỹ, the predictions of the unlabelled items.</param>
    public static MeanInterval Estimate(IReadOnlyList<double> labels, IReadOnlyList<double> predictions,
        IReadOnlyList<double> unlabeledPredictions, double confidence = DefaultConfidence)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(unlabeledPredictions);
        if (labels.Count != predictions.Count) throw new ArgumentException("one prediction per label", nameof(predictions));
        if (labels.Count == 0 || unlabeledPredictions.Count == 0) throw new ArgumentException("needs labelled and unlabelled items");
        var rectifier = labels.Select((y, i) => y - predictions[i]).ToArray();
        var mean = Mean(unlabeledPredictions) + Mean(rectifier);
        var se = Math.Sqrt(Variance(unlabeledPredictions) / unlabeledPredictions.Count + Variance(rectifier) / rectifier.Length);
        return new(mean, se, Interval(mean, se, confidence));
    }

    /// <summary>The classical estimate from the gold values alone, as <c>ppi_py</c>'s <c>classical_mean_ci</c>:
    /// mean(Y) ± z₁₋α/₂ · σ̂(Y)/√n.</summary>
    public static MeanInterval Classical(IReadOnlyList<double> labels, double confidence = DefaultConfidence)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0) throw new ArgumentException("needs at least one value", nameof(labels));
        var mean = Mean(labels);
        var se = Math.Sqrt(Variance(labels) / labels.Count);
        return new(mean, se, Interval(mean, se, confidence));
    }

    /// <summary>The number of gold values the classical estimator would need for the standard error of
    /// <paramref name="powered"/>: n_eff = σ̂²(Y) / se²; null when either is 0.</summary>
    public static double? EffectiveSampleSize(IReadOnlyList<double> labels, MeanInterval powered)
    {
        var variance = Variance(labels);
        var se2 = powered.StandardError * powered.StandardError;
        return variance > 0 && se2 > 0 ? variance / se2 : null;
    }

    static ConfidenceInterval Interval(double mean, double se, double confidence)
    {
        if (confidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be in (0, 1)");
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        return new(mean - z * se, mean + z * se);
    }

    static double Mean(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum / values.Count;
    }

    /// <summary>Σ(x − x̄)²/n: the divisor NumPy's <c>std</c> uses by default, as <c>ppi_py</c> does.</summary>
    internal static double Variance(IReadOnlyList<double> values)
    {
        var mean = Mean(values);
        var squares = 0.0;
        foreach (var v in values) squares += (v - mean) * (v - mean);
        return squares / values.Count;
    }
}
