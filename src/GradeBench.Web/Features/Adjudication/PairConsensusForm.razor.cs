using GradeBench.Core.Adjudication;
using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Adjudication;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>The coordinator's decisions on a side-by-side pair: a consensus vote, by model, per axis whose raters
/// disagreed, pre-filled with the saved one or the raters' majority (<see cref="ConsensusSuggestion"/> on the axis as a
/// nominal criterion), all saved with one Save through the store's consensus save (one call, one transaction); and Mark
/// resolved, as <see cref="ConsensusForm"/>. The page gives this form a new key per item.</summary>
public partial class PairConsensusForm
{
    [Inject] AdjudicationRecorder Recorder { get; set; } = default!;
    [Inject] IStringLocalizer<AdjudicationText> T { get; set; } = default!;
    [Inject] IStringLocalizer<MessageText> Messages { get; set; } = default!;

    [Parameter, EditorRequired] public long StudyId { get; set; }
    [Parameter, EditorRequired] public long UserId { get; set; }
    [Parameter, EditorRequired] public PairAdjudicationView Item { get; set; } = default!;
    /// <summary>The study's language, which its questions are in.</summary>
    [Parameter] public string Language { get; set; } = "en";
    /// <summary>Called after a save or a resolve, so that the page reads the item again.</summary>
    [Parameter] public EventCallback Saved { get; set; }

    sealed class Draft
    {
        /// <summary>The stored form of the choice: a, b, tie, both_bad.</summary>
        public string? Value { get; set; }
        public string? Reason { get; set; }
        /// <summary>The suggestion the value was pre-filled with, until the coordinator changes or saves it.</summary>
        public Suggestion? Suggestion { get; set; }
        public Message? Problem { get; set; }
    }

    readonly Dictionary<string, Draft> drafts = [];
    string? sharedReason, decisionState;
    IReadOnlyList<string>? stillDisagreeing;

    /// <summary>The axes that take a consensus vote: those whose votes disagreed, in axis order.</summary>
    IEnumerable<PairwiseAxis> Disagreeing => Item.Axes.Where(a => Item.DisagreeingAxes.Contains(a.Id));

    Draft DraftOf(PairwiseAxis axis)
    {
        if (drafts.TryGetValue(axis.Id, out var draft)) return draft;
        var decided = Item.Consensus.FirstOrDefault(c => c.AxisId == axis.Id);
        var suggestion = decided is null
            ? ConsensusSuggestion.Suggest(axis.AsCriterion(), Item.Raters.Select(r => r.Votes.TryGetValue(axis.Id, out var vote) ? PairSides.Text(vote) : null))
            : null;
        return drafts[axis.Id] = new Draft
        {
            Value = decided is null ? suggestion?.Value : PairSides.Text(decided.Choice), Reason = decided?.Reason, Suggestion = suggestion,
        };
    }

    /// <summary>"Suggested: majority" while the choice shown is an unsaved suggestion.</summary>
    string? SuggestionShown(Draft draft) => draft.Suggestion is { } s && s.Value == draft.Value ? T["SuggestedMajority"].Value : null;

    static void Choose(Draft draft, string value)
    {
        draft.Value = value;
        draft.Suggestion = null;
    }

    async Task SaveAsync()
    {
        stillDisagreeing = null;
        var entries = Disagreeing.Select(a => (Axis: a, Draft: DraftOf(a)))
            .Where(d => d.Draft.Value is not null)
            .Select(d => new ConsensusEntry(d.Axis.Id, d.Draft.Value, string.IsNullOrWhiteSpace(d.Draft.Reason) ? sharedReason : d.Draft.Reason))
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
