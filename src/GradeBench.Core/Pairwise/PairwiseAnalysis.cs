using GradeBench.Core.Agreement;

namespace GradeBench.Core.Pairwise;

/// <summary>How <see cref="PairwiseAnalysis"/> computes its intervals.</summary>
public sealed record PairwiseOptions
{
    /// <summary>0: no bootstrap intervals (and so no Arena ranks).</summary>
    public int BootstrapResamples { get; init; } = Bootstrap.DefaultResamples;

    public int Seed { get; init; } = Bootstrap.DefaultSeed;
}

/// <summary>One model's Bradley–Terry rating on the Arena scale with its 95% interval (or why there is none), its Arena
/// rank (null without intervals), and its votes: won, lost, and tied (ties and "both unacceptable").</summary>
public sealed record ModelStanding(string Model, Estimate Rating, int? Rank, int Wins, int Losses, int Ties);

/// <summary>The votes between two models, <see cref="ModelA"/> the first in ordinal name order: each one's wins, and the
/// ties, of which <see cref="BothBad"/> were "both unacceptable".</summary>
public sealed record PairTally(string ModelA, string ModelB, int AWins, int BWins, int Ties, int BothBad);

/// <summary>Position bias: of the <see cref="Decisive"/> votes (left or right), the share the left answer won, with its
/// 95% interval.</summary>
public sealed record PositionBias(int Decisive, int LeftWins, Estimate LeftWinShare);

/// <summary>Agreement between raters on the same pair of answers: Krippendorff's α, nominal over A / B / tie, on the
/// (case, pair) units with two or more votes (<see cref="Units"/>); <see cref="UnitsLeftOut"/> had one vote.</summary>
public sealed record PairwiseAgreement(int Units, int UnitsLeftOut, Estimate Alpha);

/// <summary>The statistics of a side-by-side study (one axis): <see cref="Comparisons"/> votes on
/// <see cref="Cases"/> cases by <see cref="Raters"/> raters; the models by rating (highest first; by name when there
/// are no ratings); the tallies per pair of models; position bias; agreement. <see cref="UndefinedResamples"/>: the
/// bootstrap resamples without a maximum-likelihood estimate, left out of the rating intervals (null when the ratings
/// were not resampled).</summary>
public sealed record PairwiseReport(
    int Comparisons,
    int Cases,
    int Raters,
    IReadOnlyList<ModelStanding> Models,
    IReadOnlyList<PairTally> Pairs,
    PositionBias Position,
    PairwiseAgreement Agreement,
    int BootstrapResamples,
    int Seed,
    int? UndefinedResamples);

/// <summary>The statistics of side-by-side (pairwise) votes (docs/designs.md, "Side-by-side (pairwise) studies:
/// statistics"): the one entry point for these numbers, wherever they are shown (the command line first). The bootstrap
/// resamples cases, with <see cref="Bootstrap"/>'s seeded draws and percentile intervals; every statistic of resample b
/// uses the same case weights, and resamples run in parallel, each in its own slot, so the numbers for a seed do not
/// depend on the number of threads.</summary>
public static class PairwiseAnalysis
{
    /// <summary>The categories of the agreement: the first model of the pair in ordinal name order preferred, the
    /// second preferred, or neither (a tie or "both unacceptable").</summary>
    static readonly string[] AgreementCategories = ["A", "B", "tie"];

    /// <exception cref="ArgumentException">A vote compares a model with itself, or a rater voted twice on the same case
    /// and pair of models.</exception>
    public static PairwiseReport Run(IReadOnlyList<PairwiseVote> votes, PairwiseOptions? options = null) =>
        Run(votes, options ?? new PairwiseOptions(), maxThreads: -1);

    /// <param name="maxThreads">-1: as many as the machine offers.</param>
    internal static PairwiseReport Run(IReadOnlyList<PairwiseVote> votes, PairwiseOptions options, int maxThreads)
    {
        ArgumentNullException.ThrowIfNull(votes);
        if (options.BootstrapResamples < 0) throw new ArgumentOutOfRangeException(nameof(options), "BootstrapResamples must be 0 or more.");
        var data = Tabulate(votes);
        var m = data.Models.Length;

        var pointWins = new double[m * m];
        data.AddWins(CaseWeightsOfOne(data.CaseCount), pointWins);
        var fit = BradleyTerry.Fit(data.Models, pointWins);
        var (decisive, leftWins) = data.LeftAndRight(CaseWeightsOfOne(data.CaseCount));
        var pointAlpha = KrippendorffAlpha.Compute(data.AgreementRatings, MeasurementLevel.Nominal);

        var resamples = options.BootstrapResamples;
        ConfidenceInterval?[] ratingIntervals = new ConfidenceInterval?[m];
        ConfidenceInterval? shareInterval = null, alphaInterval = null;
        int? undefined = null;
        if (resamples > 0 && data.CaseCount > 0)
        {
            var resampleRatings = fit.Strengths is not null;
            var ratings = new double[m * resamples]; // [model * resamples + b]
            var shares = new double[resamples];
            var alphas = new double[resamples];
            Parallel.For(0, resamples, new ParallelOptions { MaxDegreeOfParallelism = maxThreads },
                () => new Workspace(data),
                (b, _, work) =>
                {
                    Bootstrap.DrawUnitWeights(options.Seed, b, work.CaseWeights);
                    if (resampleRatings)
                    {
                        Array.Clear(work.Wins);
                        data.AddWins(work.CaseWeights, work.Wins);
                        var exists = BradleyTerry.IsStronglyConnected(m, work.Wins);
                        if (exists) BradleyTerry.Solve(m, work.Wins, work.Strengths);
                        for (var i = 0; i < m; i++)
                            ratings[i * resamples + b] = exists ? BradleyTerry.Rating(work.Strengths[i]) : double.NaN;
                    }
                    var (d, left) = data.LeftAndRight(work.CaseWeights);
                    shares[b] = d > 0 ? left / d : double.NaN;
                    for (var u = 0; u < work.UnitWeights.Length; u++) work.UnitWeights[u] = work.CaseWeights[data.UnitCase[u]];
                    alphas[b] = KrippendorffAlpha.Compute(data.AgreementRatings, MeasurementLevel.Nominal, work.UnitWeights).Value ?? double.NaN;
                    return work;
                },
                _ => { });
            if (resampleRatings)
            {
                undefined = 0;
                for (var b = 0; b < resamples; b++)
                    if (double.IsNaN(ratings[b])) undefined++;
                for (var i = 0; i < m; i++) ratingIntervals[i] = Bootstrap.Interval(ratings.AsSpan(i * resamples, resamples));
            }
            shareInterval = Bootstrap.Interval(shares);
            alphaInterval = Bootstrap.Interval(alphas);
        }

        var standings = new ModelStanding[m];
        for (var i = 0; i < m; i++)
        {
            var rating = fit.Rating(i) is { } r ? Estimate.Of(r, ratingIntervals[i]) : Estimate.Absent(fit.Reason!);
            standings[i] = new ModelStanding(data.Models[i], rating, ArenaRank(ratingIntervals, i), data.Wins[i], data.Losses[i], data.Ties[i]);
        }
        var ordered = standings.OrderByDescending(s => s.Rating.Value ?? 0).ThenBy(s => s.Model, StringComparer.Ordinal).ToList();
        var share = decisive > 0 ? Estimate.Of(leftWins / decisive, shareInterval) : Estimate.Absent(PairwiseReason.NoDecisiveVote);
        var usage = KrippendorffAlpha.PairableUnits(data.AgreementRatings);
        return new PairwiseReport(
            votes.Count, data.CaseCount, data.RaterCount, ordered, data.Tallies,
            new PositionBias((int)decisive, (int)leftWins, share),
            new PairwiseAgreement(usage.Used, usage.LeftOut, pointAlpha with { Ci95 = pointAlpha.HasValue ? alphaInterval : null }),
            resamples, options.Seed, undefined);
    }

    /// <summary>The Arena rank (Chiang et al. 2024): 1 + the number of models whose interval lies wholly above this
    /// model's (lower bound above its upper bound); null without intervals.</summary>
    static int? ArenaRank(ConfidenceInterval?[] intervals, int model)
    {
        if (intervals[model] is not { } own) return null;
        var above = 0;
        foreach (var other in intervals)
            if (other is { } ci && ci.Lower > own.Upper) above++;
        return 1 + above;
    }

    static int[] CaseWeightsOfOne(int cases)
    {
        var weights = new int[cases];
        Array.Fill(weights, 1);
        return weights;
    }

    /// <summary>One thread's buffers for its resamples.</summary>
    sealed class Workspace(Votes data)
    {
        public readonly int[] CaseWeights = new int[data.CaseCount];
        public readonly int[] UnitWeights = new int[data.UnitCase.Length];
        public readonly double[] Wins = new double[data.Models.Length * data.Models.Length];
        public readonly double[] Strengths = new double[data.Models.Length];
    }

    /// <summary>The votes reduced to what the statistics need, per case: each pair's half-wins (a decisive vote is two
    /// halves for the winner, a tie one half for each side) and the left and right wins; the tallies; and the agreement's
    /// units × raters matrix of A / B / tie with each unit's case.</summary>
    sealed class Votes
    {
        public required string[] Models { get; init; }
        public required int CaseCount { get; init; }
        public required int RaterCount { get; init; }
        public required int[] Wins { get; init; }
        public required int[] Losses { get; init; }
        public required int[] Ties { get; init; }
        public required IReadOnlyList<PairTally> Tallies { get; init; }
        public required RatingMatrix AgreementRatings { get; init; }
        public required int[] UnitCase { get; init; }

        /// <summary>Per case c, entries CaseStart[c] … CaseStart[c + 1] − 1 of the pair arrays.</summary>
        public required int[] CaseStart { get; init; }
        public required int[] PairFirst { get; init; }
        public required int[] PairSecond { get; init; }
        public required int[] FirstHalves { get; init; }
        public required int[] SecondHalves { get; init; }
        public required int[] CaseLeftWins { get; init; }
        public required int[] CaseRightWins { get; init; }

        /// <summary>Adds each case's wins, times its weight, into the models × models matrix.</summary>
        public void AddWins(ReadOnlySpan<int> caseWeights, Span<double> wins)
        {
            var m = Models.Length;
            for (var c = 0; c < CaseCount; c++)
            {
                var weight = caseWeights[c];
                if (weight == 0) continue;
                for (var e = CaseStart[c]; e < CaseStart[c + 1]; e++)
                {
                    wins[PairFirst[e] * m + PairSecond[e]] += 0.5 * weight * FirstHalves[e];
                    wins[PairSecond[e] * m + PairFirst[e]] += 0.5 * weight * SecondHalves[e];
                }
            }
        }

        /// <summary>The decisive votes and those the left side won, each case counted as often as its weight.</summary>
        public (double Decisive, double LeftWins) LeftAndRight(ReadOnlySpan<int> caseWeights)
        {
            long left = 0, right = 0;
            for (var c = 0; c < CaseCount; c++)
            {
                left += (long)caseWeights[c] * CaseLeftWins[c];
                right += (long)caseWeights[c] * CaseRightWins[c];
            }
            return (left + right, left);
        }
    }

    static Votes Tabulate(IReadOnlyList<PairwiseVote> votes)
    {
        var models = votes.SelectMany(v => new[] { v.Left, v.Right }).Distinct().Order(StringComparer.Ordinal).ToArray();
        var modelIndex = models.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        var caseIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var raterIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var m = models.Length;
        int[] wins = new int[m], losses = new int[m], ties = new int[m];
        var tally = new Dictionary<(int A, int B), (int AWins, int BWins, int Ties, int BothBad)>();
        var units = new Dictionary<(int Case, int A, int B), int>();
        var unitCase = new List<int>();
        var cells = new Dictionary<(int Unit, int Rater), int>();
        var halves = new Dictionary<(int Case, int A, int B), (int A, int B)>();
        var leftRight = new Dictionary<int, (int Left, int Right)>();

        foreach (var vote in votes)
        {
            ArgumentNullException.ThrowIfNull(vote);
            if (vote.Left == vote.Right) throw new ArgumentException($"a vote on case \"{vote.Case}\" compares \"{vote.Left}\" with itself", nameof(votes));
            var c = IndexOf(caseIndex, vote.Case);
            var r = IndexOf(raterIndex, vote.Rater);
            int left = modelIndex[vote.Left], right = modelIndex[vote.Right];
            // The pair in canonical order: A is the model first by name, whichever side it was shown on.
            var (a, b) = left < right ? (left, right) : (right, left);
            var winner = vote.Choice switch
            {
                PairwiseChoice.Left => left,
                PairwiseChoice.Right => right,
                _ => -1,
            };
            if (!units.TryGetValue((c, a, b), out var unit))
            {
                unit = units[(c, a, b)] = unitCase.Count;
                unitCase.Add(c);
            }
            if (!cells.TryAdd((unit, r), winner == a ? 0 : winner == b ? 1 : 2))
                throw new ArgumentException($"rater \"{vote.Rater}\" voted twice on case \"{vote.Case}\" between \"{models[a]}\" and \"{models[b]}\"", nameof(votes));

            var t = tally.GetValueOrDefault((a, b));
            var h = halves.GetValueOrDefault((c, a, b));
            var lr = leftRight.GetValueOrDefault(c);
            if (winner < 0)
            {
                ties[a]++;
                ties[b]++;
                t = (t.AWins, t.BWins, t.Ties + 1, t.BothBad + (vote.Choice == PairwiseChoice.BothBad ? 1 : 0));
                h = (h.A + 1, h.B + 1);
            }
            else
            {
                var loser = winner == a ? b : a;
                wins[winner]++;
                losses[loser]++;
                t = winner == a ? (t.AWins + 1, t.BWins, t.Ties, t.BothBad) : (t.AWins, t.BWins + 1, t.Ties, t.BothBad);
                h = winner == a ? (h.A + 2, h.B) : (h.A, h.B + 2);
                lr = winner == left ? (lr.Left + 1, lr.Right) : (lr.Left, lr.Right + 1);
            }
            tally[(a, b)] = t;
            halves[(c, a, b)] = h;
            leftRight[c] = lr;
        }

        var cases = caseIndex.Count;
        var entries = halves.OrderBy(e => e.Key.Case).ThenBy(e => e.Key.A).ThenBy(e => e.Key.B).ToArray();
        var caseStart = new int[cases + 1];
        foreach (var entry in entries) caseStart[entry.Key.Case + 1]++;
        for (var c = 0; c < cases; c++) caseStart[c + 1] += caseStart[c];
        var raters = raterIndex.Count;
        var matrix = new int[unitCase.Count * raters];
        Array.Fill(matrix, RatingMatrix.Missing);
        foreach (var ((unit, rater), category) in cells) matrix[unit * raters + rater] = category;
        return new Votes
        {
            Models = models,
            CaseCount = cases,
            RaterCount = raters,
            Wins = wins,
            Losses = losses,
            Ties = ties,
            Tallies = tally.OrderBy(p => p.Key.A).ThenBy(p => p.Key.B)
                .Select(p => new PairTally(models[p.Key.A], models[p.Key.B], p.Value.AWins, p.Value.BWins, p.Value.Ties, p.Value.BothBad)).ToList(),
            AgreementRatings = RatingMatrix.FromCells(unitCase.Count, raters, AgreementCategories, matrix, raterIds: Keys(raterIndex)),
            UnitCase = [.. unitCase],
            CaseStart = caseStart,
            PairFirst = [.. entries.Select(e => e.Key.A)],
            PairSecond = [.. entries.Select(e => e.Key.B)],
            FirstHalves = [.. entries.Select(e => e.Value.A)],
            SecondHalves = [.. entries.Select(e => e.Value.B)],
            CaseLeftWins = [.. Enumerable.Range(0, cases).Select(c => leftRight.GetValueOrDefault(c).Left)],
            CaseRightWins = [.. Enumerable.Range(0, cases).Select(c => leftRight.GetValueOrDefault(c).Right)],
        };
    }

    static int IndexOf(Dictionary<string, int> index, string key)
    {
        if (index.TryGetValue(key, out var i)) return i;
        return index[key] = index.Count;
    }

    static string[] Keys(Dictionary<string, int> index)
    {
        var keys = new string[index.Count];
        foreach (var (key, i) in index) keys[i] = key;
        return keys;
    }
}
