using GradeBench.Core.Calibration;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Calibration;

public sealed class GoldComparisonTests
{
    static readonly Criterion Likert = new("consensus", "Consensus", null, CriterionType.Likert, true, 1, 5, [], []);
    static readonly Criterion Numeric = new("minutes", "Minutes", null, CriterionType.Numeric, false, 0, 60, [], []);
    static readonly Criterion Ordinal = new("harm", "Harm", null, CriterionType.Ordinal, true, null, null, [],
        [new("none", "None"), new("mild", "Mild"), new("severe", "Severe")]);

    [Fact]
    public void LikertAndNumericDistancesAreAbsoluteDifferences()
    {
        Assert.Equal(new GoldDistance("consensus", "2", "5", false, 3), GoldComparison.Compare(Likert, "2", "5"));
        Assert.Equal(new GoldDistance("minutes", "12.5", "10", false, 2.5), GoldComparison.Compare(Numeric, "12.5", "10"));
        Assert.Equal(0, GoldComparison.Compare(Likert, "4", "4").Distance);
    }

    [Fact]
    public void ANumericDistanceIsTheExactDifferenceRoundedOnce()
    {
        // |0.3 − 0.1| is 0.2; subtracting the doubles gives 0.19999999999999998.
        Assert.Equal(0.2, GoldComparison.Compare(Numeric, "0.3", "0.1").Distance);
        Assert.Equal(1e30, GoldComparison.Compare(Numeric, "1E+30", "0").Distance);
    }

    [Fact]
    public void CategoricalValuesOnlyMatchOrNot()
    {
        Assert.Equal(new GoldDistance("harm", "severe", "none", false, null), GoldComparison.Compare(Ordinal, "severe", "none"));
        Assert.True(GoldComparison.Compare(Ordinal, "mild", "mild").Match);
    }

    [Fact]
    public void AResultIsTheShareOfExactMatchesAndTheMeanLikertDistance()
    {
        var result = GoldComparison.Summarize(7, "Dr A", 2,
        [
            (CriterionType.Likert, GoldComparison.Compare(Likert, "2", "5")),
            (CriterionType.Likert, GoldComparison.Compare(Likert, "4", "4")),
            (CriterionType.Ordinal, GoldComparison.Compare(Ordinal, "mild", "mild")),
            (CriterionType.Ordinal, GoldComparison.Compare(Ordinal, "none", "mild")),
        ]);

        Assert.Equal((4, 2, 0.5, 2, (double?)1.5), (result.Compared, result.Exact, result.ExactShare!.Value, result.LikertCompared, result.MeanLikertDistance));
    }

    [Fact]
    public void NoComparisonsGiveNoFigures()
    {
        var result = GoldComparison.Summarize(7, "Dr A", 0, []);

        Assert.Null(result.ExactShare);
        Assert.Null(result.MeanLikertDistance);
    }
}
