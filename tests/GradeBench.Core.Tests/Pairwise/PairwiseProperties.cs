using FsCheck.Xunit;
using GradeBench.Core.Pairwise;

namespace GradeBench.Core.Tests.Pairwise;

/// <summary>Properties of the side-by-side statistics on random votes: FsCheck draws the seed and the shape, the votes are
/// built from the seed (<see cref="SyntheticVotes"/>) so that a failure replays.</summary>
public sealed class PairwiseProperties
{
    /// <summary>2–7 models with ratings spread over ±300 points, 3–40 cases, each pair compared on a case with a chance
    /// between 0.2 and 1, ties with a chance up to 0.4: small sets often have no estimate, larger ones do.</summary>
    static List<PairwiseVote> Votes(int seed, byte models, byte cases, byte coverage, byte ties)
    {
        var random = new Random(seed);
        var ratings = Enumerable.Range(0, 2 + models % 6).Select(_ => 1000 + 600 * (random.NextDouble() - 0.5)).ToArray();
        return SyntheticVotes.Generate(seed, ratings, 3 + cases % 38, 0.2 + coverage % 9 / 10.0, ties % 5 / 10.0);
    }

    static PairwiseReport Analyse(IReadOnlyList<PairwiseVote> votes, int resamples = 0) =>
        PairwiseAnalysis.Run(votes, new PairwiseOptions { BootstrapResamples = resamples, Seed = 17 });

    /// <summary>Where the estimate exists (by brute force over subsets of models) the fit equals Hunter's MM algorithm to
    /// 10⁻⁶ rating points; where it does not, there is no rating and a reason.</summary>
    [Property(MaxTest = 150)]
    public void FitMatchesTheMmAlgorithmAndExistsExactlyWhenItShould(int seed, byte models, byte cases, byte coverage, byte ties)
    {
        var votes = Votes(seed, models, cases, coverage, ties);
        if (votes.Count == 0) return;

        var report = Analyse(votes);

        if (!ReferenceBradleyTerry.Exists(votes))
        {
            Assert.All(report.Models, m => Assert.Null(m.Rating.Value));
            Assert.All(report.Models, m => Assert.StartsWith("Pairwise_", m.Rating.Reason!.Key));
            return;
        }
        var reference = ReferenceBradleyTerry.Ratings(votes);
        foreach (var model in report.Models) Assert.Equal(reference[model.Model], model.Rating.Value!.Value, 1e-6);
    }

    [Property(MaxTest = 100)]
    public void RatingsAverageTheCentreOfTheScale(int seed, byte models, byte cases, byte coverage, byte ties)
    {
        var report = Analyse(Votes(seed, models, cases, coverage, ties));

        if (report.Models.Count > 0 && report.Models[0].Rating.Value is not null)
            Assert.Equal(BradleyTerry.CentreRating, report.Models.Average(m => m.Rating.Value!.Value), 1e-9);
    }

    /// <summary>Which side an answer was shown on does not enter the ratings or the agreement; it only mirrors the left
    /// side's share (and its interval).</summary>
    [Property(MaxTest = 60)]
    public void SwappingEverySideLeavesRatingsAndAgreementAndMirrorsThePositionShare(int seed, byte models, byte cases, byte coverage, byte ties)
    {
        var votes = Votes(seed, models, cases, coverage, ties);
        if (votes.Count == 0) return;

        var report = Analyse(votes, resamples: 100);
        var swapped = Analyse(SyntheticVotes.Swapped(votes), resamples: 100);

        Assert.Equal(report.Models.Select(m => m.Model), swapped.Models.Select(m => m.Model));
        foreach (var (a, b) in report.Models.Zip(swapped.Models))
        {
            Assert.Equal((a.Wins, a.Losses, a.Ties, a.Rank, a.Rating.Reason), (b.Wins, b.Losses, b.Ties, b.Rank, b.Rating.Reason));
            Assert.Equal(a.Rating.Value ?? double.NaN, b.Rating.Value ?? double.NaN, 1e-9);
            Assert.Equal(a.Rating.Ci95?.Lower ?? double.NaN, b.Rating.Ci95?.Lower ?? double.NaN, 1e-9);
        }
        Assert.Equal(report.Agreement, swapped.Agreement);
        Assert.Equal(report.Position.Decisive, swapped.Position.Decisive);
        if (report.Position.LeftWinShare.Value is { } share)
        {
            Assert.Equal(1 - share, swapped.Position.LeftWinShare.Value!.Value, 12);
            if (report.Position.LeftWinShare.Ci95 is { } ci)
            {
                Assert.Equal(1 - ci.Upper, swapped.Position.LeftWinShare.Ci95!.Value.Lower, 12);
                Assert.Equal(1 - ci.Lower, swapped.Position.LeftWinShare.Ci95.Value.Upper, 12);
            }
        }
    }

    /// <summary>The likelihood depends on the win counts only through their ratios, so every vote counted twice (each case
    /// copied under a new id) gives the same ratings.</summary>
    [Property(MaxTest = 60)]
    public void DoublingEveryVoteLeavesTheRatings(int seed, byte models, byte cases, byte coverage, byte ties)
    {
        var votes = Votes(seed, models, cases, coverage, ties);

        var once = Analyse(votes);
        var twice = Analyse([.. votes, .. votes.Select(v => v with { Case = v.Case + "-copy" })]);

        foreach (var (a, b) in once.Models.Zip(twice.Models))
        {
            Assert.Equal(a.Model, b.Model);
            Assert.Equal(a.Rating.Value ?? double.NaN, b.Rating.Value ?? double.NaN, 1e-7);
            Assert.Equal((2 * a.Wins, 2 * a.Losses, 2 * a.Ties), (b.Wins, b.Losses, b.Ties));
        }
    }

    /// <summary>Model names carry no weight: renaming the models (which reorders them and flips A and B in the agreement)
    /// moves each rating with its model and leaves alpha.</summary>
    [Property(MaxTest = 60)]
    public void RenamingModelsMovesRatingsWithThem(int seed, byte models, byte cases, byte coverage, byte ties)
    {
        var votes = Votes(seed, models, cases, coverage, ties);
        static string Renamed(string model) => "z-" + (char)('z' - model[^1] + 'a');

        var report = Analyse(votes);
        var renamed = Analyse(votes.Select(v => v with { Left = Renamed(v.Left), Right = Renamed(v.Right) }).ToList());

        foreach (var model in report.Models)
        {
            var same = renamed.Models.Single(m => m.Model == Renamed(model.Model));
            Assert.Equal(model.Rating.Value ?? double.NaN, same.Rating.Value ?? double.NaN, 1e-9);
        }
        Assert.Equal(report.Agreement.Alpha.Value ?? double.NaN, renamed.Agreement.Alpha.Value ?? double.NaN, 1e-12);
    }
}
