using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using GradeBench.Core.Messages;
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

    /// <summary>Rows passed on at a time to a reader of the ratings as they are read.</summary>
    const int PassOnBatch = 4096;

    /// <summary>The headers accepted: the four required columns, with comment, or with comment and both timestamps.</summary>
    static readonly int[] HeaderLengths = [4, 5, 7];

    /// <summary>The valid rating rows. <paramref name="responseIds"/> is null when responses.jsonl could not be read (or
    /// is not read yet: then <paramref name="responsesSeen"/> collects the response ids named, to be checked after),
    /// <paramref name="study"/> when there is no usable rubric; rows naming an <paramref name="invalidCriteria"/>
    /// id are not checked further (the criterion's own error is in study.json). A criterion the rubric lacks is looked up
    /// on the checklist of the response's case (<paramref name="checklists"/>; in a valid bundle the two never share an
    /// id, so the rubric, which every row of most bundles names, is looked at first). Until the first error, each valid row is
    /// also passed on to <paramref name="asRead"/> in batches (<see cref="StagedBundleRead.RatingsAsRead"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call with a loop of 1.6M rows: no tiering through OSR
    internal static List<BundleRating> Read(ReadOnlyMemory<byte> text, HashSet<string>? responseIds, StudyDefinition? study, HashSet<string> invalidCriteria, BundleReport report,
        HashSet<string>? responsesSeen = null, ChannelWriter<BundleRating[]>? asRead = null, CaseChecklists? checklists = null)
    {
        var ratings = new List<BundleRating>();
        var passedOn = 0;
        var criteria = study?.Criteria.ToDictionary(c => c.Id);
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false, Delimiter = ',', Comment = '\0', ResultSetMode = ResultSetMode.SingleResult,
            // The whole file is in memory already (under the size limit): let a record be as long as the file.
            MaxBufferSize = Math.Max(text.Length + 1, 0x10000),
        };
        // Decoded a chunk at a time, not as one string. A newline inside a quoted field is part of the value: it reads
        // as \n whatever the file's line ends, so that a CRLF copy of a bundle reads exactly like the LF one.
        using var csv = CsvDataReader.Create(new LfTextReader(text), options);
        // Every distinct rater, criterion and response text seen gets one string and a small number (for the duplicate
        // check), and is checked once: what a row's fields are found to be is kept by that number (facts), and a
        // criterion's values by value, so the 1.6M rows of a large study cost lookups, not checks (docs/benchmarks.md).
        var names = new Dictionary<string, int>();
        var nameLookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        var facts = new List<NameFacts>();
        var valueFacts = new Dictionary<int, Dictionary<string, ValueFacts>>();
        // The criteria seen of each (response, rater), with their lines; a file lists a rater's values of a response
        // together, so the last pair's list is looked at before the dictionary.
        var seen = new Dictionary<(int Response, int Rater), List<(int Criterion, int Line)>>();
        var lastPair = (Response: -1, Rater: -1);
        List<(int Criterion, int Line)> lastSeen = [];
        var tally = study is null ? null : new CompletenessTally(study, checklists);
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
                report.Error(RatingsFile, line, "csv", new Message("Bundle_MalformedCsv", e.Message));
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
                    report.Error(RatingsFile, line, "header", new Message("Bundle_RatingsHeaderGot", string.Join(',', RatingsHeader[..5]), string.Join(',', header)));
                    return ratings;
                }
                columns = header.Length;
                continue;
            }
            if (csv.RowFieldCount != columns)
            {
                report.Error(RatingsFile, line, "csv", new Message("Bundle_ColumnCount", columns, csv.RowFieldCount));
                continue;
            }
            var errorsBefore = report.ErrorCount;
            var (responseId, responseNumber) = Shared(nameLookup, names, facts, csv.GetFieldSpan(0));
            var responseFacts = facts[responseNumber];
            if (responseFacts.KnownResponse is null)
            {
                responseFacts.KnownResponse = responseIds is null || responseIds.Contains(responseId);
                responsesSeen?.Add(responseId);
            }
            if (responseFacts.KnownResponse == false) report.Error(RatingsFile, line, "response_id", new Message("Bundle_UnknownResponse", responseId));
            var (rater, raterNumber) = Shared(nameLookup, names, facts, csv.GetFieldSpan(1));
            var raterFacts = facts[raterNumber];
            raterFacts.Identifier ??= IsIdentifier(rater);
            if (raterFacts.Identifier == false) report.Error(RatingsFile, line, "rater", IdRule);
            var (criterionId, criterionNumber) = Shared(nameLookup, names, facts, csv.GetFieldSpan(2));
            var criterionFacts = facts[criterionNumber];
            if (!criterionFacts.CriterionLookedUp && criteria is not null && !invalidCriteria.Contains(criterionId))
            {
                criterionFacts.CriterionChecked = true;
                criterionFacts.Criterion = criteria.GetValueOrDefault(criterionId);
            }
            criterionFacts.CriterionLookedUp = true;
            var (value, problem) = Value(valueFacts, criterionNumber, criterionFacts, csv.GetFieldSpan(3));
            var onChecklist = false;
            if (criterionFacts is { CriterionChecked: true, Criterion: null })
            {
                var (lookup, caseCriterion, caseId) = checklists?.Find(responseId, criterionId) ?? (CaseCriterionLookup.Unknown, null, null);
                switch (lookup)
                {
                    case CaseCriterionLookup.Found:
                        onChecklist = true;
                        if (caseCriterion!.CheckValue(value) is { } mark) report.Error(RatingsFile, line, "value", new Message("Bundle_CriterionValue", criterionId, mark));
                        break;
                    case CaseCriterionLookup.OtherCase:
                        report.Error(RatingsFile, line, "criterion", new Message("Bundle_OtherCaseCriterion", criterionId, caseId));
                        break;
                    // A study without any criterion has that one error (study.json's), not one per row.
                    case CaseCriterionLookup.Unknown when criteria!.Count > 0 || checklists?.Any == true:
                        report.Error(RatingsFile, line, "criterion", new Message("Value_UnknownCriterion", criterionId));
                        break;
                }
            }
            else if (problem is not null) report.Error(RatingsFile, line, "value", new Message("Bundle_CriterionValue", criterionId, problem));
            var comment = columns >= 5 && csv.GetFieldSpan(4).Length > 0 ? csv.GetString(4) : null;
            var (firstSubmitted, lastChanged) = columns == 7 ? Timestamps(csv, RatingsFile, 5, line, report) : (null, null);
            if (lastPair != (responseNumber, raterNumber))
            {
                lastPair = (responseNumber, raterNumber);
                if (!seen.TryGetValue(lastPair, out var pairSeen)) seen[lastPair] = pairSeen = new List<(int, int)>(4);
                lastSeen = pairSeen;
            }
            if (FirstLine(lastSeen, criterionNumber) is { } first)
                report.Error(RatingsFile, line, "row", new Message("Bundle_DuplicateRating", responseId, rater, criterionId, first));
            else lastSeen.Add((criterionNumber, line));
            if (report.ErrorCount == errorsBefore)
            {
                ratings.Add(new BundleRating(responseId, rater, criterionId, value, comment)
                {
                    FirstSubmitted = firstSubmitted,
                    LastChanged = lastChanged,
                });
                tally?.Add(responseNumber, raterNumber, criterionFacts, criterionId, line, onChecklist);
                if (ratings.Count - passedOn == PassOnBatch) passedOn = PassOn(ratings, passedOn, asRead, report);
            }
        }
        PassOn(ratings, passedOn, asRead, report);
        if (columns == 0 && !report.HasErrorsIn(RatingsFile)) report.Error(RatingsFile, 0, "header", new Message("Bundle_EmptyFile"));
        tally?.Warn(names, report);
        return ratings;
    }

    /// <summary>Passes the rows from <paramref name="from"/> on, unless an error was found; returns how many were passed on.</summary>
    static int PassOn(List<BundleRating> ratings, int from, ChannelWriter<BundleRating[]>? asRead, BundleReport report)
    {
        if (asRead is null || report.ErrorCount > 0 || ratings.Count == from) return from;
        asRead.TryWrite(CollectionsMarshal.AsSpan(ratings)[from..].ToArray());
        return ratings.Count;
    }

    /// <summary>What is known of one distinct text of ratings.csv, by where it appeared: as a response id (is it one of
    /// responses.jsonl), a rater (an identifier), a criterion (of the rubric: null when unknown or not checked).</summary>
    sealed class NameFacts
    {
        public bool? KnownResponse;
        public bool? Identifier;
        public bool CriterionLookedUp;
        public bool CriterionChecked;
        public Criterion? Criterion;
        public int RequiredIndex = -1;
    }

    static int? FirstLine(List<(int Criterion, int Line)> seen, int criterion)
    {
        foreach (var (c, line) in seen)
            if (c == criterion) return line;
        return null;
    }

    /// <summary>A criterion's value: its stored form (one string per criterion and value), or why it is refused.</summary>
    readonly record struct ValueFacts(string Stored, Message? Problem);

    /// <summary>The one string kept for this text, and its number.</summary>
    static (string Text, int Number) Shared(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, Dictionary<string, int> names,
        List<NameFacts> facts, ReadOnlySpan<char> span)
    {
        if (lookup.TryGetValue(span, out var text, out var number)) return (text, number);
        text = span.ToString();
        names[text] = names.Count;
        facts.Add(new NameFacts());
        return (text, names.Count - 1);
    }

    /// <summary>A value of a criterion checked once per distinct text: its stored form and its problem, if any.</summary>
    static ValueFacts Value(Dictionary<int, Dictionary<string, ValueFacts>> byCriterion, int criterionNumber, NameFacts criterion, ReadOnlySpan<char> span)
    {
        if (!byCriterion.TryGetValue(criterionNumber, out var known)) byCriterion[criterionNumber] = known = [];
        if (known.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(span, out var found)) return found;
        var value = span.ToString();
        var problem = criterion.Criterion?.CheckValue(value);
        return known[value] = new ValueFacts(problem is null ? criterion.Criterion?.Canonical(value) ?? value : value, problem);
    }

    /// <summary>first_submitted and last_changed, in columns <paramref name="first"/> and the next of a row of
    /// <paramref name="file"/> (ratings.csv, votes.csv): both empty (the import's own time), or both ISO-8601 instants
    /// with a time zone, the first not after the last.</summary>
    internal static (DateTimeOffset?, DateTimeOffset?) Timestamps(CsvDataReader csv, string file, int first, int line, BundleReport report)
    {
        if (csv.GetFieldSpan(first).IsEmpty && csv.GetFieldSpan(first + 1).IsEmpty) return (null, null);
        var submitted = Timestamp(csv, file, first, FirstSubmitted, LastChanged, line, report);
        var changed = Timestamp(csv, file, first + 1, LastChanged, FirstSubmitted, line, report);
        if (submitted > changed) report.Error(file, line, LastChanged, new Message("Bundle_ChangedBeforeSubmitted", csv.GetString(first + 1), csv.GetString(first)));
        return (submitted, changed);
    }

    const string FirstSubmitted = "first_submitted", LastChanged = "last_changed";

    static DateTimeOffset? Timestamp(CsvDataReader csv, string file, int column, string name, string other, int line, BundleReport report)
    {
        var text = csv.GetFieldSpan(column);
        if (text.IsEmpty)
            report.Error(file, line, name, new Message("Bundle_RequiredWith", other));
        else if (TimestampPattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at)) return at;
        else report.Error(file, line, name, new Message("Bundle_Timestamp", text.ToString()));
        return null;
    }

    /// <summary>Checks beyond the format (warnings only), each on the first row of the response concerned: more raters
    /// than raters_per_response, a rater without every required criterion (every criterion of the response's checklist is
    /// required). Tallied row by row as numbers (a flag per required criterion of each response's rater; marks of a
    /// checklist by id, apart), in the order responses and their raters first appear.</summary>
    sealed class CompletenessTally(StudyDefinition study, CaseChecklists? checklists)
    {
        readonly string[] _required = study.Criteria.Where(c => c.Required).Select(c => c.Id).ToArray();
        readonly Dictionary<int, (int FirstRow, List<(int Rater, bool[] Seen)> Raters)> _responses = [];
        readonly List<int> _order = [];
        readonly Dictionary<(int Response, int Rater), HashSet<string>> _marked = [];

        public void Add(int response, int rater, NameFacts criterion, string criterionId, int line, bool onChecklist)
        {
            if (!_responses.TryGetValue(response, out var entry))
            {
                _responses[response] = entry = (line, []);
                _order.Add(response);
            }
            var at = IndexOf(entry.Raters, rater); // not FindIndex: its lambda would be a closure per row
            if (at < 0)
            {
                entry.Raters.Add((rater, new bool[_required.Length]));
                at = entry.Raters.Count - 1;
            }
            if (onChecklist)
            {
                if (!_marked.TryGetValue((response, rater), out var marks)) _marked[(response, rater)] = marks = [];
                marks.Add(criterionId);
                return;
            }
            if (criterion.RequiredIndex == -1) criterion.RequiredIndex = Array.IndexOf(_required, criterionId) is var i and >= 0 ? i : -2;
            if (criterion.RequiredIndex >= 0) entry.Raters[at].Seen[criterion.RequiredIndex] = true;
        }

        /// <summary>The required criteria a rater left out, in order, as the warning lists them.</summary>
        string Missing(bool[] seen, List<string> checklist, HashSet<string>? marked) =>
            string.Join(", ", _required.Where((_, i) => !seen[i]).Concat(checklist.Where(c => marked?.Contains(c) != true)).Order());

        static bool AllMarked(List<string> checklist, HashSet<string>? marked)
        {
            foreach (var criterion in checklist)
                if (marked?.Contains(criterion) != true) return false;
            return true;
        }

        static int IndexOf(List<(int Rater, bool[] Seen)> raters, int rater)
        {
            for (var i = 0; i < raters.Count; i++)
                if (raters[i].Rater == rater) return i;
            return -1;
        }

        public void Warn(Dictionary<string, int> names, BundleReport report)
        {
            var text = new string[names.Count];
            foreach (var (name, number) in names) text[number] = name;
            var anyChecklist = checklists?.Any == true;
            foreach (var response in _order)
            {
                var (firstRow, raters) = _responses[response];
                if (raters.Count > study.RatersPerResponse)
                    report.Warn(RatingsFile, firstRow, "rater", new Message("Bundle_TooManyRaters", text[response], raters.Count, study.RatersPerResponse));
                List<string> checklist = anyChecklist ? [.. checklists!.CriteriaOf(text[response])] : [];
                foreach (var (rater, seen) in raters)
                {
                    var marked = checklist.Count == 0 ? null : _marked.GetValueOrDefault((response, rater));
                    // The usual case, 400,000 times in a large study: no list.
                    if (!seen.AsSpan().Contains(false) && AllMarked(checklist, marked)) continue;
                    report.Warn(RatingsFile, firstRow, "criterion", new Message("Bundle_MissingRequired", text[rater], text[response], Missing(seen, checklist, marked)));
                }
            }
        }
    }
}
