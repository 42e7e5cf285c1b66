using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Rubrics;
using Sylvan.Data.Csv;

namespace GradeBench.Core.Studies;

public sealed record BundleReadResult(StudyBundle? Bundle, IReadOnlyList<BundleError> Errors, IReadOnlyList<BundleError> Warnings)
{
    public bool Succeeded => Bundle is not null;
}

/// <summary>Reads and validates a study bundle (docs/bundle-format.md). Every error found is reported; a
/// bundle is returned only when there is none. A UTF-8 byte-order mark and CRLF line ends are accepted.</summary>
public static partial class BundleReader
{
    public const string Format = "gradebench-study/1";
    const string StudyFile = "study.json", CasesFile = "cases.jsonl", ResponsesFile = "responses.jsonl", RatingsFile = "ratings.csv";
    const string IdRule = "must be an identifier of 1-64 characters from [A-Za-z0-9._-]";
    static readonly string[] RatingsHeader = ["response_id", "rater", "criterion", "value", "comment"];

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")]
    private static partial Regex ColorPattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex LanguagePattern();

    static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    public static bool IsIdentifier(string? value) => value is not null && IdPattern().IsMatch(value);

    public static BundleReadResult Read(string path, long maxFileBytes = BundleFiles.DefaultMaxFileBytes)
    {
        var errors = new List<BundleError>();
        var files = BundleFiles.Read(path, maxFileBytes, errors);
        return Parse(files, errors);
    }

    /// <summary>Validates bundle files already in memory (name to bytes); <paramref name="errors"/> may hold
    /// errors found while reading them.</summary>
    public static BundleReadResult Parse(IReadOnlyDictionary<string, byte[]> files, List<BundleError>? errors = null)
    {
        var report = new Report(errors ?? []);
        var text = files.ToDictionary(f => f.Key, f => Decode(f.Key, f.Value, report));

        // References are checked against every id a file defines, even on a line with other errors, so that
        // one bad line is reported once; when a file could not be read at all, references to it are not checked.
        var rubric = new RubricIds();
        var study = text.TryGetValue(StudyFile, out var s) ? ReadStudy(s, report, rubric) : null;
        var caseIds = text.ContainsKey(CasesFile) ? new HashSet<string>() : null;
        var cases = text.TryGetValue(CasesFile, out var c) ? ReadCases(c, caseIds!, report) : [];
        var responseIds = text.ContainsKey(ResponsesFile) ? new HashSet<string>() : null;
        var responses = text.TryGetValue(ResponsesFile, out var r) ? ReadResponses(r, caseIds, responseIds!, report) : [];
        var ratings = text.TryGetValue(RatingsFile, out var csv)
            ? ReadRatings(csv, responseIds, study is not null && rubric.Usable ? study : null, rubric.Invalid, report)
            : [];

        var bundle = report.Errors.Count == 0 && study is not null
            ? new StudyBundle(study, cases, responses, ratings)
            : null;
        return new BundleReadResult(bundle, report.Errors, report.Warnings);
    }

    /// <summary>Validates a responses.jsonl added to an existing study, exactly as in a bundle: every case it names must
    /// be one of <paramref name="caseIds"/>, and no response id may be one of <paramref name="takenIds"/> (the study's own).
    /// Errors read <c>responses.jsonl:line: field: message</c>; the responses are returned only when there is none.</summary>
    public static (IReadOnlyList<ModelResponse>? Responses, IReadOnlyList<BundleError> Errors, IReadOnlyList<BundleError> Warnings) ReadResponses(
        byte[] bytes, IReadOnlySet<string> caseIds, IReadOnlySet<string> takenIds)
    {
        var report = new Report([]);
        var text = Decode(ResponsesFile, bytes, report);
        var responses = ReadResponses(text, caseIds.ToHashSet(), [], report, takenIds);
        return (report.Errors.Count == 0 ? responses : null, report.Errors, report.Warnings);
    }

    /// <summary>What study.json says about criterion ids beyond the valid criteria: whether the rubric could be
    /// read at all, and the ids of criteria that are defined but invalid (already reported in study.json).</summary>
    sealed class RubricIds
    {
        public bool Usable { get; set; }
        public HashSet<string> Invalid { get; } = [];
    }

    sealed class Report(List<BundleError> errors)
    {
        public List<BundleError> Errors { get; } = errors;
        public List<BundleError> Warnings { get; } = [];
        public void Error(string file, int line, string field, string message) => Errors.Add(new(file, line, field, message));
        public void Warn(string file, int line, string field, string message) => Warnings.Add(new(file, line, field, message));
    }

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static string Decode(string name, byte[] bytes, Report report)
    {
        ReadOnlySpan<byte> data = bytes;
        var bom = data.StartsWith("\uFEFF"u8) ? 3 : 0;
        data = data[bom..];
        try
        {
            return StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException e)
        {
            var offset = Math.Clamp(e.Index, 0, data.Length);
            var line = data[..offset].Count((byte)'\n') + 1;
            report.Error(name, line, "encoding", $"invalid UTF-8 byte at offset {offset + bom}");
            // Keep validating the rest of the file so that every error is reported.
            return Encoding.UTF8.GetString(data);
        }
    }

    /// <summary>The 1-based line and the message for malformed JSON. System.Text.Json gives no position for a
    /// duplicate key, so that one is looked up.</summary>
    static (int Line, string Message) JsonProblem(JsonException e, string text)
    {
        if (e.LineNumber is null && JsonLineMap.FindDuplicateKey(Encoding.UTF8.GetBytes(text)) is { } duplicate)
            return (duplicate.Line, $"malformed JSON: duplicate key \"{duplicate.Key}\"");
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        message = message.Replace(" Change the reader options.", "", StringComparison.Ordinal).TrimEnd().TrimEnd('.');
        var line = (int)(e.LineNumber ?? 0);
        var column = e.BytePositionInLine is { } position ? $" (column {CharacterColumn(text, line, position)})" : "";
        return (line + 1, $"malformed JSON: {message}{column}");
    }

    /// <summary>The 1-based column, in characters, of a byte position on a 0-based line (System.Text.Json counts
    /// UTF-8 bytes, which is not what a person sees in a line of Chinese text).</summary>
    static long CharacterColumn(string text, int line, long bytePosition)
    {
        var lineText = text.Split('\n').ElementAtOrDefault(line) ?? "";
        var bytes = Encoding.UTF8.GetBytes(lineText);
        return Encoding.UTF8.GetCharCount(bytes, 0, (int)Math.Clamp(bytePosition, 0, bytes.Length)) + 1;
    }

    // ---------------------------------------------------------------- study.json

    static StudyDefinition? ReadStudy(string text, Report report, RubricIds rubricIds)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, StrictJson);
        }
        catch (JsonException e)
        {
            var (line, message) = JsonProblem(e, text);
            report.Error(StudyFile, line, "json", message);
            return null;
        }
        using (document)
        {
            var lines = new JsonLineMap(Encoding.UTF8.GetBytes(text));
            void Error(string path, string message) => report.Error(StudyFile, lines.LineOf(path), path.Length == 0 ? "study" : path, message);
            void Warn(string path, string message) => report.Warn(StudyFile, lines.LineOf(path), path, message);

            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("", "top level must be a JSON object");
                return null;
            }
            string[] known = ["format", "id", "title", "description_md", "instructions_md", "language", "raters_per_response", "state", "blinding", "rubric", "adjudication", "safety"];
            foreach (var property in root.EnumerateObject())
                if (!known.Contains(property.Name))
                    report.Warn(StudyFile, lines.LineOf(property.Name), property.Name, "field is not part of the format; ignored");

            var format = OptionalString(root, "format");
            if (format != Format) Error("format", $"must be \"{Format}\", got {Describe(root, "format")}");
            var id = OptionalString(root, "id");
            if (!IsIdentifier(id)) Error("id", IdRule);
            var title = OptionalString(root, "title");
            if (string.IsNullOrWhiteSpace(title)) Error("title", "must be a non-empty string");
            string Markdown(string name)
            {
                if (!root.TryGetProperty(name, out var value)) return "";
                if (value.ValueKind == JsonValueKind.String) return value.GetString()!;
                Error(name, "must be a string (Markdown)");
                return "";
            }
            var description = Markdown("description_md");
            var instructions = Markdown("instructions_md");
            var language = "en";
            if (root.TryGetProperty("language", out var lang))
            {
                if (lang.ValueKind == JsonValueKind.String && LanguagePattern().IsMatch(lang.GetString()!)) language = lang.GetString()!;
                else Error("language", "must be a language tag such as \"en\" or \"zh\"");
            }
            var ratersPerResponse = 3;
            if (root.TryGetProperty("raters_per_response", out var rpr))
            {
                if (rpr.ValueKind == JsonValueKind.Number && rpr.TryGetInt32(out var n) && n >= 1) ratersPerResponse = n;
                else Error("raters_per_response", "must be a positive integer");
            }
            var state = StudyState.Open;
            if (root.TryGetProperty("state", out var st))
            {
                if (st.ValueKind == JsonValueKind.String && st.GetString() is "open" or "draft")
                    state = st.GetString() == "open" ? StudyState.Open : StudyState.Draft;
                else Error("state", $"must be \"open\" or \"draft\", got {Describe(root, "state")}");
            }
            bool hideModel = true, shuffle = true;
            if (root.TryGetProperty("blinding", out var blinding))
            {
                if (blinding.ValueKind != JsonValueKind.Object) Error("blinding", "must be an object");
                else
                {
                    hideModel = Flag(blinding, "hide_model", "blinding.hide_model", true, Error);
                    shuffle = Flag(blinding, "shuffle", "blinding.shuffle", true, Error);
                }
            }

            var criteria = new List<Criterion>();
            var spanLabels = new List<SpanLabel>();
            if (!root.TryGetProperty("rubric", out var rubric) || rubric.ValueKind != JsonValueKind.Object)
                Error("rubric", "required object is missing or not an object");
            else
            {
                rubricIds.Usable = ReadCriteria(rubric, criteria, rubricIds.Invalid, Error);
                ReadSpanLabels(rubric, spanLabels, Error);
            }

            var adjudication = rubricIds.Usable ? ReadAdjudication(root, criteria, rubricIds.Invalid, Error, Warn) : null;

            // Returned even when invalid, so that ratings.csv can still be checked against the criteria that are.
            return new StudyDefinition(id ?? "", title ?? "", description, instructions, language, ratersPerResponse, state, hideModel, shuffle, criteria, spanLabels)
            {
                Adjudication = adjudication,
            };
        }
    }

    /// <summary>The defaults for every criterion, changed by <c>adjudication.rules</c> and <c>safety</c> where given.
    /// Criteria in <paramref name="invalid"/> are already reported and not checked again.</summary>
    static AdjudicationSettings ReadAdjudication(JsonElement root, List<Criterion> criteria, HashSet<string> invalid,
        Action<string, string> error, Action<string, string> warn)
    {
        var byId = criteria.ToDictionary(c => c.Id);
        var rules = criteria.ToDictionary(c => c.Id, DisagreementRule.Default);
        if (root.TryGetProperty("adjudication", out var adjudication))
        {
            if (adjudication.ValueKind != JsonValueKind.Object) error("adjudication", "must be an object");
            else
            {
                foreach (var property in adjudication.EnumerateObject())
                    if (property.Name != "rules") warn($"adjudication.{property.Name}", "field is not part of the format; ignored");
                if (adjudication.TryGetProperty("rules", out var list))
                {
                    if (list.ValueKind != JsonValueKind.Object) error("adjudication.rules", "must be an object mapping criterion ids to rules");
                    else foreach (var rule in list.EnumerateObject())
                    {
                        var path = $"adjudication.rules.{rule.Name}";
                        if (invalid.Contains(rule.Name)) continue;
                        if (!byId.TryGetValue(rule.Name, out var criterion)) error(path, $"unknown criterion \"{rule.Name}\"");
                        else if (ReadRule(rule.Value, criterion, path, error, warn) is { } parsed) rules[criterion.Id] = parsed;
                    }
                }
            }
        }
        var safety = root.TryGetProperty("safety", out var s) ? ReadSafety(s, byId, invalid, error, warn) : AdjudicationSettings.DefaultSafety(criteria);
        return new AdjudicationSettings(rules, safety);
    }

    static DisagreementRule? ReadRule(JsonElement rule, Criterion criterion, string path, Action<string, string> error, Action<string, string> warn)
    {
        switch (rule.ValueKind)
        {
            case JsonValueKind.String when rule.GetString() == "never":
                return DisagreementRule.Never;
            case JsonValueKind.String when rule.GetString() == "any":
                if (criterion.Type != CriterionType.Text) return DisagreementRule.Any;
                error(path, $"{criterion.Id} is a text criterion, which is never adjudicated");
                return null;
            case JsonValueKind.Object:
                foreach (var property in rule.EnumerateObject())
                    if (property.Name != "min_range") warn($"{path}.{property.Name}", "field is not part of the format; ignored");
                if (!rule.TryGetProperty("min_range", out var range) || range.ValueKind != JsonValueKind.Number
                    || !range.TryGetDouble(out var minRange) || !double.IsFinite(minRange) || minRange <= 0)
                {
                    error($"{path}.min_range", "must be a positive number");
                    return null;
                }
                if (DisagreementRule.IsOrdered(criterion.Type)) return DisagreementRule.Range(minRange);
                error($"{path}.min_range", $"{criterion.Id} is {criterion.TypeName}: a range needs a likert, ordinal or numeric criterion");
                return null;
            default:
                error(path, "must be \"any\", \"never\" or an object such as {\"min_range\": 2}");
                return null;
        }
    }

    static List<SafetyTrigger> ReadSafety(JsonElement safety, Dictionary<string, Criterion> criteria, HashSet<string> invalid,
        Action<string, string> error, Action<string, string> warn)
    {
        var triggers = new List<SafetyTrigger>();
        if (safety.ValueKind != JsonValueKind.Array)
        {
            error("safety", "must be an array of {\"criterion\", \"values\"} objects (empty: no safety alerts)");
            return triggers;
        }
        var n = 0;
        foreach (var entry in safety.EnumerateArray())
        {
            var p = $"safety[{n++}]";
            if (entry.ValueKind != JsonValueKind.Object) { error(p, "must be an object with criterion and values"); continue; }
            foreach (var property in entry.EnumerateObject())
                if (property.Name is not ("criterion" or "values")) warn($"{p}.{property.Name}", "field is not part of the format; ignored");
            var id = OptionalString(entry, "criterion");
            if (id is not null && invalid.Contains(id)) continue;
            if (id is null || !criteria.TryGetValue(id, out var criterion)) { error($"{p}.criterion", $"unknown criterion {Describe(entry, "criterion")}"); continue; }
            if (criterion.Type == CriterionType.Text) { error($"{p}.criterion", $"{id} is a text criterion: its values cannot raise an alert"); continue; }
            if (triggers.Any(t => t.CriterionId == id)) { error($"{p}.criterion", $"{id} is listed twice"); continue; }
            if (!entry.TryGetProperty("values", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                error($"{p}.values", "must be a non-empty array of values on the criterion's scale");
                continue;
            }
            var values = new List<string>();
            var (m, valid) = (0, true);
            foreach (var item in list.EnumerateArray())
            {
                var q = $"{p}.values[{m++}]";
                var value = item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => item.GetRawText(),
                    _ => null,
                };
                if (value is null) { error(q, "must be a string"); valid = false; }
                else if (criterion.CheckValue(value) is { } problem) { error(q, $"{id}: {problem}"); valid = false; }
                else if (!values.Contains(criterion.Canonical(value))) values.Add(criterion.Canonical(value));
            }
            if (valid) triggers.Add(new SafetyTrigger(id, values));
        }
        return triggers;
    }

    static bool Flag(JsonElement parent, string name, string path, bool fallback, Action<string, string> error)
    {
        if (!parent.TryGetProperty(name, out var value)) return fallback;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        error(path, "must be true or false");
        return fallback;
    }

    static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static string Describe(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value.GetRawText() : "nothing";

    /// <summary>Adds the valid criteria to <paramref name="criteria"/> and the ids of invalid ones to
    /// <paramref name="invalid"/>; false when there is no usable list of criteria at all.</summary>
    static bool ReadCriteria(JsonElement rubric, List<Criterion> criteria, HashSet<string> invalid, Action<string, string> error)
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

    static void ReadSpanLabels(JsonElement rubric, List<SpanLabel> labels, Action<string, string> error)
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

    // ---------------------------------------------------------------- JSON Lines

    /// <summary>Each non-blank line as a JSON object with its 1-based line number. Blank lines carry no data
    /// and are skipped; a CR before the LF is JSON whitespace.</summary>
    static IEnumerable<(int Line, JsonElement Item)> JsonLines(string file, string text, Report report)
    {
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement item;
            try
            {
                using var document = JsonDocument.Parse(line, StrictJson);
                item = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                report.Error(file, lineNumber, "json", JsonProblem(e, line).Message);
                continue;
            }
            if (item.ValueKind != JsonValueKind.Object)
            {
                report.Error(file, lineNumber, "json", "each line must be a JSON object");
                continue;
            }
            yield return (lineNumber, item);
        }
    }

    /// <summary>The valid cases; <paramref name="ids"/> receives every case id defined, valid or not.</summary>
    static List<StudyCase> ReadCases(string text, HashSet<string> ids, Report report)
    {
        var cases = new List<StudyCase>();
        var firstLine = new Dictionary<string, int>();
        string[] known = ["id", "title", "language", "tags", "presentation_md", "question_md", "reference_md"];
        foreach (var (n, c) in JsonLines(CasesFile, text, report))
        {
            var errorsBefore = report.Errors.Count;
            var id = OptionalString(c, "id");
            if (!IsIdentifier(id)) report.Error(CasesFile, n, "id", IdRule);
            else if (firstLine.TryGetValue(id!, out var first)) report.Error(CasesFile, n, "id", $"duplicate case id \"{id}\" (first on line {first})");
            foreach (var field in new[] { "title", "presentation_md", "question_md" })
                if (string.IsNullOrWhiteSpace(OptionalString(c, field)))
                    report.Error(CasesFile, n, field, "required non-empty string");
            string? language = null;
            if (c.TryGetProperty("language", out var lang))
            {
                if (lang.ValueKind == JsonValueKind.String && LanguagePattern().IsMatch(lang.GetString()!)) language = lang.GetString();
                else report.Error(CasesFile, n, "language", "must be a language tag such as \"en\" or \"zh\"");
            }
            string? reference = null;
            if (c.TryGetProperty("reference_md", out var r))
            {
                if (r.ValueKind == JsonValueKind.String) reference = r.GetString();
                else report.Error(CasesFile, n, "reference_md", "must be a string (Markdown)");
            }
            var tags = new List<string>();
            if (c.TryGetProperty("tags", out var t))
            {
                if (t.ValueKind == JsonValueKind.Array && t.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(x.GetString())))
                    tags.AddRange(t.EnumerateArray().Select(x => x.GetString()!));
                else report.Error(CasesFile, n, "tags", "must be an array of non-empty strings");
            }
            foreach (var property in c.EnumerateObject())
                if (!known.Contains(property.Name)) report.Warn(CasesFile, n, property.Name, "field is not part of the format; ignored");
            if (IsIdentifier(id)) firstLine.TryAdd(id!, n);
            if (report.Errors.Count == errorsBefore)
                cases.Add(new StudyCase(id!, OptionalString(c, "title")!, language, tags, OptionalString(c, "presentation_md")!, OptionalString(c, "question_md")!, reference));
        }
        if (firstLine.Count == 0 && report.Errors.All(e => e.File != CasesFile)) report.Error(CasesFile, 0, "file", "no cases");
        ids.UnionWith(firstLine.Keys);
        return cases;
    }

    /// <summary>The valid responses; <paramref name="ids"/> receives every response id defined, valid or not.
    /// <paramref name="caseIds"/> is null when cases.jsonl could not be read.</summary>
    static List<ModelResponse> ReadResponses(string text, HashSet<string>? caseIds, HashSet<string> ids, Report report, IReadOnlySet<string>? takenIds = null)
    {
        var responses = new List<ModelResponse>();
        var firstLine = new Dictionary<string, int>();
        string[] known = ["id", "case_id", "model", "content_md", "meta"];
        foreach (var (n, r) in JsonLines(ResponsesFile, text, report))
        {
            var errorsBefore = report.Errors.Count;
            var id = OptionalString(r, "id");
            if (!IsIdentifier(id)) report.Error(ResponsesFile, n, "id", IdRule);
            else if (firstLine.TryGetValue(id!, out var first)) report.Error(ResponsesFile, n, "id", $"duplicate response id \"{id}\" (first on line {first})");
            else if (takenIds?.Contains(id!) == true) report.Error(ResponsesFile, n, "id", $"the study already has a response \"{id}\"");
            var caseId = OptionalString(r, "case_id");
            if (caseId is null) report.Error(ResponsesFile, n, "case_id", "required string");
            else if (caseIds is not null && !caseIds.Contains(caseId)) report.Error(ResponsesFile, n, "case_id", $"unknown case \"{caseId}\"");
            var model = OptionalString(r, "model");
            if (!IsIdentifier(model)) report.Error(ResponsesFile, n, "model", IdRule);
            var content = OptionalString(r, "content_md");
            if (string.IsNullOrWhiteSpace(content)) report.Error(ResponsesFile, n, "content_md", "required non-empty string");
            string? meta = null;
            if (r.TryGetProperty("meta", out var m))
            {
                if (m.ValueKind == JsonValueKind.Object) meta = m.GetRawText();
                else report.Error(ResponsesFile, n, "meta", "must be an object");
            }
            foreach (var property in r.EnumerateObject())
                if (!known.Contains(property.Name)) report.Warn(ResponsesFile, n, property.Name, "field is not part of the format; ignored");
            if (IsIdentifier(id)) firstLine.TryAdd(id!, n);
            if (report.Errors.Count == errorsBefore)
                responses.Add(new ModelResponse(id!, caseId!, model!, content!, meta));
        }
        if (firstLine.Count == 0 && report.Errors.All(e => e.File != ResponsesFile)) report.Error(ResponsesFile, 0, "file", "no responses");
        ids.UnionWith(firstLine.Keys);
        return responses;
    }

    // ---------------------------------------------------------------- ratings.csv

    /// <summary>The valid rating rows. <paramref name="responseIds"/> is null when responses.jsonl could not be read,
    /// <paramref name="study"/> when there is no usable rubric; rows naming an <paramref name="invalidCriteria"/>
    /// id are not checked further (the criterion's own error is in study.json).</summary>
    static List<BundleRating> ReadRatings(string text, HashSet<string>? responseIds, StudyDefinition? study, HashSet<string> invalidCriteria, Report report)
    {
        var ratings = new List<BundleRating>();
        var criteria = study?.Criteria.ToDictionary(c => c.Id);
        // A newline inside a quoted field is part of the value: make it \n whatever the file's line ends,
        // so that a CRLF copy of a bundle reads exactly like the LF one.
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false, Delimiter = ',', Comment = '\0', ResultSetMode = ResultSetMode.SingleResult,
            // The whole file is in memory already (under the size limit): let a record be as long as the file.
            MaxBufferSize = Math.Max(text.Length + 1, 0x10000),
        };
        using var csv = CsvDataReader.Create(new StringReader(text), options);
        var firstRowOf = new Dictionary<string, int>();
        var seen = new Dictionary<(string, string, string), int>();
        var nextLine = 1;
        var columns = 0;
        while (true)
        {
            var line = nextLine;
            try
            {
                if (!csv.Read()) break;
            }
            catch (CsvFormatException e)
            {
                report.Error(RatingsFile, line, "csv", $"malformed CSV in the record starting on this line: {e.Message}");
                break;
            }
            var raw = csv.GetRawRecordSpan();
            nextLine += raw.Count('\n');
            if (raw.IsWhiteSpace()) continue; // a blank line; a row of empty fields such as ",,,," is not blank
            var row = new string[csv.RowFieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = csv.GetString(i);
            if (columns == 0)
            {
                if (!(row.SequenceEqual(RatingsHeader) || row.SequenceEqual(RatingsHeader[..4])))
                {
                    report.Error(RatingsFile, line, "header", $"must be {string.Join(',', RatingsHeader)}, got {string.Join(',', row)}");
                    return ratings;
                }
                columns = row.Length;
                continue;
            }
            if (row.Length != columns)
            {
                report.Error(RatingsFile, line, "csv", $"expected {columns} columns, found {row.Length}");
                continue;
            }
            var (responseId, rater, criterionId, value) = (row[0], row[1], row[2], row[3]);
            var comment = columns == 5 && row[4].Length > 0 ? row[4] : null;
            var errorsBefore = report.Errors.Count;
            if (responseIds is not null && !responseIds.Contains(responseId)) report.Error(RatingsFile, line, "response_id", $"unknown response \"{responseId}\"");
            if (!IsIdentifier(rater)) report.Error(RatingsFile, line, "rater", IdRule);
            if (criteria is not null && !invalidCriteria.Contains(criterionId))
            {
                if (!criteria.TryGetValue(criterionId, out var criterion)) report.Error(RatingsFile, line, "criterion", $"unknown criterion \"{criterionId}\"");
                else if (criterion.CheckValue(value) is { } problem) report.Error(RatingsFile, line, "value", $"{criterionId}: {problem}");
            }
            if (seen.TryGetValue((responseId, rater, criterionId), out var first))
                report.Error(RatingsFile, line, "row", $"duplicate rating of {responseId} by {rater} on {criterionId} (first on line {first})");
            else seen[(responseId, rater, criterionId)] = line;
            if (report.Errors.Count == errorsBefore)
            {
                ratings.Add(new BundleRating(responseId, rater, criterionId, criteria?.GetValueOrDefault(criterionId)?.Canonical(value) ?? value, comment));
                firstRowOf.TryAdd(responseId, line);
            }
        }
        if (columns == 0 && report.Errors.All(e => e.File != RatingsFile)) report.Error(RatingsFile, 0, "header", "file is empty");
        if (study is not null) WarnAboutIncompleteRatings(ratings, study, firstRowOf, report);
        return ratings;
    }

    /// <summary>Checks beyond the format (warnings only), each on the first row of the response concerned.</summary>
    static void WarnAboutIncompleteRatings(List<BundleRating> ratings, StudyDefinition study, Dictionary<string, int> firstRowOf, Report report)
    {
        var required = study.Criteria.Where(c => c.Required).Select(c => c.Id).ToHashSet();
        foreach (var byResponse in ratings.GroupBy(r => r.ResponseId))
        {
            var raters = byResponse.GroupBy(r => r.Rater).ToList();
            if (raters.Count > study.RatersPerResponse)
                report.Warn(RatingsFile, firstRowOf[byResponse.Key], "rater", $"{byResponse.Key} has {raters.Count} raters, more than raters_per_response = {study.RatersPerResponse}");
            foreach (var rater in raters)
            {
                var missing = required.Except(rater.Select(r => r.CriterionId)).Order().ToList();
                if (missing.Count > 0)
                    report.Warn(RatingsFile, firstRowOf[byResponse.Key], "criterion", $"{rater.Key} rated {byResponse.Key} without required criteria {string.Join(", ", missing)}");
            }
        }
    }
}
