using GradeBench.Storage.Adjudication;
using GradeBench.Web.Features.Live;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>Every write of the adjudication pages and the hub goes through here: the store checks who may do it and
/// commits, then the live views hear of it. Events go out after the commit, and only to the coordinators and the raters
/// of the response (or side-by-side pair) concerned, which they name by its handle.</summary>
public sealed class AdjudicationRecorder(AdjudicationStore store, SafetyAlertStore alerts, StudyEvents events)
{
    /// <summary>Queues the responses and pairs that need adjudication (idempotent) and announces each new item.</summary>
    public async Task<IReadOnlyList<QueuedItem>> BuildQueueAsync(long studyId, CancellationToken ct = default)
    {
        var added = await store.BuildQueueAsync(studyId, ct);
        foreach (var item in added)
            events.Publish(new AdjudicationChanged(studyId, item.ItemId, item.ResponseId, await HandleAsync(item.ItemId), item.Status, item.Participants));
        return added;
    }

    /// <summary>The item of the response a handle names (see <see cref="AdjudicationStore.ItemIdAsync"/>).</summary>
    public Task<long?> ItemIdAsync(long studyId, string? handle, CancellationToken ct = default) => store.ItemIdAsync(studyId, handle, ct);

    /// <summary>The item of the pair a handle names (see <see cref="AdjudicationStore.PairItemIdAsync"/>).</summary>
    public Task<long?> PairItemIdAsync(long studyId, string? handle, CancellationToken ct = default) => store.PairItemIdAsync(studyId, handle, ct);

    public async Task<MessagePosted> PostMessageAsync(long studyId, long itemId, long userId, string? body, CancellationToken ct = default)
    {
        var posted = await store.PostMessageAsync(studyId, itemId, userId, body, ct);
        if (posted is { Outcome: AdjudicationOutcome.Done, Message: { } message })
            events.Publish(new AdjudicationMessagePosted(studyId, itemId, posted.ResponseId, await HandleAsync(itemId),
                message.AuthorId, message.AuthorName, message.Body, message.At, posted.Participants));
        return posted;
    }

    /// <summary>Records all the consensus values (a pair's: votes) of an item at once (see <see cref="AdjudicationStore.SaveConsensusAsync"/>).</summary>
    public async Task<ItemChanged> SaveConsensusAsync(long studyId, long itemId, long userId, IReadOnlyList<ConsensusEntry> entries,
        CancellationToken ct = default) =>
        await AnnounceAsync(studyId, itemId, await store.SaveConsensusAsync(studyId, itemId, userId, entries, ct));

    public async Task<ItemChanged> MarkResolvedAsync(long studyId, long itemId, long userId, bool evenIfDisagreeing = false, CancellationToken ct = default) =>
        await AnnounceAsync(studyId, itemId, await store.MarkResolvedAsync(studyId, itemId, userId, evenIfDisagreeing, ct));

    /// <summary>Acknowledges the alerts with a note of what was done (see <see cref="SafetyAlertStore.AcknowledgeAsync"/>).
    /// No event: acknowledging concerns only coordinators, whose panels re-read the list.</summary>
    public Task<int?> AcknowledgeAlertsAsync(long studyId, IReadOnlyCollection<long> alertIds, long userId, string? note, CancellationToken ct = default) =>
        alerts.AcknowledgeAsync(studyId, alertIds, userId, note, ct);

    async Task<ItemChanged> AnnounceAsync(long studyId, long itemId, ItemChanged change)
    {
        // The change is committed: announcing it must not turn it into a reported failure.
        if (change.Outcome == AdjudicationOutcome.Done)
            events.Publish(new AdjudicationChanged(studyId, itemId, change.ResponseId, await HandleAsync(itemId), change.Status, change.Participants));
        return change;
    }

    /// <summary>The item's handle, read after the commit; an item is never removed, so it is there.</summary>
    async Task<string> HandleAsync(long itemId) => await store.HandleAsync(itemId, CancellationToken.None) ?? "";
}
