using GradeBench.Storage.Adjudication;
using GradeBench.Web.Features.Adjudication;
using Microsoft.AspNetCore.SignalR;

namespace GradeBench.Web.Features.Live;

public sealed partial class StudyHub
{
    /// <summary>Posts to the discussion of an adjudication item: a coordinator, or a rater of that response while the
    /// study is in adjudication. Every check is the store's, against the database, on every call.</summary>
    public async Task<AdjudicationMessagePosted> PostAdjudicationMessage(long studyId, long itemId, string body, AdjudicationRecorder adjudication)
    {
        await AccessAsync(studyId);
        var posted = await adjudication.PostMessageAsync(studyId, itemId, UserId, body, Context.ConnectionAborted);
        if (posted is not { Outcome: AdjudicationOutcome.Done, Message: { } message })
            throw new HubException(posted.Outcome == AdjudicationOutcome.NotFound ? $"No adjudication item {itemId} in study {studyId}." : posted.Problem);
        return new AdjudicationMessagePosted(studyId, itemId, posted.ResponseId, message.AuthorId, message.AuthorName, message.Body, message.At, posted.Participants);
    }
}
