using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GradeBench.Core.Rubrics;

/// <summary>Names a rubric as it stands, so that a judge's provenance says which rubric it rated against: the SHA-256
/// (FIPS 180-4) of the rubric's canonical JSON, lower-case hex. Any change a rater could see (a label, a help text, an
/// option, an anchor, a bound, a translation, whether a criterion is required, their order) gives another version.</summary>
/// <remarks>The canonical JSON is an array with one object per criterion in rubric order, written without spaces and with
/// these members in this order: <c>id</c>, <c>type</c>, <c>label</c>, <c>label_translations</c>, <c>help_md</c>,
/// <c>help_translations</c>, <c>required</c>, <c>min</c>, <c>max</c>, <c>options</c> and <c>anchors</c> (arrays of
/// <c>{"value","label","label_translations"}</c>). Absent texts and bounds are <c>null</c>, translations are objects from
/// language tag to text in tag order (<c>{}</c> when none), bounds are numbers written the shortest round-trip way, and
/// strings are escaped only where JSON requires it, so the same rubric always gives the same bytes.</remarks>
public static class RubricVersion
{
    static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static string Of(IEnumerable<Criterion> criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartArray();
            foreach (var criterion in criteria)
            {
                json.WriteStartObject();
                json.WriteString("id", criterion.Id);
                json.WriteString("type", criterion.TypeName);
                json.WriteString("label", criterion.Label);
                WriteTranslations(json, "label_translations", criterion.LabelTranslations);
                json.WriteString("help_md", criterion.HelpMd);
                WriteTranslations(json, "help_translations", criterion.HelpTranslations);
                json.WriteBoolean("required", criterion.Required);
                WriteBound(json, "min", criterion.Min);
                WriteBound(json, "max", criterion.Max);
                WriteOptions(json, "options", criterion.Options);
                WriteOptions(json, "anchors", criterion.Anchors);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    static void WriteBound(Utf8JsonWriter json, string name, double? bound)
    {
        json.WritePropertyName(name);
        // Written as text, not WriteNumberValue: the shortest round-trip form, whatever the runtime's default.
        if (bound is { } value) json.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture));
        else json.WriteNullValue();
    }

    static void WriteOptions(Utf8JsonWriter json, string name, IReadOnlyList<CriterionOption> options)
    {
        json.WriteStartArray(name);
        foreach (var option in options)
        {
            json.WriteStartObject();
            json.WriteString("value", option.Value);
            json.WriteString("label", option.Label);
            WriteTranslations(json, "label_translations", option.LabelTranslations);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    static void WriteTranslations(Utf8JsonWriter json, string name, Translations translations)
    {
        json.WriteStartObject(name);
        foreach (var (language, text) in translations.ByLanguage) json.WriteString(language, text);
        json.WriteEndObject();
    }
}
