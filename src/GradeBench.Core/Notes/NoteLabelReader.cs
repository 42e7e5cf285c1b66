using System.Text.Json;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Notes;

/// <summary>Reads study.json's <c>note_labels</c> (docs/bundle-format.md, "Note labels") as the rubric's span labels
/// are read: ids by the identifier rule and unique, colors <c>#rgb</c> or <c>#rrggbb</c>, labels a string or a map by
/// language (<see cref="StudyTextReader"/>). Errors and warnings go to the caller's <c>error(path, message)</c> and
/// <c>warn(path, message)</c>, which place them on the line of the path; a label with any error is left out.</summary>
static class NoteLabelReader
{
    internal static IReadOnlyList<NoteLabel> Read(JsonElement root, string language, IReadOnlySet<string> criteria, Action<string, Message> error,
        Action<string, Message> warn)
    {
        if (!root.TryGetProperty("note_labels", out var list)) return [];
        if (list.ValueKind != JsonValueKind.Array)
        {
            error("note_labels", new Message("Notes_LabelsArray"));
            return [];
        }
        var labels = new List<NoteLabel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var n = 0;
        foreach (var item in list.EnumerateArray())
        {
            var p = $"note_labels[{n++}]";
            if (item.ValueKind != JsonValueKind.Object) { error(p, new Message("Notes_LabelNotObject")); continue; }
            Warn(item, p, ["id", "label", "color", "attributes", "criteria"], warn);
            var id = OptionalString(item, "id");
            var valid = true;
            if (!IsIdentifier(id)) { error($"{p}.id", IdRule); valid = false; }
            else if (!seen.Add(id!)) { error($"{p}.id", new Message("Notes_DuplicateLabelId", id)); valid = false; }
            var (label, texts) = StudyTextReader.Read(item, "label", $"{p}.label", language, new Message("Bundle_NonEmptyString"), allowEmpty: false, error);
            valid &= label is not null;
            string? color = null;
            if (item.TryGetProperty("color", out var c))
            {
                if (c.ValueKind == JsonValueKind.String && ColorPattern().IsMatch(c.GetString()!)) color = c.GetString();
                else { error($"{p}.color", new Message("Rubric_Color")); valid = false; }
            }
            var attributes = ReadAttributes(item, p, language, error, warn, ref valid);
            var linked = LinkedCriteria.Read(item, p, criteria, error);
            if (valid && linked is not null) labels.Add(new NoteLabel(id!, label!, color, attributes) { LabelTranslations = texts, Criteria = linked });
        }
        return labels;
    }

    static List<NoteAttribute> ReadAttributes(JsonElement label, string p, string language, Action<string, Message> error,
        Action<string, Message> warn, ref bool valid)
    {
        var attributes = new List<NoteAttribute>();
        if (!label.TryGetProperty("attributes", out var list)) return attributes;
        if (list.ValueKind != JsonValueKind.Array)
        {
            error($"{p}.attributes", new Message("Notes_AttributesArray"));
            valid = false;
            return attributes;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var n = 0;
        foreach (var item in list.EnumerateArray())
        {
            var q = $"{p}.attributes[{n++}]";
            if (item.ValueKind != JsonValueKind.Object) { error(q, new Message("Notes_AttributeNotObject")); valid = false; continue; }
            Warn(item, q, ["id", "label", "kind"], warn);
            var id = OptionalString(item, "id");
            var ok = true;
            if (!IsIdentifier(id)) { error($"{q}.id", IdRule); ok = false; }
            else if (!seen.Add(id!)) { error($"{q}.id", new Message("Notes_DuplicateAttributeId", id)); ok = false; }
            var (text, texts) = StudyTextReader.Read(item, "label", $"{q}.label", language, new Message("Bundle_NonEmptyString"), allowEmpty: false, error);
            ok &= text is not null;
            if (!NoteAttribute.TryParseKind(OptionalString(item, "kind"), out var kind))
            {
                error($"{q}.kind", new Message("Notes_KindGot", string.Join(", ", NoteAttribute.KindNames), Describe(item, "kind")));
                ok = false;
            }
            if (ok) attributes.Add(new NoteAttribute(id!, text!, kind) { LabelTranslations = texts });
            valid &= ok;
        }
        return attributes;
    }

    static void Warn(JsonElement item, string path, string[] known, Action<string, Message> warn)
    {
        foreach (var property in item.EnumerateObject())
            if (!known.Contains(property.Name)) warn($"{path}.{property.Name}", new Message("Bundle_UnknownField"));
    }
}
