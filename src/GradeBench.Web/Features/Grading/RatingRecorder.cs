using GradeBench.Storage.Grading;
using GradeBench.Storage.Dashboard;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Live;

namespace GradeBench.Web.Features.Grading;

/// <summary>Saves a rater's rating (the grading page and the API both come here) and, once a submitted rating is on
/// disk, tells the live views: the event goes out after the commit, so nobody hears of a rating that is not stored.
/// Any change also tells the rater's other open tabs (<see cref="RatingChanged"/>).</summary>
public sealed class RatingRecorder(GradingStore grading, DashboardQuery dashboard, DashboardCounts counts, StudyEvents events, TimeProvider clock)
{
    /// <param name="origin">The grading page that writes, which ignores its own <see cref="RatingChanged"/>; null for the API.</param>
    /// <param name="explanations">By criterion id, the writer's explanations (<see cref="GradingStore.SaveAsync"/>).</param>
    public async Task<RatingWriteResult> SaveAsync(long studyId, long raterId, long responseId, IReadOnlyDictionary<string, string?> values,
        bool submit, CancellationToken ct = default, string? origin = null, IReadOnlyDictionary<string, string?>? explanations = null)
    {
        var result = await grading.SaveAsync(studyId, raterId, responseId, values, submit, ct, explanations);
        if (result is { Outcome: RatingWriteOutcome.Saved, Wrote: true })
            events.Publish(new RatingChanged(studyId, raterId, responseId, origin));
        // A judge's submissions are not the physicians' progress, nor listed one by one: the feed's line of its burst grows.
        if (result is { Outcome: RatingWriteOutcome.Saved, JudgeBatch: { } batch })
            events.Publish(new JudgeRated(studyId, batch.Id, batch.JudgeName, batch.Responses, batch.At));
        if (result is { Outcome: RatingWriteOutcome.Saved, Submitted: true, ByJudge: false })
        {
            if (result.Progress is { } progress) counts.Apply(studyId, progress);
            // The rating is stored: announcing it must not turn a saved rating into a reported failure.
            var facts = await dashboard.SubmissionAsync(studyId, raterId, responseId, CancellationToken.None);
            events.Publish(new RatingSubmitted(studyId, raterId, facts.RaterName, responseId, facts.ResponseSlug, clock.GetUtcNow()));
            events.Publish(new ProgressChanged(studyId, raterId, facts.RaterDone, facts.RaterAssigned));
            foreach (var alert in result.SafetyAlerts)
                events.Publish(new SafetyAlertRaised(studyId, alert.AlertId, alert.ResponseId, alert.ResponseSlug, alert.RaterId, alert.RaterName,
                    alert.Trigger, alert.At));
        }
        return result;
    }
}
