using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Grading;

/// <summary>What the grading page holds for one circuit, without rendering: the open item and the rater's draft of it,
/// and, as <see cref="DraftSession"/>, the pause in typing before free text is saved, what the tab's journal of unsent
/// changes is told, and the lock that lets one save or reload run at a time. Every check (membership, assignment, study
/// state, scale) is made by the store. Its messages are in the circuit's language, which is the page's.</summary>
public sealed class GradingSession(StudyQuery studies, RubricQuery rubric, GradingStore grading, RatingRecorder recorder, TimeProvider clock,
    IStringLocalizer<GradingText> strings) : DraftSession(clock, strings)
{
    static readonly StatusKeys RatingStatus = new(ChangeSavedStillSubmitted: "ChangeSavedStillSubmitted", NoLongerAssigned: "NoLongerAssigned",
        FrozenNotSaved: "FrozenNotSaved", SeeMarked: "SeeMarkedCriteria", SubmittedElsewhere: "SubmittedElsewhere");

    readonly Dictionary<string, string?> _values = [];
    /// <summary>The values saved here on the open item, as sent: the tab's journal never sends them again.</summary>
    readonly Dictionary<string, string?> _savedByMe = [];
    /// <summary>The handle in the page's address; null at the queue's own address.</summary>
    string? _requested;
    /// <summary>Submitted: the page is on its way to the next item, and a Submit pressed again meanwhile is the same one.</summary>
    bool _leaving;
    (GradingItem Item, string Criterion, string? Value)? _unsavedText;

    /// <summary>What a submit sends: the shared rubric's criteria (<see cref="Rubric"/>), then the open item's checklist
    /// (<see cref="GradingItem.Checklist"/>) as the required binary criteria its marks are.</summary>
    public IReadOnlyList<Criterion> Criteria { get; private set; } = [];
    /// <summary>The shared rubric's criteria alone, as the rubric form shows them.</summary>
    public IReadOnlyList<Criterion> Rubric { get; private set; } = [];
    public GradingItem? Item { get; private set; }
    /// <summary>The draft on screen: what the server holds, with what was changed here since.</summary>
    public IReadOnlyDictionary<string, string?> Values => _values;
    public IReadOnlyDictionary<string, Message> Problems { get; private set; } = RatingWriteResult.NoProblems;
    public override string? OpenHandle => Item?.Handle;
    public override bool HasProblems => Problems.Count > 0;
    protected override StatusKeys ItemStatus => RatingStatus;

    public override Task OpenAsync(long studyId, long raterId, string? handle) => OneAtATimeAsync(() => LoadLockedAsync(studyId, raterId, handle));

    async Task LoadLockedAsync(long studyId, long raterId, string? handle)
    {
        // Text typed within the pause belongs to the item (and study) it was typed on, whichever item opens now.
        await FlushTypingAsync();
        _leaving = false;
        var before = Item?.ResponseId;
        (StudyId, RaterId, _requested) = (studyId, raterId, handle);
        Membership = await studies.MembershipAsync(studyId, raterId);
        if (Membership is not { Role: StudyRoles.Rater })
        {
            LoadError = Strings["NotRater"];
            Membership = null;
            return;
        }
        LoadError = null;
        Rubric = [.. (await rubric.LoadAsync(studyId)).Select(c => c.Criterion)];
        Queue = await grading.PositionAsync(studyId, raterId, handle);
        var allDone = handle is null && Queue.Done == Queue.Assigned;
        Item = Queue.Current is { } id && !allDone ? await grading.LoadItemAsync(studyId, raterId, id) : null;
        if (handle is not null && Item is null) LoadError = Strings["NotAssigned"];
        Criteria = Item is { Checklist.Count: > 0 } ? [.. Rubric, .. Item.Checklist.Select(c => c.AsCriterion())] : Rubric;
        _values.Clear();
        if (Item is not null)
            foreach (var (key, value) in Item.Values) _values[key] = value;
        if (Item?.ResponseId != before) _savedByMe.Clear();
        Problems = RatingWriteResult.NoProblems;
        // A submitted item says so in its heading and status.
        ShowLoaded(draftRestored: Item is { Done: false, Values.Count: > 0 });
    }

    /// <summary>A choice or a number: saved at once.</summary>
    public Task ChooseAsync(Criterion criterion, string? value)
    {
        if (Item is not { } chosenOn) return Task.CompletedTask;
        _values[criterion.Id] = value;
        return SaveAsync(chosenOn, chosenOn.Handle, new Dictionary<string, string?> { [criterion.Id] = value }, submit: false);
    }

    /// <summary>Free text: saved once typing pauses for <see cref="DraftSession.TypingPause"/>, on the item it was typed on.</summary>
    public async Task TypeAsync(Criterion criterion, string? value)
    {
        if (Item is not { } typedOn) return;
        _values[criterion.Id] = value;
        _unsavedText = (typedOn, criterion.Id, value);
        ShowTyping();
        // Another item opened meanwhile: the text was saved on its own item then.
        if (!await TypingPausedAsync() || Item?.ResponseId != typedOn.ResponseId) return;
        await SaveAsync(typedOn, typedOn.Handle, new Dictionary<string, string?> { [criterion.Id] = value }, submit: false);
    }

    /// <summary>The rater left the text field: what waits for the typing pause is saved now.</summary>
    public Task SaveTypingNowAsync()
    {
        StopTypingPause();
        if (_unsavedText is not { } text) return Task.CompletedTask;
        return SaveAsync(text.Item, text.Item.Handle, new Dictionary<string, string?> { [text.Criterion] = text.Value }, submit: false);
    }

    public override Task KeepTypedAsync(IReadOnlyDictionary<string, string?> typed)
    {
        if (Item is not { } typedOn) return Task.CompletedTask;
        var changed = typed.Where(t => Criteria.Any(c => c.Id == t.Key && c.Type == CriterionType.Text)
                                       && (t.Value ?? "") != (_values.GetValueOrDefault(t.Key) ?? ""))
            .ToDictionary(t => t.Key, t => t.Value);
        if (changed.Count == 0) return Task.CompletedTask;
        foreach (var (id, value) in changed) _values[id] = value;
        return SaveAsync(typedOn, typedOn.Handle, changed, submit: false);
    }

    public override async Task FlushTypingAsync()
    {
        StopTypingPause();
        if (_unsavedText is not { } text) return;
        _unsavedText = null;
        var changed = new Dictionary<string, string?> { [text.Criterion] = text.Value };
        await recorder.SaveAsync(StudyId, RaterId, text.Item.ResponseId, changed, submit: false, origin: Origin);
        Journal?.Forget(JournalKey(text.Item.Handle), changed);
    }

    /// <summary>Submits every criterion of the item as shown. Returns the address to go to next, if any.</summary>
    public override Task<string?> SubmitAsync(string handle) =>
        SaveAsync(Item?.Handle == handle ? Item : null, handle, Criteria.ToDictionary(c => c.Id, c => _values.GetValueOrDefault(c.Id)), submit: true);

    /// <param name="on">The item the change was made on, as the rater saw it (null: not the open one).</param>
    Task<string?> SaveAsync(GradingItem? on, string handle, IReadOnlyDictionary<string, string?> changed, bool submit) => OneAtATimeAsync(async () =>
    {
        if (on is null || Item?.ResponseId != on.ResponseId || _leaving)
        {
            // A Submit pressed again while the page moves on, or a change to an item already left (saved on leaving).
            if (submit) Journal?.SubmitHandled(JournalKey(handle));
            return null;
        }
        return (await SaveLockedAsync(changed, submit)).Next;
    });

    /// <summary>Saves on the open item; the caller holds the lock. Returns where a submit goes next.</summary>
    async Task<(RatingWriteResult Result, string? Next)> SaveLockedAsync(IReadOnlyDictionary<string, string?> changed, bool submit)
    {
        var (responseId, handle) = (Item!.ResponseId, Item.Handle);
        ShowSaving(submit);
        if (_unsavedText is { } text && changed.TryGetValue(text.Criterion, out var sent) && sent == text.Value) _unsavedText = null;
        var result = await recorder.SaveAsync(StudyId, RaterId, responseId, changed, submit, origin: Origin);
        // Handled either way: saved, or refused with a reason shown here.
        Journal?.Forget(JournalKey(handle), changed);
        if (submit) Journal?.SubmitHandled(JournalKey(handle));
        if (result.Outcome == RatingWriteOutcome.Saved)
            foreach (var (id, value) in changed)
            {
                _savedByMe[id] = value;
                // Another tab's refresh may have run while this save waited for the lock: what was saved last is shown.
                _values[id] = value;
            }
        Problems = result.Problems;
        ShowOutcome(OutcomeOf(result.Outcome), submit, Item.Done);
        string? next = null;
        if (submit && result.Outcome == RatingWriteOutcome.Saved)
        {
            _leaving = true;
            var following = await grading.NextUndoneAsync(StudyId, RaterId, responseId);
            // Already at the queue's own address: navigating there again would not reload the page (same parameters).
            if (following is null && _requested is null) await LoadLockedAsync(StudyId, RaterId, _requested);
            else next = following is null ? $"/studies/{StudyId}/grade" : $"/studies/{StudyId}/grade/{following}";
        }
        return (result, next);
    }

    /// <summary>The rater changed a rating in another tab (or through the API). The later write wins, so the draft
    /// becomes that version, and says so, rather than keep a stale one that looks saved. False when nothing changed here.</summary>
    public override Task<bool> ShowChangeFromElsewhereAsync(long responseId) => OneAtATimeAsync(async () =>
    {
        if (Item is null || _leaving) return false;
        Queue = await grading.PositionAsync(StudyId, RaterId, Item.Handle);
        if (responseId == Item.ResponseId && await grading.LoadItemAsync(StudyId, RaterId, responseId) is { } latest)
        {
            var wasDone = Item.Done;
            Item = latest;
            _values.Clear();
            foreach (var (key, value) in latest.Values) _values[key] = value;
            // Text being typed here is saved at the pause, and is then the later write.
            if (_unsavedText is { } text && text.Item.ResponseId == responseId) _values[text.Criterion] = text.Value;
            ShowText(Criteria.Where(c => c.Type == CriterionType.Text && c.Id != _unsavedText?.Criterion)
                .ToDictionary(c => c.Id, c => _values.GetValueOrDefault(c.Id)));
            Problems = RatingWriteResult.NoProblems;
            ShowChangedElsewhere(submittedThere: latest.Done && !wasDone);
        }
        return true;
    });

    /// <summary>Saves what the tab changed but the server never received, and says so. A value saved here is not sent
    /// again: what is stored now is that value or a later write from another tab. False when nothing changed here.</summary>
    public override Task<bool> RecoverUnsentAsync() => Journal is not { } journal ? Task.FromResult(false) : OneAtATimeAsync(async () =>
    {
        if (Item is null || _leaving) return false;
        var key = JournalKey(Item.Handle);
        if (await journal.UnsentAsync(key) is not { } unsent) return false;
        if (await grading.LoadItemAsync(StudyId, RaterId, Item.ResponseId) is not { } latest) return false;
        // A Submit sent before the connection dropped may have been recorded without the page hearing back.
        if (latest.Done) journal.SubmitHandled(key);
        if (unsent.Count == 0) return false;
        var apply = new Dictionary<string, string?>();
        var settled = new List<string>();
        foreach (var (id, value) in unsent)
        {
            var criterion = Criteria.FirstOrDefault(c => c.Id == id);
            var handled = criterion is null || AsStored(criterion, value) == latest.Values.GetValueOrDefault(id)
                || (_savedByMe.TryGetValue(id, out var mine) && mine == value);
            if (handled) settled.Add(id); else apply[id] = value;
        }
        if (settled.Count > 0) journal.Settle(key, settled);
        if (apply.Count == 0) return false;
        foreach (var (id, value) in apply) _values[id] = value;
        ShowText(apply.Where(a => Criteria.Any(c => c.Id == a.Key && c.Type == CriterionType.Text)).ToDictionary());
        var (result, _) = await SaveLockedAsync(apply, submit: false);
        if (result.Outcome == RatingWriteOutcome.Saved) ShowRecovered(apply.Count);
        return true;
    });

    /// <summary>A value as the store keeps it (trimmed, canonical, blank as none), to compare with what is stored.</summary>
    static string? AsStored(Criterion criterion, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var value = raw.Trim();
        return criterion.CheckValue(value) is null ? criterion.Canonical(value) : value;
    }
}
