using GradeBench.Core.Agreement;

namespace GradeBench.Core.Tests.Agreement;

public sealed class CriterionAgreementTests
{
    // 4 units × 3 raters on a 1..3 scale; rater C always one point above A, B misses unit 4.
    static readonly RatingMatrix Ratings = RatingMatrix.FromTable(new string?[,]
    {
        { "1", "1", "2" },
        { "2", "2", "3" },
        { "1", "2", "2" },
        { "2", null, "3" },
    });

    [Fact]
    public void PairwiseAgreementIsTheShareOfSharedUnitsWithTheSameCategory()
    {
        var matrix = CriterionAgreement.PairwiseAgreement(Ratings);

        Assert.Equal(2.0 / 3, matrix[0, 1].Value!.Value, 12); // A,B share units 1-3, agree on 1 and 2
        Assert.Equal(matrix[0, 1], matrix[1, 0]);
        Assert.Equal(0.0, matrix[0, 2].Value);
        Assert.Equal(1.0 / 3, matrix[1, 2].Value!.Value, 12);
        Assert.Equal(1.0, matrix[1, 1].Value);
    }

    [Fact]
    public void BiasIsTheMeanDifferenceFromTheOtherRatersOnSharedUnits()
    {
        var bias = CriterionAgreement.Bias(Ratings, MeasurementLevel.Interval);

        // C: unit1 2-(1+1)/2=1, unit2 3-2=1, unit3 2-1.5=0.5, unit4 3-2=1 → 3.5/4
        Assert.Equal(0.875, bias[2].MeanDifference.Value!.Value, 12);
        Assert.Equal(4, bias[2].Units);
        // A: -0.5, -0.5, -1, -1 → -0.75
        Assert.Equal(-0.75, bias[0].MeanDifference.Value!.Value, 12);
        Assert.All(bias, b => Assert.NotNull(b.MeanDifference.Value));
    }

    [Fact]
    public void NominalDataHaveNoBias()
    {
        var bias = CriterionAgreement.Bias(Ratings, MeasurementLevel.Nominal);

        Assert.All(bias, b => Assert.Null(b.MeanDifference.Value));
    }

    [Fact]
    public void ReportCarriesCoefficientsRatersAndConfusion()
    {
        var report = CriterionAgreement.Run(Ratings, MeasurementLevel.Ordinal, bootstrapResamples: 0);
        var confusion = CriterionAgreement.Confusion(Ratings, 0, 2);

        Assert.Equal(["1", "2", "3"], report.Raters);
        Assert.NotNull(report.Coefficients["krippendorff_alpha_ordinal"]);
        Assert.Equal(2, confusion[0, 1]); // A=1, C=2 on units 1 and 3
        Assert.Equal(4, confusion.Cast<int>().Sum());
    }
}
