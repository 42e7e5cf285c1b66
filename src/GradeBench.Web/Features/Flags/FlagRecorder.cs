using GradeBench.Storage.Grading;
using GradeBench.Web.Features.Live;

namespace GradeBench.Web.Features.Flags;

/// <summary>Every flag write goes through here: the store checks who may do it and commits, then the coordinators and
/// the rater who sent the flag hear of it (<see cref="FlagChanged"/>), after the commit.</summary>
public sealed class FlagRecorder(FlagStore store, ResponseHandleQuery handles, StudyEvents events, TimeProvider clock)
{
    /// <summary>The rater's flag on a response assigned to them; false when the store refuses it.</summary>
    public async Task<bool> AddAsync(long studyId, long raterId, long responseId, string note, CancellationToken ct = default)
    {
        if (await store.AddAsync(studyId, raterId, responseId, note, ct) is not { } flagId) return false;
        events.Publish(new FlagChanged(studyId, flagId, responseId, await handles.HandleAsync(responseId, CancellationToken.None), raterId, "raised", clock.GetUtcNow()));
        return true;
    }

    public async Task<FlagChange> ReplyAsync(long studyId, long flagId, long userId, string? body, CancellationToken ct = default) =>
        await AnnounceAsync(studyId, await store.ReplyAsync(studyId, flagId, userId, body, ct), "replied");

    public async Task<FlagChange> ResolveAsync(long studyId, long flagId, long userId, CancellationToken ct = default) =>
        await AnnounceAsync(studyId, await store.ResolveAsync(studyId, flagId, userId, ct), "resolved");

    async Task<FlagChange> AnnounceAsync(long studyId, FlagChange change, string what)
    {
        if (change.Outcome == FlagOutcome.Done)
            events.Publish(new FlagChanged(studyId, change.FlagId, change.ResponseId, await handles.HandleAsync(change.ResponseId, CancellationToken.None),
                change.RaterId, what, clock.GetUtcNow()));
        return change;
    }
}
