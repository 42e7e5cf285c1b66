using System.Collections.Concurrent;
using System.Threading.Channels;
using GradeBench.Core.Agreement;
using GradeBench.Core.Spans;
using GradeBench.Storage;
using GradeBench.Storage.Results;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Hosting;

namespace GradeBench.Web.Features.Dashboard;

/// <summary>Keeps each study's overall agreement on highlights of the answers and on passages of the notes
/// (<see cref="SpanAgreementQuery"/>, the numbers of the results page) current for the dashboard, off the request path,
/// as <see cref="AgreementMonitor"/> keeps alpha: a submit (of a rating, or of a side-by-side pair) or a change of spans
/// (<see cref="SpansChanged"/>: added, relabelled, moved or removed, before or after the submit) only queues its study,
/// a burst of them during a computation costs one more, and each source's result is published as
/// <see cref="SpanAgreementUpdated"/> and kept with the data version it was computed from (<see cref="StudyDataVersion"/>).
/// A source without labels costs one small query per burst and publishes nothing. Computations of a study start at least <see cref="AgreementMonitor.MinimumGap"/> apart, and at
/// least twice the last one's length: a 100,000-response study's bootstrap takes seconds, and so it never takes more
/// than half of the processor however fast raters submit. With several nodes, only the one holding <see cref="Lease"/>
/// computes after changes, as with <see cref="AgreementMonitor"/>.</summary>
public sealed class SpanAgreementMonitor(SpanAgreementQuery spans, Database database, StudyEvents events, NodeLeases leases, TimeProvider clock,
    ILogger<SpanAgreementMonitor> logger) : BackgroundService
{
    /// <summary>The lease (<see cref="NodeLeases"/>) of the node that computes after changes.</summary>
    public const string Lease = "span-agreement-monitor";

    readonly Channel<long> _requests = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentDictionary<long, byte> _queued = new();
    // Studies a page asked for: computed on any node, since the lease holder may never hear of the request.
    readonly ConcurrentDictionary<long, byte> _asked = new();
    readonly ConcurrentDictionary<(long StudyId, SpanSource Source), (long Version, SpanAgreementUpdated? Agreement)> _latest = new();

    static readonly SpanSource[] Sources = [SpanSource.Answers, SpanSource.Note];
    readonly Dictionary<long, (DateTimeOffset Start, TimeSpan Length)> _last = [];

    /// <summary>Asks for a fresh computation of the study's span agreement; returns at once.</summary>
    public void Request(long studyId)
    {
        if (_queued.TryAdd(studyId, 0)) _requests.Writer.TryWrite(studyId);
    }

    /// <summary>The source's span agreement of the study's data as it is now if it is known; otherwise null, and a
    /// computation is queued whose result arrives as <see cref="SpanAgreementUpdated"/>. Never computes on the caller's path.</summary>
    public async Task<SpanAgreementUpdated?> KnownAsync(long studyId, SpanSource source = SpanSource.Answers, CancellationToken ct = default)
    {
        var version = await StudyDataVersion.ReadAsync(database, studyId, ct);
        if (_latest.TryGetValue((studyId, source), out var known) && known.Version == version) return known.Agreement;
        _asked.TryAdd(studyId, 0);
        Request(studyId);
        return null;
    }

    IDisposable? _listening;

    // Listening from the start, not from when ExecuteAsync gets to run: a submit just after the start is not missed.
    public override async Task StartAsync(CancellationToken ct)
    {
        _listening = events.SubscribeEverywhere(e =>
        {
            if (e is RatingSubmitted or PairSubmitted or SpansChanged) Request(e.StudyId);
            // Ours, or the lease holder's from another node.
            else if (e is SpanAgreementUpdated agreement) Keep((agreement.StudyId, agreement.Source), agreement.DataVersion, agreement);
            return Task.CompletedTask;
        });
        await leases.KeepAsync(Lease, ct);
        await base.StartAsync(ct);
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        _listening?.Dispose();
        await base.StopAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var studyId in _requests.Reader.ReadAllAsync(stoppingToken))
            {
                if (!_asked.TryRemove(studyId, out _) && !leases.Holds(Lease))
                {
                    _queued.TryRemove(studyId, out _);
                    continue;
                }
                if (_last.TryGetValue(studyId, out var last))
                {
                    var wait = last.Start + Max(AgreementMonitor.MinimumGap, 2 * last.Length) - clock.GetUtcNow();
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, stoppingToken);
                }
                var start = clock.GetUtcNow();
                // Dequeued before computing: a submit that lands during the computation queues one more round.
                _queued.TryRemove(studyId, out _);
                try
                {
                    foreach (var source in Sources)
                    {
                        var (version, agreement) = await ComputeAsync(studyId, source, stoppingToken);
                        Keep((studyId, source), version, agreement);
                        if (agreement is not null) events.Publish(agreement);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Span agreement of study {StudyId} could not be computed", studyId);
                }
                _last[studyId] = (start, clock.GetUtcNow() - start);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // A result of newer data than the one kept replaces it; an older one never does.
    void Keep((long StudyId, SpanSource Source) key, long version, SpanAgreementUpdated? agreement) =>
        _latest.AddOrUpdate(key, (version, agreement), (_, kept) => kept.Version > version ? kept : (version, agreement));

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // The version is read first: data written while the spans load is newer than the label, so it is never served stale.
    async Task<(long Version, SpanAgreementUpdated? Agreement)> ComputeAsync(long studyId, SpanSource source, CancellationToken ct)
    {
        var version = await StudyDataVersion.ReadAsync(database, studyId, ct);
        var asOf = clock.GetUtcNow();
        // Read off the caller's thread: the reading steps SQLite synchronously.
        var computed = await Task.Run(() => spans.ComputeAsync(studyId, source, ct), ct);
        return (version, computed is null ? null : Figures(studyId, computed, asOf, source) with { DataVersion = version });
    }

    /// <summary>The dashboard's figures: the overall F1 with overlap matching and α_u of the results page.</summary>
    public static SpanAgreementUpdated Figures(long studyId, StudySpanAgreement spans, DateTimeOffset asOf, SpanSource source = SpanSource.Answers)
    {
        var report = spans.Report;
        return new SpanAgreementUpdated(studyId, Live(report.Overall.F1Overlap), Live(report.Overall.AlphaU), report.PairedDocuments, report.Raters,
            report.Spans, asOf, source);
    }

    static LiveEstimate Live(Estimate estimate) => new(estimate.Value, estimate.Ci95?.Lower, estimate.Ci95?.Upper, estimate.Reason);
}
