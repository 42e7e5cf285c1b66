using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>One response under adjudication: every rater's values, comments and highlights side by side, the live
/// discussion, and for coordinators a consensus form per criterion. What the viewer may see (model names, the item at
/// all) and do is decided by the store on every load and write, never by this page alone.</summary>
public partial class AdjudicationItem
{
    [Inject] StudyQuery Studies { get; set; } = default!;
    [Inject] AdjudicationStore Store { get; set; } = default!;
    [Inject] AdjudicationRecorder Recorder { get; set; } = default!;
    [Inject] StudyEvents Events { get; set; } = default!;
    [Inject] CircuitPresence Presence { get; set; } = default!;

    [CascadingParameter] Task<AuthenticationState> AuthenticationState { get; set; } = default!;
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
    long userId;
    string? messageText, postState, decisionState;
    readonly Dictionary<string, Draft> drafts = [];
    IDisposable? subscription;

    protected override async Task OnParametersSetAsync()
    {
        userId = (await AuthenticationState).User.Id();
        await LoadAsync();
        subscription?.Dispose();
        subscription = null;
        if (item is not null && RendererInfo.IsInteractive)
        {
            var access = await Studies.AccessAsync(StudyId, userId);
            if (access is not null) subscription = Events.Subscribe(StudyId, userId, access.IsCoordinator, OnEventAsync);
            Presence.Reconnected -= ReloadAsync;
            Presence.Reconnected += ReloadAsync;
        }
    }

    async Task LoadAsync()
    {
        item = await Store.LoadAsync(StudyId, ItemId, userId);
        loadError = item is null ? "This adjudication item does not exist or is not yours to see." : null;
    }

    Task ReloadAsync() => InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    Task OnEventAsync(StudyEvent e) => e switch
    {
        AdjudicationMessagePosted posted when posted.ItemId == ItemId => ReloadAsync(),
        AdjudicationChanged changed when changed.ItemId == ItemId => ReloadAsync(),
        StudyStateChanged => ReloadAsync(),
        _ => Task.CompletedTask,
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
        var change = await Recorder.RecordConsensusAsync(StudyId, ItemId, userId, criterion.Id, draft.Value, draft.Reason);
        draft.Problem = change.Outcome == AdjudicationOutcome.Done ? null : change.Problem ?? "Not recorded.";
        decisionState = change.Outcome == AdjudicationOutcome.Done
            ? $"Consensus for {criterion.Label} recorded{(change.Status == "resolved" ? "; the item is resolved" : "")}."
            : $"Consensus for {criterion.Label} not recorded.";
        await LoadAsync();
    }

    async Task ResolveAsync()
    {
        var change = await Recorder.MarkResolvedAsync(StudyId, ItemId, userId);
        decisionState = change.Outcome == AdjudicationOutcome.Done ? "The item is resolved." : change.Problem ?? "Not resolved.";
        await LoadAsync();
    }

    async Task PostAsync()
    {
        var posted = await Recorder.PostMessageAsync(StudyId, ItemId, userId, messageText);
        if (posted.Outcome == AdjudicationOutcome.Done)
        {
            messageText = null;
            postState = "Posted.";
        }
        else postState = posted.Problem ?? "Not posted.";
        await LoadAsync();
    }

    public void Dispose()
    {
        subscription?.Dispose();
        Presence.Reconnected -= ReloadAsync;
    }
}
