using System.Text.Json;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads the JSON Lines files of a bundle: cases.jsonl and responses.jsonl.</summary>
static class JsonLinesReader
{
    /// <summary>Each non-blank line as a JSON object with its 1-based line number. Blank lines carry no data
    /// and are skipped; a CR before the LF is JSON whitespace.</summary>
    static IEnumerable<(int Line, JsonElement Item)> JsonLines(string file, string text, BundleReport report)
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
    internal static List<StudyCase> ReadCases(string text, HashSet<string> ids, BundleReport report)
    {
        var cases = new List<StudyCase>();
        var firstLine = new Dictionary<string, int>();
        string[] known = ["id", "title", "language", "tags", "presentation_md", "question_md", "reference_md"];
        foreach (var (n, c) in JsonLines(CasesFile, text, report))
        {
            var errorsBefore = report.ErrorCount;
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
            if (report.ErrorCount == errorsBefore)
                cases.Add(new StudyCase(id!, OptionalString(c, "title")!, language, tags, OptionalString(c, "presentation_md")!, OptionalString(c, "question_md")!, reference));
        }
        if (firstLine.Count == 0 && !report.HasErrorsIn(CasesFile)) report.Error(CasesFile, 0, "file", "no cases");
        ids.UnionWith(firstLine.Keys);
        return cases;
    }

    /// <summary>The valid responses; <paramref name="ids"/> receives every response id defined, valid or not.
    /// <paramref name="caseIds"/> is null when cases.jsonl could not be read.</summary>
    internal static List<ModelResponse> ReadResponses(string text, HashSet<string>? caseIds, HashSet<string> ids, BundleReport report, IReadOnlySet<string>? takenIds = null)
    {
        var responses = new List<ModelResponse>();
        var firstLine = new Dictionary<string, int>();
        string[] known = ["id", "case_id", "model", "content_md", "meta"];
        foreach (var (n, r) in JsonLines(ResponsesFile, text, report))
        {
            var errorsBefore = report.ErrorCount;
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
            if (report.ErrorCount == errorsBefore)
                responses.Add(new ModelResponse(id!, caseId!, model!, content!, meta));
        }
        if (firstLine.Count == 0 && !report.HasErrorsIn(ResponsesFile)) report.Error(ResponsesFile, 0, "file", "no responses");
        ids.UnionWith(firstLine.Keys);
        return responses;
    }
}
