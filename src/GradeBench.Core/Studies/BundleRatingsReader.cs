using Sylvan.Data.Csv;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads ratings.csv, the ratings a bundle brings along, against the rubric and the responses.</summary>
static class BundleRatingsReader
{
    static readonly string[] RatingsHeader = ["response_id", "rater", "criterion", "value", "comment"];

    /// <summary>The valid rating rows. <paramref name="responseIds"/> is null when responses.jsonl could not be read,
    /// <paramref name="study"/> when there is no usable rubric; rows naming an <paramref name="invalidCriteria"/>
    /// id are not checked further (the criterion's own error is in study.json).</summary>
    internal static List<BundleRating> Read(string text, HashSet<string>? responseIds, StudyDefinition? study, HashSet<string> invalidCriteria, BundleReport report)
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
            var errorsBefore = report.ErrorCount;
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
            if (report.ErrorCount == errorsBefore)
            {
                ratings.Add(new BundleRating(responseId, rater, criterionId, criteria?.GetValueOrDefault(criterionId)?.Canonical(value) ?? value, comment));
                firstRowOf.TryAdd(responseId, line);
            }
        }
        if (columns == 0 && !report.HasErrorsIn(RatingsFile)) report.Error(RatingsFile, 0, "header", "file is empty");
        if (study is not null) WarnAboutIncompleteRatings(ratings, study, firstRowOf, report);
        return ratings;
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
