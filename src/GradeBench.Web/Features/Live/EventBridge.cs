using System.Text.Json;
using GradeBench.Web.Features.Accounts;
using StackExchange.Redis;

namespace GradeBench.Web.Features.Live;

/// <summary>Carries live news between the nodes of one installation over Redis pub/sub, for what the SignalR backplane
/// does not reach: Blazor circuits and the nodes' own state. Every event published on this node goes out tagged with its
/// node; another node's events reach this node's pages through <see cref="StudyEvents.PublishRemote"/>, never the hub relay
/// (the publishing node's relay sent them to every hub client through the backplane) nor this bridge again. Presence
/// travels as each node's own list per study (<see cref="PresenceTracker.Merge"/>), announced again every
/// <see cref="AnnounceInterval"/> and forgotten after <see cref="SilenceLimit"/> of silence. A revocation applied here
/// makes the others check theirs at once. While Redis is down nothing is sent (news is lost, not queued): pages say live
/// updates are paused (<see cref="LiveStatus"/>) and read their state again when it is back. Publishing never waits for
/// Redis nor throws, so writes never depend on it.</summary>
public sealed class EventBridge(RedisLink link, StudyEvents events, PresenceTracker presence, LiveStatus status, RevocationFeed revocations,
    TimeProvider clock, ILogger<EventBridge> logger) : BackgroundService
{
    public static readonly TimeSpan AnnounceInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan SilenceLimit = 3 * AnnounceInterval;

    /// <summary>Under the installation's prefix, like the backplane's channels.</summary>
    static readonly RedisChannel Channel = RedisChannel.Literal("live");

    /// <summary>One message between nodes: an event, a node's presence list of a study, a request that every node
    /// announce its lists ("hello"), a goodbye, or a nudge to check revocations.</summary>
    sealed record Envelope(string Node, string Kind, string? Type = null, JsonElement? Event = null, long StudyId = 0,
        IReadOnlyList<PresenceEntry>? Online = null);

    readonly Lock _gate = new();
    readonly HashSet<ConnectionType> _down = [];
    IConnectionMultiplexer? _redis;
    IDisposable? _local;

    public override async Task StartAsync(CancellationToken ct)
    {
        _redis = await link.ConnectionAsync();
        _redis.ConnectionFailed += OnFailed;
        _redis.ConnectionRestored += OnRestored;
        if (!_redis.IsConnected) status.Set(true);
        _local = events.SubscribeAll(e =>
        {
            // Presence goes as this node's own list, never the merged one.
            if (e is not PresenceChanged) Send(new Envelope(link.Node, "event", EventWire.TypeName(e), EventWire.Write(e)));
            return Task.CompletedTask;
        });
        presence.LocalChanged += Announce;
        revocations.Applied += Nudge;
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AnnounceInterval, clock);
        try
        {
            await SubscribeAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // A failure here must not end the service: a failed hosted service stops the whole node.
                try
                {
                    AnnounceAll();
                    presence.Expire(clock.GetUtcNow() - SilenceLimit);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Presence could not be announced to the other nodes");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        presence.LocalChanged -= Announce;
        revocations.Applied -= Nudge;
        _local?.Dispose();
        // The announcing loop first: a tick after the goodbye would bring this node's people back on the others.
        await base.StopAsync(ct);
        Send(new Envelope(link.Node, "bye"));
        if (_redis is not null)
        {
            _redis.ConnectionFailed -= OnFailed;
            _redis.ConnectionRestored -= OnRestored;
        }
    }

    /// <summary>Subscribes once Redis answers (a node may start before it); StackExchange.Redis subscribes again by
    /// itself after every reconnection. One queue, read in order, so a study's events arrive in the order they were sent.</summary>
    async Task SubscribeAsync(CancellationToken ct)
    {
        var bus = _redis!.GetSubscriber();
        while (true)
        {
            while (!_redis.IsConnected) await Task.Delay(TimeSpan.FromMilliseconds(250), clock, ct);
            try
            {
                (await bus.SubscribeAsync(Channel)).OnMessage(ReceiveAsync);
                // Connected: ends the pause of a node that started while Redis was away, not relying on a ConnectionRestored for a first connection.
                lock (_gate)
                    if (_down.Count == 0) status.Set(false);
                // Now that their answers can be heard: every node says who is on it.
                Send(new Envelope(link.Node, "hello"));
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Any failure (a timeout is no RedisException) is retried: a failed hosted service stops the whole node.
                // Lost again meanwhile: drop the half-made subscription, so that no message is read twice, and retry.
                logger.LogWarning(e, "Could not subscribe to the other nodes' live messages yet");
                bus.Unsubscribe(Channel, null, CommandFlags.FireAndForget);
            }
        }
    }

    void Announce(long studyId, IReadOnlyList<PresenceEntry> online) => Send(new Envelope(link.Node, "presence", StudyId: studyId, Online: online));

    void AnnounceAll()
    {
        foreach (var (studyId, online) in presence.LocalLists()) Announce(studyId, online);
    }

    void Nudge() => Send(new Envelope(link.Node, "revoked"));

    void Send(Envelope envelope)
    {
        if (_redis is not { IsConnected: true } redis) return;
        try
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(envelope, EventWire.Options);
            redis.GetSubscriber().Publish(Channel, json, CommandFlags.FireAndForget);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A live message could not be sent to the other nodes");
        }
    }

    /// <summary>One message at a time, in order: a revocation nudge is applied before the events that follow it.</summary>
    async Task ReceiveAsync(ChannelMessage message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>((byte[])message.Message!, EventWire.Options)!;
            if (envelope.Node == link.Node) return;
            switch (envelope.Kind)
            {
                // Presence travels as lists (below), never as another node's merged event.
                case "event" when EventWire.Read(envelope.Type!, envelope.Event!.Value) is { } studyEvent and not PresenceChanged:
                    events.PublishRemote(studyEvent);
                    break;
                case "presence":
                    presence.Merge(envelope.Node, envelope.StudyId, envelope.Online ?? []);
                    break;
                case "hello":
                    AnnounceAll();
                    break;
                case "bye":
                    presence.Forget(envelope.Node);
                    break;
                case "revoked":
                    await CheckRevocationsAsync();
                    break;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A live message from another node could not be read");
        }
    }

    void OnFailed(object? sender, ConnectionFailedEventArgs e)
    {
        lock (_gate) _down.Add(e.ConnectionType);
        logger.LogWarning(e.Exception, "Redis connection lost ({Type}, {Failure}): live updates from other nodes are paused", e.ConnectionType, e.FailureType);
        status.Set(true);
    }

    void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        lock (_gate)
        {
            _down.Remove(e.ConnectionType);
            if (_down.Count > 0) return;
        }
        logger.LogInformation("Redis connection restored: live updates from other nodes resume");
        status.Set(false);
        // What others announced meanwhile was lost: every node says again who is here, and revocations are read at once.
        AnnounceAll();
        Send(new Envelope(link.Node, "hello"));
        _ = CheckRevocationsAsync();
    }

    async Task CheckRevocationsAsync()
    {
        try
        {
            await revocations.CheckNowAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Revocations could not be read");
        }
    }
}
