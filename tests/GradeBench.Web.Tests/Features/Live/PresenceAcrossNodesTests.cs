using System.Collections.Concurrent;
using GradeBench.Web.Features.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GradeBench.Web.Tests.Features.Live;

/// <summary>The presence list as the union of this node's and the lists other nodes announce (<see cref="EventBridge"/>).</summary>
public sealed class PresenceAcrossNodesTests : IDisposable
{
    const long Study = 3;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);
    readonly StudyEvents _events = new(NullLogger<StudyEvents>.Instance);
    readonly PresenceTracker _presence;
    readonly ConcurrentQueue<PresenceChanged> _page = new();
    readonly ConcurrentQueue<IReadOnlyList<PresenceEntry>> _announced = new();
    readonly List<IDisposable> _subscriptions = [];

    public PresenceAcrossNodesTests()
    {
        _presence = new PresenceTracker(_events, _clock);
        _presence.LocalChanged += (_, online) => _announced.Enqueue(online);
        _subscriptions.Add(_events.Subscribe(Study, 0, isCoordinator: true, e => Keep(_page, e)));
    }

    static Task Keep(ConcurrentQueue<PresenceChanged> into, StudyEvent e)
    {
        if (e is PresenceChanged presence) into.Enqueue(presence);
        return Task.CompletedTask;
    }

    static PresenceEntry Elsewhere(long userId, bool connected = true) =>
        new(userId, "Dr " + userId, "rater", null, DateTimeOffset.UnixEpoch.AddMinutes(-userId), connected);

    static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within the patience");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task AnotherNodesListJoinsThisNodesForPagesButIsNotAnnouncedAgain()
    {
        _presence.Enter("here", Study, 1, "Dr 1", "coordinator");
        await EventuallyAsync(() => _page.Count == 1);

        _presence.Merge("node-b", Study, [Elsewhere(2)]);

        Assert.Equal([1L, 2L], _presence.Online(Study).Select(e => e.UserId).Order());
        await EventuallyAsync(() => _page.Count == 2);
        Assert.Equal([1L, 2L], _page.Last().Online.Select(e => e.UserId).Order());
        // This node announces its own list only.
        Assert.Equal([1L], _announced.Single().Select(e => e.UserId));
    }

    [Fact]
    public async Task AUserOnTwoNodesIsListedOnceConnectedIfAnyConnectionIs()
    {
        _presence.Enter("here", Study, 2, "Dr 2", "rater");
        _presence.SetConnected("here", false);

        _presence.Merge("node-b", Study, [Elsewhere(2, connected: true)]);

        var entry = Assert.Single(_presence.Online(Study));
        Assert.True(entry.Connected);
        Assert.Equal(Elsewhere(2).Since, entry.Since);
        await EventuallyAsync(() => _page.Count == 3);
    }

    [Fact]
    public async Task TheSameListAnnouncedAgainChangesNothingAndASilentNodeIsForgotten()
    {
        _presence.Merge("node-b", Study, [Elsewhere(2)]);
        _clock.Advance(EventBridge.AnnounceInterval);
        _presence.Merge("node-b", Study, [Elsewhere(2)]);
        _clock.Advance(TimeSpan.FromSeconds(15));
        _presence.Merge("node-c", Study, [Elsewhere(3)]);

        // Heard by pages in order: had the repeat been published, the second list would not name node-c's user.
        await EventuallyAsync(() => _page.Count == 2);
        Assert.Equal([2L, 3L], _page.Last().Online.Select(e => e.UserId).Order());

        // node-b last heard just over the limit ago, node-c well within it.
        _clock.Advance(EventBridge.SilenceLimit - TimeSpan.FromSeconds(14));
        _presence.Expire(_clock.GetUtcNow() - EventBridge.SilenceLimit);

        Assert.Equal([3L], _presence.Online(Study).Select(e => e.UserId));
        await EventuallyAsync(() => _page.Count == 3);
        Assert.Equal([3L], _page.Last().Online.Select(e => e.UserId));
    }

    [Fact]
    public void ANodeThatSaysGoodbyeOrAnnouncesAnEmptyListLeavesNobodyBehind()
    {
        _presence.Merge("node-b", Study, [Elsewhere(2)]);
        _presence.Merge("node-c", Study, [Elsewhere(3)]);

        _presence.Forget("node-b");
        _presence.Merge("node-c", Study, []);

        Assert.Empty(_presence.Online(Study));
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions) subscription.Dispose();
    }
}
