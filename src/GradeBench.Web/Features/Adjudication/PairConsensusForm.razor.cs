using GradeBench.Core.Adjudication;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Adjudication;
using Microsoft.AspNetCore.Components;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>The coordinator's decisions on a side-by-side pair: a consensus vote, by model, per axis whose raters
/// disagreed, pre-filled with the saved one or the raters' majority (<see cref="ConsensusSuggestion"/> on the axis as a
/// nominal criterion), all saved with one Save; and Mark resolved (what both forms do:
/// <see cref="ConsensusFormBase{TUnit}"/>). A draft's value is the stored form of the choice: a, b, tie, both_bad.</summary>
public partial class PairConsensusForm
{
    [Parameter, EditorRequired] public PairAdjudicationView Item { get; set; } = default!;

    protected override long ItemId => Item.ItemId;
    /// <summary>The axes that take a consensus vote: those whose votes disagreed, in axis order.</summary>
    protected override IEnumerable<PairwiseAxis> Decided => Item.Axes.Where(a => Item.DisagreeingAxes.Contains(a.Id));
    protected override string IdOf(PairwiseAxis axis) => axis.Id;

    protected override Draft Start(PairwiseAxis axis)
    {
        var decided = Item.Consensus.FirstOrDefault(c => c.AxisId == axis.Id);
        var suggestion = decided is null
            ? ConsensusSuggestion.Suggest(axis.AsCriterion(), Item.Raters.Select(r => r.Votes.TryGetValue(axis.Id, out var vote) ? PairSides.Text(vote) : null))
            : null;
        return new Draft { Value = decided is null ? suggestion?.Value : PairSides.Text(decided.Choice), Reason = decided?.Reason, Suggestion = suggestion };
    }

    /// <summary>"Suggested: majority" while the choice shown is an unsaved suggestion.</summary>
    string? SuggestionShown(Draft draft) => draft.Suggestion is { } s && s.Value == draft.Value ? T["SuggestedMajority"].Value : null;
}
