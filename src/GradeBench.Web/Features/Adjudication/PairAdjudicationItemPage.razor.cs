using GradeBench.Core.Adjudication;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>One side-by-side pair under adjudication (docs/adjudication.md, "Side-by-side pairs"): the case, answers A
/// and B in that fixed order, every rater's vote on each axis by answer (never by the side they saw it on), their
/// reasons and comments, the axes whose votes differ marked, the live discussion beside them, Previous and Next through
/// the filtered queue, and for coordinators a consensus vote per disagreeing axis. What the viewer may see (models, the
/// item at all) and do is decided by the store on every load and write; a rater's first load makes their votes on the
/// pair final.</summary>
public partial class PairAdjudicationItemPage
{
    [Inject] StudyQuery Studies { get; set; } = default!;
    [Inject] AdjudicationStore Store { get; set; } = default!;
    [Inject] IStringLocalizer<AdjudicationText> T { get; set; } = default!;

    [Parameter] public long StudyId { get; set; }
    /// <summary>The handle of the item's pair: the address never carries an item or pair id.</summary>
    [Parameter] public string Pair { get; set; } = "";
    [SupplyParameterFromQuery(Name = "safety")] public string? SafetyOnly { get; set; }
    [SupplyParameterFromQuery(Name = "unresolved")] public string? UnresolvedOnly { get; set; }
    [SupplyParameterFromQuery(Name = "criterion")] public string? CriterionId { get; set; }

    PairAdjudicationView? item;
    /// <summary>The study's language: its content (case, answers, questions) is marked with it.</summary>
    string language = "en";
    string? loadError;
    /// <summary>The item <see cref="Pair"/> names (0: none); used only inside the server.</summary>
    long itemId;
    (string? Previous, string? Next, int Place, int Count) around;

    AdjudicationFilter Filter => AdjudicationFilter.From(SafetyOnly, UnresolvedOnly, CriterionId);

    protected override async Task OnParametersSetAsync()
    {
        await ResolveUserAsync();
        await ReloadAsync();
        var access = item is null ? null : await Studies.AccessAsync(StudyId, UserId);
        language = access?.Language ?? language;
        await ListenAsync(access is null || !RendererInfo.IsInteractive ? null : new LiveStudy(StudyId, access.IsCoordinator));
    }

    protected override async Task ReloadAsync()
    {
        itemId = await Store.PairItemIdAsync(StudyId, Pair) ?? 0;
        item = itemId == 0 ? null : await Store.LoadPairAsync(StudyId, itemId, UserId);
        loadError = item is null ? T["ItemMissing"].Value : null;
        around = item is null ? default : Filter.Around(await Store.ListAsync(StudyId, UserId) ?? [], itemId);
    }

    protected override bool Wants(StudyEvent studyEvent) => studyEvent switch
    {
        AdjudicationMessagePosted posted => posted.ItemId == itemId,
        AdjudicationChanged => true, // another item's status changes what the filter shows
        StudyStateChanged => true,
        _ => false,
    };

    /// <summary>Whether the raters' votes on the axis differ, compared by model.</summary>
    bool Differ(PairwiseAxis axis) =>
        item is not null && ConsensusSuggestion.Differ(axis.AsCriterion(),
            item.Raters.Select(r => r.Votes.TryGetValue(axis.Id, out var vote) ? PairSides.Text(vote) : null));

    /// <summary>After a decision or a message: the item as it is now.</summary>
    async Task ReloadAfterChangeAsync()
    {
        await ReloadAsync();
        StateHasChanged();
    }
}
