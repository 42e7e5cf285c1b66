using System.Globalization;
using System.Resources;

namespace GradeBench.Core.Reports;

/// <summary>The report's words in English (<c>ReportText.resx</c>) and Simplified Chinese (<c>ReportText.zh-CN.resx</c>),
/// read through the platform's <see cref="ResourceManager"/> with the culture given, never the thread's: the report
/// follows the study's language, not the viewer's or the server's.</summary>
public sealed class ReportText(CultureInfo language)
{
    static readonly ResourceManager Resources = new("GradeBench.Core.Reports.ReportText", typeof(ReportText).Assembly);

    /// <summary>English: the neutral resources (the invariant culture, which exists even in a process with invariant
    /// globalization and only predefined cultures).</summary>
    public static readonly CultureInfo English = CultureInfo.InvariantCulture;

    static readonly Lazy<CultureInfo> ChineseCulture = new(() => CultureInfo.GetCultureInfo("zh-CN"));

    /// <summary>Simplified Chinese; created on first use, so an English report never needs culture names.</summary>
    public static CultureInfo Chinese => ChineseCulture.Value;

    /// <summary>The report's language for a study's language tag: <c>zh</c>, <c>zh-CN</c>, <c>zh-SG</c> and
    /// <c>zh-Hans…</c> give Simplified Chinese; anything else (Traditional Chinese included) gives English.</summary>
    public static CultureInfo LanguageOf(string? tag)
    {
        var t = tag?.Trim() ?? "";
        return t.Equals("zh", StringComparison.OrdinalIgnoreCase) || t.StartsWith("zh-CN", StringComparison.OrdinalIgnoreCase)
            || t.StartsWith("zh-SG", StringComparison.OrdinalIgnoreCase) || t.StartsWith("zh-Hans", StringComparison.OrdinalIgnoreCase)
            ? Chinese : English;
    }

    /// <summary>English or Simplified Chinese: <see cref="LanguageOf"/> the culture given.</summary>
    public CultureInfo Language { get; } = LanguageOf(language.Name);

    public bool IsChinese => Language.Name == "zh-CN";

    /// <summary>The report's language tag, for <c>&lt;html lang&gt;</c>: <c>en</c> or <c>zh-CN</c>.</summary>
    public string Tag => IsChinese ? "zh-CN" : "en";

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/>; a missing key is a bug, so it throws.</summary>
    public static string Get(string key, CultureInfo language) =>
        Resources.GetString(key, language) ?? throw new KeyNotFoundException($"ReportText has no key {key}.");

    /// <summary>The text of <paramref name="key"/> with its placeholders filled (arguments are text already: numbers come
    /// formatted by <see cref="ReportNumbers"/>).</summary>
    public static string Get(string key, CultureInfo language, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(key, language), args);

    public string this[string key] => Get(key, Language);

    public string this[string key, params object?[] args] => Get(key, Language, args);

    /// <summary>The text of <paramref name="key"/>, or <paramref name="fallback"/> where the resources have no such key
    /// (a value named by data, such as a metric id or a language code, that has no translation).</summary>
    public string Or(string key, string fallback) => Resources.GetString(key, Language) ?? fallback;

    /// <summary>A counted noun phrase: <c>{key}_one</c> for one, else <c>{key}_other</c> ("1 model", "2 models"; Chinese has one form).</summary>
    public string Counted(string key, int n) => this[n == 1 ? key + "_one" : key + "_other", ReportNumbers.Count(n)];

    /// <summary>Items of a run of text joined as the language joins them (", " or "、").</summary>
    public string List(IEnumerable<string> items) => string.Join(this["ListSeparator"], items);
}
