using GradeBench.Core.Messages;

namespace GradeBench.Core.Agreement;

public enum MeasurementLevel { Nominal, Ordinal, Interval, Ratio }

public readonly record struct ConfidenceInterval(double Lower, double Upper);

/// <summary>A coefficient's value, or why it has none for these data (never NaN or infinity), with an optional
/// 95% confidence interval. The reason is a message, said in its reader's language; its <c>ToString()</c> is English.</summary>
public sealed record Estimate(double? Value, Message? Reason, ConfidenceInterval? Ci95 = null)
{
    public static Estimate Of(double value, ConfidenceInterval? ci95 = null) =>
        double.IsFinite(value) ? new(value, null, ci95) : Absent(AbsentReason.NotFinite);

    public static Estimate Absent(Message reason) => new(null, reason);

    public bool HasValue => Value is not null;
}

/// <summary>Agreement weights between category positions i and j of a K-point scale: none (identity),
/// linear 1 − |i−j|/(K−1), quadratic 1 − (i−j)²/(K−1)².</summary>
public enum AgreementWeights { None, Linear, Quadratic }
