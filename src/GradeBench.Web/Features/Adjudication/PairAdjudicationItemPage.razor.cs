using GradeBench.Core.Adjudication;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Adjudication;
using Microsoft.AspNetCore.Components;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>One side-by-side pair under adjudication (docs/adjudication.md, "Side-by-side pairs"): the case, answers A
/// and B in that fixed order, every rater's vote on each axis by answer (never by the side they saw it on), their
/// reasons and comments, the axes whose votes differ marked, the live discussion beside them, Previous and Next through
/// the filtered queue, and for coordinators a consensus vote per disagreeing axis (what every item page does:
/// <see cref="AdjudicationItemPageBase{TView}"/>). What the viewer may see (models, the item at all) and do is decided by
/// the store on every load and write; a rater's first load makes their votes on the pair final.</summary>
public partial class PairAdjudicationItemPage
{
    /// <summary>The handle of the item's pair: the address never carries an item or pair id.</summary>
    [Parameter] public string Pair { get; set; } = "";

    protected override Task<long?> FindItemAsync() => Store.PairItemIdAsync(StudyId, Pair);

    protected override Task<PairAdjudicationView?> LoadItemAsync(long itemId) => Store.LoadPairAsync(StudyId, itemId, UserId);

    /// <summary>Whether the raters' votes on the axis differ, compared by model.</summary>
    bool Differ(PairwiseAxis axis) =>
        Item is not null && ConsensusSuggestion.Differ(axis.AsCriterion(),
            Item.Raters.Select(r => r.Votes.TryGetValue(axis.Id, out var vote) ? PairSides.Text(vote) : null));
}
