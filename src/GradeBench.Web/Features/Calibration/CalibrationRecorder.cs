using GradeBench.Core.Studies;
using GradeBench.Storage.Calibration;
using GradeBench.Web.Features.Live;

namespace GradeBench.Web.Features.Calibration;

/// <summary>Calibration writes from the page and the hub: stored first, then announced as <see cref="CalibrationChanged"/>
/// (counts and phase only, so safe for raters), so nobody hears of a change that is not on disk. A round waits for the
/// raters of the study connected when it starts.</summary>
public sealed class CalibrationRecorder(CalibrationStore store, PresenceTracker presence, StudyEvents events)
{
    public Task<CalibrationChange> CreateSessionAsync(long studyId, long actorId, CancellationToken ct = default) =>
        AnnounceAsync(studyId, store.CreateSessionAsync(studyId, actorId, ct));

    public Task<CalibrationChange> AddItemAsync(long studyId, long actorId, long responseId, CancellationToken ct = default) =>
        AnnounceAsync(studyId, store.AddItemAsync(studyId, actorId, responseId, ct));

    public Task<CalibrationChange> RemoveItemAsync(long studyId, long actorId, long itemId, CancellationToken ct = default) =>
        AnnounceAsync(studyId, store.RemoveItemAsync(studyId, actorId, itemId, ct));

    public Task<CalibrationChange> SetGoldAsync(long studyId, long actorId, long itemId, IReadOnlyDictionary<string, string?> values,
        CancellationToken ct = default) =>
        AnnounceAsync(studyId, store.SetGoldAsync(studyId, actorId, itemId, values, ct));

    public Task<CalibrationChange> StartRoundAsync(long studyId, long actorId, long itemId, CancellationToken ct = default) =>
        AnnounceAsync(studyId, store.StartRoundAsync(studyId, actorId, itemId, ConnectedRaters(studyId), ct));

    public Task<CalibrationChange> NextRoundAsync(long studyId, long actorId, CancellationToken ct = default) =>
        AnnounceAsync(studyId, store.NextRoundAsync(studyId, actorId, ConnectedRaters(studyId), ct));

    public Task<CalibrationChange> RevealAsync(long studyId, long actorId, CancellationToken ct = default) =>
        AnnounceAsync(studyId, store.RevealAsync(studyId, actorId, ct));

    public Task<CalibrationChange> EndSessionAsync(long studyId, long actorId, CancellationToken ct = default) =>
        AnnounceAsync(studyId, store.EndSessionAsync(studyId, actorId, ct));

    public Task<CalibrationChange> SubmitAsync(long studyId, long raterId, long itemId, IReadOnlyDictionary<string, string?> values,
        CancellationToken ct = default) =>
        AnnounceAsync(studyId, store.SubmitAsync(studyId, raterId, itemId, values, ct));

    /// <summary>The raters connected to the study now (the store keeps only those who are its raters).</summary>
    public IReadOnlyList<long> ConnectedRaters(long studyId) =>
        presence.Online(studyId).Where(e => e.Connected && e.Role == StudyRoles.Rater).Select(e => e.UserId).ToList();

    async Task<CalibrationChange> AnnounceAsync(long studyId, Task<CalibrationChange> write)
    {
        var change = await write;
        if (change.Status is { } status)
            events.Publish(new CalibrationChanged(studyId, status.SessionId, status.Phase, status.ItemId, (int)status.Submitted, (int)status.Expected));
        return change;
    }

    /// <summary>A refusal as one sentence, with the criteria at fault.</summary>
    public static string Describe(CalibrationChange change) =>
        change.Problems.Count == 0
            ? change.Message ?? ""
            : $"{change.Message} {string.Join("; ", change.Problems.Select(p => $"{p.Key}: {p.Value}"))}";
}
