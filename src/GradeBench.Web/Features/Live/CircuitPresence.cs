using Microsoft.AspNetCore.Components.Server.Circuits;

namespace GradeBench.Web.Features.Live;

/// <summary>One Blazor circuit's place in the <see cref="PresenceTracker"/> (scoped: one per circuit). Live pages enter
/// through <see cref="LiveComponent"/>; the circuit handler marks the circuit away while its connection is down and removes it when
/// the circuit ends. <see cref="Reconnected"/> lets live pages re-read their state after a dropped connection.</summary>
public sealed class CircuitPresence(PresenceTracker tracker)
{
    public string Key { get; } = "circuit:" + Guid.NewGuid().ToString("N");

    public event Func<Task>? Reconnected;

    int _listening;

    /// <summary>Whether a live component of the circuit listens: the page then says when live updates are paused.</summary>
    public bool Listening => Volatile.Read(ref _listening) > 0;

    public event Action? ListeningChanged;

    internal void StartListening()
    {
        Interlocked.Increment(ref _listening);
        ListeningChanged?.Invoke();
    }

    internal void StopListening()
    {
        Interlocked.Decrement(ref _listening);
        ListeningChanged?.Invoke();
    }

    public void Enter(long studyId, long userId, string name, string role, long? responseId = null) =>
        tracker.Enter(Key, studyId, userId, name, role, responseId);

    public void Leave(long studyId) => tracker.Leave(Key, studyId);

    internal async Task ConnectionUpAsync()
    {
        tracker.SetConnected(Key, true);
        if (Reconnected is { } handlers)
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>()) await handler();
    }

    internal void ConnectionDown() => tracker.SetConnected(Key, false);

    internal void Closed() => tracker.LeaveAll(Key);
}

public sealed class PresenceCircuitHandler(CircuitPresence presence) : CircuitHandler
{
    bool _wasDown;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken ct)
    {
        _wasDown = true;
        presence.ConnectionDown();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken ct)
    {
        if (!_wasDown) return Task.CompletedTask;
        _wasDown = false;
        return presence.ConnectionUpAsync();
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken ct)
    {
        presence.Closed();
        return Task.CompletedTask;
    }
}
