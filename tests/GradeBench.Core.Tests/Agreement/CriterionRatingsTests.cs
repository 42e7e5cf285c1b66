using GradeBench.Core.Agreement;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Agreement;

public sealed class CriterionRatingsTests
{
    static Criterion Of(CriterionType type, double? min = null, double? max = null, params string[] options) =>
        new("c", "C", null, type, true, min, max, [], options.Select(o => new CriterionOption(o, o)).ToList());

    [Theory]
    [InlineData(CriterionType.Likert, MeasurementLevel.Ordinal)]
    [InlineData(CriterionType.Ordinal, MeasurementLevel.Ordinal)]
    [InlineData(CriterionType.Nominal, MeasurementLevel.Nominal)]
    [InlineData(CriterionType.Binary, MeasurementLevel.Nominal)]
    [InlineData(CriterionType.Numeric, MeasurementLevel.Interval)]
    public void EachCriterionTypeHasItsMeasurementLevel(CriterionType type, MeasurementLevel level) =>
        Assert.Equal(level, CriterionRatings.Level(Of(type)));

    [Fact]
    public void FreeTextHasNoLevelAndSoNoAgreement() => Assert.Null(CriterionRatings.Level(Of(CriterionType.Text)));

    [Fact]
    public void ALikertScaleListsEveryPointEvenUnused() =>
        Assert.Equal(["1", "2", "3", "4", "5"], CriterionRatings.Categories(Of(CriterionType.Likert, 1, 5), ["4"]));

    [Fact]
    public void OrdinalOptionsKeepTheRubricsOrderNotTheAlphabets() =>
        Assert.Equal(["none", "mild", "severe"], CriterionRatings.Categories(Of(CriterionType.Ordinal, options: ["none", "mild", "severe"]), ["severe"]));

    [Fact]
    public void BinaryIsFalseThenTrue() => Assert.Equal(["false", "true"], CriterionRatings.Categories(Of(CriterionType.Binary), []));

    [Fact]
    public void NumericValuesAreTheOnesSeenInNumericOrder() =>
        Assert.Equal(["2", "10", "10.5"], CriterionRatings.Categories(Of(CriterionType.Numeric, 0, 100), ["10.5", "2", "10"]));

    [Fact]
    public void TheMatrixHasResponsesAsUnitsAndRatersInIdOrderWithGapsMissing()
    {
        var criterion = Of(CriterionType.Ordinal, options: ["none", "mild", "severe"]);
        StoredRating[] ratings = [new(20, 7, "severe"), new(10, 7, "none"), new(10, 3, "mild"), new(30, 3, "none")];

        var matrix = CriterionRatings.Matrix(criterion, ratings);

        Assert.Equal(["10", "20", "30"], matrix.UnitIds);
        Assert.Equal(["3", "7"], matrix.RaterIds);
        Assert.Equal(["none", "mild", "severe"], matrix.Categories);
        Assert.Equal(1, matrix.Category(0, 0));
        Assert.Equal(0, matrix.Category(0, 1));
        Assert.Equal(RatingMatrix.Missing, matrix.Category(1, 0));
        Assert.Equal(2, matrix.Category(1, 1));
        Assert.Equal(RatingMatrix.Missing, matrix.Category(2, 1));
        Assert.Equal(4, matrix.RatingCount);
    }

    [Fact]
    public void AValueOffTheScaleIsRejectedNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => CriterionRatings.Matrix(Of(CriterionType.Likert, 1, 5), [new(1, 1, "9")]));

        Assert.Contains("\"9\"", error.Message);
    }

    [Fact]
    public void LikertPointsCarryTheirNumbersSoOrdinalAndIntervalDistancesExist() =>
        Assert.Equal([1.0, 2.0, 3.0], CriterionRatings.Matrix(Of(CriterionType.Likert, 1, 3), [new(1, 1, "2"), new(1, 2, "3")]).CategoryValues!);

    [Fact]
    public void PerfectAgreementOnTheMatrixGivesAlphaOne()
    {
        StoredRating[] ratings = [new(1, 1, "true"), new(1, 2, "true"), new(2, 1, "false"), new(2, 2, "false"), new(3, 1, "true"), new(3, 2, "true")];

        var alpha = KrippendorffAlpha.Compute(CriterionRatings.Matrix(Of(CriterionType.Binary), ratings), MeasurementLevel.Nominal);

        Assert.Equal(1.0, alpha.Value);
    }
}
