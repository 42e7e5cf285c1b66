using GradeBench.Storage.Nodes;

namespace GradeBench.Storage.Tests.Nodes;

public sealed class LeaseStoreTests : IAsyncLifetime
{
    static readonly TimeSpan Length = TimeSpan.FromSeconds(30);
    TestDatabase _db = null!;
    LeaseStore _leases = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _leases = new LeaseStore(_db.Database, _db.Clock);
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task OneHolderAtATimeAndTheHolderRenews()
    {
        Assert.True(await _leases.TryAcquireAsync("monitor", "a", Length));
        Assert.False(await _leases.TryAcquireAsync("monitor", "b", Length));

        _db.Clock.Now += TimeSpan.FromSeconds(20);
        Assert.True(await _leases.TryAcquireAsync("monitor", "a", Length));
        _db.Clock.Now += TimeSpan.FromSeconds(20); // past the first expiry, within the renewed one
        Assert.False(await _leases.TryAcquireAsync("monitor", "b", Length));
        Assert.Equal("a", await _leases.HolderAsync("monitor"));
    }

    [Fact]
    public async Task AnotherHolderTakesALeaseOnceItHasExpired()
    {
        await _leases.TryAcquireAsync("monitor", "a", Length);

        _db.Clock.Now += Length + TimeSpan.FromSeconds(1);

        Assert.Null(await _leases.HolderAsync("monitor"));
        Assert.True(await _leases.TryAcquireAsync("monitor", "b", Length));
        Assert.False(await _leases.TryAcquireAsync("monitor", "a", Length));
        Assert.Equal("b", await _leases.HolderAsync("monitor"));
    }

    [Fact]
    public async Task AReleasedLeaseIsFreeAtOnceAndOnlyItsHolderCanReleaseIt()
    {
        await _leases.TryAcquireAsync("monitor", "a", Length);

        await _leases.ReleaseAsync("monitor", "b");
        Assert.False(await _leases.TryAcquireAsync("monitor", "b", Length));

        await _leases.ReleaseAsync("monitor", "a");
        Assert.True(await _leases.TryAcquireAsync("monitor", "b", Length));
    }

    [Fact]
    public async Task LeasesOfDifferentNamesAreIndependent()
    {
        Assert.True(await _leases.TryAcquireAsync("agreement", "a", Length));
        Assert.True(await _leases.TryAcquireAsync("spans", "b", Length));
    }

    /// <summary>Many holders racing for a free lease: exactly one gets it.</summary>
    [Fact]
    public async Task OfHoldersRacingForAFreeLeaseExactlyOneGetsIt()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => _leases.TryAcquireAsync("first-run", $"node{i}", Length))));

        Assert.Single(results, got => got);
    }
}
