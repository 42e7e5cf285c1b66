using GradeBench.Core.Agreement;
using GradeBench.Core.Pairwise;

namespace GradeBench.Core.Tests.Pairwise;

public sealed class PairwiseAnalysisTests
{
    static PairwiseVote Vote(string @case, string rater, string left, string right, PairwiseChoice choice) => new(@case, rater, left, right, choice);

    const PairwiseChoice L = PairwiseChoice.Left, R = PairwiseChoice.Right, T = PairwiseChoice.Tie, X = PairwiseChoice.BothBad;

    [Fact]
    public void CountsWinsLossesAndTiesPerModelAndPair()
    {
        PairwiseVote[] votes =
        [
            Vote("c1", "p1", "y", "x", L), // y beats x
            Vote("c1", "p2", "x", "y", L), // x beats y
            Vote("c1", "p3", "x", "y", X), // both unacceptable: a tie
            Vote("c2", "p1", "z", "x", R), // x beats z
            Vote("c2", "p2", "x", "z", T),
            Vote("c2", "p1", "y", "z", L), // y beats z
        ];

        var report = PairwiseAnalysis.Run(votes, new PairwiseOptions { BootstrapResamples = 0 });

        Assert.Equal((6, 2, 3), (report.Comparisons, report.Cases, report.Raters));
        Assert.Equal([new PairTally("x", "y", 1, 1, 1, 1), new PairTally("x", "z", 1, 0, 1, 0), new PairTally("y", "z", 1, 0, 0, 0)], report.Pairs);
        var x = report.Models.Single(m => m.Model == "x");
        Assert.Equal((2, 1, 2), (x.Wins, x.Losses, x.Ties));
        var z = report.Models.Single(m => m.Model == "z");
        Assert.Equal((0, 2, 1), (z.Wins, z.Losses, z.Ties));
        // 4 decisive votes; the left side won 3 of them (all but x over z from the right).
        Assert.Equal(4, report.Position.Decisive);
        Assert.Equal(3, report.Position.LeftWins);
        Assert.Equal(0.75, report.Position.LeftWinShare.Value);
        Assert.Null(report.Position.LeftWinShare.Ci95);
        Assert.All(report.Models, m => Assert.Null(m.Rank));
    }

    [Fact]
    public void NoDecisiveVoteLeavesTheLeftShareUndefined()
    {
        var report = PairwiseAnalysis.Run([Vote("c1", "p1", "x", "y", T), Vote("c1", "p2", "y", "x", X)]);

        Assert.Equal(0, report.Position.Decisive);
        Assert.Null(report.Position.LeftWinShare.Value);
        Assert.Equal("Pairwise_NoDecisiveVote", report.Position.LeftWinShare.Reason!.Key);
        Assert.All(report.Models, m => Assert.Equal(1000, m.Rating.Value));
    }

    /// <summary>Two raters who agree on every case, the second shown the sides swapped: compared by model (A is the first
    /// model by name) they agree perfectly, although the one said "left" where the other said "right".</summary>
    [Fact]
    public void AgreementComparesRatersByModelNotBySide()
    {
        PairwiseVote[] votes =
        [
            Vote("c1", "p1", "x", "y", L), Vote("c1", "p2", "y", "x", R), // both prefer x
            Vote("c2", "p1", "x", "y", R), Vote("c2", "p2", "y", "x", L), // both prefer y
            Vote("c3", "p1", "x", "y", T), Vote("c3", "p2", "y", "x", X), // neither
            Vote("c4", "p1", "x", "y", L),                               // one vote: left out
        ];

        var agreement = PairwiseAnalysis.Run(votes, new PairwiseOptions { BootstrapResamples = 0 }).Agreement;

        Assert.Equal((3, 1), (agreement.Units, agreement.UnitsLeftOut));
        Assert.Equal(1.0, agreement.Alpha.Value!.Value, 12);
    }

    [Fact]
    public void AgreementIsNominalAlphaOverPreferredModelOrTie()
    {
        // Units (case, pair) × raters, in A / B / tie with A = x, the first model by name.
        PairwiseVote[] votes =
        [
            Vote("c1", "p1", "x", "y", L), Vote("c1", "p2", "x", "y", L), Vote("c1", "p3", "y", "x", R),
            Vote("c2", "p1", "y", "x", L), Vote("c2", "p2", "x", "y", T),
            Vote("c3", "p2", "x", "z", R), Vote("c3", "p3", "z", "x", L), Vote("c3", "p1", "x", "y", X), Vote("c3", "p3", "y", "x", R),
        ];
        var expected = KrippendorffAlpha.Compute(RatingMatrix.FromTable(new[,]
        {
            { "A", "A", "A" },   // c1, x–y
            { "B", "tie", null }, // c2, x–y
            { null, "B", "B" },   // c3, x–z
            { "tie", null, "A" }, // c3, x–y
        }, ["A", "B", "tie"]), MeasurementLevel.Nominal);

        var alpha = PairwiseAnalysis.Run(votes, new PairwiseOptions { BootstrapResamples = 0 }).Agreement.Alpha;

        Assert.Equal(expected.Value!.Value, alpha.Value!.Value, 12);
    }

    [Fact]
    public void RejectsAVoteOfAModelAgainstItselfAndASecondVoteOnTheSamePair()
    {
        Assert.Throws<ArgumentException>(() => PairwiseAnalysis.Run([Vote("c", "p", "x", "x", L)]));
        Assert.Throws<ArgumentException>(() => PairwiseAnalysis.Run([Vote("c", "p", "x", "y", L), Vote("c", "p", "y", "x", L)]));
    }

    /// <summary>The intervals follow the house bootstrap: resample b's case weights are <see cref="Bootstrap.DrawUnitWeights"/>
    /// of (seed, b), and each interval is <see cref="Bootstrap.PercentileInterval"/> of its statistic on those weights,
    /// computed here one resample at a time from the votes, on one thread.</summary>
    [Fact]
    public void IntervalsArePercentileBootstrapsOverCases()
    {
        var votes = SyntheticVotes.Generate(seed: 11, [1100, 1000, 950, 900], cases: 40, pairChance: 0.7, tieChance: 0.1);
        var cases = votes.Select(v => v.Case).Distinct().ToList();
        var options = new PairwiseOptions { BootstrapResamples = 300, Seed = 5 };

        var report = PairwiseAnalysis.Run(votes, options);

        IEnumerable<PairwiseVote> Resampled(ReadOnlySpan<int> weights)
        {
            var copies = weights.ToArray();
            return votes.SelectMany(v => Enumerable.Repeat(v, copies[cases.IndexOf(v.Case)]));
        }
        foreach (var model in report.Models)
        {
            var expected = Bootstrap.PercentileInterval(cases.Count, weights =>
            {
                var resample = Resampled(weights).ToList();
                var models = resample.SelectMany(v => new[] { v.Left, v.Right }).Distinct().Order(StringComparer.Ordinal).ToList();
                var m = models.Count;
                var wins = new double[m * m];
                foreach (var v in resample)
                {
                    int left = models.IndexOf(v.Left), right = models.IndexOf(v.Right);
                    if (v.Choice == L) wins[left * m + right] += 1;
                    else if (v.Choice == R) wins[right * m + left] += 1;
                    else { wins[left * m + right] += 0.5; wins[right * m + left] += 0.5; }
                }
                return models.Count == 4 ? BradleyTerry.Fit(models, wins).Rating(models.IndexOf(model.Model)) : null;
            }, options.BootstrapResamples, options.Seed);
            Assert.Equal(expected!.Value.Lower, model.Rating.Ci95!.Value.Lower, 9);
            Assert.Equal(expected.Value.Upper, model.Rating.Ci95.Value.Upper, 9);
        }
        var share = Bootstrap.PercentileInterval(cases.Count, weights =>
        {
            var decisive = Resampled(weights).Where(v => v.Choice is L or R).ToList();
            return decisive.Count == 0 ? null : decisive.Count(v => v.Choice == L) / (double)decisive.Count;
        }, options.BootstrapResamples, options.Seed);
        Assert.Equal(share, report.Position.LeftWinShare.Ci95);
        Assert.NotNull(report.Agreement.Alpha.Ci95);
        Assert.Equal(0, report.UndefinedResamples);
    }

    [Fact]
    public void SameSeedGivesTheSameNumbersOnAnyNumberOfThreads()
    {
        var votes = SyntheticVotes.Generate(seed: 3, [1050, 1000, 990, 960, 900], cases: 30, pairChance: 0.5, tieChance: 0.2);
        var options = new PairwiseOptions { BootstrapResamples = 1000, Seed = 42 };

        var oneThread = PairwiseAnalysis.Run(votes, options, maxThreads: 1);
        var allThreads = PairwiseAnalysis.Run(votes, options, maxThreads: -1);

        Assert.Equal(oneThread.Models, allThreads.Models);
        Assert.Equal(oneThread.Position, allThreads.Position);
        Assert.Equal(oneThread.Agreement, allThreads.Agreement);
        Assert.NotEqual(oneThread.Models, PairwiseAnalysis.Run(votes, options with { Seed = 43 }).Models);
    }

    /// <summary>The Arena rank: 1 + the models whose lower bound is above this model's upper bound. Here x is far ahead,
    /// y and z are close and w far behind, so the ranks are 1, 2, 2, 4.</summary>
    [Fact]
    public void ArenaRankCountsTheModelsWhoseIntervalIsWhollyAbove()
    {
        var votes = SyntheticVotes.Generate(seed: 8, [1400, 1005, 1000, 600], cases: 120);
        var renamed = votes.Select(v => v with { Left = Rename(v.Left), Right = Rename(v.Right) }).ToList();

        var report = PairwiseAnalysis.Run(renamed, new PairwiseOptions { BootstrapResamples = 200 });

        Assert.Equal([("w", 4), ("x", 1), ("y", 2), ("z", 2)], report.Models.Select(m => (m.Model, m.Rank!.Value)).OrderBy(m => m.Model));
        ConfidenceInterval Interval(string model) => report.Models.Single(m => m.Model == model).Rating.Ci95!.Value;
        Assert.True(Interval("y").Lower < Interval("z").Upper && Interval("z").Lower < Interval("y").Upper); // they overlap
        Assert.True(Interval("x").Lower > Math.Max(Interval("y").Upper, Interval("z").Upper));

        static string Rename(string model) => model switch { "model-a" => "x", "model-b" => "y", "model-c" => "z", _ => "w" };
    }

    /// <summary>x's only loss is on case c0 and y's only win on case c1: a resample without either has no estimate. Those
    /// resamples are left out (the house convention); when more than half are undefined there is no interval, and so no
    /// rank.</summary>
    [Fact]
    public void ResamplesWithoutAnEstimateAreLeftOutAndCounted()
    {
        var votes = new List<PairwiseVote>
        {
            Vote("c0", "p1", "z", "x", L),
            Vote("c1", "p1", "y", "z", L),
        };
        for (var c = 2; c < 12; c++)
        {
            votes.Add(Vote($"c{c}", "p1", "x", "y", L));
            votes.Add(Vote($"c{c}", "p1", "x", "z", L));
            votes.Add(Vote($"c{c}", "p1", "z", "y", L));
        }
        var options = new PairwiseOptions { BootstrapResamples = 400, Seed = 1 };

        var report = PairwiseAnalysis.Run(votes, options);

        var expectedUndefined = 0;
        var weights = new int[12];
        for (var b = 0; b < options.BootstrapResamples; b++)
        {
            Bootstrap.DrawUnitWeights(options.Seed, b, weights);
            if (weights[0] == 0 || weights[1] == 0) expectedUndefined++;
        }
        Assert.Equal(expectedUndefined, report.UndefinedResamples);
        Assert.True(expectedUndefined * 2 > options.BootstrapResamples); // about 1 − (1 − 1/e)² ≈ 60%
        Assert.All(report.Models, m => Assert.NotNull(m.Rating.Value));
        Assert.All(report.Models, m => Assert.Null(m.Rating.Ci95));
        Assert.All(report.Models, m => Assert.Null(m.Rank));

        // When y also wins on other cases, nearly only the resamples without c0 are undefined: about 37%.
        foreach (var c in new[] { "c5", "c6", "c7" }) votes.Add(Vote(c, "p2", "y", "z", L));
        var fewer = PairwiseAnalysis.Run(votes, options);
        Assert.InRange(fewer.UndefinedResamples!.Value, 1, options.BootstrapResamples / 2);
        Assert.All(fewer.Models, m => Assert.NotNull(m.Rating.Ci95));
    }

    [Fact]
    public void NoRatingsMeansNoResamplingOfThem()
    {
        var report = PairwiseAnalysis.Run([Vote("c1", "p1", "x", "y", L), Vote("c2", "p1", "y", "x", R)], new PairwiseOptions { BootstrapResamples = 50 });

        Assert.Null(report.UndefinedResamples);
        Assert.All(report.Models, m => Assert.Equal("Pairwise_NeverLost", m.Rating.Reason!.Key));
        Assert.Equal(["x", "y"], report.Models.Select(m => m.Model)); // by name when there are no ratings
        Assert.Equal(0.5, report.Position.LeftWinShare.Value);
    }
}
