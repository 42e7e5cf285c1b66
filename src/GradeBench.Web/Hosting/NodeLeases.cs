using System.Collections.Concurrent;
using GradeBench.Storage.Nodes;

namespace GradeBench.Web.Hosting;

/// <summary>This process's leases (<see cref="LeaseStore"/>) on work that must run on one node of the installation at a
/// time: the leases named with <see cref="KeepAsync"/> are taken when free and renewed every <see cref="Renewal"/> for
/// <see cref="Length"/>, and given up on shutdown, so another node takes over at once after a stop and within
/// <see cref="Length"/> after a crash. A node that cannot renew (the database out of reach) stops counting itself the
/// holder when its lease would have expired, as the others see it.</summary>
public sealed class NodeLeases(LeaseStore store, TimeProvider clock, ILogger<NodeLeases> logger) : BackgroundService
{
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(30);

    readonly ConcurrentDictionary<string, DateTimeOffset> _heldUntil = new();
    readonly ConcurrentDictionary<string, byte> _kept = new();

    /// <summary>This process: random, so that a restarted node is a new holder and never mistakes its predecessor's lease for its own.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Takes the lease if it is free and keeps it, renewed, for as long as this process runs; if another node
    /// has it, takes it at the first renewal after it has expired.</summary>
    public async Task KeepAsync(string name, CancellationToken ct = default)
    {
        _kept.TryAdd(name, 0);
        await RenewAsync(name, ct);
    }

    /// <summary>True while this node holds the lease.</summary>
    public bool Holds(string name) => _heldUntil.TryGetValue(name, out var until) && clock.GetUtcNow() < until;

    /// <summary>One round: takes or renews every kept lease.</summary>
    public async Task RenewAsync(CancellationToken ct = default)
    {
        foreach (var name in _kept.Keys) await RenewAsync(name, ct);
    }

    async Task RenewAsync(string name, CancellationToken ct)
    {
        // Read before asking: the lease the database records runs at least this long.
        var until = clock.GetUtcNow() + Length;
        try
        {
            var held = Holds(name);
            if (await store.TryAcquireAsync(name, NodeId, Length, ct))
            {
                _heldUntil[name] = until;
                if (!held) logger.LogInformation("Node {Node} now holds the lease {Lease}", NodeId, name);
            }
            else if (_heldUntil.TryRemove(name, out _) && held) logger.LogWarning("Node {Node} lost the lease {Lease} to another node", NodeId, name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Node {Node} could not renew the lease {Lease}", NodeId, name);
        }
    }

    /// <summary>Waits until this node holds the lease, for a piece of work that no other node may run meanwhile (first-run
    /// set-up); disposing gives it up. Renewed while held.</summary>
    public async Task<IAsyncDisposable> ExclusiveAsync(string name, CancellationToken ct = default)
    {
        while (!await store.TryAcquireAsync(name, NodeId, Length, ct)) await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        var stop = new CancellationTokenSource();
        var renewing = RenewWhileHeldAsync(name, stop.Token);
        return new Held(async () =>
        {
            await stop.CancelAsync();
            await renewing;
            stop.Dispose();
            await store.ReleaseAsync(name, NodeId);
        });
    }

    async Task RenewWhileHeldAsync(string name, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Renewal, ct);
                await store.TryAcquireAsync(name, NodeId, Length, ct);
            }
        }
        catch (OperationCanceledException) { }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Renewal, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await RenewAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        foreach (var name in _heldUntil.Keys)
        {
            _heldUntil.TryRemove(name, out _);
            try
            {
                await store.ReleaseAsync(name, NodeId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Node {Node} could not give up the lease {Lease}; it expires by itself", NodeId, name);
            }
        }
    }

    sealed class Held(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}

public static class NodeLeaseServices
{
    public static IServiceCollection AddNodeLeases(this IServiceCollection services)
    {
        services.AddSingleton<NodeLeases>();
        services.AddHostedService(provider => provider.GetRequiredService<NodeLeases>());
        return services;
    }
}
