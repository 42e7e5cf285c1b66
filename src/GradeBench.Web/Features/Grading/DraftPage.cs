using GradeBench.Core.Messages;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace GradeBench.Web.Features.Grading;

/// <summary>What the rater's two grading pages do alike around their circuit's <see cref="DraftSession"/>
/// (<see cref="GradePage"/> for single answers, <see cref="ComparePage"/> for side-by-side pairs): open an item and keep
/// it live, read the study's state and whether the rater's judgement of the item is final (docs/grading.md, "When your
/// rating is final"), wire grading.js (keyboard shortcuts, Escape on the guidelines, the tab's journal of unsent changes,
/// focus on a new item or a failed Submit, text changed elsewhere), open and close the guidelines, submit, move between
/// items, and let go of it all when the page closes. Each page keeps what differs: its markup, its kind of item and
/// where its items live.</summary>
public abstract class DraftPage<TSession> : LiveComponent where TSession : DraftSession
{
    protected const string GuidelinesId = "grade-guidelines";
    protected const string GuidelinesToggleId = "guidelines-toggle";

    [Inject] protected TSession Session { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [Inject] protected RatingReveals Reveals { get; set; } = default!;
    [Inject] protected IStringLocalizer<GradingText> T { get; set; } = default!;
    [Inject] protected IStringLocalizer<MessageText> Messages { get; set; } = default!;
    [Inject] IJSRuntime JS { get; set; } = default!;
    [Inject] StudyLifecycleStore Lifecycle { get; set; } = default!;

    [Parameter] public long StudyId { get; set; }

    /// <summary>The rater has seen other raters' values for the open item: their judgement of it is final.</summary>
    bool _frozen;
    /// <summary>The load whose item the panes show from their top, with focus on its heading; another load opens a new item.</summary>
    int _shownVersion;
    /// <summary>Where focus goes after the next render: the first field a failed Submit named, or the opened guidelines.</summary>
    string? _focusAfterRender;
    DotNetObjectReference<DraftPage<TSession>>? _self;
    IJSObjectReference? _shortcuts, _escape;
    BrowserJournal? _journal;
    /// <summary>Look for changes this tab made that the server never received, once the page is live.</summary>
    bool _recover;

    protected StudyStatus Status { get; private set; } = new(StudyState.Open, false);
    protected bool ShowGuidelines { get; private set; }
    /// <summary>The shortcuts are announced only once they work (after the page became interactive).</summary>
    protected bool KeyboardReady { get; private set; }
    /// <summary>The page's grading.js module, once the page is live.</summary>
    protected IJSObjectReference? Module { get; private set; }
    /// <summary>Highlight and note labels read the selection through grading.js: until it is loaded (a moment after the
    /// page becomes interactive, longer far from the server) a label chosen would be lost, so they wait for it.</summary>
    protected bool PassagesReady => Module is not null;

    /// <summary>The rater's judgement of the open item is final: it is shown read-only (flags still work).</summary>
    protected bool Frozen => _frozen || Session.Frozen;

    /// <summary>The heading of the open item, which takes focus when a new item opens.</summary>
    protected abstract string HeadingId { get; }

    /// <summary>The page's address for the rater's item <paramref name="handle"/>.</summary>
    protected abstract string ItemAddress(string handle);

    /// <summary>Whether the store recorded that the rater has seen other raters' values for the open item.</summary>
    protected abstract Task<bool> OpenItemRevealedAsync();

    /// <summary>The id of the item the rater changed in another tab (or through the API), if the event says so; null for
    /// any other event, this circuit's own writes included.</summary>
    protected abstract long? ChangedElsewhere(StudyEvent studyEvent);

    /// <summary>Presence: the response coordinators see as the rater's open item; null names none (a pair has two answers,
    /// neither of them the rater's one open item).</summary>
    protected virtual long? PresenceResponseId => null;

    protected double ProgressPercent => Session.Queue is { Assigned: > 0 } queue ? 100.0 * queue.Done / queue.Assigned : 0;

    protected string? StudyNotice => Status switch
    {
        { State: StudyState.Open, Paused: true } => T["StudyPaused"].Value,
        { State: StudyState.Draft } => T["StudyDraft"].Value,
        { State: StudyState.Adjudication } => T["StudyInAdjudication"].Value,
        { State: StudyState.Closed } => T["StudyClosed"].Value,
        _ => null,
    };

    /// <summary>Opens the rater's item <paramref name="handle"/> names (null: the first not done) and listens: a pause, a
    /// state change and the rater's own change in another tab reach the page at once.</summary>
    protected async Task OpenAsync(string? handle)
    {
        await ResolveUserAsync();
        await Session.OpenAsync(StudyId, UserId, handle);
        await AfterLoadAsync();
        await ListenAsync(Session.Membership is null
            ? null
            : new LiveStudy(StudyId, IsCoordinator: false, PresenceRole: StudyRoles.Rater, ResponseId: PresenceResponseId));
    }

    /// <summary>After the session opened an item: read the study's state, and, since the inputs may hold changes the
    /// server never had after a dropped connection (the form now shows what it has), recover them.</summary>
    async Task AfterLoadAsync()
    {
        if (Session.Membership is null) return;
        _recover = true;
        await ReloadAsync();
    }

    /// <summary>Read again on each load and state change: the rater may have opened the item's adjudication page meanwhile.</summary>
    async Task CheckFrozenAsync() => _frozen = Session.OpenHandle is not null && await OpenItemRevealedAsync();

    protected override async Task ReloadAsync()
    {
        Status = await Lifecycle.StatusAsync(StudyId) ?? Status;
        await CheckFrozenAsync();
    }

    protected override bool Wants(StudyEvent studyEvent) => studyEvent is StudyStateChanged || ChangedElsewhere(studyEvent) is not null;

    protected override async Task OnStudyEventAsync(StudyEvent studyEvent)
    {
        if (studyEvent is StudyStateChanged changed)
        {
            Status = new StudyStatus(StudyLifecycle.Parse(changed.State), changed.Paused);
            await CheckFrozenAsync();
        }
        else if (ChangedElsewhere(studyEvent) is { } item)
        {
            await Session.ShowChangeFromElsewhereAsync(item);
            await ShowTextAsync();
        }
    }

    /// <summary>After a dropped connection: the study's state may have changed, and the inputs may hold changes the
    /// server never had.</summary>
    protected override async Task OnReconnectedAsync()
    {
        await ReloadAsync();
        _recover = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            if (Module is null) return;
            await MoveFocusAsync();
            if (_recover) await RecoverUnsentAsync();
            return;
        }
        _shownVersion = Session.Version;
        _self = DotNetObjectReference.Create(this);
        Module = await JS.InvokeAsync<IJSObjectReference>("import", "/js/grading.js");
        _shortcuts = await Module.InvokeAsync<IJSObjectReference>("attach", _self);
        _escape = await Module.InvokeAsync<IJSObjectReference>("closeOnEscape", _self, GuidelinesId, GuidelinesToggleId);
        _journal = new BrowserJournal(Module);
        Session.AttachJournal(_journal);
        KeyboardReady = true;
        StateHasChanged();
        await RecoverUnsentAsync();
    }

    /// <summary>A new item opens at the top of its panes with focus on its heading, as a new page would; a failed Submit
    /// takes focus to the first field it names; opened guidelines take focus.</summary>
    async Task MoveFocusAsync()
    {
        try
        {
            if (Session.Version != _shownVersion && Session.OpenHandle is not null)
            {
                _shownVersion = Session.Version;
                _focusAfterRender = null;
                await Module!.InvokeVoidAsync("openAtTop", HeadingId);
            }
            else if (_focusAfterRender is { } target)
            {
                _focusAfterRender = null;
                await Module!.InvokeVoidAsync(target == GuidelinesId ? "focusElement" : "focusFirstProblem", target);
            }
        }
        catch (JSDisconnectedException)
        {
            // The page is gone.
        }
    }

    protected void ToggleGuidelines()
    {
        ShowGuidelines = !ShowGuidelines;
        if (ShowGuidelines) _focusAfterRender = GuidelinesId;
    }

    [JSInvokable] public Task CloseGuidelines() => InvokeAsync(() =>
    {
        ShowGuidelines = false;
        StateHasChanged();
    });

    async Task RecoverUnsentAsync()
    {
        _recover = false;
        if (await Session.RecoverUnsentAsync()) StateHasChanged();
        await ShowTextAsync();
    }

    /// <summary>Text the server changed after the item loaded goes into the text fields the rater is not typing in;
    /// what they are typing stays, and is saved as the later write.</summary>
    async Task ShowTextAsync()
    {
        if (Session.TakeTextToShow() is not { Count: > 0 } text || Module is null) return;
        try
        {
            var typed = await Module.InvokeAsync<Dictionary<string, string?>>("showText", text);
            await Session.KeepTypedAsync(typed);
        }
        catch (JSDisconnectedException)
        {
            // The page is gone: it shows the server's values when it loads again.
        }
    }

    protected async Task SubmitAsync(string handle)
    {
        var version = Session.Version;
        var next = await Session.SubmitAsync(handle);
        // The last item of the queue's own address was submitted: the session opened the queue again.
        if (Session.Version != version) await AfterLoadAsync();
        else if (Session.HasProblems) _focusAfterRender = "criterion-problem";
        StateHasChanged();
        if (next is not null) Navigation.NavigateTo(next);
    }

    [JSInvokable] public Task SubmitFromKeyboard(string handle) => InvokeAsync(() => SubmitAsync(handle));

    [JSInvokable] public Task NextItem() => InvokeAsync(() => Move(+1));

    [JSInvokable] public Task PreviousItem() => InvokeAsync(() => Move(-1));

    void Move(int step)
    {
        if ((step > 0 ? Session.Queue?.Next : Session.Queue?.Previous) is { } target) Navigation.NavigateTo(ItemAddress(target));
    }

    /// <summary>Before the module goes: saves that finish later tell the journal nothing through it.</summary>
    void DetachJournal()
    {
        if (_journal is not null) Session.DetachJournal(_journal);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        try
        {
            // Leaving the page while typing: keep what was typed.
            await Session.FlushTypingAsync();
            DetachJournal();
            if (_shortcuts is not null) await _shortcuts.InvokeVoidAsync("dispose");
            if (_escape is not null) await _escape.InvokeVoidAsync("dispose");
            if (Module is not null) await Module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; the browser dropped the listener with the page.
        }
        finally
        {
            // Whatever failed above, the journal is let go; the base then stops listening and leaves presence.
            DetachJournal();
            _self?.Dispose();
        }
    }
}
