using GradeBench.Storage.Grading;
using GradeBench.Storage.Pairwise;
using GradeBench.Web.Features.Flags;
using GradeBench.Web.Features.Live;

namespace GradeBench.Web.Features.Grading;

/// <summary>A rater's flag on one answer of a side-by-side pair: stored as the answer's flag (<see cref="PairAnswerFlags"/>),
/// then announced as <see cref="FlagRecorder"/> announces a flag on a single answer (<see cref="FlagChanged"/>, to the
/// coordinators and the rater), after the commit; replies and resolutions go through <see cref="FlagRecorder"/>.</summary>
public sealed class PairFlagRecorder(PairAnswerFlags flags, ResponseHandleQuery handles, StudyEvents events, TimeProvider clock)
{
    /// <summary>False when the store refuses the flag.</summary>
    public async Task<bool> AddAsync(long studyId, long raterId, long pairId, long responseId, string note, CancellationToken ct = default)
    {
        if (await flags.AddAsync(studyId, raterId, pairId, responseId, note, ct) is not { } flagId) return false;
        events.Publish(new FlagChanged(studyId, flagId, responseId, await handles.HandleAsync(responseId, CancellationToken.None), raterId, "raised",
            clock.GetUtcNow()));
        return true;
    }
}
