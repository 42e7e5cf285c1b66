using GradeBench.Storage.Agreement;
using GradeBench.Storage.Nodes;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>Two nodes' monitors on one database; one <see cref="StudyEvents"/> stands in for the fan-out that delivers
/// every node's events to every other node.</summary>
public sealed class AgreementMonitorNodesTests : IAsyncLifetime
{
    // Long enough for a demo computation that should not happen to show up.
    static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    TestDatabase _db = null!;
    readonly StudyEvents _events = new(NullLogger<StudyEvents>.Instance);
    readonly List<AgreementUpdated> _published = [];
    readonly List<Microsoft.Extensions.Hosting.IHostedService> _started = [];
    long _studyId;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        _events.Subscribe(_studyId, userId: 0, isCoordinator: true, e =>
        {
            if (e is AgreementUpdated agreement) lock (_published) _published.Add(agreement);
            return Task.CompletedTask;
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _started) await service.StopAsync(CancellationToken.None);
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task OnlyTheLeaseHolderComputesAfterASubmitAndTheOtherKeepsItsResult()
    {
        var (holder, _) = await StartNodeAsync();
        var (other, otherLeases) = await StartNodeAsync();

        _events.Publish(Submitted());
        var published = await NextPublishedAsync(1);
        await Task.Delay(Quiet);

        Assert.Single(Published());
        Assert.False(otherLeases.Holds(AgreementMonitor.Lease));
        Assert.Equal(await StudyDataVersion.ReadAsync(_db.Database, _studyId), published.DataVersion);
        // The other node's pages are shown the holder's result, without computing it again.
        Assert.Same(published, await other.KnownAsync(_studyId));
        Assert.Same(published, await holder.KnownAsync(_studyId));
        await Task.Delay(Quiet);
        Assert.Single(Published());
    }

    /// <summary>A page on a node that does not hold the lease, asking for an agreement nobody has published, still gets one.</summary>
    [Fact]
    public async Task APageOnTheOtherNodeAskingForAnUnknownAgreementGetsOne()
    {
        await StartNodeAsync();
        var (other, _) = await StartNodeAsync();

        Assert.Null(await other.KnownAsync(_studyId));
        var published = await NextPublishedAsync(1);

        Assert.Same(published, await other.KnownAsync(_studyId));
    }

    [Fact]
    public async Task WhenTheHolderStopsRenewingTheOtherTakesOverOnceTheLeaseHasExpired()
    {
        var (holder, holderLeases) = await StartNodeAsync();
        var (_, otherLeases) = await StartNodeAsync();
        await holder.StopAsync(CancellationToken.None); // its process gone: no computing, no renewing, no release

        _db.Clock.Now += NodeLeases.Length - TimeSpan.FromSeconds(5);
        await otherLeases.RenewAsync();
        _events.Publish(Submitted());
        await Task.Delay(Quiet);
        Assert.Empty(Published());

        _db.Clock.Now += TimeSpan.FromSeconds(10);
        await otherLeases.RenewAsync();
        _events.Publish(Submitted());
        await NextPublishedAsync(1);

        Assert.True(otherLeases.Holds(AgreementMonitor.Lease));
        Assert.False(holderLeases.Holds(AgreementMonitor.Lease));
        Assert.Equal(otherLeases.NodeId, await new LeaseStore(_db.Database, _db.Clock).HolderAsync(AgreementMonitor.Lease));
    }

    [Fact]
    public async Task AHolderThatStopsGivesItsLeaseUpAtOnce()
    {
        var (holder, holderLeases) = await StartNodeAsync();
        var (_, otherLeases) = await StartNodeAsync();

        await holder.StopAsync(CancellationToken.None);
        await holderLeases.StopAsync(CancellationToken.None);
        await otherLeases.RenewAsync();
        _events.Publish(Submitted());
        await NextPublishedAsync(1);

        Assert.True(otherLeases.Holds(AgreementMonitor.Lease));
    }

    async Task<(AgreementMonitor Monitor, NodeLeases Leases)> StartNodeAsync()
    {
        var leases = new NodeLeases(new LeaseStore(_db.Database, _db.Clock), _db.Clock, NullLogger<NodeLeases>.Instance);
        var monitor = new AgreementMonitor(new AgreementQuery(_db.Database), new RubricQuery(_db.Database), _db.Database, _events, leases, _db.Clock,
            NullLogger<AgreementMonitor>.Instance);
        await monitor.StartAsync(CancellationToken.None);
        _started.Add(monitor);
        return (monitor, leases);
    }

    RatingSubmitted Submitted() => new(_studyId, 1, "Dr One", 1, "r1", _db.Clock.Now);

    List<AgreementUpdated> Published()
    {
        lock (_published) return [.. _published];
    }

    async Task<AgreementUpdated> NextPublishedAsync(int count)
    {
        for (var waited = 0; waited < 300 && Published().Count < count; waited++) await Task.Delay(100);
        return Published().Count >= count ? Published()[count - 1] : throw new TimeoutException($"{count} agreement(s) expected, {Published().Count} published");
    }
}
