using System.Globalization;
using System.Text.Json;
using GradeBench.Core.Agreement;
using Sylvan.Data.Csv;

namespace GradeBench.Core.Notes;

/// <summary>A decision of a gold set as gold-spans.csv gives it (docs/exports.md), on line <see cref="Line"/>: a gold
/// passage (<see cref="Decision"/> <c>accepted</c> or <c>edited</c>) with its label, code points, quote and attributes
/// (by attribute id: the JSON kind of the value and its text, a number as written), or a rejection (<c>rejected</c>,
/// no passage); who decided, when, and the raters it came from (usernames).</summary>
public sealed record GoldSpanRecord(int Line, string CaseId, string? Label, int? Start, int? End, string TextSha256, string? Quote,
    IReadOnlyDictionary<string, (JsonValueKind Kind, string Value)> Attributes, string Decision, string DecidedBy, DateTimeOffset DecidedAt,
    IReadOnlyList<string> SourceRaters);

/// <summary>Reads gold-spans.csv (RFC 4180, UTF-8) as the export writes it: the header names at least the columns of
/// <see cref="Columns"/> but <c>study</c> (which is not read, so that a file fits a copy of its study under another
/// id), one row per decision.</summary>
public static class GoldSpansCsv
{
    public static readonly string[] Columns =
        ["case_id", "label", "start", "end", "text_sha256", "quote", "attributes", "decision", "decided_by", "decided_at", "source_raters"];

    public static readonly string[] Decisions = ["accepted", "edited", "rejected"];

    /// <exception cref="RatingsCsvException">A malformed file, naming its line and field: a missing column, a missing
    /// value, a decision that is none of <see cref="Decisions"/>, a rejection with a passage or a gold passage without
    /// one, code points that are not whole numbers 0 ≤ start &lt; end, a hash that is not 64 lowercase hex digits,
    /// attributes that are not a JSON object of true, numbers and strings, a time that is not ISO 8601 with its offset,
    /// source raters that are not a JSON array of usernames.</exception>
    public static IReadOnlyList<GoldSpanRecord> Read(TextReader text)
    {
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = false, Delimiter = ',', Comment = '\0' });
        var records = new List<GoldSpanRecord>();
        int[] columns = [];
        var fields = 0;
        foreach (var line in CsvRecords.Lines(csv))
        {
            if (fields == 0)
            {
                fields = csv.RowFieldCount;
                columns = CsvRecords.Columns(csv, Columns);
                if (columns.Contains(-1))
                    throw new RatingsCsvException(line, $"header must name the columns {string.Join(',', Columns)}; it is {string.Join(',', Enumerable.Range(0, fields).Select(csv.GetString))}");
                continue;
            }
            if (csv.RowFieldCount != fields) throw new RatingsCsvException(line, $"expected {fields} fields, found {csv.RowFieldCount}");
            string Field(int i) => csv.GetString(columns[i]);
            string Required(int i) => Field(i) is { Length: > 0 } value ? value : throw new RatingsCsvException(line, $"{Columns[i]}: empty");

            var caseId = Required(0);
            var decision = Required(7);
            if (!Decisions.Contains(decision))
                throw new RatingsCsvException(line, $"decision: \"{decision}\" is not one of {string.Join(", ", Decisions)}");
            var sha = Required(4);
            if (sha.Length != 64 || !sha.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
                throw new RatingsCsvException(line, $"text_sha256: \"{sha}\" is not a SHA-256 in lowercase hex (64 digits)");

            string? label = null, quote = null;
            int? start = null, end = null;
            var attributes = new Dictionary<string, (JsonValueKind, string)>(StringComparer.Ordinal);
            if (decision == "rejected")
            {
                foreach (var i in new[] { 1, 2, 3, 5 })
                    if (Field(i).Length > 0) throw new RatingsCsvException(line, $"{Columns[i]}: a rejection has no passage; leave it empty");
                if (Field(6) is not ("" or "{}")) throw new RatingsCsvException(line, "attributes: a rejection has no passage; leave it empty or {}");
            }
            else
            {
                label = Required(1);
                start = CodePoint(Required(2), line, "start");
                end = CodePoint(Required(3), line, "end");
                if (end <= start) throw new RatingsCsvException(line, $"end: {end} is not after start {start}");
                quote = Required(5);
                ReadAttributes(Field(6), line, attributes);
            }
            var decidedBy = Required(8);
            var at = Required(9);
            if (!DateTimeOffset.TryParseExact(at, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out var decidedAt)
                || !(at.EndsWith('Z') || at[^6] is '+' or '-'))
                throw new RatingsCsvException(line, $"decided_at: \"{at}\" is not an ISO 8601 time with its offset, such as 2026-11-25T09:00:00Z");
            records.Add(new GoldSpanRecord(line, caseId, label, start, end, sha, quote, attributes, decision, decidedBy, decidedAt.ToUniversalTime(),
                SourceRaters(Required(10), line)));
        }
        return records;
    }

    static int CodePoint(string text, int line, string field) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new RatingsCsvException(line, $"{field}: \"{text}\" is not a whole number of code points");

    static void ReadAttributes(string text, int line, Dictionary<string, (JsonValueKind, string)> attributes)
    {
        if (text.Length == 0) return;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new RatingsCsvException(line, $"attributes: malformed JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new RatingsCsvException(line, "attributes: must be a JSON object, such as {\"negated\":true,\"score\":7}");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                var read = value.ValueKind switch
                {
                    JsonValueKind.True => "true",
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.String => value.GetString()!,
                    _ => throw new RatingsCsvException(line,
                        $"attributes: {property.Name}: {value.GetRawText()} is not true (a set flag; one not set is left out), a number or a string"),
                };
                if (!attributes.TryAdd(property.Name, (value.ValueKind, read))) throw new RatingsCsvException(line, $"attributes: {property.Name} is given twice");
            }
        }
    }

    static IReadOnlyList<string> SourceRaters(string text, int line)
    {
        string[]? raters = null;
        try
        {
            raters = JsonSerializer.Deserialize<string[]>(text);
        }
        catch (JsonException)
        {
        }
        if (raters is null || raters.Any(string.IsNullOrWhiteSpace))
            throw new RatingsCsvException(line, $"source_raters: {text} is not a JSON array of usernames, such as [\"dr-li\",\"dr-ma\"]");
        return raters;
    }
}
