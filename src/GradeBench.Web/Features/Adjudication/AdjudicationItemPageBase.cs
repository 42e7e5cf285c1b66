using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>What the item pages of a response (<see cref="AdjudicationItemPage"/>) and of a side-by-side pair
/// (<see cref="PairAdjudicationItemPage"/>) do alike: find the item the address's handle names, load it as its viewer may
/// see it (the store decides that on every load, and records the reveal that makes a rater's own judgement final before
/// any value is read), place it among the items of the queue's filter, and read it again on the study's events that
/// concern it. <see cref="AdjudicationItemFrame{TView}"/> lays out what the two show alike; each page keeps the rest.</summary>
/// <typeparam name="TView">The item as the store gives it to its viewer.</typeparam>
public abstract class AdjudicationItemPageBase<TView> : LiveComponent where TView : class
{
    [Inject] StudyQuery Studies { get; set; } = default!;
    [Inject] protected AdjudicationStore Store { get; set; } = default!;
    [Inject] protected IStringLocalizer<AdjudicationText> T { get; set; } = default!;

    [Parameter] public long StudyId { get; set; }
    [SupplyParameterFromQuery(Name = "safety")] public string? SafetyOnly { get; set; }
    [SupplyParameterFromQuery(Name = "unresolved")] public string? UnresolvedOnly { get; set; }
    [SupplyParameterFromQuery(Name = "criterion")] public string? CriterionId { get; set; }

    /// <summary>The item, once read and if the viewer may see it.</summary>
    protected TView? Item { get; private set; }
    /// <summary>The study's language: its content (case, answers, labels, questions) is marked with it.</summary>
    protected string Language { get; private set; } = "en";
    protected string? LoadError { get; private set; }
    /// <summary>The item the address names (0: none); used only inside the server.</summary>
    protected long ItemId { get; private set; }
    protected (string? Previous, string? Next, int Place, int Count) Around { get; private set; }

    protected AdjudicationFilter Filter => AdjudicationFilter.From(SafetyOnly, UnresolvedOnly, CriterionId);

    /// <summary>The item of the study that the address's handle names, if any.</summary>
    protected abstract Task<long?> FindItemAsync();

    /// <summary>The item as the viewer may see it; null when they may not.</summary>
    protected abstract Task<TView?> LoadItemAsync(long itemId);

    protected override async Task OnParametersSetAsync()
    {
        await ResolveUserAsync();
        await ReloadAsync();
        // The item says what its viewer may do, not their role, which chooses the events they may hear.
        var access = Item is null ? null : await Studies.AccessAsync(StudyId, UserId);
        Language = access?.Language ?? Language;
        await ListenAsync(access is null || !RendererInfo.IsInteractive ? null : new LiveStudy(StudyId, access.IsCoordinator));
    }

    protected override async Task ReloadAsync()
    {
        ItemId = await FindItemAsync() ?? 0;
        Item = ItemId == 0 ? null : await LoadItemAsync(ItemId);
        LoadError = Item is null ? T["ItemMissing"].Value : null;
        Around = Item is null ? default : Filter.Around(await Store.ListAsync(StudyId, UserId) ?? [], ItemId);
    }

    protected override bool Wants(StudyEvent studyEvent) => studyEvent switch
    {
        AdjudicationMessagePosted posted => posted.ItemId == ItemId,
        AdjudicationChanged => true, // another item's status changes what the filter shows
        StudyStateChanged => true,
        _ => false,
    };

    /// <summary>After a decision or a message: the item as it is now.</summary>
    protected async Task ReloadAfterChangeAsync()
    {
        await ReloadAsync();
        StateHasChanged();
    }
}
