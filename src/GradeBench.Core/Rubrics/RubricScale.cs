using System.Globalization;

namespace GradeBench.Core.Rubrics;

/// <summary>A criterion's scale as people see it: the values a rater chooses from and how a stored value reads. The
/// rubric form, calibration, adjudication and the results all label values this one way.</summary>
public static class RubricScale
{
    /// <summary>What an empty (unrated) value reads as.</summary>
    public const string NoValue = "—";

    public const string Yes = "Yes", No = "No";

    /// <summary>The values to choose from, in scale order, with their labels: likert points (with their anchors),
    /// ordinal and nominal options, yes/no. Empty for numeric and text criteria, whose values are typed.</summary>
    public static IReadOnlyList<CriterionOption> Choices(Criterion criterion) => criterion.Type switch
    {
        CriterionType.Likert when criterion is { Min: { } min, Max: { } max } =>
            Enumerable.Range((int)min, (int)(max - min) + 1)
                .Select(point => point.ToString(CultureInfo.InvariantCulture))
                .Select(point => new CriterionOption(point, Describe(criterion, point)))
                .ToList(),
        CriterionType.Ordinal or CriterionType.Nominal => criterion.Options,
        CriterionType.Binary => [new("true", Yes), new("false", No)],
        _ => [],
    };

    /// <summary>How a stored value reads: an option's label, a likert point with its anchor (<c>4 · Severe</c>), yes or
    /// no; a number, a free text or a value off the scale reads as itself, and an empty value as <see cref="NoValue"/>.</summary>
    public static string Describe(Criterion criterion, string? value)
    {
        if (string.IsNullOrEmpty(value)) return NoValue;
        return criterion.Type switch
        {
            CriterionType.Ordinal or CriterionType.Nominal => criterion.Options.FirstOrDefault(o => o.Value == value)?.Label ?? value,
            CriterionType.Likert => criterion.Anchors.FirstOrDefault(a => a.Value == value) is { } anchor ? $"{value} · {anchor.Label}" : value,
            CriterionType.Binary => value switch { "true" => Yes, "false" => No, _ => value },
            _ => value,
        };
    }
}
