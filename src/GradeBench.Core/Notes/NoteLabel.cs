using System.Globalization;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Spans;
using GradeBench.Core.Spans.Interchange;

namespace GradeBench.Core.Notes;

/// <summary>A label raters may put on a passage of a case's clinical note (study.json's <c>note_labels</c>), with the
/// attributes a passage of it may carry, in the order given.</summary>
public sealed record NoteLabel(string Id, string Label, string? Color, IReadOnlyList<NoteAttribute> Attributes)
{
    public Translations LabelTranslations { get; init; } = Translations.None;

    /// <summary>The ids of the rubric criteria the label bears on (<c>criteria</c>), in order; empty: none.</summary>
    public IReadOnlyList<string> Criteria { get; init; } = [];
}

/// <summary>An attribute of a <see cref="NoteLabel"/>: a flag (negated, uncertain, historical), a number (an NIHSS
/// score) or a short text (an onset time).</summary>
public sealed record NoteAttribute(string Id, string Label, AttributeKind Kind)
{
    /// <summary>The longest text value, in code points: a time or a word, not a note (the span has its own).</summary>
    public const int MaxTextLength = 200;

    public static readonly string[] KindNames = ["flag", "number", "text"];

    public Translations LabelTranslations { get; init; } = Translations.None;

    public static string KindName(AttributeKind kind) => KindNames[(int)kind];

    public static bool TryParseKind(string? name, out AttributeKind kind)
    {
        var index = Array.IndexOf(KindNames, name);
        kind = (AttributeKind)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The value as it is stored, or null when this attribute does not take <paramref name="value"/>. A flag
    /// that is set is <c>true</c> (one that is not is absent, never <c>false</c>); a number is read in the invariant
    /// culture and stored in its shortest round-trip form, so exports can write it as a JSON number; a text is trimmed,
    /// non-empty and at most <see cref="MaxTextLength"/> code points.</summary>
    public string? Normalize(string value)
    {
        switch (Kind)
        {
            case AttributeKind.Flag:
                return value == NoteAnnotation.FlagSet ? value : null;
            case AttributeKind.Number:
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    ? number.ToString("R", CultureInfo.InvariantCulture)
                    : null;
            default:
                var text = value.Trim();
                return text.Length > 0 && CodePoints.Length(text) <= MaxTextLength ? text : null;
        }
    }
}
