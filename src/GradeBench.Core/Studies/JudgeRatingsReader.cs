using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using Sylvan.Data.Csv;

namespace GradeBench.Core.Studies;

/// <summary>One row of a judge's ratings file: a value of one criterion of one response (its id in responses.jsonl), in
/// canonical form, with the judge's explanation of it, if any.</summary>
public sealed record JudgeRating(int Line, string ResponseId, string CriterionId, string Value, string? Explanation);

/// <summary>Reads the CSV a judge's ratings are imported from (<c>gradebench judges import</c>): the header
/// <c>response_id,criterion,value</c> or <c>response_id,criterion,value,explanation</c>, then one row per response and
/// criterion. Each value is checked against its criterion (<see cref="Criterion.CheckValue"/>); every problem is placed
/// as <c>file:line: field: message</c>. A blank value of a free-text criterion is no value, and its row is skipped.</summary>
public static class JudgeRatingsReader
{
    static readonly string[] Header = ["response_id", "criterion", "value", "explanation"];

    /// <summary>The ratings, or, when any row is wrong, the errors (the first <see cref="BundleReader.MaxErrorsListed"/>,
    /// then how many more) and no ratings.</summary>
    /// <param name="file">The file's name as errors name it.</param>
    /// <param name="responseIds">The study's response ids (responses.jsonl's <c>id</c>).</param>
    public static (IReadOnlyList<JudgeRating> Ratings, IReadOnlyList<BundleError> Errors) Read(string file, byte[] bytes,
        IReadOnlyList<Criterion> criteria, IReadOnlySet<string> responseIds)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var report = new BundleReport([]);
        var text = BundleSyntax.Utf8Text(file, bytes, report);
        var ratings = new List<JudgeRating>();
        var byId = criteria.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var first = new Dictionary<(string Response, string Criterion), int>();
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false, Delimiter = ',', Comment = '\0', ResultSetMode = ResultSetMode.SingleResult,
            MaxBufferSize = Math.Max(text.Length + 1, 0x10000),
        };
        using var csv = CsvDataReader.Create(new LfTextReader(text), options);
        var (nextLine, columns) = (1, 0);
        while (true)
        {
            var line = nextLine;
            try
            {
                if (!csv.Read()) break;
            }
            catch (CsvFormatException e)
            {
                report.Error(file, line, "csv", new Message("Bundle_MalformedCsv", e.Message));
                break;
            }
            nextLine += csv.GetRawRecordSpan().Count('\n');
            if (csv.GetRawRecordSpan().IsWhiteSpace()) continue;
            if (columns == 0)
            {
                var header = Enumerable.Range(0, csv.RowFieldCount).Select(csv.GetString).ToArray();
                if (!header.SequenceEqual(Header[..3]) && !header.SequenceEqual(Header))
                {
                    report.Error(file, line, "header", new Message("Judge_HeaderGot", string.Join(',', header)));
                    break;
                }
                columns = header.Length;
                continue;
            }
            if (csv.RowFieldCount != columns)
            {
                report.Error(file, line, "csv", new Message("Bundle_ColumnCount", columns, csv.RowFieldCount));
                continue;
            }
            var (responseId, criterionId, value) = (csv.GetString(0), csv.GetString(1), csv.GetString(2));
            var explanation = columns == 4 && csv.GetString(3) is { Length: > 0 } given ? given : null;
            var errors = report.ErrorCount;
            if (!responseIds.Contains(responseId)) report.Error(file, line, "response_id", new Message("Bundle_UnknownResponse", responseId));
            if (!byId.TryGetValue(criterionId, out var criterion)) report.Error(file, line, "criterion", new Message("Value_UnknownCriterion", criterionId));
            else if (first.TryGetValue((responseId, criterionId), out var earlier))
                report.Error(file, line, "criterion", new Message("Judge_DuplicateRating", responseId, criterionId, earlier));
            else
            {
                first[(responseId, criterionId)] = line;
                if (criterion.Type == CriterionType.Text && string.IsNullOrWhiteSpace(value)) continue;
                var trimmed = criterion.Type == CriterionType.Text ? value : value.Trim();
                if (criterion.CheckValue(trimmed) is { } problem) report.Error(file, line, "value", new Message("Bundle_CriterionValue", criterionId, problem));
                else value = criterion.Canonical(trimmed);
            }
            if (explanation?.Length > Criterion.MaxTextLength)
                report.Error(file, line, "explanation", new Message("Value_TooLong", Criterion.MaxTextLength));
            if (report.ErrorCount == errors) ratings.Add(new JudgeRating(line, responseId, criterionId, value, explanation));
        }
        if (columns == 0 && report.ErrorCount == 0) report.Error(file, 0, "header", new Message("Bundle_EmptyFile"));
        return report.ErrorCount > 0 ? ([], report.Errors) : (ratings, []);
    }
}
