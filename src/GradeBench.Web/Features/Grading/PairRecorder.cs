using GradeBench.Storage.Pairwise;
using GradeBench.Web.Features.Live;

namespace GradeBench.Web.Features.Grading;

/// <summary>Saves a rater's judgement of a side-by-side pair and, once it is on disk, tells the live views, as
/// <see cref="RatingRecorder"/> does for single answers: any change tells the rater's other open tabs
/// (<see cref="PairChanged"/>); a submission (or a change to a submitted judgement) tells the coordinators who and
/// which pair (<see cref="PairSubmitted"/>) and the rater's progress on pairs (<see cref="ProgressChanged"/>).</summary>
public sealed class PairRecorder(PairwiseStore pairs, StudyEvents events, TimeProvider clock)
{
    /// <param name="origin">The page that writes, which ignores its own <see cref="PairChanged"/>.</param>
    public async Task<PairWriteResult> SaveAsync(long studyId, long raterId, long pairId, string pairHandle, PairJudgement judgement, bool submit,
        string? origin, CancellationToken ct = default)
    {
        var result = await pairs.SaveAsync(studyId, raterId, pairId, judgement, submit, ct);
        if (result is { Outcome: PairWriteOutcome.Saved, Wrote: true })
            events.Publish(new PairChanged(studyId, raterId, pairId, origin));
        if (result is { Outcome: PairWriteOutcome.Saved, Submitted: true })
        {
            // The judgement is stored: announcing it must not turn a saved judgement into a reported failure.
            var facts = await pairs.SubmissionAsync(studyId, raterId, CancellationToken.None);
            events.Publish(new PairSubmitted(studyId, raterId, facts.RaterName, pairId, pairHandle, clock.GetUtcNow()));
            events.Publish(new ProgressChanged(studyId, raterId, facts.RaterDone, facts.RaterAssigned));
        }
        return result;
    }
}
