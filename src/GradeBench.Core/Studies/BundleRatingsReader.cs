using System.Globalization;
using GradeBench.Core.Rubrics;
using Sylvan.Data.Csv;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads ratings.csv, the ratings a bundle brings along, against the rubric and the responses, in one streaming
/// pass. Fields are looked at as spans and a row keeps only shared strings (the response id of responses.jsonl, one string
/// per rater, criterion and value), so 1.6M rows cost their small records and no copies of their text (docs/benchmarks.md).</summary>
static class BundleRatingsReader
{
    static readonly string[] RatingsHeader = ["response_id", "rater", "criterion", "value", "comment", "first_submitted", "last_changed"];

    /// <summary>The headers accepted: the four required columns, with comment, or with comment and both timestamps.</summary>
    static readonly int[] HeaderLengths = [4, 5, 7];

    /// <summary>The valid rating rows. <paramref name="responseIds"/> is null when responses.jsonl could not be read,
    /// <paramref name="study"/> when there is no usable rubric; rows naming an <paramref name="invalidCriteria"/>
    /// id are not checked further (the criterion's own error is in study.json).</summary>
    internal static List<BundleRating> Read(string text, HashSet<string>? responseIds, StudyDefinition? study, HashSet<string> invalidCriteria, BundleReport report)
    {
        var ratings = new List<BundleRating>();
        var criteria = study?.Criteria.ToDictionary(c => c.Id);
        // A newline inside a quoted field is part of the value: make it \n whatever the file's line ends,
        // so that a CRLF copy of a bundle reads exactly like the LF one.
        if (text.Contains('\r')) text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false, Delimiter = ',', Comment = '\0', ResultSetMode = ResultSetMode.SingleResult,
            // The whole file is in memory already (under the size limit): let a record be as long as the file.
            MaxBufferSize = Math.Max(text.Length + 1, 0x10000),
        };
        using var csv = CsvDataReader.Create(new StringReader(text), options);
        // Every distinct rater, criterion and response text seen gets one string and a small number (for the duplicate check).
        var names = new Dictionary<string, int>();
        var nameLookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        var values = new Dictionary<(string Criterion, string Value), string>();
        var firstRowOf = new Dictionary<string, int>();
        var seen = new Dictionary<(int Response, int Rater, int Criterion), int>();
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
            if (columns == 0)
            {
                var header = Enumerable.Range(0, csv.RowFieldCount).Select(csv.GetString).ToArray();
                if (!HeaderLengths.Any(n => header.SequenceEqual(RatingsHeader[..n])))
                {
                    // The optional timestamps are left out of the message: most bundles are written by hand or by a script.
                    report.Error(RatingsFile, line, "header", $"must be {string.Join(',', RatingsHeader[..5])}, got {string.Join(',', header)}");
                    return ratings;
                }
                columns = header.Length;
                continue;
            }
            if (csv.RowFieldCount != columns)
            {
                report.Error(RatingsFile, line, "csv", $"expected {columns} columns, found {csv.RowFieldCount}");
                continue;
            }
            var errorsBefore = report.ErrorCount;
            var (responseId, responseNumber) = Shared(nameLookup, names, csv.GetFieldSpan(0));
            if (responseIds is not null && !responseIds.Contains(responseId)) report.Error(RatingsFile, line, "response_id", $"unknown response \"{responseId}\"");
            var (rater, raterNumber) = Shared(nameLookup, names, csv.GetFieldSpan(1));
            if (!IsIdentifier(rater)) report.Error(RatingsFile, line, "rater", IdRule);
            var (criterionId, criterionNumber) = Shared(nameLookup, names, csv.GetFieldSpan(2));
            var value = csv.GetString(3);
            Criterion? criterion = null;
            if (criteria is not null && !invalidCriteria.Contains(criterionId))
            {
                if (!criteria.TryGetValue(criterionId, out criterion)) report.Error(RatingsFile, line, "criterion", $"unknown criterion \"{criterionId}\"");
                else if (criterion.CheckValue(value) is { } problem) report.Error(RatingsFile, line, "value", $"{criterionId}: {problem}");
            }
            var comment = columns >= 5 && csv.GetFieldSpan(4).Length > 0 ? csv.GetString(4) : null;
            var (firstSubmitted, lastChanged) = columns == 7 ? Timestamps(csv, line, report) : (null, null);
            var key = (responseNumber, raterNumber, criterionNumber);
            if (seen.TryGetValue(key, out var first))
                report.Error(RatingsFile, line, "row", $"duplicate rating of {responseId} by {rater} on {criterionId} (first on line {first})");
            else seen[key] = line;
            if (report.ErrorCount == errorsBefore)
            {
                ratings.Add(new BundleRating(responseId, rater, criterionId, CanonicalShared(values, criterion, criterionId, value), comment)
                {
                    FirstSubmitted = firstSubmitted,
                    LastChanged = lastChanged,
                });
                firstRowOf.TryAdd(responseId, line);
            }
        }
        if (columns == 0 && !report.HasErrorsIn(RatingsFile)) report.Error(RatingsFile, 0, "header", "file is empty");
        if (study is not null) WarnAboutIncompleteRatings(ratings, study, firstRowOf, report);
        return ratings;
    }

    /// <summary>The one string kept for this text, and its number.</summary>
    static (string Text, int Number) Shared(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, Dictionary<string, int> names, ReadOnlySpan<char> span)
    {
        if (lookup.TryGetValue(span, out var text, out var number)) return (text, number);
        text = span.ToString();
        names[text] = names.Count;
        return (text, names.Count - 1);
    }

    /// <summary>The stored form of a value, one string per criterion and value.</summary>
    static string CanonicalShared(Dictionary<(string, string), string> values, Criterion? criterion, string criterionId, string value)
    {
        if (values.TryGetValue((criterionId, value), out var shared)) return shared;
        return values[(criterionId, value)] = criterion?.Canonical(value) ?? value;
    }

    /// <summary>first_submitted and last_changed: both empty (the import's own time), or both ISO-8601 instants with a
    /// time zone, the first not after the last.</summary>
    static (DateTimeOffset?, DateTimeOffset?) Timestamps(CsvDataReader csv, int line, BundleReport report)
    {
        if (csv.GetFieldSpan(5).IsEmpty && csv.GetFieldSpan(6).IsEmpty) return (null, null);
        var first = Timestamp(csv, 5, line, report);
        var last = Timestamp(csv, 6, line, report);
        if (first > last) report.Error(RatingsFile, line, RatingsHeader[6], $"{csv.GetString(6)} is before first_submitted {csv.GetString(5)}");
        return (first, last);
    }

    static DateTimeOffset? Timestamp(CsvDataReader csv, int column, int line, BundleReport report)
    {
        var text = csv.GetFieldSpan(column);
        if (text.IsEmpty)
            report.Error(RatingsFile, line, RatingsHeader[column], $"required when {RatingsHeader[column == 5 ? 6 : 5]} is given");
        else if (TimestampPattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at)) return at;
        else report.Error(RatingsFile, line, RatingsHeader[column], $"\"{text}\" must be an ISO-8601 time with a time zone, such as 2026-03-01T14:05:00Z");
        return null;
    }

    /// <summary>Checks beyond the format (warnings only), each on the first row of the response concerned.</summary>
    static void WarnAboutIncompleteRatings(List<BundleRating> ratings, StudyDefinition study, Dictionary<string, int> firstRowOf, BundleReport report)
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
