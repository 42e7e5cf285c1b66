using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Calibration;
using GradeBench.Storage.Rubrics;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace GradeBench.Web.Features.Calibration;

/// <summary>The live calibration page of a draft study, for coordinators (who run the session) and raters (who rate
/// the round's item). Everything shown is read from <see cref="CalibrationQuery.ViewAsync"/> for the signed-in user,
/// which decides what they may see; events only say that something changed, and the page reads again.</summary>
public partial class Calibrate
{
    [Inject] CalibrationQuery Query { get; set; } = default!;
    [Inject] CalibrationControl Control { get; set; } = default!;
    [Inject] RubricQuery Rubric { get; set; } = default!;
    [Inject] StudyEvents Events { get; set; } = default!;
    [Inject] CircuitPresence Presence { get; set; } = default!;

    [CascadingParameter] Task<AuthenticationState> AuthenticationState { get; set; } = default!;
    [Parameter] public long StudyId { get; set; }

    CalibrationView? view;
    IReadOnlyList<Criterion> criteria = [];
    IReadOnlyList<CalibrationResponse> responses = [];
    int connectedRaters;
    string? loadError, message;
    long userId;
    IDisposable? subscription;
    // The rater's choices for the round's item, kept while the page re-reads on others' submissions.
    readonly Dictionary<string, string?> values = [];
    long? valuesItemId;
    IReadOnlyDictionary<string, string> problems = new Dictionary<string, string>();

    CalibrationRound? Round => view?.Round;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        userId = user.Id();
        await LoadAsync();
        if (view is null || !RendererInfo.IsInteractive) return;
        // Only the live circuit counts as connected (a prerendered page is gone once it is sent).
        subscription = Events.Subscribe(StudyId, userId, view.Access.IsCoordinator, OnEventAsync);
        Presence.Enter(StudyId, userId, user.DisplayName(), view.Access.Role);
        Presence.Reconnected += OnReconnectedAsync;
        // Read again: a change between the first read and the subscription would otherwise be missed.
        await LoadAsync();
    }

    async Task LoadAsync()
    {
        view = await Query.ViewAsync(StudyId, userId);
        if (view is null)
        {
            loadError = "You are not a member of this study.";
            return;
        }
        if (criteria.Count == 0) criteria = (await Rubric.LoadAsync(StudyId)).Select(c => c.Criterion).ToList();
        if (view.Access.IsCoordinator)
        {
            responses = await Query.ResponsesAsync(StudyId, userId) ?? [];
            connectedRaters = Control.ConnectedRaters(StudyId).Count;
        }
        if (view.Round is { } round && (round.ItemId != valuesItemId || round.SubmittedByMe))
        {
            values.Clear();
            foreach (var (key, value) in round.MyValues) values[key] = value;
            valuesItemId = round.ItemId;
            problems = new Dictionary<string, string>();
        }
    }

    Task OnEventAsync(StudyEvent studyEvent) => studyEvent is CalibrationChanged or StudyStateChanged or PresenceChanged
        ? InvokeAsync(ReloadAsync)
        : Task.CompletedTask;

    // The circuit handler calls from outside the renderer's context.
    Task OnReconnectedAsync() => InvokeAsync(ReloadAsync);

    async Task ReloadAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    void Choose((Criterion Criterion, string? Value) change) => values[change.Criterion.Id] = change.Value;

    async Task SubmitAsync()
    {
        if (Round is not { } round) return;
        var change = await Control.SubmitAsync(StudyId, userId, round.ItemId, criteria.ToDictionary(c => c.Id, c => values.GetValueOrDefault(c.Id)));
        problems = change.Problems;
        message = change.Succeeded || change.Outcome == CalibrationOutcome.Invalid ? null : change.Message;
        await LoadAsync();
    }

    /// <summary>Runs a coordinator's action (the store checks the role again) and shows its refusal, if any.</summary>
    async Task ActAsync(Func<CalibrationControl, long, Task<CalibrationChange>> action)
    {
        var change = await action(Control, userId);
        message = change.Succeeded ? null : CalibrationControl.Describe(change);
        await ReloadAsync();
    }

    public void Dispose()
    {
        subscription?.Dispose();
        Presence.Reconnected -= OnReconnectedAsync;
        if (view is not null && RendererInfo.IsInteractive) Presence.Leave(StudyId);
    }
}
