using GradeBench.Storage.Nodes;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradeBench.Web.Tests.Hosting;

public sealed class NodeLeasesTests : IAsyncLifetime
{
    TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task ANodeThatCannotRenewStopsCountingItselfTheHolderWhenItsLeaseWouldHaveExpired()
    {
        var first = Node();
        await first.KeepAsync("work");

        _db.Clock.Now += NodeLeases.Length - TimeSpan.FromSeconds(1);
        Assert.True(first.Holds("work"));
        _db.Clock.Now += TimeSpan.FromSeconds(1);
        Assert.False(first.Holds("work"));
    }

    [Fact]
    public async Task ExclusiveWorkWaitsForTheOtherNodeToFinish()
    {
        var first = Node();
        var second = Node();
        var held = await first.ExclusiveAsync("first-run");

        var waiting = second.ExclusiveAsync("first-run");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        await using var got = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    NodeLeases Node() => new(new LeaseStore(_db.Database, _db.Clock), _db.Clock, NullLogger<NodeLeases>.Instance);
}
