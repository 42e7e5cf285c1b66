using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using Sylvan.Data.Csv;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>Reads votes.csv, the votes a side-by-side study's bundle brings along (docs/bundle-format.md, "votes.csv"),
/// against the design's axes and reasons, the responses and the study's pairs: each row one rater's vote on one axis of a
/// pair, as they saw it (left, right). Checked as strictly as ratings.csv, with its CSV rules and timestamps.</summary>
static class VotesCsvReader
{
    static readonly string[] Header = ["rater", "axis", "left", "right", "choice", "reasons", "comment", "first_submitted", "last_changed"];

    /// <summary>The headers accepted: the five required columns, with reasons and comment, or with those and both timestamps.</summary>
    static readonly int[] HeaderLengths = [5, 7, 9];

    /// <summary>What the rows of one rater's pair share: the sides they saw, the reasons and comment given, the axes.</summary>
    sealed class PairRows(string left, int line)
    {
        public string Left { get; } = left;
        public int Line { get; } = line;
        public (HashSet<string> Set, string[] Given, int Line)? Reasons { get; set; }
        public (string Text, int Line)? Comment { get; set; }
        public Dictionary<string, int> Axes { get; } = new(StringComparer.Ordinal);
        public List<int> Votes { get; } = [];
    }

    /// <summary>The valid votes, in file order. <paramref name="design"/> is null when study.json's design has errors
    /// (axes and reasons are not checked), <paramref name="responses"/> when responses.jsonl could not be read, and
    /// <paramref name="pairs"/> (A, B response ids) when the pairs could not be formed.</summary>
    internal static List<BundleVote> Read(ReadOnlyMemory<byte> text, PairwiseDesign? design, IReadOnlyDictionary<string, ModelResponse>? responses,
        IReadOnlySet<(string A, string B)>? pairs, BundleReport report)
    {
        var votes = new List<BundleVote>();
        var axes = design?.Axes.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var reasons = design?.Reasons.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false, Delimiter = ',', Comment = '\0', ResultSetMode = ResultSetMode.SingleResult,
            MaxBufferSize = Math.Max(text.Length + 1, 0x10000),
        };
        using var csv = CsvDataReader.Create(new LfTextReader(text), options);
        // By rater and pair (its two response ids in ordinal order), in the order first met.
        var pairRows = new Dictionary<(string Rater, string First, string Second), PairRows>();
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
                report.Error(VotesFile, line, "csv", new Message("Bundle_MalformedCsv", e.Message));
                break;
            }
            var raw = csv.GetRawRecordSpan();
            nextLine += raw.Count('\n');
            if (raw.IsWhiteSpace()) continue;
            if (columns == 0)
            {
                var header = Enumerable.Range(0, csv.RowFieldCount).Select(csv.GetString).ToArray();
                if (!HeaderLengths.Any(n => header.SequenceEqual(Header[..n])))
                {
                    report.Error(VotesFile, line, "header", new Message("Bundle_RatingsHeaderGot", string.Join(',', Header[..7]), string.Join(',', header)));
                    return votes;
                }
                columns = header.Length;
                continue;
            }
            if (csv.RowFieldCount != columns)
            {
                report.Error(VotesFile, line, "csv", new Message("Bundle_ColumnCount", columns, csv.RowFieldCount));
                continue;
            }
            var errorsBefore = report.ErrorCount;
            var (rater, axisId, left, right) = (csv.GetString(0), csv.GetString(1), csv.GetString(2), csv.GetString(3));
            if (!IsIdentifier(rater)) report.Error(VotesFile, line, "rater", IdRule);
            PairwiseAxis? axis = null;
            if (axes is not null && !axes.TryGetValue(axisId, out axis)) report.Error(VotesFile, line, "axis", new Message("Bundle_UnknownAxis", axisId));
            CheckPair(left, right, responses, pairs, line, report);
            var choice = Choice(csv.GetString(4));
            if (choice is null) report.Error(VotesFile, line, "choice", new Message("Bundle_ChoiceGot", csv.GetString(4)));
            else if (choice == PairwiseChoice.BothBad && axis is { BothUnacceptable: false })
                report.Error(VotesFile, line, "choice", new Message("Bundle_NoBothBad", axisId));
            var given = columns >= 7 && csv.GetFieldSpan(5).Length > 0 ? csv.GetString(5).Split(';') : [];
            var tags = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tag in given)
            {
                if (reasons is not null && !reasons.Contains(tag)) report.Error(VotesFile, line, "reasons", new Message("Bundle_UnknownReason", tag));
                else if (!tags.Add(tag)) report.Error(VotesFile, line, "reasons", new Message("Bundle_ListedTwice", tag));
            }
            var comment = columns >= 7 && csv.GetFieldSpan(6).Length > 0 ? csv.GetString(6) : null;
            var (firstSubmitted, lastChanged) = columns == 9 ? BundleRatingsReader.Timestamps(csv, VotesFile, 7, line, report) : (null, null);

            var key = string.CompareOrdinal(left, right) < 0 ? (rater, left, right) : (rater, right, left);
            if (!pairRows.TryGetValue(key, out var rows)) pairRows[key] = rows = new PairRows(left, line);
            if (rows.Left != left)
                report.Error(VotesFile, line, "left", new Message("Bundle_OtherSides", rater, rows.Left, rows.Line));
            if (rows.Axes.TryGetValue(axisId, out var first))
                report.Error(VotesFile, line, "row", new Message("Bundle_DuplicateVote", rater, left, right, axisId, first));
            if (given.Length > 0 && rows.Reasons is { } r && !r.Set.SetEquals(tags))
                report.Error(VotesFile, line, "reasons", new Message("Bundle_PairFieldDiffers", r.Line, Header[5]));
            if (comment is not null && rows.Comment is { } c && c.Text != comment)
                report.Error(VotesFile, line, "comment", new Message("Bundle_PairFieldDiffers", c.Line, Header[6]));
            if (report.ErrorCount != errorsBefore) continue;
            rows.Axes[axisId] = line;
            if (given.Length > 0) rows.Reasons ??= (tags, given, line);
            if (comment is not null) rows.Comment ??= (comment, line);
            rows.Votes.Add(votes.Count);
            votes.Add(new BundleVote(rater, axisId, left, right, choice!.Value) { FirstSubmitted = firstSubmitted, LastChanged = lastChanged });
        }
        if (columns == 0 && !report.HasErrorsIn(VotesFile)) report.Error(VotesFile, 0, "header", new Message("Bundle_EmptyFile"));
        // A pair's reasons and comment, given on one of its rows, belong to every row of it.
        foreach (var rows in pairRows.Values)
            foreach (var at in rows.Votes)
                votes[at] = votes[at] with { Reasons = rows.Reasons?.Given ?? [], Comment = rows.Comment?.Text };
        if (design is not null) Warn(pairRows, design, report);
        return votes;
    }

    /// <summary>Left and right must be answers to one case by two models that form one of the study's pairs.</summary>
    static void CheckPair(string left, string right, IReadOnlyDictionary<string, ModelResponse>? responses, IReadOnlySet<(string A, string B)>? pairs,
        int line, BundleReport report)
    {
        if (responses is null) return;
        var l = responses.GetValueOrDefault(left);
        var r = responses.GetValueOrDefault(right);
        if (l is null) report.Error(VotesFile, line, "left", new Message("Bundle_UnknownResponse", left));
        if (r is null) report.Error(VotesFile, line, "right", new Message("Bundle_UnknownResponse", right));
        if (l is null || r is null) return;
        if (l.CaseId != r.CaseId) report.Error(VotesFile, line, "right", new Message("Bundle_PairCases", left, right));
        else if (l.Model == r.Model) report.Error(VotesFile, line, "right", new Message("Bundle_PairSameModel", left, right, l.Model));
        else if (pairs is not null && !pairs.Contains(string.CompareOrdinal(l.Model, r.Model) < 0 ? (left, right) : (right, left)))
            report.Error(VotesFile, line, "right", new Message("Bundle_NotAPair", left, right));
    }

    static PairwiseChoice? Choice(string text) => text switch
    {
        "left" => PairwiseChoice.Left,
        "right" => PairwiseChoice.Right,
        "tie" => PairwiseChoice.Tie,
        "both_bad" => PairwiseChoice.BothBad,
        _ => null,
    };

    /// <summary>Warnings, on the first row of the pair concerned: more raters than raters_per_pair, a rater who left
    /// axes out.</summary>
    static void Warn(Dictionary<(string Rater, string First, string Second), PairRows> pairRows, PairwiseDesign design, BundleReport report)
    {
        foreach (var pair in pairRows.Where(p => p.Value.Votes.Count > 0).GroupBy(p => (p.Key.First, p.Key.Second)))
        {
            var raters = pair.ToList();
            if (raters.Count > design.RatersPerPair)
                report.Warn(VotesFile, raters.Min(r => r.Value.Line), "rater", new Message("Bundle_TooManyPairRaters", pair.Key.First, pair.Key.Second, raters.Count, design.RatersPerPair));
            foreach (var (key, rows) in raters)
            {
                var missing = design.Axes.Select(a => a.Id).Where(a => !rows.Axes.ContainsKey(a)).ToList();
                if (missing.Count > 0)
                    report.Warn(VotesFile, rows.Line, "axis", new Message("Bundle_MissingAxes", key.Rater, rows.Left, key.First == rows.Left ? key.Second : key.First, string.Join(", ", missing)));
            }
        }
    }
}
