namespace GradeBench.Core.Agreement;

public enum MeasurementLevel { Nominal, Ordinal, Interval, Ratio }

public readonly record struct ConfidenceInterval(double Lower, double Upper);

/// <summary>A coefficient's value, or why it has none for these data (never NaN or infinity), with an optional
/// 95% confidence interval.</summary>
public sealed record Estimate(double? Value, string? Reason, ConfidenceInterval? Ci95 = null)
{
    public static Estimate Of(double value, ConfidenceInterval? ci95 = null) =>
        double.IsFinite(value) ? new(value, null, ci95) : Absent("the value is not a finite number for these data");

    public static Estimate Absent(string reason) => new(null, reason);

    public bool HasValue => Value is not null;
}

/// <summary>Agreement weights between category positions i and j of a K-point scale: none (identity),
/// linear 1 − |i−j|/(K−1), quadratic 1 − (i−j)²/(K−1)².</summary>
public enum AgreementWeights { None, Linear, Quadratic }
