using System.Collections.Concurrent;

namespace GradeBench.Web.Features.Accounts;

/// <summary>Slows password guessing: after <see cref="MaxFailures"/> failed sign-ins for one user name within
/// <see cref="Window"/>, further attempts for that name are refused until the oldest failure leaves the window.
/// Counting failures per name (not per address) also covers guessing from many addresses. In memory: a restart
/// forgets, which is acceptable for one server.</summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the name is locked out for, or null when an attempt may go ahead.</summary>
    public TimeSpan? LockedFor(string username)
    {
        if (!_failures.TryGetValue(username, out var failures)) return null;
        lock (failures)
        {
            Expire(failures);
            return failures.Count >= MaxFailures ? failures.Peek() + Window - clock.GetUtcNow() : null;
        }
    }

    public void RecordFailure(string username)
    {
        var failures = _failures.GetOrAdd(username, _ => new Queue<DateTimeOffset>());
        lock (failures)
        {
            Expire(failures);
            failures.Enqueue(clock.GetUtcNow());
        }
    }

    public void RecordSuccess(string username) => _failures.TryRemove(username, out _);

    void Expire(Queue<DateTimeOffset> failures)
    {
        var now = clock.GetUtcNow();
        while (failures.Count > 0 && failures.Peek() + Window <= now) failures.Dequeue();
    }
}
