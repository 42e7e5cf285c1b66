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

    /// <summary>A criterion's texts as a reader sees them (<see cref="Translations"/>): its label, its help and its
    /// choices (as <see cref="Choices"/>), each in the reader's language where the study gives it, else the study's.</summary>
    public static ShownCriterion Show(Criterion criterion, TextLanguages languages)
    {
        ShownText Choice(CriterionOption choice) => criterion.Type switch
        {
            CriterionType.Likert => criterion.Anchors.FirstOrDefault(a => a.Value == choice.Value)?.LabelIn(languages) is { } label
                ? label with { Text = $"{choice.Value} · {label.Text}" }
                : new ShownText(choice.Value, languages.Study),
            CriterionType.Binary => new ShownText(choice.Label, "en"), // Yes and No are English words, not study text
            _ => choice.LabelIn(languages),
        };
        return new ShownCriterion(criterion.LabelIn(languages), criterion.HelpIn(languages),
            [.. Choices(criterion).Select(choice => (choice.Value, Choice(choice)))]);
    }

    /// <summary>How a stored value reads: an option's label, a likert point with its anchor (<c>4 · Severe</c>), yes or
    /// no; a number, a free text or a value off the scale reads as itself, and an empty value as <see cref="NoValue"/>.</summary>
    public static string Describe(Criterion criterion, string? value)
    {
        if (string.IsNullOrEmpty(value)) return NoValue;
        return criterion.Type switch
        {
            CriterionType.Ordinal or CriterionType.Nominal => CategoryLabel(criterion, value),
            CriterionType.Likert => criterion.Anchors.FirstOrDefault(a => a.Value == value) is { } anchor ? $"{value} · {anchor.Label}" : value,
            CriterionType.Binary => value switch { "true" => Yes, "false" => No, _ => value },
            _ => value,
        };
    }

    /// <summary>How a category reads in tables of results: an option's label; any other value as stored.</summary>
    public static string CategoryLabel(Criterion criterion, string value) =>
        criterion.Options.FirstOrDefault(o => o.Value == value)?.Label ?? value;

    /// <summary>The whole scale in words, for a rubric table: <c>likert 1–5: 1 = None, 5 = Severe</c>,
    /// <c>ordinal: none &lt; minor &lt; major</c>, <c>yes/no</c>, <c>free text</c>.</summary>
    public static string Summary(Criterion criterion) => criterion.Type switch
    {
        CriterionType.Likert => $"likert {Bound(criterion.Min)}–{Bound(criterion.Max)}" +
            (criterion.Anchors.Count > 0 ? $": {string.Join(", ", criterion.Anchors.Select(a => $"{a.Value} = {a.Label}"))}" : ""),
        CriterionType.Numeric => $"numeric{(criterion.Min is null && criterion.Max is null ? "" : $" {Bound(criterion.Min)}–{Bound(criterion.Max)}")}",
        CriterionType.Ordinal => $"ordinal: {string.Join(" < ", criterion.Options.Select(o => o.Label))}",
        CriterionType.Nominal => $"nominal: {string.Join(", ", criterion.Options.Select(o => o.Label))}",
        CriterionType.Binary => "yes/no",
        _ => "free text",
    };

    /// <summary>The scale in a few words, for running text: <c>likert 1–5</c>, <c>ordinal, 3 levels</c>.</summary>
    public static string ShortSummary(Criterion criterion) => criterion.Type switch
    {
        CriterionType.Likert => $"likert {Bound(criterion.Min)}–{Bound(criterion.Max)}",
        CriterionType.Ordinal => $"ordinal, {criterion.Options.Count} levels",
        CriterionType.Nominal => $"nominal, {criterion.Options.Count} categories",
        _ => Summary(criterion),
    };

    static string Bound(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "…";
}

/// <summary>A criterion's texts as shown to one reader (<see cref="RubricScale.Show"/>).</summary>
public sealed record ShownCriterion(ShownText Label, ShownText? Help, IReadOnlyList<(string Value, ShownText Label)> Choices);
