using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Adjudication;

namespace GradeBench.Web.Features.Live;

public sealed record StudyControlResult(StudyStateChanged? Changed, string? Refusal);

/// <summary>State changes of a study, from the dashboard or the hub: stored, then announced to everyone connected,
/// so a paused study stops every rater's page at once.</summary>
public sealed class StudyControl(StudyLifecycleStore lifecycle, StudyEvents events, AdjudicationRecorder adjudication, TimeProvider clock)
{
    public async Task<StudyControlResult> ChangeStateAsync(long studyId, long actorId, StudyState to, CancellationToken ct = default)
    {
        var result = Announce(studyId, await lifecycle.ChangeStateAsync(studyId, actorId, to, ct));
        // Entering adjudication queues the responses that need it (idempotent, so going back to open and returning is safe).
        if (result.Changed is not null && to == StudyState.Adjudication) await adjudication.BuildQueueAsync(studyId, ct);
        return result;
    }

    public async Task<StudyControlResult> SetPausedAsync(long studyId, long actorId, bool paused, CancellationToken ct = default) =>
        Announce(studyId, await lifecycle.SetPausedAsync(studyId, actorId, paused, ct));

    StudyControlResult Announce(long studyId, StudyChange change)
    {
        if (change is not { Outcome: StudyChangeOutcome.Changed, Status: { } status }) return new StudyControlResult(null, change.Message);
        var changed = new StudyStateChanged(studyId, StudyLifecycle.Name(status.State), status.Paused, clock.GetUtcNow());
        events.Publish(changed);
        return new StudyControlResult(changed, null);
    }
}
