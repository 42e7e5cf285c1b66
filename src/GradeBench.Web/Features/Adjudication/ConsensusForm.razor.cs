using GradeBench.Core.Adjudication;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Adjudication;
using Microsoft.AspNetCore.Components;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>The coordinator's decisions on one response: a consensus value per criterion but free text, pre-filled with
/// the stored value or the suggestion of <see cref="ConsensusSuggestion"/>, all saved with one Save; and Mark resolved,
/// which warns by label about criteria whose values differ and have no consensus value (what both forms do:
/// <see cref="ConsensusFormBase{TUnit}"/>).</summary>
public partial class ConsensusForm
{
    [Parameter, EditorRequired] public AdjudicationItemView Item { get; set; } = default!;

    protected override long ItemId => Item.ItemId;
    protected override IEnumerable<Criterion> Decided => Item.Criteria.Where(c => c.Type != CriterionType.Text);
    protected override string IdOf(Criterion criterion) => criterion.Id;

    protected override Draft Start(Criterion criterion)
    {
        var decided = Item.Consensus.FirstOrDefault(c => c.CriterionId == criterion.Id);
        var suggestion = decided is null
            ? ConsensusSuggestion.Suggest(criterion, Item.Raters.Select(r => r.Values.GetValueOrDefault(criterion.Id)))
            : null;
        return new Draft { Value = decided?.Value ?? suggestion?.Value, Reason = decided?.Reason, Suggestion = suggestion };
    }

    /// <summary>"Suggested: majority" or "Suggested: median" while the value shown is an unsaved suggestion.</summary>
    string? SuggestionShown(Draft draft) => draft.Suggestion is { } s && s.Value == draft.Value
        ? (s.Kind == SuggestionKind.Majority ? T["SuggestedMajority"].Value : T["SuggestedMedian"].Value)
        : null;
}
