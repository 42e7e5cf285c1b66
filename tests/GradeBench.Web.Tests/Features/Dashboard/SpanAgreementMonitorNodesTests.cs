using GradeBench.Core.Spans;
using GradeBench.Storage.Nodes;
using GradeBench.Storage.Results;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>As <see cref="AgreementMonitorNodesTests"/>, for the span agreement.</summary>
public sealed class SpanAgreementMonitorNodesTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    readonly StudyEvents _events = new(NullLogger<StudyEvents>.Instance);
    readonly List<SpanAgreementUpdated> _published = [];
    readonly List<SpanAgreementMonitor> _started = [];
    long _studyId;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        _events.Subscribe(_studyId, userId: 0, isCoordinator: true, e =>
        {
            if (e is SpanAgreementUpdated agreement) lock (_published) _published.Add(agreement);
            return Task.CompletedTask;
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var monitor in _started) await monitor.StopAsync(CancellationToken.None);
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task OnlyTheLeaseHolderComputesAfterAChangeOfSpansAndTheOtherKeepsItsResult()
    {
        await StartNodeAsync();
        var other = await StartNodeAsync();

        _events.Publish(new SpansChanged(_studyId, 1, SpanSource.Answers, _db.Clock.Now));
        for (var waited = 0; waited < 300 && Published().Count == 0; waited++) await Task.Delay(100);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var published = Assert.Single(Published());
        Assert.Equal(await StudyDataVersion.ReadAsync(_db.Database, _studyId), published.DataVersion);
        Assert.Same(published, await other.KnownAsync(_studyId, SpanSource.Answers));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(Published());
    }

    async Task<SpanAgreementMonitor> StartNodeAsync()
    {
        var leases = new NodeLeases(new LeaseStore(_db.Database, _db.Clock), _db.Clock, NullLogger<NodeLeases>.Instance);
        var monitor = new SpanAgreementMonitor(new SpanAgreementQuery(_db.Database), _db.Database, _events, leases, _db.Clock,
            NullLogger<SpanAgreementMonitor>.Instance);
        await monitor.StartAsync(CancellationToken.None);
        _started.Add(monitor);
        return monitor;
    }

    List<SpanAgreementUpdated> Published()
    {
        lock (_published) return [.. _published];
    }
}
