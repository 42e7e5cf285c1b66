using GradeBench.Core.Checklists;
using GradeBench.Core.Judges;
using GradeBench.Core.Results;
using GradeBench.Core.Spans;
using GradeBench.Storage;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;

// Not GradeBench.Web.Features.Results: that namespace would hide ASP.NET's Results.Redirect (see _Imports.razor).
namespace GradeBench.Web.Features.StudyResults;

/// <summary>Study results, judge statistics, a side-by-side study's statistics, checklist scores and span agreement computed off the
/// request path, once per study, data version (<see cref="StudyDataVersion"/>) and choice (model values on consensus,
/// judges counted as raters), shared by every
/// page that asks meanwhile. Only the latest version's report is kept (a summary: the ratings it was computed from are
/// dropped), so a second visit is instant and a change is never served stale.</summary>
public sealed class ResultsCache(ResultsQuery query, JudgeResultsQuery judges, PairwiseResultsQuery pairwise, ChecklistMarksQuery checklists,
    SpanAgreementQuery spans, Database database, ILogger<ResultsCache> logger)
{
    readonly Lock _lock = new();
    readonly Dictionary<(long StudyId, bool OnConsensus, RaterScope Raters), (long Version, Task<StudyResultsReport> Report)> _results = [];
    readonly Dictionary<long, (long Version, Task<StudyJudgeResults> Report)> _judges = [];
    readonly Dictionary<long, (long Version, Task<PairwiseStudyResults?> Report)> _pairwise = [];
    readonly Dictionary<long, (long Version, Task<StudyChecklistResults?> Report)> _checklists = [];
    readonly Dictionary<(long StudyId, SpanSource Source), (long Version, Task<StudySpanAgreement?> Report)> _spans = [];

    /// <summary>The results of the study's data as it is now: a finished task when they are known, otherwise the running
    /// computation (started here if none is).</summary>
    public Task<Task<StudyResultsReport>> GetAsync(long studyId, bool onConsensus, RaterScope raters = RaterScope.Physicians,
        CancellationToken ct = default) =>
        GetAsync(_results, (studyId, onConsensus, raters), studyId,
            async () => Core.Results.StudyResults.Compute(await query.LoadAsync(studyId, raters), onConsensus), ct);

    /// <summary>The study's judges beside its physicians (<see cref="JudgeResultsQuery"/>), as <see cref="GetAsync"/>.</summary>
    public Task<Task<StudyJudgeResults>> GetJudgesAsync(long studyId, CancellationToken ct = default) =>
        GetAsync(_judges, studyId, studyId, () => judges.LoadAsync(studyId), ct);

    /// <summary>A side-by-side study's statistics per axis (<see cref="PairwiseResultsQuery"/>; null for a study of single
    /// answers), as <see cref="GetAsync"/>.</summary>
    public Task<Task<PairwiseStudyResults?>> GetPairwiseAsync(long studyId, CancellationToken ct = default) =>
        GetAsync(_pairwise, studyId, studyId, () => pairwise.ComputeAsync(studyId), ct);

    /// <summary>The study's checklist scores (<see cref="ChecklistMarksQuery"/>; null for a study without checklists), as
    /// <see cref="GetAsync"/>.</summary>
    public Task<Task<StudyChecklistResults?>> GetChecklistsAsync(long studyId, CancellationToken ct = default) =>
        GetAsync(_checklists, studyId, studyId, () => checklists.ComputeAsync(studyId), ct);

    /// <summary>The raters' agreement on their highlights of the answers or their passages of the notes
    /// (<see cref="SpanAgreementQuery"/>; null for a study without labels of the source), as <see cref="GetAsync"/>.</summary>
    public Task<Task<StudySpanAgreement?>> GetSpansAsync(long studyId, SpanSource source = SpanSource.Answers, CancellationToken ct = default) =>
        GetAsync(_spans, (studyId, source), studyId, () => spans.ComputeAsync(studyId, source), ct);

    /// <summary>Whether the study has labels of the source, and so a section of its agreement.</summary>
    public Task<bool> HasSpanLabelsAsync(long studyId, SpanSource source, CancellationToken ct = default) => spans.HasLabelsAsync(studyId, source, ct);

    async Task<Task<T>> GetAsync<TKey, T>(Dictionary<TKey, (long Version, Task<T> Report)> entries, TKey key, long studyId,
        Func<Task<T>> compute, CancellationToken ct) where TKey : notnull
    {
        var version = await StudyDataVersion.ReadAsync(database, studyId, ct);
        lock (_lock)
        {
            if (entries.TryGetValue(key, out var entry) && entry.Version >= version && !entry.Report.IsFaulted) return entry.Report;
            // Read after the version: data written meanwhile is newer than the label, never older.
            var report = Task.Run(compute);
            entries[key] = (version, report);
            _ = report.ContinueWith(t => logger.LogError(t.Exception, "Results of study {StudyId} could not be computed", studyId),
                TaskContinuationOptions.OnlyOnFaulted);
            return report;
        }
    }
}
