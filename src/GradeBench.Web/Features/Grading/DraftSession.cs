using GradeBench.Storage.Grading;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Grading;

/// <summary>How a save ended, as the page's status line tells it: the cases <see cref="RatingWriteOutcome"/> and
/// <see cref="PairWriteOutcome"/> both have.</summary>
public enum SaveOutcome { Saved, NotRater, NotAssigned, StudyNotOpen, StudyPaused, Invalid, Frozen }

/// <summary>What the rater's grading pages hold alike for one circuit (<see cref="GradingSession"/> for single answers,
/// <see cref="PairSession"/> for side-by-side pairs): the lock that lets one save or reload run at a time (a save,
/// another tab's change and a new item would otherwise interleave at their awaits), the pause in typing before free text
/// is saved, the tab's journal of unsent changes and the origin that names this circuit's writes; the rater's place in
/// their queue, and the status line, whose texts differ between the two only where they name the kind of item.
/// <see cref="DraftPage{TSession}"/> works the page through what is declared here.</summary>
public abstract class DraftSession(TimeProvider clock, IStringLocalizer<GradingText> strings)
{
    public static readonly TimeSpan TypingPause = TimeSpan.FromMilliseconds(600);

    readonly SemaphoreSlim _writing = new(1, 1);
    CancellationTokenSource? _typing;
    Dictionary<string, string?>? _textToShow;

    /// <summary>Names this circuit in the events of its own writes, so that it does not take them for another tab's.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");
    public long StudyId { get; protected set; }
    public long RaterId { get; protected set; }
    /// <summary>Null when the viewer is not a rater of the study (<see cref="LoadError"/> says so).</summary>
    public StudyMembership? Membership { get; protected set; }
    public string? LoadError { get; protected set; }
    public QueuePosition? Queue { get; protected set; }
    /// <summary>Counts the loads: each one must show exactly what the server holds, whatever the browser kept in its inputs.</summary>
    public int Version { get; private set; }
    public string SaveState { get; private set; } = "";
    /// <summary>A save was refused because the rater has seen other raters' values for the open item (the page then
    /// shows it read-only).</summary>
    public bool Frozen { get; private set; }

    /// <summary>The handle of the open item; null when none is open.</summary>
    public abstract string? OpenHandle { get; }
    /// <summary>The last save was refused with a reason per field, which the page shows beside each.</summary>
    public abstract bool HasProblems { get; }

    /// <summary>Opens the rater's item <paramref name="handle"/> names, or the first not done in their queue when null.</summary>
    public abstract Task OpenAsync(long studyId, long raterId, string? handle);

    /// <summary>Submits the item as shown. Returns the address to go to next, if any.</summary>
    /// <param name="handle">The item whose Submit was pressed: a press that arrives after the next item opened is not for it.</param>
    public abstract Task<string?> SubmitAsync(string handle);

    /// <summary>The rater changed the item <paramref name="itemId"/> in another tab (or through the API): the later write
    /// wins, so the draft becomes that version and says so. False when nothing changed here.</summary>
    public abstract Task<bool> ShowChangeFromElsewhereAsync(long itemId);

    /// <summary>Saves text still waiting for the typing pause, on the item it was typed on (the page is closing, or
    /// another item opens).</summary>
    public abstract Task FlushTypingAsync();

    /// <summary>The rater was typing in these fields when another tab's text arrived: theirs stays, and is saved as the later write.</summary>
    public abstract Task KeepTypedAsync(IReadOnlyDictionary<string, string?> typed);

    /// <summary>Saves what the tab changed but the server never received (the connection dropped without Blazor noticing
    /// yet, or the circuit was lost and the page reloaded), and says so. False when nothing changed here.</summary>
    public abstract Task<bool> RecoverUnsentAsync();

    /// <summary>Text the server changed after the item loaded (another tab's write, a recovered change), for the page to
    /// put in the text fields the rater is not typing in (text fields only render their value on load). Taken once.</summary>
    public IReadOnlyDictionary<string, string?>? TakeTextToShow()
    {
        var text = _textToShow;
        _textToShow = null;
        return text;
    }

    /// <summary>Text for <see cref="TakeTextToShow"/>, by field.</summary>
    protected void ShowText(Dictionary<string, string?> text) => _textToShow = text;

    /// <summary>The tab's journal once the page is live (null before: nothing is told then).</summary>
    protected IUnsentJournal? Journal { get; private set; }

    /// <summary>Between the rater's id and the item's handle in <see cref="JournalKey"/>: what kind of item the key names.</summary>
    protected virtual string JournalScope => "";

    public void AttachJournal(IUnsentJournal journal) => Journal = journal;

    /// <summary>The page that attached <paramref name="journal"/> is closing; a page opened since keeps its own.</summary>
    public void DetachJournal(IUnsentJournal journal)
    {
        if (Journal == journal) Journal = null;
    }

    /// <summary>The key of this tab's journal for one item (see grading.js); in the page, so it names the item by its handle.</summary>
    public string JournalKey(string handle) => $"gradebench:unsent:{RaterId}:{StudyId}:{JournalScope}{handle}";

    /// <summary>Runs <paramref name="work"/> alone: no other save or reload of this session runs meanwhile.</summary>
    protected async Task<T> OneAtATimeAsync<T>(Func<Task<T>> work)
    {
        await _writing.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            _writing.Release();
        }
    }

    protected Task OneAtATimeAsync(Func<Task> work) => OneAtATimeAsync(async () =>
    {
        await work();
        return true;
    });

    /// <summary>Waits for <see cref="TypingPause"/> from now; false when typing went on (a later call) or stopped
    /// (<see cref="StopTypingPause"/>) meanwhile, so that only the last text is saved.</summary>
    protected async Task<bool> TypingPausedAsync()
    {
        _typing?.Cancel();
        _typing = new CancellationTokenSource();
        var pause = _typing.Token;
        try
        {
            await Task.Delay(TypingPause, clock, pause);
        }
        catch (TaskCanceledException)
        {
            return false;
        }
        return !pause.IsCancellationRequested;
    }

    /// <summary>The text is saved otherwise (the rater left the field, another item opens): the running pause saves nothing.</summary>
    protected void StopTypingPause() => _typing?.Cancel();

    /// <summary>The session's texts, in the circuit's language, which is the page's.</summary>
    protected IStringLocalizer<GradingText> Strings => strings;

    /// <summary>The resource keys of the status texts that name the kind of item (a rating, a comparison of a pair).</summary>
    protected sealed record StatusKeys(string ChangeSavedStillSubmitted, string NoLongerAssigned, string FrozenNotSaved, string SeeMarked,
        string SubmittedElsewhere);

    protected abstract StatusKeys ItemStatus { get; }

    /// <summary>A new item (or the same again) is on screen as the server holds it: not known to be final until a save
    /// says so; "restored" is for a draft the rater left unfinished, never a submitted item.</summary>
    protected void ShowLoaded(bool draftRestored)
    {
        Frozen = false;
        Version++;
        SaveState = draftRestored ? strings["DraftRestored"] : "";
    }

    protected void ShowTyping() => SaveState = strings["Typing"];

    protected void ShowSaving(bool submit) => SaveState = strings[submit ? "Submitting" : "Saving"];

    /// <summary>What a save came to; a refusal because the rater has seen other raters' values also makes the session
    /// <see cref="Frozen"/>.</summary>
    /// <param name="done">The item was submitted before this save.</param>
    protected void ShowOutcome(SaveOutcome outcome, bool submit, bool done)
    {
        Frozen |= outcome == SaveOutcome.Frozen;
        SaveState = strings[outcome switch
        {
            SaveOutcome.Saved => submit ? "Submitted" : done ? ItemStatus.ChangeSavedStillSubmitted : "DraftSaved",
            SaveOutcome.StudyNotOpen => "StudyNotOpenNotSaved",
            SaveOutcome.StudyPaused => "StudyPausedNotSaved",
            SaveOutcome.NotRater => "NoLongerRater",
            SaveOutcome.NotAssigned => ItemStatus.NoLongerAssigned,
            SaveOutcome.Frozen => ItemStatus.FrozenNotSaved,
            _ => ItemStatus.SeeMarked,
        }];
    }

    /// <param name="submittedThere">The other tab's write submitted the item.</param>
    protected void ShowChangedElsewhere(bool submittedThere) =>
        SaveState = strings[submittedThere ? ItemStatus.SubmittedElsewhere : "ChangedElsewhere"];

    protected void ShowRecovered(int changes) => SaveState = changes == 1 ? strings["RecoveredOne"] : strings["RecoveredMany", changes];

    protected static SaveOutcome OutcomeOf(RatingWriteOutcome outcome) => outcome switch
    {
        RatingWriteOutcome.Saved => SaveOutcome.Saved,
        RatingWriteOutcome.NotRater => SaveOutcome.NotRater,
        RatingWriteOutcome.NotAssigned => SaveOutcome.NotAssigned,
        RatingWriteOutcome.StudyNotOpen => SaveOutcome.StudyNotOpen,
        RatingWriteOutcome.StudyPaused => SaveOutcome.StudyPaused,
        RatingWriteOutcome.Frozen => SaveOutcome.Frozen,
        _ => SaveOutcome.Invalid,
    };

    protected static SaveOutcome OutcomeOf(PairWriteOutcome outcome) => outcome switch
    {
        PairWriteOutcome.Saved => SaveOutcome.Saved,
        PairWriteOutcome.NotRater => SaveOutcome.NotRater,
        PairWriteOutcome.NotAssigned => SaveOutcome.NotAssigned,
        PairWriteOutcome.StudyNotOpen => SaveOutcome.StudyNotOpen,
        PairWriteOutcome.StudyPaused => SaveOutcome.StudyPaused,
        PairWriteOutcome.Frozen => SaveOutcome.Frozen,
        _ => SaveOutcome.Invalid,
    };
}
