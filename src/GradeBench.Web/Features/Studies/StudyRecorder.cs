using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Features.Adjudication;
using GradeBench.Web.Features.Live;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Studies;

public sealed record StudyStateResult(StudyStateChanged? Changed, string? Refusal);

/// <summary>State changes of a study, from the dashboard or the hub: stored, then announced to everyone connected,
/// so a paused study stops every rater's page at once; and removals of members, which end the removed person's open
/// pages and hub connections of the study at once.</summary>
public sealed class StudyRecorder(StudyLifecycleStore lifecycle, StudySetupStore setup, StudyEvents events, AdjudicationRecorder adjudication,
    RevocationFeed revocations, StudyCompletionQuery completion, TimeProvider clock, IStringLocalizer<StudiesText> text)
{
    public async Task<RemovalResult> RemoveMemberAsync(long studyId, long actorId, long userId, CancellationToken ct = default)
    {
        var result = await setup.RemoveMemberAsync(studyId, actorId, userId, ct);
        if (result.Refusal is not null) return result;
        // Stored: cutting the removed person off must not turn a done removal into a reported failure.
        await revocations.CheckNowAsync(CancellationToken.None);
        events.Publish(new MemberRemoved(studyId, userId, result.Name, clock.GetUtcNow()));
        if (result.Calibration is { } round)
            events.Publish(new CalibrationChanged(studyId, round.SessionId, round.Phase, round.ItemId, (int)round.Submitted, (int)round.Expected));
        return result;
    }

    /// <summary>Any move but closing, which needs the typed study id (<see cref="CloseAsync"/>).</summary>
    public async Task<StudyStateResult> ChangeStateAsync(long studyId, long actorId, StudyState to, CancellationToken ct = default)
    {
        if (to == StudyState.Closed) return new StudyStateResult(null, text["CloseNeedsTypedId"]);
        var result = Announce(studyId, await lifecycle.ChangeStateAsync(studyId, actorId, to, ct), to);
        // Entering adjudication queues the responses that need it (idempotent, so going back to open and returning is safe).
        if (result.Changed is not null && to == StudyState.Adjudication) await adjudication.BuildQueueAsync(studyId, ct);
        return result;
    }

    /// <summary>What is not done yet, read fresh for the coordinator who is about to end rating or close the study.</summary>
    public Task<StudyCompletion?> CompletionAsync(long studyId, CancellationToken ct = default) => completion.ReadAsync(studyId, ct);

    /// <summary>Closes the study for good when <paramref name="typedId"/> is its id as the coordinator typed it.</summary>
    public async Task<StudyStateResult> CloseAsync(long studyId, long actorId, string? typedId, CancellationToken ct = default) =>
        Announce(studyId, await lifecycle.CloseAsync(studyId, actorId, typedId, ct), StudyState.Closed);

    public async Task<StudyStateResult> SetPausedAsync(long studyId, long actorId, bool paused, CancellationToken ct = default) =>
        Announce(studyId, await lifecycle.SetPausedAsync(studyId, actorId, paused, ct), to: null);

    /// <param name="to">The state asked for; null for a pause or a resumption.</param>
    StudyStateResult Announce(long studyId, StudyChange change, StudyState? to)
    {
        if (change is not { Outcome: StudyChangeOutcome.Changed, Status: { } status }) return new StudyStateResult(null, Refusal(change, to));
        var changed = new StudyStateChanged(studyId, StudyLifecycle.Name(status.State), status.Paused, clock.GetUtcNow());
        events.Publish(changed);
        return new StudyStateResult(changed, null);
    }

    /// <summary>The store's refusal in the interface's language (the store's English words follow its outcome and the
    /// change asked for).</summary>
    string? Refusal(StudyChange change, StudyState? to) => (change.Outcome, change.Status, to) switch
    {
        (StudyChangeOutcome.NotCoordinator, _, null) => text["NotCoordinatorPause"],
        (StudyChangeOutcome.NotCoordinator, _, _) => text["NotCoordinatorState"],
        (StudyChangeOutcome.NotConfirmed, _, _) => text["CloseTypeId"],
        (StudyChangeOutcome.NotAllowed, null, _) => text["ChangedMeanwhile"],
        (StudyChangeOutcome.NotAllowed, _, null) => text["OnlyOpenPaused"],
        (StudyChangeOutcome.NotAllowed, { } status, { } target) =>
            text["CannotBecome", text[$"State_{StudyLifecycle.Name(status.State)}"], text[$"State_{StudyLifecycle.Name(target)}"]],
        _ => change.Message,
    };
}
