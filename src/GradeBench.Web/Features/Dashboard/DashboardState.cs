using System.Globalization;
using GradeBench.Core.Messages;
using GradeBench.Core.Studies;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Components;
using GradeBench.Web.Features.Studies;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Dashboard;

/// <summary>What one open dashboard shows of a study, for its coordinators: progress per rater, model and criterion
/// (in a side-by-side study: pairs per rater, pair of models and axis), agreement, who is online and recent activity,
/// kept current by the study's events. Counts are asked for again at most once per <see cref="CountsReloadDelay"/>
/// however many submits arrive; the page is told through <see cref="CountsReloadDue"/> and asks on its own context with
/// <see cref="ReloadCountsAsync"/>. The counts over
/// all assignments and ratings are never read on this path: they come from <see cref="DashboardCounts"/>, at once when
/// known for the data as it is now, else when read off the request path (<see cref="CountsComputing"/> until then, the
/// page told through <see cref="CountsReadDue"/>). Its texts are in the page's language (<paramref name="text"/>, and
/// <paramref name="messages"/> for Core's, read in the current UI culture: <see cref="LiveComponent"/> runs live work in
/// the circuit's). Not thread-safe: the page calls it from its renderer's context only.</summary>
public sealed class DashboardState(StudyQuery studies, DashboardQuery progress, DashboardCounts counts, StudyRecorder recorder,
    AgreementMonitor agreementMonitor, PresenceTracker presenceTracker, PairwiseStore pairwise, TimeProvider clock, IStringLocalizer<DashboardText> text,
    IStringLocalizer<MessageText> messages)
    : IDisposable
{
    /// <summary>Open items and no saved change for this long: the rater is shown as stalled.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromDays(2);
    public static readonly TimeSpan CountsReloadDelay = TimeSpan.FromMilliseconds(250);
    public const int FeedLength = 20;

    readonly Dictionary<long, string> _responseNames = [];
    long _studyId;
    ITimer? _countsReload;
    IReadOnlyList<RaterActivity> _raterActivity = [];
    Task<ProgressCounts>? _countsRead;

    public StudyAccess? Access { get; private set; }
    /// <summary>A side-by-side study: its counts are of pairs, per pair of models and per axis (<see cref="ProgressCounts"/>),
    /// and it has no agreement per criterion.</summary>
    public bool Pairwise { get; private set; }
    /// <summary>A note-only study: its counts are of cases, and it has neither models, criteria nor agreement on criteria.</summary>
    public bool NoteOnly { get; private set; }
    public string? Refusal { get; private set; }
    public string? ControlMessage { get; private set; }
    /// <summary>The study's raters; their counts are those of <see cref="CountsKnown"/>.</summary>
    public IReadOnlyList<RaterProgress>? Raters { get; private set; }
    /// <summary>Counts have been read for this study (maybe of older data, while <see cref="CountsComputing"/>).</summary>
    public bool CountsKnown { get; private set; }
    /// <summary>The counts shown are not yet those of the data as it is now: their regions are aria-busy.</summary>
    public bool CountsComputing { get; private set; }
    public IReadOnlyList<GroupProgress> Models { get; private set; } = [];
    public IReadOnlyList<GroupProgress> Criteria { get; private set; } = [];
    public IReadOnlyList<PresenceEntry> Presence { get; private set; } = [];
    public AgreementUpdated? Agreement { get; private set; }
    /// <summary>The agreement shown (if any) is not yet that of the data as it is now: its region is aria-busy.</summary>
    public bool AgreementComputing { get; private set; }
    /// <summary>What happened, newest first, in the reader's language: read from the database as the page loads, then
    /// written from events.</summary>
    public List<ActivityLine> Activity { get; private set; } = [];
    public long StudyDone { get; private set; }
    public long StudyAssigned { get; private set; }

    /// <summary>Called, from a timer, when a burst of changes has settled and the counts should be read again.</summary>
    public Func<Task>? CountsReloadDue { get; set; }

    /// <summary>Called, off the renderer's context, when counts read off the request path are ready: the page shows them
    /// with <see cref="ShowReadCountsAsync"/>. Unset (prerendering): nobody waits for them.</summary>
    public Func<Task>? CountsReadDue { get; set; }

    public StudyState State => StudyLifecycle.Parse(Access!.State);

    /// <summary>Reads everything again, after checking that the user still coordinates the study (a reconnection can come
    /// after a removal or a change of role); false, with everything cleared and <see cref="Refusal"/> set, when they do
    /// not. <paramref name="live"/>: also who is online (for a live page; a prerendered one shows nobody). The counts and
    /// the agreement are shown when known for the data as it is now, else asked for off the request path.</summary>
    public async Task<bool> LoadAsync(long studyId, long userId, bool live)
    {
        _studyId = studyId;
        if (await studies.AccessAsync(studyId, userId) is not { IsCoordinator: true } current)
        {
            Refusal = text["Refusal"];
            (Access, Raters, Models, Criteria, Presence, Agreement, AgreementComputing) = (null, null, [], [], [], null, false);
            (_raterActivity, _countsRead, CountsKnown, CountsComputing) = ([], null, false, false);
            Activity.Clear();
            _responseNames.Clear();
            return false;
        }
        (Access, Refusal) = (current, null);
        Pairwise = await pairwise.IsPairwiseAsync(studyId);
        NoteOnly = await studies.IsNoteOnlyAsync(studyId);
        await ReadCountsAsync(studyId);
        Activity = (await progress.RecentActivityAsync(studyId, FeedLength)).Select(e => new ActivityLine(e.At, Say(e), e.Batch)).ToList();
        if (live)
        {
            Presence = presenceTracker.Online(studyId);
            await ReadResponseNamesAsync(studyId);
        }
        // Known for the data as it is now, or computed off this path and delivered as AgreementUpdated. Pairs have no
        // criteria to agree on.
        if (Pairwise || NoteOnly) return true;
        var known = await agreementMonitor.KnownAsync(studyId);
        (Agreement, AgreementComputing) = (known ?? Agreement, known is null);
        return true;
    }

    // Only the items someone has open are named: a large study has 100,000 responses.
    async Task ReadResponseNamesAsync(long studyId)
    {
        var missing = Presence.Where(p => p.ResponseId is { } r && !_responseNames.ContainsKey(r)).Select(p => p.ResponseId!.Value).Distinct().ToList();
        foreach (var (id, slug) in await progress.ResponseSlugsAsync(studyId, missing)) _responseNames[id] = slug;
    }

    // Who rates and when they last worked is read here (cheap); the counts are shown if known, else asked for.
    async Task ReadCountsAsync(long studyId)
    {
        _raterActivity = await progress.RaterActivityAsync(studyId);
        var read = _countsRead = await counts.CurrentAsync(studyId);
        if (read.IsCompletedSuccessfully)
        {
            Show(read.Result, computing: false);
            return;
        }
        // Older counts, if any, stay in view (busy) until the new ones arrive.
        if (counts.Last(studyId) is { } last) Show(last, computing: true);
        else ShowWithoutCounts();
        if (CountsReadDue is { } due) _ = read.ContinueWith(_ => due(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Shows the counts read off the request path, unless newer ones were asked for since (they will follow).</summary>
    public async Task ShowReadCountsAsync()
    {
        if (Access is null || _countsRead is not { } read) return;
        var shown = await read;
        if (read == _countsRead) Show(shown, computing: false);
    }

    void Show(ProgressCounts shown, bool computing)
    {
        Raters = _raterActivity.Select(r =>
        {
            var (assigned, done) = shown.Raters.GetValueOrDefault(r.RaterId);
            return new RaterProgress { RaterId = r.RaterId, Name = r.Name, LastActivity = r.LastActivity, Assigned = assigned, Done = done };
        }).ToList();
        (StudyDone, StudyAssigned) = (Raters.Sum(r => r.Done), Raters.Sum(r => r.Assigned));
        (Models, Criteria, CountsKnown, CountsComputing) = (shown.Models, shown.Criteria, true, computing);
    }

    void ShowWithoutCounts()
    {
        Raters = _raterActivity.Select(r => new RaterProgress { RaterId = r.RaterId, Name = r.Name, LastActivity = r.LastActivity }).ToList();
        (StudyDone, StudyAssigned, Models, Criteria, CountsKnown, CountsComputing) = (0, 0, [], [], false, true);
    }

    /// <summary>The events that change what a dashboard shows.</summary>
    public static bool Shows(StudyEvent studyEvent) => studyEvent is RatingSubmitted or PairSubmitted or ProgressChanged or PresenceChanged
        or AgreementUpdated or StudyStateChanged or SafetyAlertRaised or MemberRemoved or JudgeRated or SpansChanged;

    /// <summary>Takes in one of the study's events; false when it changes nothing shown.</summary>
    public bool Apply(StudyEvent studyEvent)
    {
        if (Access is null) return false; // refused since; an event already queued finds nothing to update
        switch (studyEvent)
        {
            case RatingSubmitted e:
                Log(e.At, text["LogSubmitted", e.RaterName, e.ResponseSlug]);
                return true;
            case PairSubmitted e:
                Log(e.At, text["LogPairSubmitted", e.RaterName, e.Pair]);
                return true;
            case ProgressChanged e:
                Raters = Raters?.Select(r => r.RaterId == e.RaterId ? r with { Done = e.RaterDone, Assigned = e.RaterAssigned, LastActivity = clock.GetUtcNow() } : r).ToList();
                (StudyDone, StudyAssigned) = (Raters?.Sum(r => r.Done) ?? 0, Raters?.Sum(r => r.Assigned) ?? 0);
                QueueCountsReload();
                return true;
            case SpansChanged e:
                // Marking is work too: the rater's last activity, as the next reload of the table will say.
                Raters = Raters?.Select(r => r.RaterId == e.RaterId ? r with { LastActivity = e.At } : r).ToList();
                return Raters?.Any(r => r.RaterId == e.RaterId) == true;
            case PresenceChanged e:
                Presence = e.Online;
                // A rater who joined since the page loaded (an invite taken up) gets their row.
                if (e.Online.Any(p => p.Role == StudyRoles.Rater && Raters?.All(r => r.RaterId != p.UserId) == true)) QueueCountsReload();
                // An item nobody had open before is named with the next reload.
                if (e.Online.Any(p => p.ResponseId is { } r && !_responseNames.ContainsKey(r))) QueueCountsReload();
                return true;
            case AgreementUpdated e:
                (Agreement, AgreementComputing) = (e, false);
                return true;
            case StudyStateChanged e:
                Access = Access with { State = e.State, Paused = e.Paused };
                Log(e.At, text["LogNow" + StateWord(e.Paused ? ActivityEntry.Paused : e.State)]);
                return true;
            case SafetyAlertRaised e:
                Log(e.At, text["LogSafetyAlert", e.RaterName, e.ResponseSlug, e.Trigger]);
                return true;
            case MemberRemoved e:
                Log(e.At, text["LogRemoved", e.Name]);
                QueueCountsReload();
                return true;
            case JudgeRated e:
                // The burst's line moves to the top with its new count rather than a line per response.
                Activity.RemoveAll(line => line.Batch == e.Batch);
                Log(e.At, JudgeText(JudgeBatch.Api, e.JudgeName, e.Responses), e.Batch);
                return true;
            default:
                return false;
        }
    }

    // Counts per rater, model and criterion are re-read from the database once per burst of submits, not once each.
    void QueueCountsReload()
    {
        if (_countsReload is not null) return;
        _countsReload = clock.CreateTimer(_ => CountsReloadDue?.Invoke(), null, CountsReloadDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Reads the counts the last burst of events changed (see <see cref="CountsReloadDue"/>).</summary>
    public async Task ReloadCountsAsync()
    {
        _countsReload?.Dispose();
        _countsReload = null;
        if (Access is null) return;
        await ReadCountsAsync(_studyId);
        await ReadResponseNamesAsync(_studyId);
    }

    /// <summary>A read entry in words; who made a change is named when still known.</summary>
    string Say(ActivityEntry entry) => entry.Kind switch
    {
        ActivityEntry.Submitted => text["LogSubmitted", entry.Who ?? "", entry.Subject],
        ActivityEntry.PairSubmitted => text["LogPairSubmitted", entry.Who ?? "", entry.Subject],
        ActivityEntry.Judge => JudgeText(entry.Subject, entry.Who ?? "", entry.Count),
        _ => entry.Who is { } who ? text["LogBy" + StateWord(entry.Subject), who] : text["LogNow" + StateWord(entry.Subject)],
    };

    /// <summary>A judge's batch in words: a burst through the API or an import, of one response or several.</summary>
    string JudgeText(string source, string judge, long responses) => source == JudgeBatch.Import
        ? responses == 1 ? text["LogJudgeImportedOne", judge] : text["LogJudgeImported", judge, responses]
        : responses == 1 ? text["LogJudgeRatedOne", judge] : text["LogJudgeRated", judge, responses];

    /// <summary>The key suffix of a state or <c>paused</c>: <c>Paused</c>, <c>Draft</c>, <c>Open</c>, <c>Adjudication</c>, <c>Closed</c>.</summary>
    static string StateWord(string state) => state == ActivityEntry.Paused ? "Paused" : StudyLifecycle.Parse(state).ToString();

    void Log(DateTimeOffset at, string entry, long? batch = null)
    {
        Activity.Insert(0, new ActivityLine(at, entry, batch));
        if (Activity.Count > FeedLength) Activity.RemoveAt(Activity.Count - 1);
    }

    public async Task ChangeStateAsync(long userId, StudyState to) =>
        Show(await recorder.ChangeStateAsync(_studyId, userId, to));

    public async Task SetPausedAsync(long userId, bool paused) =>
        Show(await recorder.SetPausedAsync(_studyId, userId, paused));

    void Show(StudyStateResult result)
    {
        ControlMessage = result.Refusal;
        if (result.Changed is { } changed) Access = Access! with { State = changed.State, Paused = changed.Paused };
    }

    public string StateText => Access!.Paused ? text["StatePaused"] : State switch
    {
        StudyState.Draft => text["StateDraft"],
        StudyState.Open => text["StateOpen"],
        StudyState.Adjudication => text["StateAdjudication"],
        _ => text["StateClosed"],
    };

    public string MoveLabel(StudyState to) => to switch
    {
        StudyState.Open => text["MoveOpen"],
        StudyState.Adjudication => text["MoveAdjudication"],
        StudyState.Closed => text["MoveClose"],
        _ => to.ToString(),
    };

    public string ResponseName(long responseId) => _responseNames.GetValueOrDefault(responseId) ?? text["ResponseNumber", responseId];

    public string PresenceText(PresenceEntry? online) => online switch
    {
        null => text["Offline"],
        { Connected: false } => text["Reconnecting"],
        { ResponseId: { } r } => text["OnlineOn", ResponseName(r)],
        _ => text["Online"],
    };

    /// <summary>A role as shown beside a name online; a role this page does not know is shown as stored.</summary>
    public string RoleName(string role) => text["Role_" + role] is { ResourceNotFound: false } name ? name : role;

    /// <summary>A level of measurement as the agreement table shows it.</summary>
    public string LevelName(string level) => text["Level_" + level] is { ResourceNotFound: false } name ? name : level;

    /// <summary>Why a criterion has no alpha or interval (<see cref="CriterionAlpha.Reason"/>), in the page's language.</summary>
    public string Reason(Message reason) => messages.Say(reason);

    public string ActivityText(RaterProgress rater, PresenceEntry? online)
    {
        // Done items without any work of the rater's own were imported from a bundle: the rater did start, elsewhere.
        if (rater.LastActivity is not { } last) return rater.Done > 0 ? text["ImportedOnly"] : online is null ? text["NotStarted"] : "—";
        var idle = clock.GetUtcNow() - last;
        var stalled = rater.Done < rater.Assigned && idle > StalledAfter && online is null;
        return stalled ? text["Stalled", (int)idle.TotalDays] : Time(last);
    }

    public string Time(DateTimeOffset at) =>
        RecentTime(at) ?? text["TimeUtc", at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.CurrentCulture)];

    /// <summary>"just now" or "5 min ago" within the hour, else null (an older moment is shown as a time).</summary>
    public string? RecentTime(DateTimeOffset at)
    {
        var ago = clock.GetUtcNow() - at;
        if (ago < TimeSpan.FromMinutes(1)) return text["JustNow"];
        return ago < TimeSpan.FromHours(1) ? text["MinutesAgo", (int)ago.TotalMinutes].Value : null;
    }

    public void Dispose() => _countsReload?.Dispose();
}

/// <summary>One line of the dashboard's activity feed; <see cref="Batch"/> names a judge's batch, whose line is replaced as it grows.</summary>
public sealed record ActivityLine(DateTimeOffset At, string Text, long? Batch = null);
