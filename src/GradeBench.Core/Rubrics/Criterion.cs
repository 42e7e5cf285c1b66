using System.Globalization;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Rubrics;

public enum CriterionType { Likert, Ordinal, Nominal, Binary, Numeric, Text }

/// <summary>An option or anchor: its value and its label in the study's language, with the label's translations.</summary>
public sealed record CriterionOption(string Value, string Label)
{
    public Translations LabelTranslations { get; init; } = Translations.None;

    /// <summary>The label in the reader's language where the study gives one, else the study's.</summary>
    public ShownText LabelIn(TextLanguages languages) => LabelTranslations.Show(Label, languages);
}

/// <summary>A rubric criterion. <see cref="Min"/>/<see cref="Max"/> bound likert and numeric scales;
/// <see cref="Anchors"/> label likert points; <see cref="Options"/> list ordinal (in order) and nominal values.
/// <see cref="Label"/>, <see cref="HelpMd"/> and the option labels are the study language's texts; their translations
/// (study.json's map form) are beside them.</summary>
public sealed record Criterion(
    string Id,
    string Label,
    string? HelpMd,
    CriterionType Type,
    bool Required,
    double? Min,
    double? Max,
    IReadOnlyList<CriterionOption> Anchors,
    IReadOnlyList<CriterionOption> Options)
{
    /// <summary>The longest free-text value (a comment) a rater may store: a few pages, far above any real comment, so
    /// that nobody can fill the database through a comment box.</summary>
    public const int MaxTextLength = 10_000;

    public Translations LabelTranslations { get; init; } = Translations.None;

    public Translations HelpTranslations { get; init; } = Translations.None;

    /// <summary>The label in the reader's language where the study gives one, else the study's.</summary>
    public ShownText LabelIn(TextLanguages languages) => LabelTranslations.Show(Label, languages);

    /// <summary>The help text in the reader's language where the study gives one, else the study's; null without help.</summary>
    public ShownText? HelpIn(TextLanguages languages) => HelpMd is null ? null : HelpTranslations.Show(HelpMd, languages);

    public static readonly IReadOnlyList<string> TypeNames = ["likert", "ordinal", "nominal", "binary", "numeric", "text"];

    public string TypeName => TypeNames[(int)Type];

    public static bool TryParseType(string name, out CriterionType type)
    {
        var index = TypeNames.ToList().IndexOf(name);
        type = index < 0 ? default : (CriterionType)index;
        return index >= 0;
    }

    /// <summary>Why <paramref name="value"/> is not on this criterion's scale, or null when it is.
    /// Stored values are canonical text: likert integers, option values, <c>true</c>/<c>false</c>, numbers. Values and
    /// bounds are said as written, whatever the reader's culture (0.5, never 0,5).</summary>
    public Message? CheckValue(string value)
    {
        if (Type == CriterionType.Text)
            return value.Length > MaxTextLength ? new Message("Value_TooLong", MaxTextLength) : null;
        if (value.Length == 0) return new Message("Value_Empty");
        switch (Type)
        {
            case CriterionType.Likert:
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var point))
                    return new Message("Value_NotInteger", value);
                return point < Min || point > Max ? new Message("Value_OutsideScale", value, Min, Max) : null;
            case CriterionType.Ordinal:
            case CriterionType.Nominal:
                return Options.Any(o => o.Value == value)
                    ? null
                    : new Message("Value_NotAnOption", value, string.Join(", ", Options.Select(o => o.Value)));
            case CriterionType.Binary:
                return value is "true" or "false" ? null : new Message("Value_NotTrueOrFalse", value);
            case CriterionType.Numeric:
                if (!double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                    return new Message("Value_NotFinite", value);
                if (number < Min) return new Message("Value_BelowMinimum", value, Min);
                if (number > Max) return new Message("Value_AboveMaximum", value, Max);
                return null;
            default:
                return null;
        }
    }

    /// <summary>The stored form of a value that passed <see cref="CheckValue"/>: likert points and numbers are
    /// written the one invariant way (<c>+4</c> and <c>04</c> become <c>4</c>, <c>72.50</c> becomes <c>72.5</c>), so
    /// equal ratings compare equal as text.</summary>
    public string Canonical(string value) => Type switch
    {
        CriterionType.Likert => long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        CriterionType.Numeric => double.Parse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
        _ => value,
    };
}
