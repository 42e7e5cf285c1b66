using System.Globalization;
using GradeBench.Core.Grading;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace GradeBench.Web.Features.Grading;

/// <summary>The rater's grading page: one assigned response at a time, its case beside it, the rubric below.
/// Every change is saved as a draft at once (free text after a pause in typing); Submit records the rating and
/// opens the next item. All checks (membership, assignment, study state, scale) are made on the server.</summary>
public partial class Grade
{
    static readonly TimeSpan TypingPause = TimeSpan.FromMilliseconds(600);

    [Inject] StudyQuery Studies { get; set; } = default!;
    [Inject] RubricQuery Rubric { get; set; } = default!;
    [Inject] GradingStore Grading { get; set; } = default!;
    [Inject] RatingRecorder Recorder { get; set; } = default!;
    [Inject] SpanStore Spans { get; set; } = default!;
    [Inject] FlagStore Flags { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] IJSRuntime JS { get; set; } = default!;
    [Inject] StudyLifecycleStore Lifecycle { get; set; } = default!;
    [Inject] StudyEvents Events { get; set; } = default!;
    [Inject] CircuitPresence Presence { get; set; } = default!;

    [CascadingParameter] Task<AuthenticationState> AuthenticationState { get; set; } = default!;
    [Parameter] public long StudyId { get; set; }
    [Parameter] public long? ResponseId { get; set; }

    StudyMembership? membership;
    StudyStatus status = new(StudyState.Open, false);
    IDisposable? studyEvents;
    string raterName = "";
    IReadOnlyList<Criterion> criteria = [];
    QueuePosition? queue;
    GradingItem? item;
    string? loadError;
    bool showGuidelines;
    bool keyboardReady;
    const string ResponseElementId = "grade-response";
    IReadOnlyList<SpanLabelInfo> spanLabels = [];
    IReadOnlyList<SpanAnnotation> spans = [];
    string? spanNote, spanMessage;
    bool repaint;
    bool flagging;
    string? flagNote;
    IReadOnlyList<Flag> flags = [];
    IJSObjectReference? selectionWatch;
    string saveState = "";
    readonly Dictionary<string, string?> values = [];
    IReadOnlyDictionary<string, string> problems = RatingWriteResult.NoProblems;
    long raterId;
    CancellationTokenSource? typing;
    (long ResponseId, string Criterion, string? Value)? unsavedText;
    DotNetObjectReference<Grade>? self;
    IJSObjectReference? module, shortcuts;
    /// <summary>Names this page in the events of its own writes, so that it does not take them for another tab's.</summary>
    readonly string pageId = Guid.NewGuid().ToString("N");
    /// <summary>One save or reload at a time: a save, another tab's change and a new item would otherwise interleave at their awaits.</summary>
    readonly SemaphoreSlim writing = new(1, 1);
    /// <summary>Submitted: the page is on its way to the next item, and a Submit pressed again meanwhile is the same one.</summary>
    bool leaving;
    /// <summary>The values this page saved on the current item, as sent: this tab's journal never sends them again.</summary>
    readonly Dictionary<string, string?> savedByMe = [];
    /// <summary>Changed when the form must show exactly what the server holds, whatever the browser kept in its inputs.</summary>
    int formVersion;
    /// <summary>Look for changes this tab made that the server never received, once the page is live.</summary>
    bool recover;

    double ProgressPercent => queue is { Assigned: > 0 } ? 100.0 * queue.Done / queue.Assigned : 0;

    protected override async Task OnParametersSetAsync()
    {
        await writing.WaitAsync();
        try
        {
            await LoadAsync();
        }
        finally
        {
            writing.Release();
        }
        if (RendererInfo.IsInteractive && membership is not null) Listen();
    }

    async Task LoadAsync()
    {
        // Text typed within the pause belongs to the item it was typed on, whichever item opens now.
        await FlushTypingAsync();
        leaving = false;
        var before = item?.ResponseId;
        var user = (await AuthenticationState).User;
        (raterId, raterName) = (user.Id(), user.DisplayName());
        membership = await Studies.MembershipAsync(StudyId, raterId);
        if (membership is not { Role: "rater" })
        {
            loadError = "You are not a rater in this study.";
            membership = null;
            return;
        }
        loadError = null;
        criteria = (await Rubric.LoadAsync(StudyId)).Select(c => c.Criterion).ToList();
        spanLabels = await Spans.LabelsAsync(StudyId);
        queue = await Grading.PositionAsync(StudyId, raterId, ResponseId);
        var allDone = ResponseId is null && queue.Done == queue.Assigned;
        item = queue.Current is { } id && !allDone ? await Grading.LoadItemAsync(StudyId, raterId, id) : null;
        if (ResponseId is not null && item is null) loadError = "That response is not assigned to you.";
        values.Clear();
        if (item is not null)
            foreach (var (key, value) in item.Values) values[key] = value;
        if (item?.ResponseId != before) savedByMe.Clear();
        // After a dropped connection the inputs may hold changes the server never had: show what it has, then recover.
        formVersion++;
        recover = true;
        problems = RatingWriteResult.NoProblems;
        saveState = item is { Values.Count: > 0 } ? "Draft restored" : "";
        spans = item is null ? [] : await Spans.ListAsync(StudyId, raterId, item.ResponseId);
        spanMessage = null;
        repaint = true;
        flags = item is null ? [] : await Flags.ListAsync(StudyId, raterId, item.ResponseId);
        flagging = false;
        status = await Lifecycle.StatusAsync(StudyId) ?? status;
    }

    /// <summary>Once live: the coordinators see which item the rater has open, a pause or state change reaches the page
    /// at once (and is re-read after a dropped connection), and so does a change the rater makes in another tab.</summary>
    void Listen()
    {
        Presence.Enter(StudyId, raterId, raterName, "rater", item?.ResponseId);
        if (studyEvents is not null) return;
        studyEvents = Events.Subscribe(StudyId, raterId, isCoordinator: false, e => e switch
        {
            StudyStateChanged changed => InvokeAsync(() =>
            {
                status = new StudyStatus(StudyLifecycle.Parse(changed.State), changed.Paused);
                StateHasChanged();
            }),
            RatingChanged changed when changed.Origin != pageId => InvokeAsync(() => ShowChangeFromElsewhereAsync(changed.ResponseId)),
            _ => Task.CompletedTask,
        });
        Presence.Reconnected += OnReconnectedAsync;
    }

    /// <summary>The rater changed a rating in another tab (or through the API). The later write wins, so this page shows
    /// it, and says so, rather than keep a stale version that looks saved.</summary>
    async Task ShowChangeFromElsewhereAsync(long responseId)
    {
        await writing.WaitAsync();
        try
        {
            if (item is null || leaving) return;
            queue = await Grading.PositionAsync(StudyId, raterId, item.ResponseId);
            if (responseId == item.ResponseId && await Grading.LoadItemAsync(StudyId, raterId, responseId) is { } latest)
            {
                var wasDone = item.Done;
                item = latest;
                values.Clear();
                foreach (var (key, value) in latest.Values) values[key] = value;
                // Text being typed here is saved at the pause, and is then the later write.
                if (unsavedText is { } text && text.ResponseId == responseId) values[text.Criterion] = text.Value;
                problems = RatingWriteResult.NoProblems;
                saveState = latest.Done && !wasDone
                    ? "Submitted in another tab. Changes made here still update the submitted rating."
                    : "Changed in another tab: this form now shows the version saved there.";
            }
            StateHasChanged();
        }
        finally
        {
            writing.Release();
        }
    }

    Task OnReconnectedAsync() => InvokeAsync(async () =>
    {
        status = await Lifecycle.StatusAsync(StudyId) ?? status;
        recover = true;
        StateHasChanged();
    });

    string? StudyNotice => status switch
    {
        { State: StudyState.Open, Paused: true } => "The coordinator has paused the study. Your drafts are kept; saving and submitting resume when the study does.",
        { State: StudyState.Draft } => "This study has not opened for rating yet.",
        { State: StudyState.Adjudication } => "Independent rating has ended: the study is in adjudication, and ratings can no longer be changed here.",
        { State: StudyState.Closed } => "The study is closed: ratings can no longer be changed.",
        _ => null,
    };

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            if (repaint && module is not null) await PaintAsync();
            if (recover && module is not null) await RecoverUnsentAsync();
            return;
        }
        self = DotNetObjectReference.Create(this);
        module = await JS.InvokeAsync<IJSObjectReference>("import", "/js/grading.js");
        shortcuts = await module.InvokeAsync<IJSObjectReference>("attach", self);
        selectionWatch = await module.InvokeAsync<IJSObjectReference>("watchSelection", ResponseElementId);
        await PaintAsync();
        // The shortcuts are announced only once they work (after the page became interactive).
        keyboardReady = true;
        StateHasChanged();
        await RecoverUnsentAsync();
    }

    static readonly TimeSpan JournalTimeout = TimeSpan.FromSeconds(10);

    /// <summary>This tab's journal of changes the server has not handled, for one item (see grading.js).</summary>
    string JournalKey(long responseId) => $"gradebench:unsent:{raterId}:{StudyId}:{responseId}";

    /// <summary>Tells the journal what the server handled. Not awaited: a connection that dropped must not hold up a save,
    /// and an entry left behind is settled by <see cref="RecoverUnsentAsync"/> next time.</summary>
    void Journal(string identifier, params object?[] args)
    {
        if (module is null) return;
        _ = module.InvokeVoidAsync(identifier, args).AsTask()
            .ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>Saves what this tab changed but the server never received (the connection dropped without Blazor noticing
    /// yet, or the circuit was lost and the page reloaded), and says so. A value this page saved itself is not sent again:
    /// what is stored now is that value or a later write from another tab.</summary>
    async Task RecoverUnsentAsync()
    {
        recover = false;
        if (module is null) return;
        await writing.WaitAsync();
        try
        {
            if (item is null || leaving) return;
            var key = JournalKey(item.ResponseId);
            Dictionary<string, string?> unsent;
            try
            {
                using var timeout = new CancellationTokenSource(JournalTimeout);
                unsent = await module.InvokeAsync<Dictionary<string, string?>>("unsent", timeout.Token, key);
            }
            catch (Exception e) when (e is JSDisconnectedException or JSException or OperationCanceledException)
            {
                return; // The journal stays for the next load or reconnection.
            }
            if (await Grading.LoadItemAsync(StudyId, raterId, item.ResponseId) is not { } latest) return;
            // A Submit sent before the connection dropped may have been recorded without the page hearing back.
            if (latest.Done) Journal("submitHandled", key);
            if (unsent.Count == 0) return;
            var apply = new Dictionary<string, string?>();
            var settled = new List<string>();
            foreach (var (id, value) in unsent)
            {
                var criterion = criteria.FirstOrDefault(c => c.Id == id);
                var handled = criterion is null || AsStored(criterion, value) == latest.Values.GetValueOrDefault(id)
                    || (savedByMe.TryGetValue(id, out var mine) && mine == value);
                if (handled) settled.Add(id); else apply[id] = value;
            }
            if (settled.Count > 0) Journal("settle", key, settled);
            if (apply.Count == 0) return;
            foreach (var (id, value) in apply) values[id] = value;
            var (result, _) = await SaveLockedAsync(apply, submit: false);
            if (result.Outcome == RatingWriteOutcome.Saved)
                saveState = apply.Count == 1
                    ? "Saved a change that had not reached the server when the connection dropped."
                    : $"Saved {apply.Count} changes that had not reached the server when the connection dropped.";
            StateHasChanged();
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>A value as the store keeps it (trimmed, canonical, blank as none), to compare with what is stored.</summary>
    static string? AsStored(Criterion criterion, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var value = raw.Trim();
        return criterion.CheckValue(value) is null ? criterion.Canonical(value) : value;
    }

    sealed record SelectionInfo(string Text, int Occurrence);

    async Task PaintAsync()
    {
        repaint = false;
        if (module is null || item is null) return;
        var content = item.ContentMd;
        var painted = spans.Select(s => new
        {
            quote = s.Quote,
            label = LabelOf(s)?.Slug ?? "",
            occurrence = SpanLocator.OccurrenceOf(content, s.Quote, (int)s.StartOffset),
        });
        await module.InvokeVoidAsync("paint", ResponseElementId, painted, spanLabels.Select(l => new { slug = l.Slug, color = l.Color }));
    }

    SpanLabelInfo? LabelOf(SpanAnnotation span) => spanLabels.FirstOrDefault(l => l.Id == span.LabelId);

    static string Short(string quote) => quote.Length <= 80 ? quote : quote[..77] + "…";

    async Task MarkAsync(SpanLabelInfo label)
    {
        if (module is null || item is null) return;
        var selection = await module.InvokeAsync<SelectionInfo?>("takeSelection");
        if (selection is null)
        {
            spanMessage = "Select a passage in the response first.";
            return;
        }
        if (SpanLocator.Locate(item.ContentMd, selection.Text, selection.Occurrence) is not { } found)
        {
            spanMessage = "That passage could not be matched to the response text; select a shorter one.";
            return;
        }
        var outcome = await Spans.AddAsync(StudyId, raterId, item.ResponseId, label.Id, found.Start, found.End, spanNote);
        spanMessage = outcome == SpanWriteOutcome.Saved ? $"Highlighted as {label.Label}." : SpanProblem(outcome);
        if (outcome == SpanWriteOutcome.Saved) spanNote = null;
        await ReloadSpansAsync();
    }

    async Task RelabelAsync(SpanAnnotation span, string? labelId)
    {
        if (!long.TryParse(labelId, out var id)) return;
        var outcome = await Spans.UpdateAsync(StudyId, raterId, span.Id, id, span.Note);
        spanMessage = outcome == SpanWriteOutcome.Saved ? "Highlight relabelled." : SpanProblem(outcome);
        await ReloadSpansAsync();
    }

    async Task RenoteAsync(SpanAnnotation span, string? note)
    {
        var outcome = await Spans.UpdateAsync(StudyId, raterId, span.Id, span.LabelId, note);
        spanMessage = outcome == SpanWriteOutcome.Saved ? "Note saved." : SpanProblem(outcome);
        await ReloadSpansAsync();
    }

    async Task RemoveAsync(SpanAnnotation span)
    {
        var outcome = await Spans.DeleteAsync(StudyId, raterId, span.Id);
        spanMessage = outcome == SpanWriteOutcome.Saved ? "Highlight removed." : SpanProblem(outcome);
        await ReloadSpansAsync();
    }

    async Task SendFlagAsync()
    {
        if (item is null || string.IsNullOrWhiteSpace(flagNote)) return;
        if (await Flags.AddAsync(StudyId, raterId, item.ResponseId, flagNote))
        {
            flagNote = null;
            flagging = false;
        }
        flags = await Flags.ListAsync(StudyId, raterId, item.ResponseId);
    }

    async Task ReloadSpansAsync()
    {
        if (item is not null) spans = await Spans.ListAsync(StudyId, raterId, item.ResponseId);
        repaint = true;
    }

    static string SpanProblem(SpanWriteOutcome outcome) => outcome switch
    {
        SpanWriteOutcome.StudyNotOpen => "The study is not open: highlights are not saved.",
        SpanWriteOutcome.NotFound => "This highlight or response is no longer yours to change.",
        _ => "That highlight could not be saved.",
    };

    async Task SetAsync((Criterion Criterion, string? Value) change)
    {
        var (criterion, value) = change;
        if (item is not { ResponseId: var chosenOn }) return;
        values[criterion.Id] = value;
        await SaveAsync(chosenOn, new Dictionary<string, string?> { [criterion.Id] = value }, submit: false);
    }

    async Task SetTextAsync((Criterion Criterion, string? Value) change)
    {
        var (criterion, value) = change;
        if (item is not { ResponseId: var typedOn }) return;
        values[criterion.Id] = value;
        unsavedText = (typedOn, criterion.Id, value);
        typing?.Cancel();
        typing = new CancellationTokenSource();
        var pause = typing.Token;
        saveState = "Typing…";
        try
        {
            await Task.Delay(TypingPause, pause);
        }
        catch (TaskCanceledException)
        {
            return;
        }
        // Another item opened meanwhile: the text was saved on its own item then.
        if (pause.IsCancellationRequested || item?.ResponseId != typedOn) return;
        await SaveAsync(typedOn, new Dictionary<string, string?> { [criterion.Id] = value }, submit: false);
    }

    /// <summary>Saves text still waiting for the typing pause, on the item it was typed on.</summary>
    async Task FlushTypingAsync()
    {
        typing?.Cancel();
        if (unsavedText is not { } text) return;
        unsavedText = null;
        var changed = new Dictionary<string, string?> { [text.Criterion] = text.Value };
        await Recorder.SaveAsync(StudyId, raterId, text.ResponseId, changed, submit: false, origin: pageId);
        Journal("forget", JournalKey(text.ResponseId), changed);
    }

    /// <param name="responseId">The item the change was made on, as the rater saw it.</param>
    async Task SaveAsync(long responseId, IReadOnlyDictionary<string, string?> changed, bool submit)
    {
        string? next = null;
        await writing.WaitAsync();
        try
        {
            if (item?.ResponseId != responseId || leaving)
            {
                // A Submit pressed again while the page moves on, or a change to an item already left (saved on leaving).
                if (submit) Journal("submitHandled", JournalKey(responseId));
                return;
            }
            (_, next) = await SaveLockedAsync(changed, submit);
        }
        finally
        {
            writing.Release();
        }
        if (next is not null) Navigation.NavigateTo(next);
    }

    /// <summary>Saves on the open item; the caller holds <see cref="writing"/>. Returns where a submit goes next.</summary>
    async Task<(RatingWriteResult Result, string? Next)> SaveLockedAsync(IReadOnlyDictionary<string, string?> changed, bool submit)
    {
        var responseId = item!.ResponseId;
        saveState = submit ? "Submitting…" : "Saving…";
        if (unsavedText is { } text && changed.TryGetValue(text.Criterion, out var sent) && sent == text.Value) unsavedText = null;
        var result = await Recorder.SaveAsync(StudyId, raterId, responseId, changed, submit, origin: pageId);
        // Handled either way: saved, or refused with a reason shown here.
        Journal("forget", JournalKey(responseId), changed);
        if (submit) Journal("submitHandled", JournalKey(responseId));
        if (result.Outcome == RatingWriteOutcome.Saved)
            foreach (var (id, value) in changed)
            {
                savedByMe[id] = value;
                // Another tab's refresh may have run while this save waited for the lock: what was saved last is shown.
                values[id] = value;
            }
        problems = result.Problems;
        saveState = result.Outcome switch
        {
            RatingWriteOutcome.Saved => submit ? "Submitted" : item.Done ? "Change saved (the rating stays submitted)" : "Draft saved",
            RatingWriteOutcome.StudyNotOpen => "The study is not open: changes are not saved.",
            RatingWriteOutcome.StudyPaused => "The study is paused: changes are not saved.",
            RatingWriteOutcome.NotRater => "You are no longer a rater in this study: nothing was saved.",
            RatingWriteOutcome.NotAssigned => "This response is no longer assigned to you.",
            _ => "Not saved: see the marked criteria.",
        };
        string? next = null;
        if (submit && result.Outcome == RatingWriteOutcome.Saved)
        {
            leaving = true;
            var following = await Grading.NextUndoneAsync(StudyId, raterId, responseId);
            // Already at the queue's own address: navigating there again would not reload the page (same parameters).
            if (following is null && ResponseId is null) await LoadAsync();
            else next = following is null ? $"/studies/{StudyId}/grade" : $"/studies/{StudyId}/grade/{following}";
        }
        StateHasChanged();
        return (result, next);
    }

    /// <param name="responseId">The item whose Submit was pressed: a press that arrives after the next item opened is not for it.</param>
    Task SubmitAsync(long responseId) => SaveAsync(responseId, criteria.ToDictionary(c => c.Id, c => values.GetValueOrDefault(c.Id)), submit: true);

    [JSInvokable] public Task SubmitFromKeyboard(long responseId) => InvokeAsync(() => SubmitAsync(responseId));

    [JSInvokable] public Task NextItem() => InvokeAsync(() => Move(+1));

    [JSInvokable] public Task PreviousItem() => InvokeAsync(() => Move(-1));

    void Move(int step)
    {
        if ((step > 0 ? queue?.Next : queue?.Previous) is { } target)
            Navigation.NavigateTo($"/studies/{StudyId}/grade/{target}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Leaving the page while typing: keep what was typed.
            await FlushTypingAsync();
            if (shortcuts is not null) await shortcuts.InvokeVoidAsync("dispose");
            if (selectionWatch is not null) await selectionWatch.InvokeVoidAsync("dispose");
            if (module is not null) await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; the browser dropped the listener with the page.
        }
        finally
        {
            // Whatever failed above, the page stops listening and leaves presence.
            self?.Dispose();
            studyEvents?.Dispose();
            Presence.Reconnected -= OnReconnectedAsync;
            if (membership is not null) Presence.Leave(StudyId);
        }
    }
}
