using System.Globalization;
using System.Text.Json;
using GradeBench.Core.Studies;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Rubrics;

/// <summary>Reads the <c>rubric</c> object of study.json: its criteria and span labels. Errors go to the caller's
/// <c>error(path, message)</c>, which places them on the line of the path.</summary>
static class RubricReader
{
    /// <summary>Adds the valid criteria to <paramref name="criteria"/> and the ids of invalid ones to
    /// <paramref name="invalid"/>; false when there is no usable list of criteria at all.</summary>
    internal static bool ReadCriteria(JsonElement rubric, List<Criterion> criteria, HashSet<string> invalid, Action<string, string> error)
    {
        if (!rubric.TryGetProperty("criteria", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            error("rubric.criteria", "must be a non-empty array");
            return false;
        }
        var seen = new HashSet<string>();
        var n = 0;
        foreach (var c in list.EnumerateArray())
        {
            var p = $"rubric.criteria[{n++}]";
            if (c.ValueKind != JsonValueKind.Object)
            {
                error(p, "criterion must be an object");
                continue;
            }
            var id = OptionalString(c, "id");
            var usableId = true;
            if (!IsIdentifier(id)) { error($"{p}.id", IdRule); usableId = false; }
            else if (!seen.Add(id!)) { error($"{p}.id", $"duplicate criterion id \"{id}\""); usableId = false; }
            var criterion = ReadCriterion(c, p, id ?? "", error);
            if (!usableId) continue;
            if (criterion is not null) criteria.Add(criterion);
            else invalid.Add(id!);
        }
        return true;
    }

    /// <summary>The criterion at <paramref name="p"/>, or null (with its errors reported) when it is invalid.</summary>
    static Criterion? ReadCriterion(JsonElement c, string p, string id, Action<string, string> error)
    {
        var valid = true;
        var label = OptionalString(c, "label");
        if (string.IsNullOrWhiteSpace(label)) { error($"{p}.label", "must be a non-empty string"); valid = false; }
        string? help = null;
        if (c.TryGetProperty("help_md", out var h))
        {
            if (h.ValueKind == JsonValueKind.String) help = h.GetString();
            else { error($"{p}.help_md", "must be a string (Markdown)"); valid = false; }
        }
        var required = Flag(c, "required", $"{p}.required", false, error);
        var typeName = OptionalString(c, "type");
        if (typeName is null || !Criterion.TryParseType(typeName, out var type))
        {
            error($"{p}.type", $"must be one of {string.Join(", ", Criterion.TypeNames)}, got {Describe(c, "type")}");
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
                    error($"{p}.min", "likert needs integer min and max with min < max");
                    return null;
                }
                (min, max) = (lo, hi);
                if (c.TryGetProperty("anchors", out var a))
                {
                    if (a.ValueKind != JsonValueKind.Object) { error($"{p}.anchors", "must be an object mapping scale points to labels"); valid = false; }
                    else foreach (var anchor in a.EnumerateObject())
                    {
                        var q = $"{p}.anchors.{anchor.Name}";
                        if (!int.TryParse(anchor.Name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var point) || point < lo || point > hi) { error(q, $"anchor key must be an integer from {lo} to {hi}"); valid = false; }
                        else if (anchor.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(anchor.Value.GetString())) { error(q, "anchor label must be a non-empty string"); valid = false; }
                        else anchors.Add(new CriterionOption(point.ToString(CultureInfo.InvariantCulture), anchor.Value.GetString()!));
                    }
                }
                break;
            case CriterionType.Ordinal:
            case CriterionType.Nominal:
                var least = type == CriterionType.Ordinal ? 2 : 1;
                if (!c.TryGetProperty("options", out var opts) || opts.ValueKind != JsonValueKind.Array || opts.GetArrayLength() < least)
                {
                    error($"{p}.options", $"{typeName} needs an array of at least {least} option{(least > 1 ? "s" : "")}");
                    return null;
                }
                var m = 0;
                var values = new HashSet<string>();
                foreach (var o in opts.EnumerateArray())
                {
                    var q = $"{p}.options[{m++}]";
                    if (o.ValueKind != JsonValueKind.Object) { error(q, "option must be an object with value and label"); valid = false; continue; }
                    var value = OptionalString(o, "value");
                    var optionLabel = OptionalString(o, "label");
                    if (!IsIdentifier(value)) { error($"{q}.value", IdRule); valid = false; }
                    else if (!values.Add(value!)) { error($"{q}.value", $"duplicate option value \"{value}\""); valid = false; }
                    if (string.IsNullOrWhiteSpace(optionLabel)) { error($"{q}.label", "must be a non-empty string"); valid = false; }
                    if (valid) options.Add(new CriterionOption(value!, optionLabel!));
                }
                break;
            case CriterionType.Numeric:
                min = OptionalNumber(c, "min", $"{p}.min", error, ref valid);
                max = OptionalNumber(c, "max", $"{p}.max", error, ref valid);
                if (min > max) { error($"{p}.min", "min must not be greater than max"); valid = false; }
                break;
        }
        return valid ? new Criterion(id, label!, help, type, required, min, max, anchors, options) : null;
    }

    static bool TryInt(JsonElement parent, string name, out int value)
    {
        value = 0;
        return parent.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }

    static double? OptionalNumber(JsonElement parent, string name, string path, Action<string, string> error, ref bool valid)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value)) return value;
        error(path, "must be a number");
        valid = false;
        return null;
    }

    internal static void ReadSpanLabels(JsonElement rubric, List<SpanLabel> labels, Action<string, string> error)
    {
        if (!rubric.TryGetProperty("span_labels", out var list)) return;
        if (list.ValueKind != JsonValueKind.Array)
        {
            error("rubric.span_labels", "must be an array");
            return;
        }
        var seen = new HashSet<string>();
        var n = 0;
        foreach (var s in list.EnumerateArray())
        {
            var p = $"rubric.span_labels[{n++}]";
            if (s.ValueKind != JsonValueKind.Object) { error(p, "span label must be an object"); continue; }
            var id = OptionalString(s, "id");
            var label = OptionalString(s, "label");
            var valid = true;
            if (!IsIdentifier(id)) { error($"{p}.id", IdRule); valid = false; }
            else if (!seen.Add(id!)) { error($"{p}.id", $"duplicate span label id \"{id}\""); valid = false; }
            if (string.IsNullOrWhiteSpace(label)) { error($"{p}.label", "must be a non-empty string"); valid = false; }
            string? color = null;
            if (s.TryGetProperty("color", out var c))
            {
                if (c.ValueKind == JsonValueKind.String && ColorPattern().IsMatch(c.GetString()!)) color = c.GetString();
                else { error($"{p}.color", "must be a hex color such as #d1495b"); valid = false; }
            }
            if (valid) labels.Add(new SpanLabel(id!, label!, color));
        }
    }
}
