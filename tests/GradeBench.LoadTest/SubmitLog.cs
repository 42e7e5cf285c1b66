using System.Collections.Concurrent;
using System.Diagnostics;

namespace GradeBench.LoadTest;

/// <summary>One rating submit: when it left, when the PUT was answered, when the coordinator heard of it, and when the
/// coordinator first received agreement that includes it.</summary>
sealed class Submit(long raterId, long responseId, bool measured)
{
    long _eventAt;
    long _agreementAt;

    public long RaterId => raterId;
    public long ResponseId => responseId;
    public bool Measured => measured;
    public long Started { get; set; }
    public long Answered { get; set; }
    /// <summary>Wall-clock time of the answer, to compare with the server's <c>AgreementUpdated.AsOf</c> (same machine).</summary>
    public DateTimeOffset AnsweredUtc { get; set; }
    public string? Error { get; set; }

    /// <summary>The values the server answered it stored, by criterion.</summary>
    public IReadOnlyDictionary<string, string>? StoredValues { get; set; }

    /// <summary>Stopwatch timestamp of the coordinator's event; 0 while none has come.</summary>
    public long EventAt
    {
        get => Volatile.Read(ref _eventAt);
        set => Volatile.Write(ref _eventAt, value);
    }

    /// <summary>Stopwatch timestamp of the first agreement update computed after this submit was stored; 0 while none.</summary>
    public long AgreementAt
    {
        get => Volatile.Read(ref _agreementAt);
        set => Volatile.Write(ref _agreementAt, value);
    }

    public bool Stored => Answered != 0 && Error is null;

    public double AgreementMilliseconds => Stopwatch.GetElapsedTime(Started, AgreementAt).TotalMilliseconds;

    public double PutMilliseconds => Stopwatch.GetElapsedTime(Started, Answered).TotalMilliseconds;

    public double EventMilliseconds => Stopwatch.GetElapsedTime(Started, EventAt).TotalMilliseconds;
}

/// <summary>Every submit of the run, and the match of each coordinator event to its submit by rater and response
/// (oldest first, should one rater submit the same response twice).</summary>
sealed class SubmitLog
{
    readonly ConcurrentDictionary<(long RaterId, long ResponseId), ConcurrentQueue<Submit>> _waiting = new();
    readonly ConcurrentQueue<Submit> _all = new();
    int _unexpected;

    public IReadOnlyCollection<Submit> All => _all;

    /// <summary>Events that matched no submit (from some other source, or a second event for one submit).</summary>
    public int UnexpectedEvents => Volatile.Read(ref _unexpected);

    /// <summary>Registers the submit and stamps its start: call just before sending.</summary>
    public Submit Start(long raterId, long responseId, bool measured)
    {
        var submit = new Submit(raterId, responseId, measured);
        _waiting.GetOrAdd((raterId, responseId), _ => new ConcurrentQueue<Submit>()).Enqueue(submit);
        _all.Enqueue(submit);
        submit.Started = Stopwatch.GetTimestamp();
        return submit;
    }

    public void EventArrived(long raterId, long responseId)
    {
        var at = Stopwatch.GetTimestamp();
        if (_waiting.TryGetValue((raterId, responseId), out var queue) && queue.TryDequeue(out var submit)) submit.EventAt = at;
        else Interlocked.Increment(ref _unexpected);
    }

    /// <summary>Agreement read as of <paramref name="asOf"/> includes every submit answered by then.</summary>
    public void AgreementArrived(DateTimeOffset asOf)
    {
        var at = Stopwatch.GetTimestamp();
        foreach (var submit in _all)
            if (submit is { Stored: true, AgreementAt: 0 } && submit.AnsweredUtc <= asOf) submit.AgreementAt = at;
    }

    /// <summary>Waits until every stored submit has its event and an agreement update, or the grace period is over.</summary>
    public async Task WaitForEventsAsync(TimeSpan grace, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(grace.TotalSeconds * Stopwatch.Frequency);
        while (_all.Any(s => s.Stored && (s.EventAt == 0 || s.AgreementAt == 0)) && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(20, ct);
    }
}
