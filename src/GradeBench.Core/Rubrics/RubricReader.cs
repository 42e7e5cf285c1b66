using System.Globalization;
using System.Text.Json;
using GradeBench.Core.Messages;
using GradeBench.Core.Studies;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Rubrics;

/// <summary>Reads the <c>rubric</c> object of study.json: its criteria and span labels. Errors go to the caller's
/// <c>error(path, message)</c>, which places them on the line of the path. Labels, help and option labels may be given
/// in several languages (<see cref="StudyTextReader"/>); <c>language</c> is the study's.</summary>
static class RubricReader
{
    /// <summary>Adds the valid criteria to <paramref name="criteria"/> and the ids of invalid ones to
    /// <paramref name="invalid"/>; false when there is no usable list of criteria at all. No list, or an empty one, is a
    /// rubric without criteria: the cases may carry checklists instead (the bundle reader checks that some criterion exists).</summary>
    internal static bool ReadCriteria(JsonElement rubric, string language, List<Criterion> criteria, HashSet<string> invalid, Action<string, Message> error)
    {
        if (!rubric.TryGetProperty("criteria", out var list)) return true;
        if (list.ValueKind != JsonValueKind.Array)
        {
            error("rubric.criteria", new Message("Rubric_CriteriaArray"));
            return false;
        }
        var seen = new HashSet<string>();
        var n = 0;
        foreach (var c in list.EnumerateArray())
        {
            var p = $"rubric.criteria[{n++}]";
            if (c.ValueKind != JsonValueKind.Object)
            {
                error(p, new Message("Rubric_CriterionNotObject"));
                continue;
            }
            var id = OptionalString(c, "id");
            var usableId = true;
            if (!IsIdentifier(id)) { error($"{p}.id", IdRule); usableId = false; }
            else if (!seen.Add(id!)) { error($"{p}.id", new Message("Rubric_DuplicateCriterionId", id)); usableId = false; }
            var criterion = ReadCriterion(c, p, id ?? "", language, error);
            if (!usableId) continue;
            if (criterion is not null) criteria.Add(criterion);
            else invalid.Add(id!);
        }
        return true;
    }

    /// <summary>The criterion at <paramref name="p"/>, or null (with its errors reported) when it is invalid.</summary>
    static Criterion? ReadCriterion(JsonElement c, string p, string id, string language, Action<string, Message> error)
    {
        var (label, labels) = StudyTextReader.Read(c, "label", $"{p}.label", language, new Message("Bundle_NonEmptyString"), allowEmpty: false, error);
        var valid = label is not null;
        string? help = null;
        var helps = Translations.None;
        if (c.TryGetProperty("help_md", out _))
        {
            (help, helps) = StudyTextReader.Read(c, "help_md", $"{p}.help_md", language, new Message("Bundle_MarkdownString"), allowEmpty: true, error);
            valid &= help is not null;
        }
        var required = Flag(c, "required", $"{p}.required", false, error);
        var typeName = OptionalString(c, "type");
        if (typeName is null || !Criterion.TryParseType(typeName, out var type))
        {
            error($"{p}.type", new Message("Rubric_TypeGot", string.Join(", ", Criterion.TypeNames), Describe(c, "type")));
            return null;
        }
        double? min = null, max = null;
        var anchors = new List<CriterionOption>();
        var options = new List<CriterionOption>();
        switch (type)
        {
            case CriterionType.Likert:
                if (!(TryInt(c, "min", out var lo) && TryInt(c, "max", out var hi) && lo < hi))
                {
                    error($"{p}.min", new Message("Rubric_LikertBounds"));
                    return null;
                }
                (min, max) = (lo, hi);
                if (c.TryGetProperty("anchors", out var a))
                {
                    if (a.ValueKind != JsonValueKind.Object) { error($"{p}.anchors", new Message("Rubric_AnchorsNotObject")); valid = false; }
                    else foreach (var anchor in a.EnumerateObject())
                    {
                        var q = $"{p}.anchors.{anchor.Name}";
                        if (!int.TryParse(anchor.Name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var point) || point < lo || point > hi) { error(q, new Message("Rubric_AnchorKey", lo, hi)); valid = false; }
                        else if (StudyTextReader.Read(a, anchor.Name, q, language, new Message("Rubric_AnchorLabel"), allowEmpty: false, error) is not ({ } text, var texts)) valid = false;
                        else anchors.Add(new CriterionOption(point.ToString(CultureInfo.InvariantCulture), text) { LabelTranslations = texts });
                    }
                }
                break;
            case CriterionType.Ordinal:
            case CriterionType.Nominal:
                var least = type == CriterionType.Ordinal ? 2 : 1;
                if (!c.TryGetProperty("options", out var opts) || opts.ValueKind != JsonValueKind.Array || opts.GetArrayLength() < least)
                {
                    error($"{p}.options", least == 1 ? new Message("Rubric_OneOption", typeName) : new Message("Rubric_Options", typeName, least));
                    return null;
                }
                var m = 0;
                var values = new HashSet<string>();
                foreach (var o in opts.EnumerateArray())
                {
                    var q = $"{p}.options[{m++}]";
                    if (o.ValueKind != JsonValueKind.Object) { error(q, new Message("Rubric_OptionNotObject")); valid = false; continue; }
                    var value = OptionalString(o, "value");
                    if (!IsIdentifier(value)) { error($"{q}.value", IdRule); valid = false; }
                    else if (!values.Add(value!)) { error($"{q}.value", new Message("Rubric_DuplicateOptionValue", value)); valid = false; }
                    var (optionLabel, optionLabels) = StudyTextReader.Read(o, "label", $"{q}.label", language, new Message("Bundle_NonEmptyString"), allowEmpty: false, error);
                    if (optionLabel is null) valid = false;
                    if (valid) options.Add(new CriterionOption(value!, optionLabel!) { LabelTranslations = optionLabels });
                }
                break;
            case CriterionType.Numeric:
                min = OptionalNumber(c, "min", $"{p}.min", error, ref valid);
                max = OptionalNumber(c, "max", $"{p}.max", error, ref valid);
                if (min > max) { error($"{p}.min", new Message("Rubric_MinAboveMax")); valid = false; }
                break;
        }
        return valid ? new Criterion(id, label!, help, type, required, min, max, anchors, options) { LabelTranslations = labels, HelpTranslations = helps } : null;
    }

    static bool TryInt(JsonElement parent, string name, out int value)
    {
        value = 0;
        return parent.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }

    static double? OptionalNumber(JsonElement parent, string name, string path, Action<string, Message> error, ref bool valid)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value)) return value;
        error(path, new Message("Rubric_Number"));
        valid = false;
        return null;
    }

    internal static void ReadSpanLabels(JsonElement rubric, string language, IReadOnlySet<string> criteria, List<SpanLabel> labels, Action<string, Message> error)
    {
        if (!rubric.TryGetProperty("span_labels", out var list)) return;
        if (list.ValueKind != JsonValueKind.Array)
        {
            error("rubric.span_labels", new Message("Rubric_SpanLabelsArray"));
            return;
        }
        var seen = new HashSet<string>();
        var n = 0;
        foreach (var s in list.EnumerateArray())
        {
            var p = $"rubric.span_labels[{n++}]";
            if (s.ValueKind != JsonValueKind.Object) { error(p, new Message("Rubric_SpanLabelNotObject")); continue; }
            var id = OptionalString(s, "id");
            var valid = true;
            if (!IsIdentifier(id)) { error($"{p}.id", IdRule); valid = false; }
            else if (!seen.Add(id!)) { error($"{p}.id", new Message("Rubric_DuplicateSpanLabelId", id)); valid = false; }
            var (label, texts) = StudyTextReader.Read(s, "label", $"{p}.label", language, new Message("Bundle_NonEmptyString"), allowEmpty: false, error);
            if (label is null) valid = false;
            string? color = null;
            if (s.TryGetProperty("color", out var c))
            {
                if (c.ValueKind == JsonValueKind.String && ColorPattern().IsMatch(c.GetString()!)) color = c.GetString();
                else { error($"{p}.color", new Message("Rubric_Color")); valid = false; }
            }
            var linked = LinkedCriteria.Read(s, p, criteria, error);
            if (valid && linked is not null) labels.Add(new SpanLabel(id!, label!, color) { LabelTranslations = texts, Criteria = linked });
        }
    }
}
