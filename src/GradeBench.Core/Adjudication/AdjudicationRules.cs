using System.Globalization;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Adjudication;

public enum DisagreementKind { Never, Any, Range }

/// <summary>When the independent ratings of one criterion disagree enough to send a response to adjudication:
/// <see cref="DisagreementKind.Any"/> two different values, <see cref="DisagreementKind.Range"/> a highest and lowest
/// value at least <see cref="MinRange"/> apart (likert points, numbers, or positions of ordinal options), or never.</summary>
public sealed record DisagreementRule(DisagreementKind Kind, double MinRange = 0)
{
    public static readonly DisagreementRule Never = new(DisagreementKind.Never);
    public static readonly DisagreementRule Any = new(DisagreementKind.Any);
    public static DisagreementRule Range(double minRange) => new(DisagreementKind.Range, minRange);

    /// <summary>The default rule by criterion type: likert range ≥ 2; ordinal, nominal and binary any disagreement;
    /// numeric none unless configured; text never.</summary>
    public static DisagreementRule Default(Criterion criterion) => criterion.Type switch
    {
        CriterionType.Likert => Range(2),
        CriterionType.Ordinal or CriterionType.Nominal or CriterionType.Binary => Any,
        _ => Never,
    };

    /// <summary>Whether values of this type have a distance, so that a range rule means something.</summary>
    public static bool IsOrdered(CriterionType type) => type is CriterionType.Likert or CriterionType.Ordinal or CriterionType.Numeric;

    /// <summary>Whether the raters' values of <paramref name="criterion"/> (one per rater) call for adjudication.
    /// Fewer than two values never disagree; a text criterion never does.</summary>
    public bool Disagree(Criterion criterion, IReadOnlyCollection<string> values)
    {
        if (Kind == DisagreementKind.Never || criterion.Type == CriterionType.Text || values.Count < 2) return false;
        if (Kind == DisagreementKind.Any) return values.Distinct(StringComparer.Ordinal).Skip(1).Any();
        var points = values.Select(v => Position(criterion, v)).OfType<double>().ToList();
        if (points.Count < 2) return false;
        // On exact values where they have one: 0.3 − 0.1 is 0.2, which meets a threshold of 0.2 (in doubles it does not).
        var exact = values.Select(v => ExactPosition(criterion, v)).OfType<Fraction>().ToList();
        if (exact.Count == points.Count && Fraction.TryParse(MinRange.ToString("R", CultureInfo.InvariantCulture), out var threshold))
        {
            try { return exact.Max() - exact.Min() >= threshold; }
            catch (OverflowException) { }
        }
        return points.Max() - points.Min() >= MinRange;
    }

    static Fraction? ExactPosition(Criterion criterion, string value) => criterion.Type switch
    {
        CriterionType.Likert or CriterionType.Numeric => Fraction.TryParse(value, out var number) ? number : null,
        _ => Position(criterion, value) is { } index ? new Fraction((long)index) : null,
    };

    static double? Position(Criterion criterion, string value) => criterion.Type switch
    {
        CriterionType.Likert or CriterionType.Numeric =>
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null,
        CriterionType.Ordinal => criterion.Options.Select(o => o.Value).ToList().IndexOf(value) is >= 0 and var index ? index : null,
        _ => null,
    };

    public string Describe() => Kind switch
    {
        DisagreementKind.Any => "any disagreement",
        DisagreementKind.Range => string.Create(CultureInfo.InvariantCulture, $"range ≥ {MinRange}"),
        _ => "never",
    };
}

/// <summary>A rating of <see cref="CriterionId"/> with one of <see cref="Values"/> reports severe possible harm.</summary>
public sealed record SafetyTrigger(string CriterionId, IReadOnlyList<string> Values);

/// <summary>A study's adjudication rules: one disagreement rule per criterion and the values that raise a safety alert.</summary>
public sealed record AdjudicationSettings(IReadOnlyDictionary<string, DisagreementRule> Rules, IReadOnlyList<SafetyTrigger> Safety)
{
    /// <summary>The rule of every case criterion (study.json's <c>adjudication.checklist</c>): <see cref="DisagreementRule.Any"/>,
    /// the default of a binary criterion, or <see cref="DisagreementRule.Never"/>.</summary>
    public DisagreementRule Checklist { get; init; } = DisagreementRule.Any;

    /// <summary>The defaults: <see cref="DisagreementRule.Default"/> for every criterion, and <see cref="DefaultSafety"/>.</summary>
    public static AdjudicationSettings Defaults(IReadOnlyList<Criterion> criteria) =>
        new(criteria.ToDictionary(c => c.Id, DisagreementRule.Default), DefaultSafety(criteria));

    /// <summary>The last (most severe) option of every ordinal criterion whose id or label contains "harm", in any case.</summary>
    public static IReadOnlyList<SafetyTrigger> DefaultSafety(IReadOnlyList<Criterion> criteria) => criteria
        .Where(c => c.Type == CriterionType.Ordinal && c.Options.Count > 0 &&
                    (c.Id.Contains("harm", StringComparison.OrdinalIgnoreCase) || c.Label.Contains("harm", StringComparison.OrdinalIgnoreCase)))
        .Select(c => new SafetyTrigger(c.Id, [c.Options[^1].Value]))
        .ToList();

    public DisagreementRule RuleFor(Criterion criterion) => Rules.GetValueOrDefault(criterion.Id) ?? DisagreementRule.Default(criterion);

    public bool IsSafetyValue(string criterionId, string? value) =>
        value is not null && Safety.Any(t => t.CriterionId == criterionId && t.Values.Contains(value, StringComparer.Ordinal));
}
