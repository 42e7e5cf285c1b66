using GradeBench.Core.Results;
using GradeBench.Storage;
using GradeBench.Storage.Results;

// Not GradeBench.Web.Features.Results: that namespace would hide ASP.NET's Results.Redirect (see _Imports.razor).
namespace GradeBench.Web.Features.StudyResults;

/// <summary>Study results computed off the request path, once per study, data version (<see cref="StudyDataVersion"/>)
/// and choice of model values, shared by every page that asks meanwhile. Only the latest version's report is kept (a
/// summary: the ratings it was computed from are dropped), so a second visit is instant and a change is never served
/// stale.</summary>
public sealed class ResultsCache(ResultsQuery query, Database database, ILogger<ResultsCache> logger)
{
    readonly Lock _lock = new();
    readonly Dictionary<(long StudyId, bool OnConsensus), (long Version, Task<StudyResultsReport> Report)> _entries = [];

    /// <summary>The results of the study's data as it is now: a finished task when they are known, otherwise the running
    /// computation (started here if none is).</summary>
    public async Task<Task<StudyResultsReport>> GetAsync(long studyId, bool onConsensus, CancellationToken ct = default)
    {
        var version = await StudyDataVersion.ReadAsync(database, studyId, ct);
        var key = (studyId, onConsensus);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.Version >= version && !entry.Report.IsFaulted) return entry.Report;
            // Read after the version: data written meanwhile is newer than the label, never older.
            var report = Task.Run(async () => Core.Results.StudyResults.Compute(await query.LoadAsync(studyId), onConsensus));
            _entries[key] = (version, report);
            _ = report.ContinueWith(t => logger.LogError(t.Exception, "Results of study {StudyId} could not be computed", studyId),
                TaskContinuationOptions.OnlyOnFaulted);
            return report;
        }
    }
}
