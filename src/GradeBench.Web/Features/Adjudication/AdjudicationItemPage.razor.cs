using GradeBench.Core.Adjudication;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>One response under adjudication: every rater's values, comments and highlights side by side with the
/// criteria whose values differ marked, the live discussion beside them, Previous and Next through the filtered queue,
/// and for coordinators the consensus form. What the viewer may see (model names, the item at all) and do is decided
/// by the store on every load and write, never by this page alone.</summary>
public partial class AdjudicationItemPage
{
    [Inject] StudyQuery Studies { get; set; } = default!;
    [Inject] AdjudicationStore Store { get; set; } = default!;
    [Inject] IStringLocalizer<AdjudicationText> T { get; set; } = default!;

    [Parameter] public long StudyId { get; set; }
    /// <summary>The handle of the item's response: the address never carries an item or response id.</summary>
    [Parameter] public string Response { get; set; } = "";
    [SupplyParameterFromQuery(Name = "safety")] public string? SafetyOnly { get; set; }
    [SupplyParameterFromQuery(Name = "unresolved")] public string? UnresolvedOnly { get; set; }
    [SupplyParameterFromQuery(Name = "criterion")] public string? CriterionId { get; set; }

    AdjudicationItemView? item;
    /// <summary>The study's language: its content (case, response, rubric labels) is marked with it.</summary>
    string language = "en";
    string? loadError;
    /// <summary>The item <see cref="Response"/> names (0: none); used only inside the server.</summary>
    long itemId;
    (string? Previous, string? Next, int Place, int Count) around;

    AdjudicationFilter Filter => AdjudicationFilter.From(SafetyOnly, UnresolvedOnly, CriterionId);

    protected override async Task OnParametersSetAsync()
    {
        await ResolveUserAsync();
        await ReloadAsync();
        // The item says what its viewer may do, not their role, which chooses the events they may hear.
        var access = item is null ? null : await Studies.AccessAsync(StudyId, UserId);
        language = access?.Language ?? language;
        await ListenAsync(access is null || !RendererInfo.IsInteractive ? null : new LiveStudy(StudyId, access.IsCoordinator));
    }

    protected override async Task ReloadAsync()
    {
        itemId = await Store.ItemIdAsync(StudyId, Response) ?? 0;
        item = itemId == 0 ? null : await Store.LoadAsync(StudyId, itemId, UserId);
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

    MarkupString Value(Criterion criterion, string? value) => AdjudicationText.Value(T, criterion, value, language);

    static string UserText(string? text) => AdjudicationText.UserText(text);

    static string Time(DateTimeOffset at) => LocalTime.Html(at);

    ConsensusValue? Consensus(Criterion criterion) => item?.Consensus.FirstOrDefault(c => c.CriterionId == criterion.Id);

    bool Differ(Criterion criterion) =>
        item is not null && ConsensusSuggestion.Differ(criterion, item.Raters.Select(r => r.Values.GetValueOrDefault(criterion.Id)));

    /// <summary>After a decision or a message: the item as it is now.</summary>
    async Task ReloadAfterDecisionAsync()
    {
        await ReloadAsync();
        StateHasChanged();
    }
}
