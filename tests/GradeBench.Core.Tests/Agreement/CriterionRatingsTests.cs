using GradeBench.Core.Agreement;
using GradeBench.Core.Rubrics;

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

    [Fact]
    public void TheUnitMatrixPutsEachUnitsRatingsInItsFirstColumns()
    {
        var criterion = Of(CriterionType.Ordinal, options: ["none", "mild", "severe"]);
        StoredRating[] ratings = [new(20, 7, "severe"), new(10, 7, "none"), new(10, 3, "mild"), new(30, 3, "none")];

        var matrix = CriterionRatings.UnitMatrix(criterion, ratings);

        Assert.Equal(["10", "20", "30"], matrix.UnitIds);
        Assert.Equal(2, matrix.RaterCount);
        Assert.Equal([1, 0], matrix.UnitRow(0).ToArray());
        Assert.Equal([2, RatingMatrix.Missing], matrix.UnitRow(1).ToArray());
        Assert.Equal([0, RatingMatrix.Missing], matrix.UnitRow(2).ToArray());
    }

    /// <summary>200 raters, 3 per response, as in the load test: alpha and its bootstrap interval do not depend on
    /// which column a rating is in, only on each unit's counts.</summary>
    [Theory]
    [InlineData(CriterionType.Likert, MeasurementLevel.Ordinal)]
    [InlineData(CriterionType.Likert, MeasurementLevel.Interval)]
    [InlineData(CriterionType.Binary, MeasurementLevel.Nominal)]
    public void AlphaAndItsIntervalOnTheUnitMatrixEqualThoseOnThePerRaterMatrix(CriterionType type, MeasurementLevel level)
    {
        var criterion = Of(type, 1, 5);
        var random = new Random(8);
        var ratings = new List<StoredRating>();
        for (var unit = 1; unit <= 300; unit++)
            foreach (var rater in Enumerable.Range(1, 200).OrderBy(_ => random.Next()).Take(unit % 7 == 0 ? 1 : 3))
                ratings.Add(new(unit, rater, type == CriterionType.Binary ? (random.Next(3) == 0 ? "true" : "false") : random.Next(1, 6).ToString()));

        var perRater = CriterionRatings.Matrix(criterion, ratings);
        var perUnit = CriterionRatings.UnitMatrix(criterion, ratings);

        Assert.Equal(3, perUnit.RaterCount);
        Assert.Equal(KrippendorffAlpha.PairableUnits(perRater), KrippendorffAlpha.PairableUnits(perUnit));
        Assert.Equal(KrippendorffAlpha.Compute(perRater, level).Value, KrippendorffAlpha.Compute(perUnit, level).Value);
        Assert.Equal(Bootstrap.PercentileInterval(perRater.UnitCount, w => KrippendorffAlpha.Compute(perRater, level, w).Value),
            Bootstrap.PercentileInterval(perUnit.UnitCount, w => KrippendorffAlpha.Compute(perUnit, level, w).Value));
    }
}
