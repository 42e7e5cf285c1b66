using GradeBench.Storage.Adjudication;
using GradeBench.Web.Features.Adjudication;
using Microsoft.AspNetCore.SignalR;

namespace GradeBench.Web.Features.Live;

public sealed partial class StudyHub
{
    /// <summary>Posts to the discussion of the adjudication item of the response <paramref name="response"/> (its
    /// handle) names: a coordinator, or a rater of that response while the study is in adjudication. Every check is the
    /// store's, against the database, on every call.</summary>
    public async Task<AdjudicationMessagePosted> PostAdjudicationMessage(long studyId, string response, string body, AdjudicationRecorder adjudication)
    {
        await AccessAsync(studyId);
        var itemId = await adjudication.ItemIdAsync(studyId, response, Context.ConnectionAborted);
        var posted = itemId is { } id
            ? await adjudication.PostMessageAsync(studyId, id, UserId, body, Context.ConnectionAborted)
            : new MessagePosted(AdjudicationOutcome.NotFound, null, 0, []);
        if (posted is not { Outcome: AdjudicationOutcome.Done, Message: { } message })
            throw new HubException(posted.Outcome == AdjudicationOutcome.NotFound ? $"No adjudication item for response {response} in study {studyId}." : posted.Problem);
        return new AdjudicationMessagePosted(studyId, itemId!.Value, posted.ResponseId, response, message.AuthorId, message.AuthorName, message.Body,
            message.At, posted.Participants);
    }

    /// <summary>Posts to the discussion of the adjudication item of the side-by-side pair <paramref name="pair"/> (its
    /// handle) names: a coordinator, or a rater of that pair while the study is in adjudication. Checked as
    /// <see cref="PostAdjudicationMessage"/>.</summary>
    public async Task<AdjudicationMessagePosted> PostPairAdjudicationMessage(long studyId, string pair, string body, AdjudicationRecorder adjudication)
    {
        await AccessAsync(studyId);
        var itemId = await adjudication.PairItemIdAsync(studyId, pair, Context.ConnectionAborted);
        var posted = itemId is { } id
            ? await adjudication.PostMessageAsync(studyId, id, UserId, body, Context.ConnectionAborted)
            : new MessagePosted(AdjudicationOutcome.NotFound, null, 0, []);
        if (posted is not { Outcome: AdjudicationOutcome.Done, Message: { } message })
            throw new HubException(posted.Outcome == AdjudicationOutcome.NotFound ? $"No adjudication item for pair {pair} in study {studyId}." : posted.Problem);
        return new AdjudicationMessagePosted(studyId, itemId!.Value, posted.ResponseId, pair, message.AuthorId, message.AuthorName, message.Body,
            message.At, posted.Participants);
    }
}
