using System.Text.Json;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads a study text of study.json that may be given in several languages: a string (the study's language),
/// or a map by language tag that holds the study's language, <c>{"en": "…", "zh-CN": "…"}</c> (docs/bundle-format.md).
/// Errors go to <c>error(path, message)</c>, a map's on its entries.</summary>
static class StudyTextReader
{
    /// <summary>The text in the study's language and its translations; a null text when it is missing or invalid (its
    /// errors reported: <paramref name="rule"/> for anything but a map, which is checked entry by entry).</summary>
    /// <param name="allowEmpty">Whether an empty string is a text (help may be empty, a label may not).</param>
    internal static (string? Text, Translations Translations) Read(JsonElement parent, string name, string path, string studyLanguage,
        Message rule, bool allowEmpty, Action<string, Message> error)
    {
        parent.TryGetProperty(name, out var value);
        if (value.ValueKind == JsonValueKind.String && (allowEmpty || !string.IsNullOrWhiteSpace(value.GetString())))
            return (value.GetString(), Translations.None);
        if (value.ValueKind != JsonValueKind.Object)
        {
            error(path, rule);
            return (null, Translations.None);
        }
        var valid = true;
        string? text = null;
        var translations = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // JSON's duplicate check is case-sensitive; tags are not
        foreach (var entry in value.EnumerateObject())
        {
            var at = $"{path}.{entry.Name}";
            var entryValid = true;
            if (!LanguagePattern().IsMatch(entry.Name)) { error(at, new Message("Bundle_LanguageTagWithRegion")); entryValid = false; }
            else if (!seen.Add(entry.Name)) { error(at, new Message("Bundle_LanguageTwice", entry.Name)); entryValid = false; }
            else if (entry.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(entry.Value.GetString())) { error(at, new Message("Bundle_NonEmptyString")); entryValid = false; }
            valid &= entryValid;
            if (!entryValid) continue;
            if (entry.Name.Equals(studyLanguage, StringComparison.OrdinalIgnoreCase)) text = entry.Value.GetString();
            else translations[entry.Name] = entry.Value.GetString()!;
        }
        if (!seen.Contains(studyLanguage)) { error(path, new Message("Bundle_StudyLanguageMissing", studyLanguage)); valid = false; }
        return valid ? (text, new Translations(translations)) : (null, Translations.None);
    }
}
