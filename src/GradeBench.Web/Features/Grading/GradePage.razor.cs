using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace GradeBench.Web.Features.Grading;

/// <summary>The rater's grading page: one assigned response at a time, between its case and the rubric.
/// Every change is saved as a draft at once (free text after a pause in typing); Submit records the rating and
/// opens the next item. The draft, the saves and the journal of unsent changes are the circuit's
/// <see cref="GradingSession"/>; this page renders it and keeps it live.</summary>
public partial class GradePage
{
    const string ResponseElementId = "grade-response";
    const string ResponseHeadingId = "response-heading";
    const string GuidelinesId = "grade-guidelines";
    const string GuidelinesToggleId = "guidelines-toggle";

    [Inject] GradingSession Session { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] IJSRuntime JS { get; set; } = default!;
    [Inject] StudyLifecycleStore Lifecycle { get; set; } = default!;
    [Inject] RatingReveals Reveals { get; set; } = default!;
    [Inject] GradeBench.Storage.Pairwise.PairwiseStore Pairs { get; set; } = default!;
    [Inject] IStringLocalizer<GradingText> T { get; set; } = default!;
    [Inject] IStringLocalizer<MessageText> Messages { get; set; } = default!;

    [Parameter] public long StudyId { get; set; }
    /// <summary>The handle of the response in the address (the only name of it the browser gets); null: the queue.</summary>
    [Parameter] public string? Response { get; set; }

    StudyStatus status = new(StudyState.Open, false);
    /// <summary>The rater has seen other raters' values for this item: their rating of it is final (docs/grading.md).</summary>
    bool frozen;
    bool showGuidelines;
    bool keyboardReady;
    /// <summary>The load whose item the panes show from their top, with focus on its heading; another load opens a new item.</summary>
    int shownVersion;
    /// <summary>Where focus goes after the next render: the first criterion a failed Submit named, or the opened guidelines.</summary>
    string? focusAfterRender;
    DotNetObjectReference<GradePage>? self;
    IJSObjectReference? module, shortcuts, escape;
    BrowserJournal? journal;
    /// <summary>Look for changes this tab made that the server never received, once the page is live.</summary>
    bool recover;

    /// <summary>Why the store refused each criterion's value, in the rater's language.</summary>
    IReadOnlyDictionary<string, string> ProblemTexts => Session.Problems.ToDictionary(p => p.Key, p => Messages.Say(p.Value));

    /// <summary>The criteria named by their labels; a checklist's by their number in it, its text being a sentence or more.</summary>
    string ProblemsText => Session.Problems is { Count: > 0 } problems
        ? T["MissingOrInvalid", string.Join(T["ListSeparator"], [
            .. Session.Rubric.Where(c => problems.ContainsKey(c.Id)).Select(c => c.Label),
            .. (Session.Item?.Checklist ?? []).Select((c, i) => (c, i)).Where(x => problems.ContainsKey(x.c.Id)).Select(x => T["ChecklistItem", x.i + 1].Value)])]
        : "";

    /// <summary>y and n mark a yes/no criterion or a checklist criterion (grading.js).</summary>
    bool HasYesNo(GradingItem item) => item.Checklist.Count > 0 || Session.Rubric.Any(c => c.Type == CriterionType.Binary);

    double ProgressPercent => Session.Queue is { Assigned: > 0 } queue ? 100.0 * queue.Done / queue.Assigned : 0;

    protected override async Task OnParametersSetAsync()
    {
        // A side-by-side study's raters compare pairs, on their own page (a response's handle names no pair there).
        if (await Pairs.IsPairwiseAsync(StudyId))
        {
            Navigation.NavigateTo($"/studies/{StudyId}/compare", replace: true);
            return;
        }
        await ResolveUserAsync();
        await Session.OpenAsync(StudyId, UserId, Response);
        await AfterLoadAsync();
        // Coordinators see which item the rater has open; a pause, a state change and the rater's own change in
        // another tab reach the page at once.
        await ListenAsync(Session.Membership is null
            ? null
            : new LiveStudy(StudyId, IsCoordinator: false, PresenceRole: StudyRoles.Rater, ResponseId: Session.Item?.ResponseId));
    }

    /// <summary>After the session opened an item: read the study's state, and, since the inputs may hold changes the
    /// server never had after a dropped connection (the form now shows what it has), recover them.</summary>
    async Task AfterLoadAsync()
    {
        if (Session.Membership is null) return;
        recover = true;
        status = await Lifecycle.StatusAsync(StudyId) ?? status;
        await CheckFrozenAsync();
    }

    /// <summary>Read again on each load and state change: the rater may have opened the item's adjudication page meanwhile.</summary>
    async Task CheckFrozenAsync() =>
        frozen = Session.Item is { } item && await Reveals.IsFrozenAsync(StudyId, UserId, item.ResponseId);

    bool Frozen => frozen || Session.Frozen;

    string? StudyNotice => status switch
    {
        { State: StudyState.Open, Paused: true } => T["StudyPaused"].Value,
        { State: StudyState.Draft } => T["StudyDraft"].Value,
        { State: StudyState.Adjudication } => T["StudyInAdjudication"].Value,
        { State: StudyState.Closed } => T["StudyClosed"].Value,
        _ => null,
    };

    protected override async Task ReloadAsync()
    {
        status = await Lifecycle.StatusAsync(StudyId) ?? status;
        await CheckFrozenAsync();
    }

    protected override bool Wants(StudyEvent studyEvent) =>
        studyEvent is StudyStateChanged || studyEvent is RatingChanged changed && changed.Origin != Session.Origin;

    protected override async Task OnStudyEventAsync(StudyEvent studyEvent)
    {
        switch (studyEvent)
        {
            case StudyStateChanged changed:
                status = new StudyStatus(StudyLifecycle.Parse(changed.State), changed.Paused);
                await CheckFrozenAsync();
                break;
            case RatingChanged changed:
                await Session.ShowChangeFromElsewhereAsync(changed.ResponseId);
                await ShowTextAsync();
                break;
        }
    }

    /// <summary>After a dropped connection: the study's state may have changed, and the inputs may hold changes the
    /// server never had.</summary>
    protected override async Task OnReconnectedAsync()
    {
        await ReloadAsync();
        recover = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            if (module is null) return;
            await MoveFocusAsync();
            if (recover) await RecoverUnsentAsync();
            return;
        }
        shownVersion = Session.Version;
        self = DotNetObjectReference.Create(this);
        module = await JS.InvokeAsync<IJSObjectReference>("import", "/js/grading.js");
        shortcuts = await module.InvokeAsync<IJSObjectReference>("attach", self);
        escape = await module.InvokeAsync<IJSObjectReference>("closeOnEscape", self, GuidelinesId, GuidelinesToggleId);
        journal = new BrowserJournal(module);
        Session.AttachJournal(journal);
        // The shortcuts are announced only once they work (after the page became interactive).
        keyboardReady = true;
        StateHasChanged();
        await RecoverUnsentAsync();
    }

    /// <summary>A new item opens at the top of its panes with focus on its heading, as a new page would; a failed Submit
    /// takes focus to the first criterion it names; opened guidelines take focus.</summary>
    async Task MoveFocusAsync()
    {
        try
        {
            if (Session.Version != shownVersion && Session.Item is not null)
            {
                shownVersion = Session.Version;
                focusAfterRender = null;
                await module!.InvokeVoidAsync("openAtTop", ResponseHeadingId);
            }
            else if (focusAfterRender is { } target)
            {
                focusAfterRender = null;
                await module!.InvokeVoidAsync(target == GuidelinesId ? "focusElement" : "focusFirstProblem", target);
            }
        }
        catch (JSDisconnectedException)
        {
            // The page is gone.
        }
    }

    void ToggleGuidelines()
    {
        showGuidelines = !showGuidelines;
        if (showGuidelines) focusAfterRender = GuidelinesId;
    }

    [JSInvokable] public Task CloseGuidelines() => InvokeAsync(() =>
    {
        showGuidelines = false;
        StateHasChanged();
    });

    async Task RecoverUnsentAsync()
    {
        recover = false;
        if (await Session.RecoverUnsentAsync()) StateHasChanged();
        await ShowTextAsync();
    }

    /// <summary>Text the server changed after the item loaded goes into the text fields the rater is not typing in;
    /// what they are typing stays, and is saved as the later write.</summary>
    async Task ShowTextAsync()
    {
        if (Session.TakeTextToShow() is not { Count: > 0 } text || module is null) return;
        try
        {
            var typed = await module.InvokeAsync<Dictionary<string, string?>>("showText", text);
            await Session.KeepTypedAsync(typed);
        }
        catch (JSDisconnectedException)
        {
            // The page is gone: it shows the server's values when it loads again.
        }
    }

    Task ChooseAsync((Criterion Criterion, string? Value) change) => Session.ChooseAsync(change.Criterion, change.Value);

    Task TypeAsync((Criterion Criterion, string? Value) change) => Session.TypeAsync(change.Criterion, change.Value);

    Task TypingDoneAsync() => Session.SaveTypingNowAsync();

    async Task SubmitAsync(string handle)
    {
        var version = Session.Version;
        var next = await Session.SubmitAsync(handle);
        // The last item of the queue's own address was submitted: the session opened the queue again.
        if (Session.Version != version) await AfterLoadAsync();
        else if (Session.Problems.Count > 0) focusAfterRender = "criterion-problem";
        StateHasChanged();
        if (next is not null) Navigation.NavigateTo(next);
    }

    /// <summary>Before the module goes: saves that finish later tell the journal nothing through it.</summary>
    void DetachJournal()
    {
        if (journal is not null) Session.DetachJournal(journal);
    }

    [JSInvokable] public Task SubmitFromKeyboard(string handle) => InvokeAsync(() => SubmitAsync(handle));

    [JSInvokable] public Task NextItem() => InvokeAsync(() => Move(+1));

    [JSInvokable] public Task PreviousItem() => InvokeAsync(() => Move(-1));

    void Move(int step)
    {
        if ((step > 0 ? Session.Queue?.Next : Session.Queue?.Previous) is { } target)
            Navigation.NavigateTo($"/studies/{StudyId}/grade/{target}");
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        try
        {
            // Leaving the page while typing: keep what was typed.
            await Session.FlushTypingAsync();
            DetachJournal();
            if (shortcuts is not null) await shortcuts.InvokeVoidAsync("dispose");
            if (escape is not null) await escape.InvokeVoidAsync("dispose");
            if (module is not null) await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; the browser dropped the listener with the page.
        }
        finally
        {
            // Whatever failed above, the journal is let go; the base then stops listening and leaves presence.
            DetachJournal();
            self?.Dispose();
        }
    }
}
