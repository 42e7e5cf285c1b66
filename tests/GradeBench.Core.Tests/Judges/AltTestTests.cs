using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;

namespace GradeBench.Core.Tests.Judges;

public sealed class AltTestTests
{
    internal static RatingMatrix Fixture(string file, MeasurementLevel level, IReadOnlyList<string>? categories = null)
    {
        using var reader = new StreamReader(Path.Combine(TestPaths.RepositoryRoot, "tests", "GradeBench.Core.Tests", "Judges", "Data", file));
        return RatingsCsv.Read(reader, level, categories);
    }

    internal static (int Judge, int[] Physicians) Columns(RatingMatrix ratings, string judge, params string[] otherJudges)
    {
        var ids = ratings.RaterIds.ToList();
        return (ids.IndexOf(judge), Enumerable.Range(0, ids.Count).Where(r => ids[r] != judge && !otherJudges.Contains(ids[r])).ToArray());
    }

    static AltTestResult Run(RatingMatrix ratings, string judge, string otherJudge, AltTestScoring scoring, double epsilon)
    {
        var (j, physicians) = Columns(ratings, judge, otherJudge);
        double[]? numbers = scoring == AltTestScoring.NegRmse ? Enumerable.Range(0, ratings.CategoryCount).Select(i => (double)i).ToArray() : null;
        return AltTest.Run(ratings, j, physicians, scoring, epsilon, numbers: numbers);
    }

    static void AssertHuman(AltTestResult result, string human, int instances, double? p, bool rejected)
    {
        var row = result.Humans.Single(h => h.Human == human);
        Assert.Equal(instances, row.Instances);
        if (p is { } expected) Assert.Equal(expected, row.PValue!.Value, 1e-10);
        else Assert.Null(row.PValue);
        Assert.Equal(rejected, row.Rejected);
    }

    // The expected values are those of the authors' reference code on the same files (Data/alt-test-fixtures.md).

    [Fact]
    public void AccuracyReproducesTheAuthorsCodeAtEpsilonTwoTenths()
    {
        var result = Run(Fixture("alt-test-nominal.csv", MeasurementLevel.Nominal), "judge", "weak", AltTestScoring.Accuracy, 0.2);

        AssertHuman(result, "p1", 59, 0.0010170090981860304, true);
        AssertHuman(result, "p2", 62, 0.13184976913855337, false);
        AssertHuman(result, "p3", 61, 0.001937937752049991, true);
        AssertHuman(result, "p4", 58, 0.014248787699849712, true);
        AssertHuman(result, "p5", 20, null, false);
        Assert.Equal((4, 3), (result.HumansTested, result.Rejections));
        Assert.Equal(0.75, result.WinningRate);
        Assert.Equal(0.8462004802347456, result.AdvantageProbability!.Value, 1e-12);
        Assert.True(result.Passed);
        Assert.Equal("20 instances, fewer than the 30 the test needs: not tested", result.Humans.Single(h => h.Human == "p5").NotTested?.ToString());
    }

    [Fact]
    public void AStricterEpsilonReproducesTheAuthorsCodeWithNoRejection()
    {
        var result = Run(Fixture("alt-test-nominal.csv", MeasurementLevel.Nominal), "judge", "weak", AltTestScoring.Accuracy, 0.1);

        AssertHuman(result, "p1", 59, 0.07402978587774288, false);
        AssertHuman(result, "p2", 62, 0.6769561441368259, false);
        AssertHuman(result, "p3", 61, 0.05565497792160352, false);
        AssertHuman(result, "p4", 58, 0.18870474937370973, false);
        Assert.Equal(0.0, result.WinningRate);
        Assert.Equal(0.8462004802347456, result.AdvantageProbability!.Value, 1e-12);
        Assert.False(result.Passed);
    }

    [Fact]
    public void AJudgeOfHalfTheResponsesLeavesPhysiciansWithTooFewInstancesUntested()
    {
        var result = Run(Fixture("alt-test-nominal.csv", MeasurementLevel.Nominal), "weak", "judge", AltTestScoring.Accuracy, 0.2);

        AssertHuman(result, "p1", 31, 0.6126874285359458, false);
        AssertHuman(result, "p2", 33, 0.312931325404914, false);
        AssertHuman(result, "p3", 30, 0.26388656181418824, false);
        AssertHuman(result, "p4", 26, null, false);
        AssertHuman(result, "p5", 10, null, false);
        Assert.Equal((3, 0.0), (result.HumansTested, result.WinningRate));
        Assert.Equal(0.7553926360377975, result.AdvantageProbability!.Value, 1e-12);
    }

    [Theory]
    [InlineData(0.2, 0.00019135406894744354, 0.0005606203372105025, 0.0014422058095926581, 1.0)]
    // p₍₁₎ = 0.0109 > q/(3·c(3)) = 0.0091 and no larger rank passes either: Benjamini–Yekutieli rejects none.
    [InlineData(0.1, 0.010939353998774432, 0.022127920919551614, 0.04037416694687636, 0.0)]
    public void NegRmseReproducesTheAuthorsCode(double epsilon, double p1, double p2, double p3, double winningRate)
    {
        var result = Run(Fixture("alt-test-ordinal.csv", MeasurementLevel.Ordinal), "judge", "none", AltTestScoring.NegRmse, epsilon);

        AssertHuman(result, "p1", 60, p1, winningRate == 1);
        AssertHuman(result, "p2", 60, p2, winningRate == 1);
        AssertHuman(result, "p3", 60, p3, winningRate == 1);
        Assert.Equal(winningRate, result.WinningRate);
        Assert.Equal(0.8666666666666667, result.AdvantageProbability!.Value, 1e-12);
    }

    /// <summary>Three physicians and a judge on two responses, worked by hand. Response 1: a, a, b and judge a; response
    /// 2: a, b, b and judge b. Leaving out physician 1 (a, a): the others are (a, b) and (b, b); accuracy 1/2 vs 1/2
    /// (tie: d = 0, W_judge = 1), then 0 vs 1 (d = −1, W_judge = 1). Physician 2 (a, b): others (a, b), (a, b): ties
    /// both times. Physician 3 (b, b): others (a, a), (a, b): 0 vs 1 (d = −1), then 1/2 vs 1/2 (d = 0).</summary>
    [Fact]
    public void TiesCountForBothAndTheJudgeAdvantageIsTheShareOfItsWins()
    {
        var ratings = RatingMatrix.FromTable(new string?[,] { { "a", "a", "b", "a" }, { "a", "b", "b", "b" } });

        var result = AltTest.Run(ratings, 3, [0, 1, 2], AltTestScoring.Accuracy, 0.2, minInstances: 2);

        Assert.All(result.Humans, h => Assert.Equal((2, 1.0), (h.Instances, h.JudgeAdvantage!.Value)));
        // d = (0, −1): mean −0.5, sd 0.7071, t = (−0.5 − 0.2)/(0.7071/√2) = −1.4, one degree of freedom.
        var expected = 0.5 + Math.Atan(-1.4) / Math.PI;
        Assert.Equal(expected, result.Humans[0].PValue!.Value, 12);
        Assert.Equal(expected, result.Humans[2].PValue!.Value, 12);
        // d = (0, 0): sd = 0 and mean 0 < ε, so p = 0.
        Assert.Equal(0, result.Humans[1].PValue);
    }

    [Theory]
    [InlineData(new[] { -1, -1, -1 }, 0.2, 0.0)]
    [InlineData(new[] { 1, 1, 1 }, 0.2, 1.0)]
    [InlineData(new[] { 0, 0 }, 0.0, 1.0)] // mean(d) = ε: H0 holds, p = 1
    public void WithoutVariationThePValueIsZeroOrOne(int[] differences, double epsilon, double p) =>
        Assert.Equal(p, AltTest.OneSidedPValue(differences, epsilon));

    [Fact]
    public void NoPhysicianWithEnoughInstancesLeavesTheRatesUndefined()
    {
        var ratings = RatingMatrix.FromTable(new string?[,] { { "a", "a", "a" }, { "a", "b", "b" } });

        var result = AltTest.Run(ratings, 2, [0, 1], AltTestScoring.Accuracy);

        Assert.Equal((0, (double?)null, (double?)null, false), (result.HumansTested, result.WinningRate, result.AdvantageProbability, result.Passed));
        Assert.Equal("no physician has 30 or more responses rated by the judge, by them and by another physician, so no physician could be tested", result.Reason?.ToString());
    }
}
