using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GradeBench.Core.Rubrics;

/// <summary>A study text as shown to a reader: its words and the language they are written in (for <c>lang</c>; null
/// when the study's language is not known to the page, so that no wrong one is claimed).</summary>
public readonly record struct ShownText(string Text, string? Language);

/// <summary>Which language a study text is shown in: the reader's (<see cref="Wanted"/>) where the study gives the text
/// in it, else the study's own (<see cref="Study"/>).</summary>
public readonly record struct TextLanguages(string Wanted, string? Study)
{
    /// <summary>The languages for a reader whose interface speaks <paramref name="uiCulture"/>: Simplified Chinese
    /// (<c>zh</c>, <c>zh-CN</c>, <c>zh-SG</c>, <c>zh-Hans…</c>) wants <c>zh-CN</c>, every other culture <c>en</c>.</summary>
    public static TextLanguages ForInterface(CultureInfo uiCulture, string? studyLanguage)
    {
        var name = uiCulture.Name;
        var chinese = name.Equals("zh", StringComparison.OrdinalIgnoreCase) || name.StartsWith("zh-CN", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("zh-SG", StringComparison.OrdinalIgnoreCase) || name.StartsWith("zh-Hans", StringComparison.OrdinalIgnoreCase);
        return new TextLanguages(chinese ? "zh-CN" : "en", studyLanguage);
    }
}

/// <summary>A study text's translations: the same text in languages other than the study's own, by language tag
/// (study.json's map form, docs/bundle-format.md). The study's own text is kept beside it, never in it, so that editing
/// that text leaves the translations as they are. Tags compare without regard to case; compared by value.</summary>
public sealed class Translations : IEquatable<Translations>
{
    public static readonly Translations None = new([]);

    readonly SortedDictionary<string, string> _byLanguage = new(StringComparer.OrdinalIgnoreCase);

    public Translations(IEnumerable<KeyValuePair<string, string>> byLanguage)
    {
        foreach (var (language, text) in byLanguage) _byLanguage[language] = text;
    }

    /// <summary>The texts by language tag, in tag order.</summary>
    public IReadOnlyDictionary<string, string> ByLanguage => _byLanguage;

    public int Count => _byLanguage.Count;

    /// <summary>The text in <paramref name="language"/> by RFC 4647 lookup (<c>zh-Hans-CN</c>, then <c>zh-Hans</c>,
    /// then <c>zh</c>), with the tag it was found under; null when there is none.</summary>
    public ShownText? Find(string language)
    {
        for (var tag = language; tag.Length > 0; tag = tag[..Math.Max(0, tag.LastIndexOf('-'))])
            if (_byLanguage.TryGetValue(tag, out var text)) return new ShownText(text, _byLanguage.Keys.First(k => k.Equals(tag, StringComparison.OrdinalIgnoreCase)));
        return null;
    }

    /// <summary>The text to show: the wanted language's where there is one, else <paramref name="studyText"/> in the
    /// study's language (also when the wanted language is the study's).</summary>
    public ShownText Show(string studyText, TextLanguages languages) =>
        languages.Wanted.Equals(languages.Study, StringComparison.OrdinalIgnoreCase) ? new ShownText(studyText, languages.Study)
            : Find(languages.Wanted) ?? new ShownText(studyText, languages.Study);

    /// <summary>The map form of study.json: the study's own text under its language, then the translations.</summary>
    public IEnumerable<KeyValuePair<string, string>> WithStudyText(string studyText, string studyLanguage) =>
        [new(studyLanguage, studyText), .. _byLanguage];

    /// <summary>The stored form: a JSON object from tag to text; null without translations.</summary>
    public string? ToJson() => Count == 0 ? null : JsonSerializer.Serialize(_byLanguage, Readable);

    // Stored, never put into HTML: Chinese stays readable in the database.
    static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads <see cref="ToJson"/>'s form back.</summary>
    public static Translations FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? None : new Translations(JsonSerializer.Deserialize<Dictionary<string, string>>(json)!);

    public bool Equals(Translations? other) => other is not null && _byLanguage.Count == other._byLanguage.Count
        && _byLanguage.All(e => other._byLanguage.TryGetValue(e.Key, out var text) && text == e.Value);

    public override bool Equals(object? obj) => Equals(obj as Translations);

    public override int GetHashCode() => _byLanguage.Count;
}
