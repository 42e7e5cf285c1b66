using GradeBench.Core.Rubrics;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>One response under adjudication: every rater's values, comments and highlights side by side, the live
/// discussion, and for coordinators a consensus form per criterion. What the viewer may see (model names, the item at
/// all) and do is decided by the store on every load and write, never by this page alone.</summary>
public partial class AdjudicationItemPage
{
    [Inject] StudyQuery Studies { get; set; } = default!;
    [Inject] AdjudicationStore Store { get; set; } = default!;
    [Inject] AdjudicationRecorder Recorder { get; set; } = default!;

    [Parameter] public long StudyId { get; set; }
    [Parameter] public long ItemId { get; set; }

    sealed class Draft
    {
        public string? Value { get; set; }
        public string? Reason { get; set; }
        public string? Problem { get; set; }
    }

    AdjudicationItemView? item;
    string? loadError;
    string? messageText, postState, decisionState;
    /// <summary>Changes when a message is posted, so that the message field starts empty again.</summary>
    int messageField;
    readonly Dictionary<string, Draft> drafts = [];

    protected override async Task OnParametersSetAsync()
    {
        await ResolveUserAsync();
        await ReloadAsync();
        // The item says what its viewer may do, not their role, which chooses the events they may hear.
        var access = item is null || !RendererInfo.IsInteractive ? null : await Studies.AccessAsync(StudyId, UserId);
        await ListenAsync(access is null ? null : new LiveStudy(StudyId, access.IsCoordinator));
    }

    protected override async Task ReloadAsync()
    {
        item = await Store.LoadAsync(StudyId, ItemId, UserId);
        loadError = item is null ? "This adjudication item does not exist or is not yours to see." : null;
    }

    protected override bool Wants(StudyEvent studyEvent) => studyEvent switch
    {
        AdjudicationMessagePosted posted => posted.ItemId == ItemId,
        AdjudicationChanged changed => changed.ItemId == ItemId,
        StudyStateChanged => true,
        _ => false,
    };

    ConsensusValue? Consensus(Criterion criterion) => item?.Consensus.FirstOrDefault(c => c.CriterionId == criterion.Id);

    Draft DraftOf(Criterion criterion)
    {
        if (!drafts.TryGetValue(criterion.Id, out var draft))
        {
            var decided = Consensus(criterion);
            drafts[criterion.Id] = draft = new Draft { Value = decided?.Value, Reason = decided?.Reason };
        }
        return draft;
    }

    async Task RecordAsync(Criterion criterion)
    {
        var draft = DraftOf(criterion);
        var change = await Recorder.RecordConsensusAsync(StudyId, ItemId, UserId, criterion.Id, draft.Value, draft.Reason);
        draft.Problem = change.Outcome == AdjudicationOutcome.Done ? null : change.Problem ?? "Not recorded.";
        decisionState = change.Outcome == AdjudicationOutcome.Done
            ? $"Consensus for {criterion.Label} recorded{(change.Status == "resolved" ? "; the item is resolved" : "")}."
            : $"Consensus for {criterion.Label} not recorded.";
        await ReloadAsync();
    }

    async Task ResolveAsync()
    {
        var change = await Recorder.MarkResolvedAsync(StudyId, ItemId, UserId);
        decisionState = change.Outcome == AdjudicationOutcome.Done ? "The item is resolved." : change.Problem ?? "Not resolved.";
        await ReloadAsync();
    }

    async Task PostAsync()
    {
        var posted = await Recorder.PostMessageAsync(StudyId, ItemId, UserId, messageText);
        if (posted.Outcome == AdjudicationOutcome.Done)
        {
            messageText = null;
            messageField++;
            postState = "Posted.";
        }
        else postState = posted.Problem ?? "Not posted.";
        await ReloadAsync();
    }
}
