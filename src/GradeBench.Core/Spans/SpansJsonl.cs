using System.Text.Json;
using GradeBench.Core.Agreement;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Spans;

/// <summary>Reads span annotations: JSON Lines (UTF-8), one object per line,
/// <c>{"document", "rater", "label", "start", "end"}</c>, start and end in code points, end exclusive; other fields are
/// ignored, blank lines skipped, a repeated span counted once. <c>"label": null</c> says that the rater read the document
/// and marked nothing there (start and end may then be left out). The file has no text, so each document's length, the
/// continuum of α_u, is the largest end seen in it (docs/spans.md).</summary>
public static class SpansJsonl
{
    /// <summary>The documents in the order the file first names them, each with its readers in that order.</summary>
    /// <exception cref="RatingsCsvException">A malformed file, naming its line and field: a line that is not a JSON
    /// object, a field missing or of the wrong kind, an empty id or label, a negative position, start after end.</exception>
    public static IReadOnlyList<SpanDocument> Read(TextReader text)
    {
        var documents = new Dictionary<string, (List<string> Readers, List<Span> Spans, int Length)>(StringComparer.Ordinal);
        var order = new List<string>();
        var lineNumber = 0;
        while (text.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(line, BundleSyntax.StrictJson);
            }
            catch (JsonException e)
            {
                throw new RatingsCsvException(lineNumber, BundleSyntax.JsonProblem(e, line).Message.ToString());
            }
            using (json)
            {
                var item = json.RootElement;
                if (item.ValueKind != JsonValueKind.Object)
                    throw new RatingsCsvException(lineNumber, "each line must be a JSON object {\"document\", \"rater\", \"label\", \"start\", \"end\"}");
                var documentId = Id(item, "document", lineNumber);
                var rater = Id(item, "rater", lineNumber);
                if (!item.TryGetProperty("label", out var labelValue))
                    throw new RatingsCsvException(lineNumber, "label: missing (null for a rater who read the document and marked nothing)");
                string? label = labelValue.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String when labelValue.GetString() is { Length: > 0 } name => name,
                    JsonValueKind.String => throw new RatingsCsvException(lineNumber, "label: empty"),
                    _ => throw new RatingsCsvException(lineNumber, $"label: must be a string or null, found {labelValue.GetRawText()}"),
                };
                if (!documents.TryGetValue(documentId, out var document))
                {
                    document = ([], [], 0);
                    order.Add(documentId);
                }
                if (!document.Readers.Contains(rater)) document.Readers.Add(rater);
                if (label is not null)
                {
                    var start = Position(item, "start", lineNumber);
                    var end = Position(item, "end", lineNumber);
                    if (start > end) throw new RatingsCsvException(lineNumber, $"start: {start} is after end {end}");
                    document.Spans.Add(new Span(documentId, rater, label, start, end));
                    document.Length = Math.Max(document.Length, end);
                }
                documents[documentId] = document;
            }
        }
        if (documents.Count == 0)
            throw new RatingsCsvException(0, "the file is empty: expected one JSON object per line, {\"document\", \"rater\", \"label\", \"start\", \"end\"}");
        return [.. order.Select(id => new SpanDocument(id, documents[id].Length, documents[id].Readers, documents[id].Spans))];
    }

    static string Id(JsonElement item, string field, int line)
    {
        if (!item.TryGetProperty(field, out var value)) throw new RatingsCsvException(line, $"{field}: missing");
        if (value.ValueKind != JsonValueKind.String) throw new RatingsCsvException(line, $"{field}: must be a string, found {value.GetRawText()}");
        return value.GetString() is { Length: > 0 } id ? id : throw new RatingsCsvException(line, $"{field}: empty");
    }

    static int Position(JsonElement item, string field, int line)
    {
        if (!item.TryGetProperty(field, out var value)) throw new RatingsCsvException(line, $"{field}: missing");
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var position))
            throw new RatingsCsvException(line, $"{field}: must be a whole number of code points, found {value.GetRawText()}");
        return position >= 0 ? position : throw new RatingsCsvException(line, $"{field}: {position} is negative");
    }
}
