namespace GradeBench.Web.Features.Grading;

/// <summary>What the rater's grading pages hold alike for one circuit (<see cref="GradingSession"/> for single answers,
/// <see cref="PairSession"/> for side-by-side pairs): the lock that lets one save or reload run at a time (a save,
/// another tab's change and a new item would otherwise interleave at their awaits), the pause in typing before free text
/// is saved, the tab's journal of unsent changes and the origin that names this circuit's writes.</summary>
public abstract class DraftSession(TimeProvider clock)
{
    public static readonly TimeSpan TypingPause = TimeSpan.FromMilliseconds(600);

    readonly SemaphoreSlim _writing = new(1, 1);
    CancellationTokenSource? _typing;

    /// <summary>Names this circuit in the events of its own writes, so that it does not take them for another tab's.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");
    public long StudyId { get; protected set; }
    public long RaterId { get; protected set; }

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
}
