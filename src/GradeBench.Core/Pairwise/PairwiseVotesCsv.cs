using GradeBench.Core.Agreement;
using Sylvan.Data.Csv;

namespace GradeBench.Core.Pairwise;

/// <summary>Reads side-by-side votes: CSV (RFC 4180, UTF-8) with the header <c>case,rater,left,right,choice</c> (other
/// columns ignored), one row per vote, <c>choice</c> one of <c>left</c>, <c>right</c>, <c>tie</c>, <c>both_bad</c>.</summary>
public static class PairwiseVotesCsv
{
    static readonly string[] Header = ["case", "rater", "left", "right", "choice"];

    /// <exception cref="RatingsCsvException">A malformed file, naming its line and field: a missing column, an empty
    /// field, an unknown choice, a model compared with itself, or a rater's second vote on the same case and pair.</exception>
    public static IReadOnlyList<PairwiseVote> Read(TextReader text)
    {
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = false, Delimiter = ',', Comment = '\0' });
        var votes = new List<PairwiseVote>();
        var firstLine = new Dictionary<(string Case, string Rater, string A, string B), int>();
        int[] columns = [];
        var fields = 0;
        foreach (var line in CsvRecords.Lines(csv))
        {
            if (fields == 0)
            {
                fields = csv.RowFieldCount;
                columns = CsvRecords.Columns(csv, Header);
                if (columns.Contains(-1))
                    throw new RatingsCsvException(line, $"header must name the columns {string.Join(',', Header)}; it is {string.Join(',', Enumerable.Range(0, fields).Select(csv.GetString))}");
                continue;
            }
            if (csv.RowFieldCount != fields) throw new RatingsCsvException(line, $"expected {fields} fields, found {csv.RowFieldCount}");
            var values = new string[Header.Length];
            for (var i = 0; i < Header.Length; i++)
                if ((values[i] = csv.GetString(columns[i])).Length == 0) throw new RatingsCsvException(line, $"{Header[i]}: empty");
            var (caseId, rater, left, right, choiceText) = (values[0], values[1], values[2], values[3], values[4]);
            var choice = choiceText switch
            {
                "left" => PairwiseChoice.Left,
                "right" => PairwiseChoice.Right,
                "tie" => PairwiseChoice.Tie,
                "both_bad" => PairwiseChoice.BothBad,
                _ => throw new RatingsCsvException(line, $"choice: \"{choiceText}\" is not one of left, right, tie, both_bad"),
            };
            if (left == right) throw new RatingsCsvException(line, $"right: \"{right}\" is the model on the left too; a vote compares two models");
            var pair = string.CompareOrdinal(left, right) < 0 ? (left, right) : (right, left);
            if (!firstLine.TryAdd((caseId, rater, pair.Item1, pair.Item2), line))
                throw new RatingsCsvException(line,
                    $"rater \"{rater}\" voted on case \"{caseId}\" between \"{pair.Item1}\" and \"{pair.Item2}\" already (line {firstLine[(caseId, rater, pair.Item1, pair.Item2)]})");
            votes.Add(new PairwiseVote(caseId, rater, left, right, choice));
        }
        if (fields == 0) throw new RatingsCsvException(0, $"the file is empty: expected a header {string.Join(',', Header)} and one row per vote");
        if (votes.Count == 0) throw new RatingsCsvException(1, "no votes after the header");
        return votes;
    }
}
