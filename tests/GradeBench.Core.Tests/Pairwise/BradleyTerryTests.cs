using GradeBench.Core.Pairwise;
using Sylvan.Data.Csv;

namespace GradeBench.Core.Tests.Pairwise;

public sealed class BradleyTerryTests
{
    static PairwiseReport Analyse(IReadOnlyList<PairwiseVote> votes) =>
        PairwiseAnalysis.Run(votes, new PairwiseOptions { BootstrapResamples = 0 });

    static double RatingOf(PairwiseReport report, string model) => report.Models.Single(m => m.Model == model).Rating.Value!.Value;

    static IEnumerable<PairwiseVote> Votes(string left, string right, PairwiseChoice choice, int count, string rater = "r") =>
        Enumerable.Range(0, count).Select(i => new PairwiseVote($"{left}-{right}-{choice}-{i}", rater, left, right, choice));

    [Fact]
    public void RatingsFollowTheArenaScale()
    {
        // a beats b 3 times in 4: P = 3/4 = 1 / (1 + 10^((r_b − r_a)/400)), so r_a − r_b = 400·log10 3, each 1000 ± half.
        var report = Analyse([.. Votes("a", "b", PairwiseChoice.Left, 3), .. Votes("b", "a", PairwiseChoice.Left, 1)]);

        var gap = 400 * Math.Log10(3);
        Assert.Equal(1000 + gap / 2, RatingOf(report, "a"), 9);
        Assert.Equal(1000 - gap / 2, RatingOf(report, "b"), 9);
        Assert.Equal(0.75, 1 / (1 + Math.Pow(10, (RatingOf(report, "b") - RatingOf(report, "a")) / 400)), 12);
    }

    [Fact]
    public void StrengthsAreLog10OddsSummingToZero()
    {
        var fit = BradleyTerry.Fit(["a", "b"], [0, 9, 1, 0]);

        Assert.Equal(Math.Log10(9), fit.Strengths![0] - fit.Strengths[1], 12);
        Assert.Equal(0, fit.Strengths.Sum(), 12);
        Assert.Equal(1000 + 200 * Math.Log10(9), fit.Rating(0)!.Value, 9);
    }

    [Fact]
    public void ATieOrBothUnacceptableIsHalfAWinForEachSide()
    {
        // One win each way and two ties (one of them "both unacceptable"): 1 + ½ + ½ = 2 wins each, equal ratings.
        var even = Analyse([.. Votes("a", "b", PairwiseChoice.Left, 1), .. Votes("a", "b", PairwiseChoice.Right, 1),
            .. Votes("a", "b", PairwiseChoice.Tie, 1), .. Votes("a", "b", PairwiseChoice.BothBad, 1)]);
        Assert.Equal(1000, RatingOf(even, "a"), 9);

        // a wins 1 and ties 2: a has 2 half-counted wins to b's 1, odds 2.
        var ahead = Analyse([.. Votes("a", "b", PairwiseChoice.Left, 1), .. Votes("b", "a", PairwiseChoice.Tie, 1), .. Votes("a", "b", PairwiseChoice.BothBad, 1)]);
        Assert.Equal(400 * Math.Log10(2), RatingOf(ahead, "a") - RatingOf(ahead, "b"), 9);
    }

    [Fact]
    public void TiesAloneGiveEqualRatingsButAModelThatNeverLostOrTiedHasNone()
    {
        // A tie is an edge both ways: with ties only, the estimate exists.
        Assert.Equal(1000, RatingOf(Analyse([.. Votes("a", "b", PairwiseChoice.Tie, 2)]), "b"), 9);

        var report = Analyse([.. Votes("a", "b", PairwiseChoice.Left, 3), .. Votes("c", "b", PairwiseChoice.Tie, 1), .. Votes("c", "b", PairwiseChoice.Left, 1)]);

        Assert.All(report.Models, m => Assert.Null(m.Rating.Value));
        Assert.All(report.Models, m => Assert.Equal("Pairwise_NeverLost", m.Rating.Reason!.Key));
        Assert.Equal("a", report.Models[0].Rating.Reason!.Args.Single());
    }

    [Fact]
    public void ReasonNamesTheSmallestGroupThatNeverWonOrNeverLost()
    {
        // a, b and c beat each other in a cycle; d never won: the smaller group is d.
        var neverWon = BradleyTerry.Fit(["a", "b", "c", "d"], [
            0, 1, 0, 1,
            0, 0, 1, 1,
            1, 0, 0, 1,
            0, 0, 0, 0]);
        Assert.Null(neverWon.Strengths);
        Assert.Equal("Pairwise_NeverWon", neverWon.Reason!.Key);
        Assert.Equal("d", neverWon.Reason.Args.Single());
        Assert.Contains("d never won against or tied with the other models", neverWon.Reason.ToString());

        // a and b beat each other and both beat c and d, which beat each other: {a, b} never lost, {c, d} never won.
        var twoGroups = BradleyTerry.Fit(["a", "b", "c", "d"], [
            0, 1, 1, 1,
            1, 0, 1, 0,
            0, 0, 0, 1,
            0, 0, 1, 0]);
        Assert.Equal(("Pairwise_NeverLost", "a, b"), (twoGroups.Reason!.Key, twoGroups.Reason.Args[0]));
    }

    [Fact]
    public void ModelsNeverComparedHaveNoCommonScale()
    {
        var fit = BradleyTerry.Fit(["a", "b", "c", "d"], [
            0, 1, 0, 0,
            1, 0, 0, 0,
            0, 0, 0, 2,
            0, 0, 1, 0]);

        Assert.Null(fit.Strengths);
        Assert.Equal("Pairwise_NotCompared", fit.Reason!.Key);
        Assert.Equal("a, b and c, d were never compared, directly or through other models, so their ratings have no common scale", fit.Reason.ToString());
    }

    /// <summary>Agresti (2002), §10.6: the 1987 American League East (Data/agresti-2002-baseball.md). Each game is a vote
    /// (home team on the left); the published estimates are natural-log odds with Baltimore at 0, so a team's is
    /// (r_team − r_Baltimore) · ln 10 / 400.</summary>
    [Fact]
    public void ReproducesAgrestisBaseballEstimates()
    {
        var votes = new List<PairwiseVote>();
        using (var csv = CsvDataReader.Create(Path.Combine(TestPaths.RepositoryRoot, "tests", "GradeBench.Core.Tests", "Pairwise", "Data", "agresti-2002-baseball.csv")))
            while (csv.Read())
            {
                var (home, away) = (csv.GetString(0), csv.GetString(1));
                for (var g = 0; g < csv.GetInt32(2) + csv.GetInt32(3); g++)
                    votes.Add(new PairwiseVote($"{home}-{away}-{g}", "agresti", home, away, g < csv.GetInt32(2) ? PairwiseChoice.Left : PairwiseChoice.Right));
            }
        Assert.Equal(273, votes.Count);

        var report = Analyse(votes);
        double LogOdds(string team) => (RatingOf(report, team) - RatingOf(report, "Baltimore")) * Math.Log(10) / 400;

        // Table 10.11, to its two decimals.
        Assert.Equal(1.58, LogOdds("Milwaukee"), 2);
        Assert.Equal(1.44, LogOdds("Detroit"), 2);
        Assert.Equal(1.29, LogOdds("Toronto"), 2);
        Assert.Equal(1.25, LogOdds("New York"), 2);
        Assert.Equal(1.11, LogOdds("Boston"), 2);
        Assert.Equal(0.68, LogOdds("Cleveland"), 2);
        // R BradleyTerry2's fit of the same data (iteratively reweighted least squares), to its four decimals.
        Assert.Equal(1.5814, LogOdds("Milwaukee"), 4);
        Assert.Equal(1.4364, LogOdds("Detroit"), 4);
        Assert.Equal(1.2945, LogOdds("Toronto"), 4);
        Assert.Equal(1.2476, LogOdds("New York"), 4);
        Assert.Equal(1.1077, LogOdds("Boston"), 4);
        Assert.Equal(0.6839, LogOdds("Cleveland"), 4);
        Assert.Equal(["Milwaukee", "Detroit", "Toronto", "New York", "Boston", "Cleveland", "Baltimore"], report.Models.Select(m => m.Model));
    }

    /// <summary>The check: the fit matches an independent implementation (Hunter's MM algorithm,
    /// <see cref="ReferenceBradleyTerry"/>) to 0.01 rating points on generated data with known ratings, ties included.</summary>
    [Fact]
    public void MatchesHuntersMmAlgorithmOnGeneratedData()
    {
        double[] truth = [1250, 1120, 1000, 980, 900, 750];
        var votes = SyntheticVotes.Generate(seed: 2024, truth, cases: 200, pairChance: 0.6, tieChance: 0.15);

        var report = Analyse(votes);
        var reference = ReferenceBradleyTerry.Ratings(votes);

        foreach (var model in report.Models) Assert.Equal(reference[model.Model], model.Rating.Value!.Value, 0.01);
        Assert.True(report.Models.Max(m => Math.Abs(reference[m.Model] - m.Rating.Value!.Value)) < 1e-6);
    }

    [Fact]
    public void RecoversKnownRatingsFromManyVotes()
    {
        double[] truth = [1200, 1100, 1000, 900, 800];
        var votes = SyntheticVotes.Generate(seed: 7, truth, cases: 1500);

        var report = Analyse(votes);

        for (var i = 0; i < truth.Length; i++)
            Assert.Equal(truth[i], RatingOf(report, SyntheticVotes.Name(i)), 15.0);
    }
}
