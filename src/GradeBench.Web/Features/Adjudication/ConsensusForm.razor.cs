using GradeBench.Core.Adjudication;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Adjudication;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>The coordinator's decisions on one item: a consensus value per criterion, pre-filled with the stored value
/// or the suggestion of <see cref="ConsensusSuggestion"/>, all saved with one Save (one server call, one transaction);
/// and Mark resolved, which warns by label about criteria whose values differ and have no consensus value. The page
/// gives this form a new key per item, so that nothing typed for one item is shown for another.</summary>
public partial class ConsensusForm
{
    [Inject] AdjudicationRecorder Recorder { get; set; } = default!;
    [Inject] IStringLocalizer<AdjudicationText> T { get; set; } = default!;
    [Inject] IStringLocalizer<MessageText> Messages { get; set; } = default!;

    [Parameter, EditorRequired] public long StudyId { get; set; }
    [Parameter, EditorRequired] public long UserId { get; set; }
    [Parameter, EditorRequired] public AdjudicationItemView Item { get; set; } = default!;
    /// <summary>The study's language, which its rubric's labels are in.</summary>
    [Parameter] public string Language { get; set; } = "en";
    /// <summary>Called after a save or a resolve, so that the page reads the item again.</summary>
    [Parameter] public EventCallback Saved { get; set; }

    sealed class Draft
    {
        public string? Value { get; set; }
        public string? Reason { get; set; }
        /// <summary>The suggestion the value was pre-filled with, until the coordinator changes or saves it.</summary>
        public Suggestion? Suggestion { get; set; }
        public Message? Problem { get; set; }
    }

    readonly Dictionary<string, Draft> drafts = [];
    string? sharedReason, decisionState;
    IReadOnlyList<string>? stillDisagreeing;

    Draft DraftOf(Criterion criterion)
    {
        if (drafts.TryGetValue(criterion.Id, out var draft)) return draft;
        var decided = Item.Consensus.FirstOrDefault(c => c.CriterionId == criterion.Id);
        var suggestion = decided is null
            ? ConsensusSuggestion.Suggest(criterion, Item.Raters.Select(r => r.Values.GetValueOrDefault(criterion.Id)))
            : null;
        return drafts[criterion.Id] = new Draft { Value = decided?.Value ?? suggestion?.Value, Reason = decided?.Reason, Suggestion = suggestion };
    }

    /// <summary>"Suggested: majority" or "Suggested: median" while the value shown is an unsaved suggestion.</summary>
    string? SuggestionShown(Criterion criterion, Draft draft) => draft.Suggestion is { } s && s.Value == draft.Value
        ? (s.Kind == SuggestionKind.Majority ? T["SuggestedMajority"].Value : T["SuggestedMedian"].Value)
        : null;

    static void Choose(Draft draft, string? value)
    {
        draft.Value = value;
        draft.Suggestion = null;
    }

    async Task SaveAsync()
    {
        stillDisagreeing = null;
        // Every criterion with a value is sent; the store writes only what is new or changed.
        var entries = Item.Criteria.Where(c => c.Type != CriterionType.Text)
            .Select(c => (Criterion: c, Draft: DraftOf(c)))
            .Where(d => !string.IsNullOrWhiteSpace(d.Draft.Value))
            .Select(d => new ConsensusEntry(d.Criterion.Id, d.Draft.Value, string.IsNullOrWhiteSpace(d.Draft.Reason) ? sharedReason : d.Draft.Reason))
            .ToList();
        if (entries.Count == 0)
        {
            decisionState = T["NothingToSave"];
            return;
        }
        var change = await Recorder.SaveConsensusAsync(StudyId, Item.ItemId, UserId, entries);
        foreach (var (id, draft) in drafts)
            draft.Problem = change.CriterionProblems.GetValueOrDefault(id);
        if (change.Outcome == AdjudicationOutcome.Done)
            foreach (var draft in drafts.Values) draft.Suggestion = null;
        decisionState = AdjudicationText.Saved(T, change);
        await Saved.InvokeAsync();
    }

    async Task ResolveAsync(bool evenIfDisagreeing)
    {
        var change = await Recorder.MarkResolvedAsync(StudyId, Item.ItemId, UserId, evenIfDisagreeing);
        stillDisagreeing = change.Outcome == AdjudicationOutcome.StillDisagrees ? change.StillDisagreeing : null;
        decisionState = AdjudicationText.Resolved(T, change);
        await Saved.InvokeAsync();
    }
}
