namespace GradeBench.Web.Features.Live;

/// <summary>Whether this node hears the other nodes' live events. Always live on a single node; with Redis, paused while
/// the connection is down (pages say so) and live again once it is back, when pages read their state again: what was
/// published meanwhile did not reach them.</summary>
public sealed class LiveStatus
{
    readonly Lock _gate = new();

    /// <summary>One of several nodes (<c>--redis</c>): only then can live updates pause, and pages have a place to say so.</summary>
    public bool Shared { get; init; }

    public bool Paused { get; private set; }

    /// <summary>Raised with the new state, in order, on whatever thread noticed it: handlers must not block.</summary>
    public event Action<bool>? Changed;

    /// <summary>Said by <see cref="EventBridge"/> as the Redis connection fails and comes back.</summary>
    public void Set(bool paused)
    {
        lock (_gate)
        {
            if (Paused == paused) return;
            Paused = paused;
            Changed?.Invoke(paused);
        }
    }
}
