using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace GradeBench.Web.Features.Grading;

/// <summary>The rater's side-by-side page (docs/grading.md, "Side-by-side pairs"): one assigned pair at a time, its case
/// and its two answers side by side, then the study's questions (axes), reasons and a comment. Every vote and reason is
/// saved as a draft at once, the comment after a pause in typing; Submit records the judgement and opens the next pair
/// not done. The draft, the saves and the journal of unsent changes are the circuit's <see cref="PairSession"/>; this
/// page renders it and keeps it live, as <see cref="GradePage"/> does for single answers.</summary>
public partial class ComparePage
{
    const string HeadingId = "pair-heading";
    const string LeftPaneId = "pair-left";
    const string RightPaneId = "pair-right";
    const string GuidelinesId = "grade-guidelines";
    const string GuidelinesToggleId = "guidelines-toggle";

    [Inject] PairSession Session { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] IJSRuntime JS { get; set; } = default!;
    [Inject] StudyLifecycleStore Lifecycle { get; set; } = default!;
    [Inject] IStringLocalizer<GradingText> T { get; set; } = default!;
    [Inject] IStringLocalizer<MessageText> Messages { get; set; } = default!;

    [Parameter] public long StudyId { get; set; }
    /// <summary>The handle of the pair in the address (the only name of it the browser gets); null: the queue.</summary>
    [Parameter] public string? Pair { get; set; }

    StudyStatus status = new(StudyState.Open, false);
    bool showGuidelines;
    bool keyboardReady;
    /// <summary>The load whose pair the panes show from their top, with focus on its heading; another load opens a new pair.</summary>
    int shownVersion;
    /// <summary>Where focus goes after the next render: the first question a failed Submit named, or the opened guidelines.</summary>
    string? focusAfterRender;
    DotNetObjectReference<ComparePage>? self;
    IJSObjectReference? module, shortcuts, escape;
    BrowserJournal? journal;
    /// <summary>Look for changes this tab made that the server never received, once the page is live.</summary>
    bool recover;

    /// <summary>The element that shows an answer's text, where passages are selected and highlights painted.</summary>
    static string ResponseElementId(string paneId) => $"{paneId}-response";

    string? Say(Message? message) => message is null ? null : Messages.Say(message);

    /// <summary>Why the store refused each axis's vote, in the rater's language.</summary>
    IReadOnlyDictionary<string, string> AxisProblemTexts => Session.AxisProblems.ToDictionary(p => p.Key, p => Messages.Say(p.Value));

    /// <summary>The questions (and reasons, comment) a refused save names, by their text in the rater's language.</summary>
    string ProblemsText
    {
        get
        {
            if (!Session.HasProblems || Session.Item is not { } item) return "";
            var languages = Core.Rubrics.TextLanguages.ForInterface(System.Globalization.CultureInfo.CurrentUICulture, Session.Membership?.Language);
            var named = item.Axes.Where(a => Session.AxisProblems.ContainsKey(a.Id)).Select(a => a.QuestionIn(languages).Text).ToList();
            if (Session.ReasonsProblem is not null) named.Add(T["Reasons"]);
            if (Session.CommentProblem is not null) named.Add(T["Comment"]);
            return T["MissingOrInvalid", string.Join(T["ListSeparator"], named)];
        }
    }

    double ProgressPercent => Session.Queue is { Assigned: > 0 } queue ? 100.0 * queue.Done / queue.Assigned : 0;

    protected override async Task OnParametersSetAsync()
    {
        await ResolveUserAsync();
        await Session.OpenAsync(StudyId, UserId, Pair);
        await AfterLoadAsync();
        // A pair has two answers and no one response to show as the rater's open item: presence names none.
        await ListenAsync(Session.Membership is null
            ? null
            : new LiveStudy(StudyId, IsCoordinator: false, PresenceRole: StudyRoles.Rater, ResponseId: null));
    }

    /// <summary>After the session opened a pair: read the study's state, and, since the inputs may hold changes the
    /// server never had after a dropped connection (the form now shows what it has), recover them.</summary>
    async Task AfterLoadAsync()
    {
        if (Session.Membership is null) return;
        recover = true;
        status = await Lifecycle.StatusAsync(StudyId) ?? status;
    }

    string? StudyNotice => status switch
    {
        { State: StudyState.Open, Paused: true } => T["StudyPaused"].Value,
        { State: StudyState.Draft } => T["StudyDraft"].Value,
        { State: StudyState.Adjudication } => T["StudyInAdjudication"].Value,
        { State: StudyState.Closed } => T["StudyClosed"].Value,
        _ => null,
    };

    protected override async Task ReloadAsync() => status = await Lifecycle.StatusAsync(StudyId) ?? status;

    protected override bool Wants(StudyEvent studyEvent) =>
        studyEvent is StudyStateChanged || studyEvent is PairChanged changed && changed.Origin != Session.Origin;

    protected override async Task OnStudyEventAsync(StudyEvent studyEvent)
    {
        switch (studyEvent)
        {
            case StudyStateChanged changed:
                status = new StudyStatus(StudyLifecycle.Parse(changed.State), changed.Paused);
                break;
            case PairChanged changed:
                await Session.ShowChangeFromElsewhereAsync(changed.PairId);
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

    /// <summary>A new pair opens at the top of its panes with focus on its heading, as a new page would; a failed Submit
    /// takes focus to the first question it names; opened guidelines take focus.</summary>
    async Task MoveFocusAsync()
    {
        try
        {
            if (Session.Version != shownVersion && Session.Item is not null)
            {
                shownVersion = Session.Version;
                focusAfterRender = null;
                await module!.InvokeVoidAsync("openAtTop", HeadingId);
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

    /// <summary>A comment the server changed after the pair loaded goes into the comment field unless the rater is typing
    /// in it; what they are typing stays, and is saved as the later write.</summary>
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

    Task ChooseAsync((string Axis, PairwiseChoice Choice) change) => Session.ChooseAsync(change.Axis, change.Choice);

    Task TickAsync((string Reason, bool Ticked) change) => Session.TickReasonAsync(change.Reason, change.Ticked);

    Task TypeAsync(string? text) => Session.TypeCommentAsync(text);

    Task TypingDoneAsync() => Session.SaveTypingNowAsync();

    async Task SubmitAsync(string handle)
    {
        var version = Session.Version;
        var next = await Session.SubmitAsync(handle);
        // The last pair of the queue's own address was submitted: the session opened the queue again.
        if (Session.Version != version) await AfterLoadAsync();
        else if (Session.HasProblems) focusAfterRender = "criterion-problem";
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
            Navigation.NavigateTo($"/studies/{StudyId}/compare/{target}");
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
