using System.Collections.Concurrent;
using System.Threading.Channels;

namespace GradeBench.Web.Features.Live;

/// <summary>The in-process notifier every live view listens to: Blazor circuits subscribe directly, and
/// <see cref="HubRelay"/> forwards every event to the SignalR hub's groups. Publishing never waits for a listener:
/// each subscription has its own queue, read in order by one loop, so a slow circuit delays only itself and events
/// reach each listener in the order they were published. A failing handler is logged and keeps its subscription.
/// With several nodes, <see cref="EventBridge"/> brings other nodes' events in through <see cref="PublishRemote"/>: pages hear
/// them, and so does <see cref="SubscribeEverywhere"/> (the monitors), but <see cref="SubscribeAll"/> (the relay to the hub,
/// the bridge itself) hears only this node's.</summary>
public sealed class StudyEvents(ILogger<StudyEvents> logger)
{
    public delegate Task Handler(StudyEvent studyEvent);

    readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    /// <summary>Receives the events of one study that this user may see. Dispose to stop.</summary>
    public IDisposable Subscribe(long studyId, long userId, bool isCoordinator, Handler handler) =>
        Add(new Subscription(this, studyId, userId, isCoordinator, handler));

    /// <summary>Every event of every study published on this node, unfiltered: for the relay to the hub (which filters
    /// by group) and the bridge to other nodes. Another node's events are not here: its own relay already sent them to
    /// every hub client.</summary>
    internal IDisposable SubscribeAll(Handler handler) => Add(new Subscription(this, null, 0, true, handler));

    /// <summary>Every event of every study, this node's and other nodes': for the work one node does for all (the
    /// agreement monitors: the lease holder computes after a submit any node took, and every node keeps the result).</summary>
    internal IDisposable SubscribeEverywhere(Handler handler) => Add(new Subscription(this, null, 0, true, handler, everywhere: true));

    Subscription Add(Subscription subscription)
    {
        _subscriptions.TryAdd(subscription, 0);
        subscription.Start();
        return subscription;
    }

    /// <summary>Ends the user's subscriptions to the study (with no study: to every study) at once, whatever the pages
    /// holding them do next: they lost access. Events already queued for them were published while they had it.</summary>
    public void Unsubscribe(long userId, long? studyId)
    {
        foreach (var subscription in _subscriptions.Keys)
            if (subscription.StudyId is { } study && subscription.UserId == userId && (studyId is null || study == studyId))
                subscription.Dispose();
    }

    public void Publish(StudyEvent studyEvent) => Deliver(studyEvent, remote: false);

    /// <summary>An event another node published (or made for this node's pages from other nodes' news): it reaches the
    /// study's pages here, never <see cref="SubscribeAll"/>, so nothing is sent on twice.</summary>
    public void PublishRemote(StudyEvent studyEvent) => Deliver(studyEvent, remote: true);

    void Deliver(StudyEvent studyEvent, bool remote)
    {
        foreach (var subscription in _subscriptions.Keys)
            if (subscription.Wants(studyEvent, remote)) subscription.Queue.Writer.TryWrite(studyEvent);
    }

    sealed class Subscription(StudyEvents owner, long? studyId, long userId, bool isCoordinator, Handler handler, bool everywhere = false) : IDisposable
    {
        public readonly Channel<StudyEvent> Queue = Channel.CreateUnbounded<StudyEvent>(new UnboundedChannelOptions { SingleReader = true });

        public long? StudyId => studyId;
        public long UserId => userId;

        public bool Wants(StudyEvent e, bool remote) =>
            studyId is null ? !remote || everywhere : studyId == e.StudyId && e.Audience().Includes(userId, isCoordinator);

        public void Start() => _ = Task.Run(ReadAsync);

        async Task ReadAsync()
        {
            await foreach (var studyEvent in Queue.Reader.ReadAllAsync())
            {
                try
                {
                    await handler(studyEvent);
                }
                catch (Exception e)
                {
                    owner.Log(e, studyEvent);
                }
            }
        }

        public void Dispose()
        {
            if (owner._subscriptions.TryRemove(this, out _)) Queue.Writer.TryComplete();
        }
    }

    void Log(Exception e, StudyEvent studyEvent) =>
        logger.LogWarning(e, "A listener failed on {Event} of study {StudyId}", studyEvent.GetType().Name, studyEvent.StudyId);
}
