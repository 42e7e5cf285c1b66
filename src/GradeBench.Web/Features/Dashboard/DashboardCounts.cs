using GradeBench.Storage;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Results;

namespace GradeBench.Web.Features.Dashboard;

/// <summary>Each study's progress counts (per rater, model and criterion), read off the request path and kept with the
/// data version they were read at (<see cref="StudyDataVersion"/>, raised by every write that changes them: submits,
/// imports, responses added, members removed, rebalancing): a second visit, and every dashboard open on the study, is
/// served from here, and a submit's change is added to them (<see cref="Apply"/>). A large study's counts pass over
/// 400,000 assignments and 1.6M ratings; a burst of submits costs at most one read running and one waiting per study,
/// however many dashboards ask.</summary>
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

    /// <summary>Adds one submit's change to the study's counts when they are those of the version just before it, so that
    /// the next dashboard is served without a pass over the study (a large one: 400,000 assignments, 1.6M ratings). Any
    /// other case (a read under way, a write in between, another kind of write) changes nothing here: the version has
    /// moved, so the next <see cref="CurrentAsync"/> reads.</summary>
    public void Apply(long studyId, ProgressDelta delta)
    {
        lock (_lock)
        {
            if (!_slots.TryGetValue(studyId, out var slot) || !slot.Counts.IsCompletedSuccessfully) return;
            if (slot.Counts.Result.After(delta) is not { } after) return;
            _slots[studyId] = new Slot { Version = after.Version, Started = true, Counts = Task.FromResult(after) };
            _last[studyId] = (after.Version, after);
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
            {
                // The read may have seen writes after the version asked for: it is of its own.
                slot.Version = Math.Max(slot.Version, counts.Version);
                if (!_last.TryGetValue(studyId, out var kept) || kept.Version <= counts.Version) _last[studyId] = (counts.Version, counts);
            }
            return counts;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Dashboard counts of study {StudyId} could not be read", studyId);
            throw;
        }
    }
}
