using GradeBench.Core.Agreement;

namespace GradeBench.Core.Judges;

/// <summary>Pairs of (a rater's value, another rater's value) on the same responses, counted by class: the first
/// letter is the rater's class, the second the other's (p: positive, n: negative).</summary>
public readonly record struct ClassPairs(long PositivePositive, long PositiveNegative, long NegativePositive, long NegativeNegative)
{
    public long Total => PositivePositive + PositiveNegative + NegativePositive + NegativeNegative;

    public ClassPairs Add(bool rater, bool other) => (rater, other) switch
    {
        (true, true) => this with { PositivePositive = PositivePositive + 1 },
        (true, false) => this with { PositiveNegative = PositiveNegative + 1 },
        (false, true) => this with { NegativePositive = NegativePositive + 1 },
        _ => this with { NegativeNegative = NegativeNegative + 1 },
    };
}

/// <summary>A rater's balanced F1 against other raters: the F1 of the positive and of the negative class and their mean.</summary>
public sealed record BalancedF1Score(Estimate Value, Estimate Positive, Estimate Negative, long Pairs);

/// <summary>The balanced F1 of HealthBench's meta-evaluation (Arora et al. 2025, "HealthBench: Evaluating Large Language
/// Models Towards Improved Human Health", arXiv:2505.08775; OpenAI simple-evals <c>healthbench_meta_eval.py</c>,
/// <c>compute_metrics_for_rater_by_class</c>). Every pair (the rater's value, another rater's value on the same
/// response) counts once. For a class c, precision = the share of pairs where the rater said c in which the other said
/// c too, recall = the share of pairs where the other said c in which the rater said c too; F1 = 2·P·R/(P + R), 0 when
/// P = R = 0, undefined when the rater never says c or the other never says c. Balanced F1 = the mean of the positive
/// and the negative class's F1, undefined when either is.</summary>
public static class BalancedF1
{
    public static BalancedF1Score Of(ClassPairs pairs, string positive, string negative)
    {
        if (pairs.Total == 0)
        {
            var none = Estimate.Absent(JudgeReason.F1NoPairs);
            return new(none, none, none, 0);
        }
        var f1Positive = F1(pairs.PositivePositive, pairs.PositivePositive + pairs.PositiveNegative,
            pairs.PositivePositive + pairs.NegativePositive, positive);
        var f1Negative = F1(pairs.NegativeNegative, pairs.NegativeNegative + pairs.NegativePositive,
            pairs.NegativeNegative + pairs.PositiveNegative, negative);
        var balanced = f1Positive.Value is { } p && f1Negative.Value is { } n
            ? Estimate.Of((p + n) / 2)
            : Estimate.Absent((f1Positive.Reason ?? f1Negative.Reason)!);
        return new(balanced, f1Positive, f1Negative, pairs.Total);
    }

    /// <param name="agreeing">Pairs where both said the class.</param>
    /// <param name="raterSaid">Pairs where the rater said it (precision's denominator).</param>
    /// <param name="otherSaid">Pairs where the other said it (recall's denominator).</param>
    static Estimate F1(long agreeing, long raterSaid, long otherSaid, string category)
    {
        if (raterSaid == 0 || otherSaid == 0) return Estimate.Absent(JudgeReason.F1ClassNeverGiven(category));
        // Precision and recall as shares first, then F1 from them, as the reference computes it.
        var precision = (double)agreeing / raterSaid;
        var recall = (double)agreeing / otherSaid;
        return Estimate.Of(precision == 0 && recall == 0 ? 0 : 2 * (precision * recall) / (precision + recall));
    }

    /// <summary>The share of physicians (of those with a value) whose balanced F1 is at most the judge's.</summary>
    public static Estimate Percentile(Estimate judge, IEnumerable<Estimate> physicians)
    {
        if (judge.Value is not { } value) return Estimate.Absent(judge.Reason!);
        var defined = physicians.Where(p => p.HasValue).Select(p => p.Value!.Value).ToList();
        if (defined.Count == 0) return Estimate.Absent(JudgeReason.PercentileNoPhysician);
        return Estimate.Of((double)defined.Count(v => v <= value) / defined.Count);
    }
}
