using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Grading;

/// <summary>What the side-by-side page holds for one circuit, without rendering: the open pair and the rater's draft
/// judgement of it, and, as <see cref="DraftSession"/>, the typing pause before the comment is saved, the tab's journal
/// and the one-at-a-time lock. A change is named as the tab's journal names it (<see cref="AxisField"/>,
/// <see cref="ReasonField"/>, <see cref="CommentField"/>, valued as the form's controls are), so that what the page
/// changes, what the journal holds and what recovery sends are one thing. Every check is made by the store
/// (<see cref="PairwiseStore.SaveAsync"/>). Its messages are in the circuit's language, which is the page's.</summary>
public sealed class PairSession(StudyQuery studies, PairwiseStore pairs, PairRecorder recorder, TimeProvider clock,
    IStringLocalizer<GradingText> strings) : DraftSession(clock, strings)
{
    public const string CommentField = "comment";

    static readonly StatusKeys PairStatus = new(ChangeSavedStillSubmitted: "PairChangeSavedStillSubmitted", NoLongerAssigned: "PairNoLongerAssigned",
        FrozenNotSaved: "PairFrozenNotSaved", SeeMarked: "SeeMarkedQuestions", SubmittedElsewhere: "PairSubmittedElsewhere");

    /// <summary>The journal's name of an axis's vote, valued <see cref="ChoiceValue"/> (blank: none).</summary>
    public static string AxisField(string axisId) => $"axis:{axisId}";

    /// <summary>The journal's name of a reason's box, valued <c>true</c> or <c>false</c> as the box is ticked.</summary>
    public static string ReasonField(string reasonId) => $"reason:{reasonId}";

    /// <summary>A choice as the form's radio buttons carry it.</summary>
    public static string ChoiceValue(PairwiseChoice choice) => choice switch
    {
        PairwiseChoice.Left => "left",
        PairwiseChoice.Right => "right",
        PairwiseChoice.Tie => "tie",
        _ => "both_bad",
    };

    /// <summary>A radio button's value as a choice: null for none (blank), false when it names no choice.</summary>
    static bool TryParseChoice(string? value, out PairwiseChoice? choice)
    {
        choice = value switch
        {
            "left" => PairwiseChoice.Left,
            "right" => PairwiseChoice.Right,
            "tie" => PairwiseChoice.Tie,
            "both_bad" => PairwiseChoice.BothBad,
            _ => null,
        };
        return choice is not null || string.IsNullOrEmpty(value);
    }

    readonly Dictionary<string, PairwiseChoice?> _choices = [];
    readonly HashSet<string> _reasons = [];
    string _comment = "";
    /// <summary>The fields saved here on the open pair, as sent: the tab's journal never sends them again.</summary>
    readonly Dictionary<string, string?> _savedByMe = [];
    /// <summary>The handle in the page's address; null at the queue's own address.</summary>
    string? _requested;
    /// <summary>Submitted: the page is on its way to the next pair, and a Submit pressed again meanwhile is the same one.</summary>
    bool _leaving;
    (PairItem Item, string Text)? _unsavedComment;

    protected override string JournalScope => "pair:";
    protected override StatusKeys ItemStatus => PairStatus;

    public PairItem? Item { get; private set; }
    /// <summary>The draft on screen, by axis id: what the server holds, with what was changed here since.</summary>
    public IReadOnlyDictionary<string, PairwiseChoice?> Choices => _choices;
    public IReadOnlySet<string> ReasonsTicked => _reasons;
    public string Comment => _comment;
    /// <summary>By axis id, why the store refused the judgement.</summary>
    public IReadOnlyDictionary<string, Message> AxisProblems { get; private set; } = new Dictionary<string, Message>();
    public Message? ReasonsProblem { get; private set; }
    public Message? CommentProblem { get; private set; }
    public override bool HasProblems => AxisProblems.Count > 0 || ReasonsProblem is not null || CommentProblem is not null;
    public override string? OpenHandle => Item?.Handle;

    /// <summary>Opens the rater's pair <paramref name="handle"/> names, or the first not done in their queue when null.</summary>
    public override Task OpenAsync(long studyId, long raterId, string? handle) => OneAtATimeAsync(() => LoadLockedAsync(studyId, raterId, handle));

    async Task LoadLockedAsync(long studyId, long raterId, string? handle)
    {
        // A comment typed within the pause belongs to the pair (and study) it was typed on, whichever pair opens now.
        await FlushTypingAsync();
        _leaving = false;
        var before = Item?.PairId;
        (StudyId, RaterId, _requested) = (studyId, raterId, handle);
        Item = null;
        Membership = await studies.MembershipAsync(studyId, raterId);
        if (Membership is not { Role: StudyRoles.Rater })
        {
            LoadError = Strings["NotRater"];
            Membership = null;
            return;
        }
        LoadError = null;
        Queue = await pairs.PositionAsync(studyId, raterId, handle);
        var allDone = handle is null && Queue.Done == Queue.Assigned;
        Item = Queue.Current is { } id && !allDone ? await pairs.LoadItemAsync(studyId, raterId, id) : null;
        if (handle is not null && Item is null) LoadError = Strings["PairNotAssigned"];
        ShowDraft(Item);
        if (Item?.PairId != before) _savedByMe.Clear();
        ClearProblems();
        // A submitted pair says so in its heading and status.
        ShowLoaded(draftRestored: Item is { Done: false } && (Item.Choices.Count > 0 || Item.ReasonsTicked.Count > 0 || Item.Comment is not null));
    }

    void ShowDraft(PairItem? item)
    {
        _choices.Clear();
        _reasons.Clear();
        _comment = "";
        if (item is null) return;
        foreach (var (axis, choice) in item.Choices) _choices[axis] = choice;
        _reasons.UnionWith(item.ReasonsTicked);
        _comment = item.Comment ?? "";
    }

    void ClearProblems()
    {
        AxisProblems = new Dictionary<string, Message>();
        (ReasonsProblem, CommentProblem) = (null, null);
    }

    /// <summary>A vote on one axis (null clears it): saved at once.</summary>
    public Task ChooseAsync(string axisId, PairwiseChoice? choice)
    {
        if (Item is not { } chosenOn) return Task.CompletedTask;
        var change = Field(AxisField(axisId), choice is { } c ? ChoiceValue(c) : null);
        Apply(change);
        return SaveAsync(chosenOn, chosenOn.Handle, change, submit: false);
    }

    /// <summary>A reason ticked or not: saved at once, with every reason as now ticked here.</summary>
    public Task TickReasonAsync(string reasonId, bool ticked)
    {
        if (Item is not { } tickedOn) return Task.CompletedTask;
        var change = Field(ReasonField(reasonId), ticked ? "true" : "false");
        Apply(change);
        return SaveAsync(tickedOn, tickedOn.Handle, change, submit: false);
    }

    /// <summary>The comment: saved once typing pauses for <see cref="DraftSession.TypingPause"/>, on the pair it was typed on.</summary>
    public async Task TypeCommentAsync(string? text)
    {
        if (Item is not { } typedOn) return;
        _comment = text ?? "";
        _unsavedComment = (typedOn, _comment);
        ShowTyping();
        // Another pair opened meanwhile: the comment was saved on its own pair then.
        if (!await TypingPausedAsync() || Item?.PairId != typedOn.PairId) return;
        await SaveAsync(typedOn, typedOn.Handle, Field(CommentField, text), submit: false);
    }

    /// <summary>The rater left the comment: what waits for the typing pause is saved now.</summary>
    public Task SaveTypingNowAsync()
    {
        StopTypingPause();
        if (_unsavedComment is not { } text) return Task.CompletedTask;
        return SaveAsync(text.Item, text.Item.Handle, Field(CommentField, text.Text), submit: false);
    }

    /// <summary>Saves a comment still waiting for the typing pause, on the pair it was typed on (the page is closing, or
    /// another pair opens).</summary>
    public override async Task FlushTypingAsync()
    {
        StopTypingPause();
        if (_unsavedComment is not { } text) return;
        _unsavedComment = null;
        var change = Field(CommentField, text.Text);
        await recorder.SaveAsync(StudyId, RaterId, text.Item.PairId, text.Item.Handle, new PairJudgement { Comment = text.Text }, submit: false, Origin);
        Journal?.Forget(JournalKey(text.Item.Handle), change);
    }

    /// <summary>The rater was typing in the comment when another tab's text arrived: theirs stays, and is saved as the later write.</summary>
    public override Task KeepTypedAsync(IReadOnlyDictionary<string, string?> typed)
    {
        if (Item is not { } typedOn || !typed.TryGetValue(CommentField, out var text) || (text ?? "") == _comment) return Task.CompletedTask;
        var change = Field(CommentField, text);
        Apply(change);
        return SaveAsync(typedOn, typedOn.Handle, change, submit: false);
    }

    /// <summary>Submits the judgement as shown: every axis, the reasons and the comment. Returns the address to go to next, if any.</summary>
    public override Task<string?> SubmitAsync(string handle)
    {
        var on = Item?.Handle == handle ? Item : null;
        var all = new Dictionary<string, string?>();
        if (on is not null)
        {
            foreach (var axis in on.Axes) all[AxisField(axis.Id)] = _choices.GetValueOrDefault(axis.Id) is { } c ? ChoiceValue(c) : null;
            foreach (var reason in on.Reasons) all[ReasonField(reason.Id)] = _reasons.Contains(reason.Id) ? "true" : "false";
            all[CommentField] = _comment;
        }
        return SaveAsync(on, handle, all, submit: true);
    }

    static Dictionary<string, string?> Field(string name, string? value) => new() { [name] = value };

    /// <summary>Puts changed fields into the draft on screen.</summary>
    void Apply(IReadOnlyDictionary<string, string?> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (name == CommentField) _comment = value ?? "";
            else if (name.StartsWith("axis:", StringComparison.Ordinal) && TryParseChoice(value, out var choice)) _choices[name[5..]] = choice;
            else if (name.StartsWith("reason:", StringComparison.Ordinal))
            {
                if (value == "true") _reasons.Add(name[7..]);
                else _reasons.Remove(name[7..]);
            }
        }
    }

    /// <summary>The judgement that sends <paramref name="fields"/>: their votes, every reason as ticked now if any reason
    /// changed (the store replaces the list), the comment if it changed.</summary>
    PairJudgement Judgement(IReadOnlyDictionary<string, string?> fields)
    {
        var choices = new Dictionary<string, PairwiseChoice?>();
        foreach (var (name, value) in fields)
            if (name.StartsWith("axis:", StringComparison.Ordinal) && TryParseChoice(value, out var choice)) choices[name[5..]] = choice;
        return new PairJudgement
        {
            Choices = choices,
            Reasons = fields.Keys.Any(f => f.StartsWith("reason:", StringComparison.Ordinal)) ? [.. _reasons] : null,
            Comment = fields.TryGetValue(CommentField, out var comment) ? comment ?? "" : null,
        };
    }

    /// <param name="on">The pair the change was made on, as the rater saw it (null: not the open one).</param>
    Task<string?> SaveAsync(PairItem? on, string handle, IReadOnlyDictionary<string, string?> changed, bool submit) => OneAtATimeAsync(async () =>
    {
        if (on is null || Item?.PairId != on.PairId || _leaving)
        {
            // A Submit pressed again while the page moves on, or a change to a pair already left (saved on leaving).
            if (submit) Journal?.SubmitHandled(JournalKey(handle));
            return null;
        }
        return (await SaveLockedAsync(changed, submit)).Next;
    });

    /// <summary>Saves on the open pair; the caller holds the lock. Returns where a submit goes next.</summary>
    async Task<(PairWriteResult Result, string? Next)> SaveLockedAsync(IReadOnlyDictionary<string, string?> changed, bool submit)
    {
        var (pairId, handle) = (Item!.PairId, Item.Handle);
        ShowSaving(submit);
        if (_unsavedComment is { } text && changed.TryGetValue(CommentField, out var sent) && (sent ?? "") == text.Text) _unsavedComment = null;
        var result = await recorder.SaveAsync(StudyId, RaterId, pairId, handle, Judgement(changed), submit, Origin);
        // Handled either way: saved, or refused with a reason shown here.
        Journal?.Forget(JournalKey(handle), changed);
        if (submit) Journal?.SubmitHandled(JournalKey(handle));
        if (result.Outcome == PairWriteOutcome.Saved)
        {
            foreach (var (name, value) in changed) _savedByMe[name] = value;
            // Another tab's refresh may have run while this save waited for the lock: what was saved last is shown.
            Apply(changed);
        }
        AxisProblems = result.AxisProblems;
        (ReasonsProblem, CommentProblem) = (result.ReasonsProblem, result.CommentProblem);
        ShowOutcome(OutcomeOf(result.Outcome), submit, Item.Done);
        string? next = null;
        if (submit && result.Outcome == PairWriteOutcome.Saved)
        {
            _leaving = true;
            var following = await pairs.NextUndoneAsync(StudyId, RaterId, pairId);
            // Already at the queue's own address: navigating there again would not reload the page (same parameters).
            if (following is null && _requested is null) await LoadLockedAsync(StudyId, RaterId, _requested);
            else next = following is null ? $"/studies/{StudyId}/compare" : $"/studies/{StudyId}/compare/{following}";
        }
        return (result, next);
    }

    /// <summary>The rater changed their judgement of a pair in another tab. The later write wins, so the draft becomes
    /// that version, and says so, rather than keep a stale one that looks saved. False when nothing changed here.</summary>
    public override Task<bool> ShowChangeFromElsewhereAsync(long pairId) => OneAtATimeAsync(async () =>
    {
        if (Item is null || _leaving) return false;
        Queue = await pairs.PositionAsync(StudyId, RaterId, Item.Handle);
        if (pairId == Item.PairId && await pairs.LoadItemAsync(StudyId, RaterId, pairId) is { } latest)
        {
            var wasDone = Item.Done;
            Item = latest;
            ShowDraft(latest);
            // A comment being typed here is saved at the pause, and is then the later write.
            if (_unsavedComment is { } text && text.Item.PairId == pairId) _comment = text.Text;
            else ShowText(Field(CommentField, _comment));
            ClearProblems();
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
        if (await pairs.LoadItemAsync(StudyId, RaterId, Item.PairId) is not { } latest) return false;
        // A Submit sent before the connection dropped may have been recorded without the page hearing back.
        if (latest.Done) journal.SubmitHandled(key);
        if (unsent.Count == 0) return false;
        var apply = new Dictionary<string, string?>();
        var settled = new List<string>();
        foreach (var (name, value) in unsent)
        {
            var handled = Stored(latest, name, out var stored) is false || Same(name, value, stored)
                || (_savedByMe.TryGetValue(name, out var mine) && mine == value);
            if (handled) settled.Add(name); else apply[name] = value;
        }
        if (settled.Count > 0) journal.Settle(key, settled);
        if (apply.Count == 0) return false;
        // The reasons are sent whole: those stored now, with the boxes the tab changed.
        if (apply.Keys.Any(f => f.StartsWith("reason:", StringComparison.Ordinal)))
        {
            _reasons.Clear();
            _reasons.UnionWith(latest.ReasonsTicked);
        }
        Apply(apply);
        if (apply.TryGetValue(CommentField, out var comment)) ShowText(Field(CommentField, comment));
        var (result, _) = await SaveLockedAsync(apply, submit: false);
        if (result.Outcome == PairWriteOutcome.Saved) ShowRecovered(apply.Count);
        return true;
    });

    /// <summary>The stored value of a journal field, as the form's control carries it; false for a field the pair does not have.</summary>
    static bool Stored(PairItem item, string name, out string? value)
    {
        value = null;
        if (name == CommentField)
        {
            value = item.Comment;
            return true;
        }
        if (name.StartsWith("axis:", StringComparison.Ordinal) && item.Axes.Any(a => a.Id == name[5..]))
        {
            value = item.Choices.TryGetValue(name[5..], out var choice) ? ChoiceValue(choice) : null;
            return true;
        }
        if (name.StartsWith("reason:", StringComparison.Ordinal) && item.Reasons.Any(r => r.Id == name[7..]))
        {
            value = item.ReasonsTicked.Contains(name[7..]) ? "true" : "false";
            return true;
        }
        return false;
    }

    /// <summary>Whether a field's value from the tab is what is stored, as the store keeps it (a blank comment as none);
    /// a value no control of the form could have is never sent, so counts as handled.</summary>
    static bool Same(string name, string? value, string? stored) =>
        name == CommentField ? (string.IsNullOrWhiteSpace(value) ? null : value) == stored
        : name.StartsWith("axis:", StringComparison.Ordinal) ? !TryParseChoice(value, out _) || (string.IsNullOrEmpty(value) ? null : value) == stored
        : value is not ("true" or "false") || value == stored;
}
