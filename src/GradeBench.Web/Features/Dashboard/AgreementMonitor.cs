using System.Collections.Concurrent;
using System.Threading.Channels;
using GradeBench.Core.Agreement;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Storage;
using GradeBench.Storage.Agreement;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Hosting;

namespace GradeBench.Web.Features.Dashboard;

/// <summary>Keeps each study's per-criterion Krippendorff's alpha (at the criterion's level, with a seeded 1,000-resample
/// bootstrap interval) current, off the request path: a submit only queues its study, and a burst of submits while
/// one computation runs costs one more computation, not one each. Computations of a study start at least
/// <see cref="MinimumGap"/> apart, so that on a busy study the bootstrap takes a bounded share of the processor and the
/// requests keep theirs; a submit still shows within that gap plus one computation. Results are published as
/// <see cref="AgreementUpdated"/> and kept per study with the data version they were computed from
/// (<see cref="StudyDataVersion"/>): a page is only ever shown the agreement of the data as it is now.
/// With several nodes, only the one holding <see cref="Lease"/> computes after submits; the others keep the results it
/// publishes (which reach them as events), and compute only what a page of theirs asks for and nobody has published.</summary>
public sealed class AgreementMonitor(AgreementQuery ratings, RubricQuery rubric, Database database, StudyEvents events, NodeLeases leases, TimeProvider clock,
    ILogger<AgreementMonitor> logger) : BackgroundService
{
    /// <summary>The lease (<see cref="NodeLeases"/>) of the node that computes after submits.</summary>
    public const string Lease = "agreement-monitor";

    readonly Channel<long> _requests = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentDictionary<long, byte> _queued = new();
    // Studies a page asked for: computed on any node, since the lease holder may never hear of the request.
    readonly ConcurrentDictionary<long, byte> _asked = new();
    readonly ConcurrentDictionary<long, (long Version, AgreementUpdated Agreement)> _latest = new();
    readonly Dictionary<long, DateTimeOffset> _lastStart = [];

    public static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(500);

    /// <summary>The reason a criterion nobody has rated yet has no alpha.</summary>
    public static readonly Message NoRatingsReason = new("Estimate_NoSubmittedRatings");

    /// <summary>Asks for a fresh computation of the study's agreement; returns at once.</summary>
    public void Request(long studyId)
    {
        if (_queued.TryAdd(studyId, 0)) _requests.Writer.TryWrite(studyId);
    }

    /// <summary>The agreement of the study's data as it is now if it is known; otherwise null, and a computation is
    /// queued whose result arrives as <see cref="AgreementUpdated"/>. Never computes on the caller's path.</summary>
    public async Task<AgreementUpdated?> KnownAsync(long studyId, CancellationToken ct = default)
    {
        var version = await StudyDataVersion.ReadAsync(database, studyId, ct);
        if (_latest.TryGetValue(studyId, out var known) && known.Version == version) return known.Agreement;
        _asked.TryAdd(studyId, 0);
        Request(studyId);
        return null;
    }

    /// <summary>The agreement of the study's data as it is now, computing it if it is not known yet (for the hub).</summary>
    public async Task<AgreementUpdated> CurrentAsync(long studyId, CancellationToken ct = default)
    {
        var version = await StudyDataVersion.ReadAsync(database, studyId, ct);
        if (_latest.TryGetValue(studyId, out var known) && known.Version >= version) return known.Agreement;
        var computed = await ComputeAsync(studyId, ct);
        Keep(studyId, computed);
        return computed.Agreement;
    }

    // A result computed from newer data than the one kept replaces it; an older one never does.
    void Keep(long studyId, (long Version, AgreementUpdated Agreement) computed) =>
        _latest.AddOrUpdate(studyId, computed, (_, kept) => kept.Version > computed.Version ? kept : computed);

    IDisposable? _listening;

    // Listening from the start, not from when ExecuteAsync gets to run: a submit just after the start is not missed.
    public override async Task StartAsync(CancellationToken ct)
    {
        _listening = events.SubscribeEverywhere(e =>
        {
            if (e is RatingSubmitted) Request(e.StudyId);
            // Ours, or the lease holder's from another node.
            else if (e is AgreementUpdated agreement) Keep(agreement.StudyId, (agreement.DataVersion, agreement));
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
                if (_lastStart.TryGetValue(studyId, out var last) && clock.GetUtcNow() - last < MinimumGap)
                    await Task.Delay(MinimumGap - (clock.GetUtcNow() - last), clock, stoppingToken);
                _lastStart[studyId] = clock.GetUtcNow();
                // Dequeued before computing: a submit that lands during the computation queues one more round.
                _queued.TryRemove(studyId, out _);
                try
                {
                    var result = await ComputeAsync(studyId, stoppingToken);
                    Keep(studyId, result);
                    events.Publish(result.Agreement);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Agreement of study {StudyId} could not be computed", studyId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // The version is read first: data written while the ratings load is newer than the label, so it is never served stale.
    async Task<(long Version, AgreementUpdated Agreement)> ComputeAsync(long studyId, CancellationToken ct)
    {
        var version = await StudyDataVersion.ReadAsync(database, studyId, ct);
        var asOf = clock.GetUtcNow();
        var criteria = (await rubric.LoadAsync(studyId, ct)).Where(c => CriterionRatings.Level(c.Criterion) is not null).ToList();
        // Read and computed off the caller's thread: the reading steps SQLite synchronously.
        return (version, await Task.Run(async () =>
        {
            var submitted = await ratings.SubmittedColumnsAsync(studyId, criteria.Select(c => c.Id).ToHashSet(), ct);
            return new AgreementUpdated(studyId, Alphas(criteria
                .Select(c => (c.Criterion, submitted.GetValueOrDefault(c.Id) ?? new CriterionSubmissions()))
                .ToList()), asOf, version);
        }, ct));
    }

    /// <summary>The dashboard's figure for one criterion; the same numbers as <c>gradebench agreement</c> gives for
    /// the criterion's ratings at its level, in the order of <paramref name="unitOrder"/> (the dashboard's: ratings.csv's).</summary>
    public static CriterionAlpha Alpha(Criterion criterion, IReadOnlyCollection<StoredRating> stored, IReadOnlyDictionary<long, int>? unitOrder = null) =>
        Finish([criterion], [stored.Count == 0 ? null
            : Figure.Of(criterion, CriterionRatings.UnitMatrix(criterion, stored, unitOrder), stored.Select(r => r.RaterId).Distinct().Count())])[0];

    /// <summary>The same figure from the ratings as flat columns (<see cref="AgreementQuery.SubmittedColumnsAsync(long, IReadOnlySet{long}, CancellationToken)"/>).</summary>
    public static CriterionAlpha Alpha(Criterion criterion, CriterionSubmissions submitted) => Alphas([(criterion, submitted)])[0];

    /// <summary>Every criterion's figure at once, each the same as <see cref="Alpha(Criterion, CriterionSubmissions)"/>
    /// alone: criteria with as many units (one per response rated) share each resample's draws.</summary>
    public static IReadOnlyList<CriterionAlpha> Alphas(IReadOnlyList<(Criterion Criterion, CriterionSubmissions Submitted)> criteria) =>
        Finish(criteria.Select(c => c.Criterion).ToList(),
            criteria.Select(c => c.Submitted.Count == 0 ? null : Figure.Of(c.Criterion, c.Submitted.UnitMatrix(c.Criterion), c.Submitted.RaterCount())).ToList());

    static List<CriterionAlpha> Finish(IReadOnlyList<Criterion> criteria, IReadOnlyList<Figure?> figures)
    {
        // The engine resamples the units' count patterns on every core: the same interval as the unit-weighted bootstrap.
        var resampled = Enumerable.Range(0, figures.Count).Where(i => figures[i]?.Alpha.Value is not null).ToList();
        var intervals = AgreementBootstrap.Intervals(resampled.Select(i => (figures[i]!.Matrix, (IReadOnlyList<string>)[figures[i]!.Coefficient])).ToList());
        var intervalOf = resampled.Select((i, k) => (i, Interval: intervals[k][figures[i]!.Coefficient])).ToDictionary(x => x.i, x => x.Interval);
        return criteria.Select((c, i) => figures[i] is { } f
            ? new CriterionAlpha(c.Id, c.Label, f.LevelName, f.Alpha.Value, intervalOf.GetValueOrDefault(i)?.Lower,
                intervalOf.GetValueOrDefault(i)?.Upper, f.Units, f.Raters, f.Alpha.Reason)
            : NoRatings(c)).ToList();
    }

    static CriterionAlpha NoRatings(Criterion criterion) => new(criterion.Id, criterion.Label,
        CriterionRatings.Level(criterion)!.Value.ToString().ToLowerInvariant(), null, null, null, 0, 0, NoRatingsReason);

    // Alpha needs only each unit's ratings, not a column per rater: see CriterionRatings.UnitMatrix.
    sealed record Figure(RatingMatrix Matrix, string LevelName, Estimate Alpha, int Units, int Raters)
    {
        public string Coefficient => $"krippendorff_alpha_{LevelName}";

        public static Figure Of(Criterion criterion, RatingMatrix matrix, int raters)
        {
            var level = CriterionRatings.Level(criterion)!.Value;
            return new Figure(matrix, level.ToString().ToLowerInvariant(), KrippendorffAlpha.Compute(matrix, level),
                KrippendorffAlpha.PairableUnits(matrix).Used, raters);
        }
    }
}
