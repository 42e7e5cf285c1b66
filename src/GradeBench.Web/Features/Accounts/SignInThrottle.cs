using System.Net;
using Microsoft.Extensions.Caching.Memory;

namespace GradeBench.Web.Features.Accounts;

/// <summary>Slows password guessing with exponential back-off, per user name and per client address: the first
/// <see cref="MaxFailures"/> failures for a name (<see cref="MaxFailuresPerAddress"/> from an address, whatever the
/// names: a ward signs in from one address) cost nothing; from then on each one is followed by a wait,
/// <see cref="FirstWait"/> doubling per further failure up to <see cref="LongestWait"/>. An attempt during a wait is
/// refused unheard and does not count, so failures can never hold a name for longer than <see cref="LongestWait"/> at
/// a time; a record is forgotten once it has been quiet for <see cref="LongestWait"/> after its wait.
/// Both tables are size-capped caches keyed by canonical names and addresses, so no flood of new names grows memory.
/// In memory: a restart forgets, which is acceptable for one server.</summary>
public sealed class SignInThrottle(TimeProvider clock) : IDisposable
{
    public const int MaxFailures = 5;
    public const int MaxFailuresPerAddress = 20;
    public static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1), LongestWait = TimeSpan.FromMinutes(15);
    // Each record is a short key and two numbers (about 200 bytes): 50,000 of each kind is ~20 MB at most.
    const int RecordsPerTable = 50_000;

    readonly MemoryCache _names = new(new MemoryCacheOptions { SizeLimit = RecordsPerTable });
    readonly MemoryCache _addresses = new(new MemoryCacheOptions { SizeLimit = RecordsPerTable });
    readonly Lock _gate = new();

    sealed record Failures(int Count, DateTimeOffset Last);

    /// <summary>The name the records are kept under: user names are unique ignoring case and surrounding spaces.</summary>
    public static string Canonical(string username) => username.Trim().ToLowerInvariant();

    /// <summary>How long until an attempt for the name from the address is heard, or null when it may go ahead now.</summary>
    public TimeSpan? WaitFor(string username, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var wait = Max(Remaining(_names, Canonical(username), MaxFailures, now),
                Remaining(_addresses, AddressKey(address), MaxFailuresPerAddress, now));
            return wait > TimeSpan.Zero ? wait : null;
        }
    }

    public void RecordFailure(string username, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            Count(_names, Canonical(username), MaxFailures, now);
            Count(_addresses, AddressKey(address), MaxFailuresPerAddress, now);
        }
    }

    /// <summary>The name's failures are forgiven; the address's are not, or one account of a guesser's own would
    /// reset their address between guesses at others.</summary>
    public void RecordSuccess(string username)
    {
        lock (_gate) _names.Remove(Canonical(username));
    }

    /// <summary>The wait after <paramref name="failures"/> failures of which <paramref name="free"/> cost nothing.</summary>
    public static TimeSpan Wait(int failures, int free) =>
        failures < free ? TimeSpan.Zero : Min(FirstWait * Math.Pow(2, Math.Min(failures - free, 16)), LongestWait);

    static string AddressKey(IPAddress? address) => address?.ToString() ?? "unknown";

    /// <summary>A record still remembered at <paramref name="now"/>: quiet records count as none, even before the
    /// cache drops them (its own clock is the system's, which a test's does not move).</summary>
    static Failures? Live(MemoryCache table, string key, int free, DateTimeOffset now) =>
        table.Get<Failures>(key) is { } failures && failures.Last + Wait(failures.Count, free) + LongestWait > now ? failures : null;

    static TimeSpan Remaining(MemoryCache table, string key, int free, DateTimeOffset now) =>
        Live(table, key, free, now) is { } failures ? failures.Last + Wait(failures.Count, free) - now : TimeSpan.Zero;

    static void Count(MemoryCache table, string key, int free, DateTimeOffset now)
    {
        var failures = new Failures((Live(table, key, free, now)?.Count ?? 0) + 1, now);
        // When the table is full the record is not kept (and the cache drops its oldest): memory stays bounded.
        table.Set(key, failures, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Wait(failures.Count, free) + LongestWait });
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public void Dispose()
    {
        _names.Dispose();
        _addresses.Dispose();
    }
}
