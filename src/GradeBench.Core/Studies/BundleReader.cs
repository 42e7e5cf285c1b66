using System.Text;
using System.Threading.Channels;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Studies;

public sealed record BundleReadResult(StudyBundle? Bundle, IReadOnlyList<BundleError> Errors, IReadOnlyList<BundleError> Warnings)
{
    public bool Succeeded => Bundle is not null;
}

/// <summary>A bundle read in two stages (<see cref="BundleReader.ReadStaged"/>): study.json, cases and responses first,
/// while ratings.csv is still being checked on another thread.</summary>
/// <param name="Head">The study, cases and responses, without ratings, when those files have no error; else null.</param>
/// <param name="Complete">The whole reading, ratings.csv's included: what <see cref="BundleReader.Read"/> returns.</param>
/// <param name="RatingsAsRead">ratings.csv's rows in file order, in batches as they are read, until the first error found
/// in the file; the channel completes when the file is read. Whether the bundle is valid is known only from
/// <paramref name="Complete"/>: a reader of the batches writes them provisionally (in a transaction that commits only then).</param>
public sealed record StagedBundleRead(StudyBundle? Head, Task<BundleReadResult> Complete, ChannelReader<BundleRating[]>? RatingsAsRead = null);

/// <summary>Reads and validates a study bundle (docs/bundle-format.md). Every error found is counted and the first
/// <see cref="MaxErrorsListed"/> reported; a bundle is returned only when there is none. A UTF-8 byte-order mark and CRLF line ends are accepted. Each kind of
/// file has its reader: <see cref="BundleFiles"/> (the folder or zip), <see cref="StudyJsonReader"/>,
/// <see cref="JsonLinesReader"/> (cases and responses) and <see cref="BundleRatingsReader"/>.</summary>
public static class BundleReader
{
    /// <summary>Errors (and warnings) listed; beyond them, one line says how many more there are.</summary>
    public const int MaxErrorsListed = 100;

    public const string Format = "gradebench-study/1";

    public static bool IsIdentifier(string? value) => BundleSyntax.IsIdentifier(value);

    public static BundleReadResult Read(string path, long maxFileBytes = BundleFiles.DefaultMaxFileBytes)
    {
        var errors = new List<BundleError>();
        return Stage(BundleFiles.Read(path, maxFileBytes, errors), errors, passRatingsOn: false).Complete.GetAwaiter().GetResult();
    }

    /// <summary>Reads a bundle, returning once study.json, cases and responses are checked: an import can write them,
    /// then the ratings as they come (<see cref="StagedBundleRead.RatingsAsRead"/>), while ratings.csv is checked.</summary>
    public static StagedBundleRead ReadStaged(string path, long maxFileBytes = BundleFiles.DefaultMaxFileBytes)
    {
        var errors = new List<BundleError>();
        var (files, ratings) = BundleFiles.ReadRatingsAside(path, maxFileBytes, errors);
        return Stage(files, errors, passRatingsOn: true, ratings);
    }

    /// <summary>Validates bundle files already in memory (name to bytes); <paramref name="errors"/> may hold
    /// errors found while reading them. ratings.csv, most of a large bundle, is checked and read on another thread beside
    /// the other files; each part reports to its own branch, and the branches are put together in the order of a reading
    /// in turn: every file's encoding (ratings.csv, the last file, last), then every file's content.</summary>
    public static BundleReadResult Parse(IReadOnlyDictionary<string, byte[]> files, List<BundleError>? errors = null) =>
        Stage(files, errors, passRatingsOn: false).Complete.GetAwaiter().GetResult();

    /// <param name="ratingsAside">ratings.csv, when it is still being read and so not in <paramref name="files"/>.</param>
    static StagedBundleRead Stage(IReadOnlyDictionary<string, byte[]> files, List<BundleError>? errors, bool passRatingsOn, Task<byte[]>? ratingsAside = null)
    {
        var report = new BundleReport(errors ?? []);
        var ratingsEncoding = report.Branch();
        var ratingsBytes = ratingsAside ?? (files.TryGetValue(BundleSyntax.RatingsFile, out var bytes) ? Task.FromResult(bytes) : null);
        var ratingsText = ratingsBytes is null ? null
            : Task.Run(async () => BundleSyntax.Utf8Text(BundleSyntax.RatingsFile, await ratingsBytes.ConfigureAwait(false), ratingsEncoding));
        var text = files.Where(f => f.Key != BundleSyntax.RatingsFile).ToDictionary(f => f.Key, f => BundleSyntax.Utf8Text(f.Key, f.Value, report));
        var content = report.Branch();

        // References are checked against every id a file defines, even on a line with other errors, so that
        // one bad line is reported once; when a file could not be read at all, references to it are not checked.
        var rubric = new RubricIds();
        var study = text.TryGetValue(BundleSyntax.StudyFile, out var s) ? StudyJsonReader.Read(Encoding.UTF8.GetString(s.Span), content, rubric) : null;
        if (study?.Annotation == true) report.WithdrawMissing(BundleSyntax.ResponsesFile);
        var ratingsStudy = study is not null && rubric.Usable ? study : null;
        // Its response ids are checked once responses.jsonl is read; when one is unknown, the file is read again with
        // them, so that its errors are exactly those of a reading in turn.
        var responsesSeen = new HashSet<string>();
        // A row naming a case criterion is checked against its response's case once cases and responses are read.
        var checklists = new CaseChecklists();
        var asRead = passRatingsOn ? Channel.CreateUnbounded<BundleRating[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }) : null;
        // A side-by-side study has votes, not ratings: its ratings.csv is refused unread.
        var pairwise = study?.Pairwise is not null;
        // A note-only study has neither answers nor ratings: both files are refused unread (Annotation below).
        var annotation = study?.Annotation == true;
        var ratingsRead = ratingsText is null || pairwise || annotation ? null : Task.Run(async () =>
        {
            try
            {
                var csv = await ratingsText.ConfigureAwait(false);
                var ratingsContent = ratingsEncoding.Branch();
                return (Report: ratingsContent, Ratings: BundleRatingsReader.Read(csv, null, ratingsStudy, rubric.Invalid, ratingsContent, responsesSeen, asRead?.Writer, checklists));
            }
            finally
            {
                asRead?.Writer.TryComplete();
            }
        });
        if (ratingsRead is null) asRead?.Writer.TryComplete();
        var caseIds = text.ContainsKey(BundleSyntax.CasesFile) ? new HashSet<string>() : null;
        var caseLines = caseIds is null ? null : new Dictionary<string, int>();
        var responseIds = text.ContainsKey(BundleSyntax.ResponsesFile) ? new HashSet<string>() : null;
        var responseLines = responseIds is null ? null : new Dictionary<string, int>();
        var caseOf = responseIds is null ? null : new Dictionary<string, string>();
        List<StudyCase> cases = [];
        List<ModelResponse> responses = [];
        try
        {
            if (text.TryGetValue(BundleSyntax.CasesFile, out var c))
            {
                HashSet<string>? rubricIds = study is null ? null : [.. study.Criteria.Select(k => k.Id), .. rubric.Invalid];
                cases = JsonLinesReader.ReadCases(c, caseIds!, content, checklists, study?.Language, rubricIds, caseLines);
                // A study needs criteria: the rubric's, or its cases' (study.json may leave the rubric out for them).
                if (study is not null && !study.Annotation && rubric.Usable && study.Criteria.Count == 0 && rubric.Invalid.Count == 0 && !checklists.Any)
                    content.Error(BundleSyntax.StudyFile, rubric.CriteriaLine, "rubric.criteria", new Message("Bundle_NoCriteria"));
            }
            if (text.TryGetValue(BundleSyntax.ResponsesFile, out var r) && !annotation)
                responses = JsonLinesReader.ReadResponses(r, caseIds, responseIds!, content, lines: responseLines, caseOf: caseOf);
        }
        finally
        {
            checklists.Complete(casesRead: caseIds is not null, caseOf);
        }
        var (pairs, votes) = Pairwise();
        Annotation();
        var head = report.ErrorCount == 0 && content.ErrorCount == 0 && study is not null ? new StudyBundle(study, cases, responses, []) { Pairs = pairs, Votes = votes } : null;
        return new StagedBundleRead(head, CompleteAsync(), asRead?.Reader);

        // Awaited without the caller's context: Read and Parse block on it, also from a Blazor event handler.
        async Task<BundleReadResult> CompleteAsync()
        {
            List<BundleRating> ratings = [];
            if (ratingsRead is not null)
            {
                var (ratingsContent, read) = await ratingsRead.ConfigureAwait(false);
                ratings = read;
                if (responseIds is not null && !responsesSeen.IsSubsetOf(responseIds))
                    ratings = BundleRatingsReader.Read(await ratingsText!.ConfigureAwait(false), responseIds, ratingsStudy, rubric.Invalid, ratingsContent = ratingsEncoding.Branch(),
                        checklists: checklists);
                report.Append(ratingsEncoding);
                report.Append(content);
                report.Append(ratingsContent);
            }
            else report.Append(content);

            var bundle = report.ErrorCount == 0 && study is not null
                ? new StudyBundle(study!, cases, responses, ratings) { Pairs = pairs, Votes = votes }
                : null;
            return new BundleReadResult(bundle, report.Errors, report.Warnings);
        }

        // A note-only study's raters work on its cases' notes alone.
        void Annotation()
        {
            if (!annotation) return;
            if (responseIds is not null) content.Error(BundleSyntax.ResponsesFile, 0, "file", new Messages.Message("Bundle_AnnotationNoAnswers"));
            if (ratingsBytes is not null) content.Error(BundleSyntax.RatingsFile, 0, "file", new Messages.Message("Bundle_AnnotationNoRatings"));
            foreach (var withChecklist in cases.Where(k => k.Criteria.Count > 0))
                content.Error(BundleSyntax.CasesFile, caseLines![withChecklist.Id], "criteria", new Messages.Message("Bundle_AnnotationNoChecklist"));
        }

        // The pairs and votes of a side-by-side study (PairwiseBundleReader); votes.csv elsewhere is an error.
        (IReadOnlyList<Pairwise.BundlePair>, IReadOnlyList<Pairwise.BundleVote>) Pairwise()
        {
            var votesText = text.TryGetValue(BundleSyntax.VotesFile, out var v) ? v : (ReadOnlyMemory<byte>?)null;
            if (study is null) return ([], []);
            if (!pairwise)
            {
                if (votesText is not null) content.Error(BundleSyntax.VotesFile, 0, "file", new Messages.Message("Bundle_VotesOnlyPairwise"));
                return ([], []);
            }
            if (ratingsBytes is not null) content.Error(BundleSyntax.RatingsFile, 0, "file", new Messages.Message("Bundle_PairwiseNoRatings"));
            foreach (var withChecklist in cases.Where(k => k.Criteria.Count > 0))
                content.Error(BundleSyntax.CasesFile, caseLines![withChecklist.Id], "criteria", new Messages.Message("Bundle_PairwiseNoChecklist"));
            return PairwiseBundleReader.Read(study, rubric.PairwiseUsable, cases, caseLines, responses, responseLines, votesText, content);
        }
    }

    /// <summary>Validates a responses.jsonl added to an existing study, exactly as in a bundle: every case it names must
    /// be one of <paramref name="caseIds"/>, and no response id may be one of <paramref name="takenIds"/> (the study's own).
    /// Errors read <c>responses.jsonl:line: field: message</c>; the responses are returned only when there is none.</summary>
    /// <param name="pairwiseAnswers">For a side-by-side study, the response id of each case and model it has an answer
    /// of: as in a bundle, a case has at most one answer per model, so an answer by a model that answered its case
    /// already, in the study or on an earlier line, is refused. Null for a study of single answers.</param>
    public static (IReadOnlyList<ModelResponse>? Responses, IReadOnlyList<BundleError> Errors, IReadOnlyList<BundleError> Warnings) ReadResponses(
        byte[] bytes, IReadOnlySet<string> caseIds, IReadOnlySet<string> takenIds,
        IReadOnlyDictionary<(string Case, string Model), string>? pairwiseAnswers = null)
    {
        var report = new BundleReport([]);
        var text = BundleSyntax.Utf8Text(BundleSyntax.ResponsesFile, bytes, report);
        var lines = new Dictionary<string, int>();
        var responses = JsonLinesReader.ReadResponses(text, caseIds.ToHashSet(), [], report, takenIds, lines);
        if (pairwiseAnswers is not null) PairwiseBundleReader.OneAnswerPerModel(responses, lines, report, pairwiseAnswers);
        return (report.ErrorCount == 0 ? responses : null, report.Errors, report.Warnings);
    }
}
