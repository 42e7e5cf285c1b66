using GradeBench.Core.Adjudication;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Adjudication;
using Microsoft.AspNetCore.Components;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>One response under adjudication: every rater's values, comments and highlights side by side with the
/// criteria whose values differ marked, the live discussion beside them, Previous and Next through the filtered queue,
/// and for coordinators the consensus form (what every item page does: <see cref="AdjudicationItemPageBase{TView}"/>).
/// What the viewer may see (model names, the item at all) and do is decided by the store on every load and write, never
/// by this page alone.</summary>
public partial class AdjudicationItemPage
{
    /// <summary>The handle of the item's response: the address never carries an item or response id.</summary>
    [Parameter] public string Response { get; set; } = "";

    protected override Task<long?> FindItemAsync() => Store.ItemIdAsync(StudyId, Response);

    protected override Task<AdjudicationItemView?> LoadItemAsync(long itemId) => Store.LoadAsync(StudyId, itemId, UserId);

    MarkupString Value(Criterion criterion, string? value) => AdjudicationText.Value(T, criterion, value, Language);

    bool Differ(Criterion criterion) =>
        Item is not null && ConsensusSuggestion.Differ(criterion, Item.Raters.Select(r => r.Values.GetValueOrDefault(criterion.Id)));
}
