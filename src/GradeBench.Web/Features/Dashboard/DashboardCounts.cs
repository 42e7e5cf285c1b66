using GradeBench.Storage;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Results;

namespace GradeBench.Web.Features.Dashboard;

/// <summary>Each study's progress counts (per rater, model and criterion), read off the request path and kept with the
/// data version they were read at (<see cref="StudyDataVersion"/>, raised by every write that changes them: submits,
/// imports, responses added, members removed, rebalancing): a second visit, and every dashboard open on the study, is
/// served from here. A large study's counts pass over 400,000 assignments and 1.6M ratings; a burst of submits costs
/// at most one read running and one waiting per study, however many dashboards ask.</summary>
public sealed class DashboardCounts(DashboardQuery query, Database database, ILogger<DashboardCounts> logger)
{
    sealed class Slot
    {
        /// <summary>The read gives the data at this version or newer.</summary>
        public long Version;
        /// <summary>The read has begun: a newer version must wait for another one.</summary>
        public bool Started;
        public Task<ProgressCounts> Counts = null!;
    }

    readonly Dictionary<long, Slot> _slots = [];
    readonly Dictionary<long, (long Version, ProgressCounts Counts)> _last = [];
    readonly Lock _lock = new();

    /// <summary>The counts of the study's data as it is now: a finished task when they are known, else one that
    /// finishes when a read off the caller's path does.</summary>
    public async Task<Task<ProgressCounts>> CurrentAsync(long studyId, CancellationToken ct = default)
    {
        var version = await StudyDataVersion.ReadAsync(database, studyId, ct);
        lock (_lock)
        {
            if (_slots.TryGetValue(studyId, out var slot) && !slot.Counts.IsFaulted)
            {
                if (slot.Version >= version) return slot.Counts;
                // A read not yet begun will see this version too.
                if (!slot.Started)
                {
                    slot.Version = version;
                    return slot.Counts;
                }
            }
            var previous = slot?.Counts ?? Task.CompletedTask;
            var next = new Slot { Version = version };
            next.Counts = Task.Run(() => ReadAfterAsync(previous, next, studyId), CancellationToken.None);
            _slots[studyId] = next;
            return next.Counts;
        }
    }

    /// <summary>The counts last read for the study, whatever their version (shown, marked busy, while newer ones are read).</summary>
    public ProgressCounts? Last(long studyId)
    {
        lock (_lock) return _last.TryGetValue(studyId, out var last) ? last.Counts : null;
    }

    // One read of a study at a time: the next waits for the one running.
    async Task<ProgressCounts> ReadAfterAsync(Task previous, Slot slot, long studyId)
    {
        await Task.WhenAny(previous);
        lock (_lock) slot.Started = true;
        try
        {
            var counts = await query.CountsAsync(studyId);
            lock (_lock)
                if (!_last.TryGetValue(studyId, out var kept) || kept.Version <= slot.Version) _last[studyId] = (slot.Version, counts);
            return counts;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Dashboard counts of study {StudyId} could not be read", studyId);
            throw;
        }
    }
}
