using System.Text;
using System.Text.Json;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads the JSON Lines files of a bundle: cases.jsonl and responses.jsonl.</summary>
static class JsonLinesReader
{
    /// <summary>Each non-blank line as a JSON object with its 1-based line number, parsed from its UTF-8 bytes. An object
    /// lives until the next line is read (its document is then disposed): take what is needed from it in the loop. Blank
    /// lines carry no data and are skipped; a CR before the LF is JSON whitespace.</summary>
    static IEnumerable<(int Line, JsonElement Item)> JsonLines(string file, ReadOnlyMemory<byte> text, BundleReport report)
    {
        var lineNumber = 0;
        var rest = text;
        var more = true;
        while (more)
        {
            lineNumber++;
            var end = rest.Span.IndexOf((byte)'\n');
            more = end >= 0;
            var line = more ? rest[..end] : rest;
            rest = more ? rest[(end + 1)..] : default;
            if (IsBlank(line.Span)) continue;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line, StrictJson);
            }
            catch (JsonException e)
            {
                // Placed on the line's own text, as the message gives its column in characters.
                report.Error(file, lineNumber, "json", JsonProblem(e, Encoding.UTF8.GetString(line.Span)).Message);
                continue;
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    report.Error(file, lineNumber, "json", new Message("Bundle_LineNotObject"));
                    continue;
                }
                yield return (lineNumber, document.RootElement);
            }
        }
    }

    /// <summary>string.IsNullOrWhiteSpace of the line's text, decoding it only when it has nothing but whitespace and
    /// non-ASCII characters (which may be spaces such as U+3000).</summary>
    static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b >= 0x80) return string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line));
            if (!char.IsWhiteSpace((char)b)) return false;
        }
        return true;
    }

    /// <summary>Whether a field is one of the format's, compared as UTF-8 (its name becomes a string only for a warning).</summary>
    static bool IsKnown(JsonProperty property, string[] known)
    {
        foreach (var name in known)
            if (property.NameEquals(name)) return true;
        return false;
    }

    /// <summary>The valid cases; <paramref name="ids"/> receives every case id defined, valid or not, and
    /// <paramref name="checklists"/> every checklist (<see cref="ChecklistReader"/>, whose parameters the next two are),
    /// and <paramref name="lines"/> the line each is first defined on.</summary>
    internal static List<StudyCase> ReadCases(ReadOnlyMemory<byte> text, HashSet<string> ids, BundleReport report,
        CaseChecklists checklists, string? studyLanguage, IReadOnlySet<string>? rubricIds, Dictionary<string, int>? lines = null)
    {
        var cases = new List<StudyCase>();
        var firstLine = new Dictionary<string, int>();
        string[] known = ["id", "title", "language", "tags", "presentation_md", "question_md", "reference_md", "criteria"];
        foreach (var (n, c) in JsonLines(CasesFile, text, report))
        {
            var errorsBefore = report.ErrorCount;
            var id = OptionalString(c, "id");
            if (!IsIdentifier(id)) report.Error(CasesFile, n, "id", IdRule);
            else if (firstLine.TryGetValue(id!, out var first)) report.Error(CasesFile, n, "id", new Message("Bundle_DuplicateCaseId", id, first));
            foreach (var field in new[] { "title", "presentation_md", "question_md" })
                if (string.IsNullOrWhiteSpace(OptionalString(c, field)))
                    report.Error(CasesFile, n, field, new Message("Bundle_RequiredNonEmptyString"));
            string? language = null;
            if (c.TryGetProperty("language", out var lang))
            {
                if (lang.ValueKind == JsonValueKind.String && LanguagePattern().IsMatch(lang.GetString()!)) language = lang.GetString();
                else report.Error(CasesFile, n, "language", new Message("Bundle_LanguageTag"));
            }
            string? reference = null;
            if (c.TryGetProperty("reference_md", out var r))
            {
                if (r.ValueKind == JsonValueKind.String) reference = r.GetString();
                else report.Error(CasesFile, n, "reference_md", new Message("Bundle_MarkdownString"));
            }
            var tags = new List<string>();
            if (c.TryGetProperty("tags", out var t))
            {
                if (t.ValueKind == JsonValueKind.Array && t.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(x.GetString())))
                    tags.AddRange(t.EnumerateArray().Select(x => x.GetString()!));
                else report.Error(CasesFile, n, "tags", new Message("Bundle_NonEmptyStrings"));
            }
            List<CaseCriterion> criteria = [];
            if (c.TryGetProperty("criteria", out var list))
            {
                var invalid = new HashSet<string>();
                criteria = ChecklistReader.Read(list, n, studyLanguage, rubricIds, invalid, report);
                if (IsIdentifier(id)) checklists.Add(id!, criteria, invalid);
            }
            foreach (var property in c.EnumerateObject())
                if (!IsKnown(property, known)) report.Warn(CasesFile, n, property.Name, new Message("Bundle_UnknownField"));
            if (IsIdentifier(id)) firstLine.TryAdd(id!, n);
            if (report.ErrorCount == errorsBefore)
                cases.Add(new StudyCase(id!, OptionalString(c, "title")!, language, tags, OptionalString(c, "presentation_md")!, OptionalString(c, "question_md")!, reference)
                {
                    Criteria = criteria,
                });
        }
        if (firstLine.Count == 0 && !report.HasErrorsIn(CasesFile)) report.Error(CasesFile, 0, "file", new Message("Bundle_NoCases"));
        ids.UnionWith(firstLine.Keys);
        if (lines is not null) foreach (var (id, line) in firstLine) lines[id] = line;
        return cases;
    }

    /// <summary>The valid responses; <paramref name="ids"/> receives every response id defined, valid or not, and
    /// <paramref name="lines"/> the line each is first defined on, and <paramref name="caseOf"/> the case id each of them
    /// names (the first line's, for an id given twice). <paramref name="caseIds"/> is null when cases.jsonl could not be read.</summary>
    internal static List<ModelResponse> ReadResponses(ReadOnlyMemory<byte> text, HashSet<string>? caseIds, HashSet<string> ids, BundleReport report,
        IReadOnlySet<string>? takenIds = null, Dictionary<string, int>? lines = null, Dictionary<string, string>? caseOf = null)
    {
        var responses = new List<ModelResponse>();
        var firstLine = new Dictionary<string, int>();
        string[] known = ["id", "case_id", "model", "content_md", "meta"];
        foreach (var (n, r) in JsonLines(ResponsesFile, text, report))
        {
            var errorsBefore = report.ErrorCount;
            var id = OptionalString(r, "id");
            if (!IsIdentifier(id)) report.Error(ResponsesFile, n, "id", IdRule);
            else if (firstLine.TryGetValue(id!, out var first)) report.Error(ResponsesFile, n, "id", new Message("Bundle_DuplicateResponseId", id, first));
            else if (takenIds?.Contains(id!) == true) report.Error(ResponsesFile, n, "id", new Message("Bundle_ResponseTaken", id));
            var caseId = OptionalString(r, "case_id");
            if (caseId is null) report.Error(ResponsesFile, n, "case_id", new Message("Bundle_RequiredString"));
            else if (caseIds is not null && !caseIds.Contains(caseId)) report.Error(ResponsesFile, n, "case_id", new Message("Bundle_UnknownCase", caseId));
            var model = OptionalString(r, "model");
            if (!IsIdentifier(model)) report.Error(ResponsesFile, n, "model", IdRule);
            var content = OptionalString(r, "content_md");
            if (string.IsNullOrWhiteSpace(content)) report.Error(ResponsesFile, n, "content_md", new Message("Bundle_RequiredNonEmptyString"));
            string? meta = null;
            if (r.TryGetProperty("meta", out var m))
            {
                if (m.ValueKind == JsonValueKind.Object) meta = m.GetRawText();
                else report.Error(ResponsesFile, n, "meta", new Message("Bundle_MustBeObject"));
            }
            foreach (var property in r.EnumerateObject())
                if (!IsKnown(property, known)) report.Warn(ResponsesFile, n, property.Name, new Message("Bundle_UnknownField"));
            if (IsIdentifier(id) && firstLine.TryAdd(id!, n) && caseId is not null) caseOf?.TryAdd(id!, caseId);
            if (report.ErrorCount == errorsBefore)
                responses.Add(new ModelResponse(id!, caseId!, model!, content!, meta));
        }
        if (firstLine.Count == 0 && !report.HasErrorsIn(ResponsesFile)) report.Error(ResponsesFile, 0, "file", new Message("Bundle_NoResponses"));
        ids.UnionWith(firstLine.Keys);
        if (lines is not null) foreach (var (id, line) in firstLine) lines[id] = line;
        return responses;
    }
}
