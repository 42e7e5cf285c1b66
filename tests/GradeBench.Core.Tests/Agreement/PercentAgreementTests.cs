using GradeBench.Core.Agreement;

namespace GradeBench.Core.Tests.Agreement;

public sealed class PercentAgreementTests
{
    [Fact]
    public void KrippendorffWorkedExampleGivesIrrCacsPercentAgreement()
    {
        // Published: R irrCAC (Gwet), README, pa.coeff.raw(cac.raw4raters) = 0.8181818; cac.raw4raters is the
        // Krippendorff (2011) matrix (Data/krippendorff-2011.md). By hand: 9 of the 11 pairable units agree fully,
        // units 2 (2, 2, 3, 2) and 8 (1, 1, 2, 1) have 6 of 12 agreeing pairs, unit 6 (1, 2, 3, 4) none:
        // (9 · 1 + 2 · 0.5 + 0) / 11 = 9/11.
        var agreement = PercentAgreement.Compute(KrippendorffAlphaTests.Krippendorff2011()).Value!.Value;

        Assert.Equal(0.8181818, agreement, 7);
        Assert.Equal(9.0 / 11, agreement, 15);
    }

    [Fact]
    public void KrippendorffWorkedExampleIsWithinOnePointInAllButOneUnitsPairs()
    {
        // By hand: every pair is within one scale point except in unit 6 (1, 2, 3, 4), where the ordered pairs
        // (1,2), (2,3), (3,4) and their reverses, 6 of 12, are: (10 + 0.5) / 11 = 21/22.
        var withinOne = PercentAgreement.WithinOne(KrippendorffAlphaTests.Krippendorff2011()).Value!.Value;

        Assert.Equal(21.0 / 22, withinOne, 15);
    }

    [Fact]
    public void EachUnitCountsOnceWhateverItsNumberOfRatings()
    {
        // Unit 1: two raters agree (1 of 1 pair); unit 2: four raters, 2 + 2 split (4 of 12 ordered pairs agree).
        // Mean of units: (1 + 1/3) / 2 = 2/3. Pooling the pairs instead would give (2 + 4) / (2 + 12) = 3/7.
        var ratings = RatingMatrix.FromTable(new string?[,] { { "a", "a", null, null }, { "a", "a", "b", "b" } });

        Assert.Equal(2.0 / 3, PercentAgreement.Compute(ratings).Value!.Value, 15);
    }

    [Fact]
    public void WithinOneCountsScalePositionsNotValues()
    {
        // On the scale 0, 5, 10 the ratings 0 and 5 are one point apart, 0 and 10 two points.
        var ratings = RatingMatrix.FromTable(new string?[,] { { "0", "5" }, { "0", "10" } }, ["0", "5", "10"]);

        Assert.Equal(0.5, PercentAgreement.WithinOne(ratings).Value);
        Assert.Equal(0.0, PercentAgreement.Compute(ratings).Value);
    }

    [Fact]
    public void UnitsWithFewerThanTwoRatingsAreLeftOut()
    {
        var ratings = RatingMatrix.FromTable(new string?[,] { { "1", "1" }, { "1", null }, { null, null }, { "1", "2" } });

        Assert.Equal(0.5, PercentAgreement.Compute(ratings).Value);
    }

    [Fact]
    public void SingleRaterIsAbsentWithAReason()
    {
        var ratings = RatingMatrix.FromTable(new string?[,] { { "1" }, { "2" } });

        Assert.Contains("two or more raters", PercentAgreement.Compute(ratings).Reason?.ToString());
        Assert.Contains("two or more raters", PercentAgreement.WithinOne(ratings).Reason?.ToString());
    }

    [Fact]
    public void NoVariationIsFullAgreement()
    {
        // Unlike alpha, percent agreement is defined without variation: every pair agrees.
        var ratings = RatingMatrix.FromTable(new string?[,] { { "2", "2" }, { "2", "2" } });

        Assert.Equal(1.0, PercentAgreement.Compute(ratings).Value);
    }

    [Fact]
    public void UnitWeightsGiveTheAgreementOfTheResampledMatrix()
    {
        var ratings = KrippendorffAlphaTests.Krippendorff2011();
        int[] indices = [5, 5, 5, 1, 7, 11, 0, 2, 2, 9, 10, 6];
        var weights = new int[ratings.UnitCount];
        foreach (var i in indices) weights[i]++;
        var resampled = ratings.Resample(indices);

        Assert.Equal(PercentAgreement.Compute(resampled).Value!.Value, PercentAgreement.Compute(ratings, weights).Value!.Value, 14);
        Assert.Equal(PercentAgreement.WithinOne(resampled).Value!.Value, PercentAgreement.WithinOne(ratings, weights).Value!.Value, 14);
    }
}
