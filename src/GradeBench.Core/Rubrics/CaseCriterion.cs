namespace GradeBench.Core.Rubrics;

/// <summary>A criterion of one case's checklist (docs/bundle-format.md, "Checklists: criteria of one case"): what an
/// answer to that case must or must not do (<see cref="TextMd"/>, the study language's text, with its translations
/// beside it), worth <see cref="Points"/> (negative for undesirable behaviour), with optional <see cref="Tags"/>. Raters
/// mark it met or not met: a required binary criterion (<see cref="AsCriterion"/>), <c>true</c> for met.</summary>
public sealed record CaseCriterion(string Id, string TextMd, int Points, IReadOnlyList<string> Tags)
{
    /// <summary>The most criteria one case may hold.</summary>
    public const int MaxPerCase = 100;

    /// <summary>The largest number of points, either way (a criterion's points are never 0).</summary>
    public const int MaxPoints = 100;

    public Translations TextTranslations { get; init; } = Translations.None;

    /// <summary>The text in the reader's language where the study gives one, else the study's.</summary>
    public ShownText TextIn(TextLanguages languages) => TextTranslations.Show(TextMd, languages);

    /// <summary>The criterion a mark is checked, stored and compared as: binary and required, its text the label.</summary>
    public Criterion AsCriterion() => new(Id, TextMd, null, CriterionType.Binary, Required: true, null, null, [], [])
    {
        LabelTranslations = TextTranslations,
    };
}
