using GradeBench.Core.Studies;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>How a stored value reads to a person: the option's label, a likert point with its anchor, yes/no.</summary>
public static class ScaleText
{
    public static string Of(Criterion criterion, string? value)
    {
        if (string.IsNullOrEmpty(value)) return "—";
        return criterion.Type switch
        {
            CriterionType.Ordinal or CriterionType.Nominal => criterion.Options.FirstOrDefault(o => o.Value == value)?.Label ?? value,
            CriterionType.Likert => criterion.Anchors.FirstOrDefault(a => a.Value == value) is { } anchor ? $"{value} · {anchor.Label}" : value,
            CriterionType.Binary => value == "true" ? "Yes" : value == "false" ? "No" : value,
            _ => value,
        };
    }

    /// <summary>The values a coordinator may choose as consensus, in scale order; empty for numeric (typed) and text.</summary>
    public static IReadOnlyList<CriterionOption> Choices(Criterion criterion) => criterion.Type switch
    {
        CriterionType.Ordinal or CriterionType.Nominal => criterion.Options,
        CriterionType.Binary => [new("true", "Yes"), new("false", "No")],
        CriterionType.Likert when criterion is { Min: { } min, Max: { } max } =>
            Enumerable.Range((int)min, (int)(max - min) + 1).Select(p => new CriterionOption(p.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Of(criterion, p.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList(),
        _ => [],
    };
}
