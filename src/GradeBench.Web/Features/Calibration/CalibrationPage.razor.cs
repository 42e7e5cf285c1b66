using GradeBench.Core.Messages;
using GradeBench.Web.Components;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Calibration;
using GradeBench.Storage.Rubrics;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Calibration;

/// <summary>The live calibration page of a draft study, for coordinators (who run the session) and raters (who rate
/// the round's item). Everything shown is read from <see cref="CalibrationQuery.ViewAsync"/> for the signed-in user,
/// which decides what they may see; events only say that something changed, and the page reads again.</summary>
public partial class CalibrationPage
{
    [Inject] CalibrationQuery Query { get; set; } = default!;
    [Inject] CalibrationRecorder Recorder { get; set; } = default!;
    [Inject] RubricQuery Rubric { get; set; } = default!;
    [Inject] IStringLocalizer<CalibrationText> T { get; set; } = default!;
    [Inject] IStringLocalizer<MessageText> Messages { get; set; } = default!;

    IReadOnlyDictionary<string, string> ProblemTexts => problems.ToDictionary(p => p.Key, p => Messages.Say(p.Value));

    [Parameter] public long StudyId { get; set; }

    CalibrationView? view;
    IReadOnlyList<Criterion> criteria = [];
    IReadOnlyList<CalibrationResponse> responses = [];
    int connectedRaters;
    string? loadError, message;
    // The rater's choices for the round's item, kept while the page re-reads on others' submissions.
    readonly Dictionary<string, string?> values = [];
    long? valuesItemId;
    IReadOnlyDictionary<string, Message> problems = new Dictionary<string, Message>();

    CalibrationRound? Round => view?.Round;

    /// <summary>The study's language: its content (case, response, rubric labels) is marked with it.</summary>
    string Language => view?.Access.Language ?? "en";

    /// <summary>A study's state as the sentence about it reads ("this study is open", "… in adjudication").</summary>
    string StateName(string state) => state switch
    {
        "open" => T["StateOpen"],
        "adjudication" => T["StateAdjudication"],
        "closed" => T["StateClosed"],
        _ => state,
    };

    protected override async Task OnParametersSetAsync()
    {
        await ResolveUserAsync();
        await ReloadAsync();
        // Present: only the live circuit counts as connected when a round starts.
        await ListenAsync(view is null ? null : new LiveStudy(StudyId, view.Access.IsCoordinator, PresenceRole: view.Access.Role));
    }

    protected override async Task ReloadAsync()
    {
        view = await Query.ViewAsync(StudyId, UserId);
        if (view is null)
        {
            loadError = T["NotMember"];
            return;
        }
        loadError = null;
        if (criteria.Count == 0) criteria = (await Rubric.LoadAsync(StudyId)).Select(c => c.Criterion).ToList();
        if (view.Access.IsCoordinator)
        {
            responses = await Query.ResponsesAsync(StudyId, UserId) ?? [];
            connectedRaters = Recorder.ConnectedRaters(StudyId).Count;
        }
        if (view.Round is { } round && (round.ItemId != valuesItemId || round.SubmittedByMe))
        {
            values.Clear();
            foreach (var (key, value) in round.MyValues) values[key] = value;
            valuesItemId = round.ItemId;
            problems = new Dictionary<string, Message>();
        }
    }

    protected override bool Wants(StudyEvent studyEvent) => studyEvent is CalibrationChanged or StudyStateChanged or PresenceChanged;

    void Choose((Criterion Criterion, string? Value) change) => values[change.Criterion.Id] = change.Value;

    async Task SubmitAsync()
    {
        if (Round is not { } round) return;
        var change = await Recorder.SubmitAsync(StudyId, UserId, round.ItemId, criteria.ToDictionary(c => c.Id, c => values.GetValueOrDefault(c.Id)));
        problems = change.Problems;
        message = change.Succeeded || change.Outcome == CalibrationOutcome.Invalid ? null : CalibrationText.Describe(T, Messages, change);
        await ReloadAsync();
    }

    /// <summary>Runs a coordinator's action (the store checks the role again) and shows its refusal, if any.</summary>
    async Task ActAsync(Func<CalibrationRecorder, long, Task<CalibrationChange>> action)
    {
        var change = await action(Recorder, UserId);
        message = change.Succeeded ? null : CalibrationText.Describe(T, Messages, change);
        await ReloadAsync();
        // Called from the controls' click, which renders only them.
        StateHasChanged();
    }
}
