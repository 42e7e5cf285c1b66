namespace GradeBench.Web.Features.Live;

/// <summary>Who is connected to which study, through a Blazor circuit or a hub connection (each a "connection key"),
/// and which response each rater has open. Every change publishes the study's new list to its coordinators.
/// A user with several tabs appears once: connected if any tab is, on the item they opened last.
/// With several nodes, each node's own lists travel through <see cref="EventBridge"/> (<see cref="LocalChanged"/>) and
/// the lists other nodes announce are kept beside this node's (<see cref="Merge"/>): the list pages and hub clients get
/// is the union. A node that falls silent is forgotten after a while (<see cref="Expire"/>).</summary>
public sealed class PresenceTracker(StudyEvents events, TimeProvider clock)
{
    sealed record Entry(string Key, long StudyId, long UserId, string Name, string Role, long? ResponseId, DateTimeOffset Since, DateTimeOffset Touched, bool Connected);

    sealed record NodeList(IReadOnlyList<PresenceEntry> Online, DateTimeOffset Heard);

    readonly Lock _gate = new();
    readonly Dictionary<(string Key, long StudyId), Entry> _entries = [];
    readonly Dictionary<(string Node, long StudyId), NodeList> _others = [];

    /// <summary>This node's own list of a study changed (called under the tracker's lock, in order: do not block).</summary>
    public event Action<long, IReadOnlyList<PresenceEntry>>? LocalChanged;

    public void Enter(string key, long studyId, long userId, string name, string role, long? responseId = null)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            _entries[(key, studyId)] = _entries.TryGetValue((key, studyId), out var known) && known.UserId == userId
                ? known with { ResponseId = responseId, Touched = now, Connected = true }
                : new Entry(key, studyId, userId, name, role, responseId, now, now, true);
            PublishLocked(studyId);
        }
    }

    public void Leave(string key, long studyId)
    {
        lock (_gate)
            if (_entries.Remove((key, studyId))) PublishLocked(studyId);
    }

    /// <summary>The user lost access to the study (or, with no study, everywhere): every circuit and hub connection of
    /// theirs leaves it.</summary>
    public void LeaveUser(long userId, long? studyId)
    {
        lock (_gate)
        {
            var gone = _entries.Where(e => e.Value.UserId == userId && (studyId is null || e.Key.StudyId == studyId)).Select(e => e.Key).ToList();
            foreach (var key in gone) _entries.Remove(key);
            foreach (var study in gone.Select(k => k.StudyId).Distinct()) PublishLocked(study);
        }
    }

    /// <summary>The connection is gone for good (circuit closed, hub disconnected).</summary>
    public void LeaveAll(string key) => Change(key, e => null);

    /// <summary>A circuit lost or regained its connection; it keeps its place in the meantime.</summary>
    public void SetConnected(string key, bool connected) => Change(key, e => e with { Connected = connected, Touched = connected ? clock.GetUtcNow() : e.Touched });

    void Change(string key, Func<Entry, Entry?> change)
    {
        lock (_gate)
        {
            var studies = new HashSet<long>();
            foreach (var entry in _entries.Values.Where(e => e.Key == key).ToList())
            {
                if (change(entry) is { } changed) _entries[(key, entry.StudyId)] = changed;
                else _entries.Remove((key, entry.StudyId));
                studies.Add(entry.StudyId);
            }
            foreach (var studyId in studies) PublishLocked(studyId);
        }
    }

    public IReadOnlyList<PresenceEntry> Online(long studyId)
    {
        lock (_gate) return OnlineLocked(studyId);
    }

    /// <summary>This node's own lists, of every study someone is in here, for announcing them again.</summary>
    public IReadOnlyList<(long StudyId, IReadOnlyList<PresenceEntry> Online)> LocalLists()
    {
        lock (_gate) return _entries.Keys.Select(k => k.StudyId).Distinct().Select(s => (s, LocalLocked(s))).ToList();
    }

    /// <summary>Another node's list of the study as it announced it (an empty list: nobody there any more).</summary>
    public void Merge(string node, long studyId, IReadOnlyList<PresenceEntry> online)
    {
        lock (_gate)
        {
            var changed = !(_others.TryGetValue((node, studyId), out var known) && known.Online.SequenceEqual(online));
            if (online.Count == 0) _others.Remove((node, studyId));
            else _others[(node, studyId)] = new NodeList(online, clock.GetUtcNow());
            if (changed) PublishMergedLocked(studyId);
        }
    }

    /// <summary>Forgets the node's lists (it said goodbye).</summary>
    public void Forget(string node) => Drop(k => k.Node == node);

    /// <summary>Forgets the lists of nodes not heard from since <paramref name="before"/>.</summary>
    public void Expire(DateTimeOffset before) => Drop(k => _others[k].Heard < before);

    void Drop(Func<(string Node, long StudyId), bool> which)
    {
        lock (_gate)
        {
            var gone = _others.Keys.Where(which).ToList();
            foreach (var key in gone) _others.Remove(key);
            foreach (var studyId in gone.Select(k => k.StudyId).Distinct()) PublishMergedLocked(studyId);
        }
    }

    IReadOnlyList<PresenceEntry> LocalLocked(long studyId) =>
        _entries.Values.Where(e => e.StudyId == studyId)
            .GroupBy(e => e.UserId)
            .Select(user =>
            {
                var latest = user.OrderByDescending(e => e.Connected).ThenByDescending(e => e.Touched).First();
                return new PresenceEntry(latest.UserId, latest.Name, latest.Role, latest.ResponseId, user.Min(e => e.Since), user.Any(e => e.Connected));
            })
            .OrderBy(e => e.Role).ThenBy(e => e.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

    // A user on several nodes appears once, as on several tabs: connected if any is, this node's entry first.
    IReadOnlyList<PresenceEntry> OnlineLocked(long studyId)
    {
        var local = LocalLocked(studyId);
        var others = _others.Where(o => o.Key.StudyId == studyId).SelectMany(o => o.Value.Online).ToList();
        if (others.Count == 0) return local;
        return local.Concat(others)
            .GroupBy(e => e.UserId)
            .Select(user => user.OrderByDescending(e => e.Connected).First() with { Since = user.Min(e => e.Since), Connected = user.Any(e => e.Connected) })
            .OrderBy(e => e.Role).ThenBy(e => e.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    // Published under the lock so that listeners receive the lists in the order they were made.
    void PublishLocked(long studyId)
    {
        events.Publish(new PresenceChanged(studyId, OnlineLocked(studyId)));
        LocalChanged?.Invoke(studyId, LocalLocked(studyId));
    }

    // Another node's news: its relay already told the hub clients, so only this node's pages hear it.
    void PublishMergedLocked(long studyId) => events.PublishRemote(new PresenceChanged(studyId, OnlineLocked(studyId)));
}
