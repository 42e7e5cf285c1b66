using GradeBench.Core.Results;

namespace GradeBench.Core.Tests.Results;

public sealed class AgreementReadingTests
{
    [Theory]
    [InlineData(0.800, "Krippendorff 2004: reliable")]
    [InlineData(0.7999, "Krippendorff 2004: tentative conclusions")]
    [InlineData(0.667, "Krippendorff 2004: tentative conclusions")]
    [InlineData(0.6669, "Krippendorff 2004: unreliable")]
    [InlineData(-0.2, "Krippendorff 2004: unreliable")]
    public void AlphaIsReadWithKrippendorffsThresholds(double alpha, string reading)
    {
        Assert.Equal(reading, AgreementReading.Of("krippendorff_alpha_ordinal", alpha));
        Assert.Equal(reading, AgreementReading.Of("krippendorff_alpha_nominal", alpha));
    }

    [Theory]
    [InlineData(-0.01, "poor")]
    [InlineData(0.0, "slight")]
    [InlineData(0.20, "slight")]
    [InlineData(0.21, "fair")]
    [InlineData(0.40, "fair")]
    [InlineData(0.41, "moderate")]
    [InlineData(0.61, "substantial")]
    [InlineData(0.80, "substantial")]
    [InlineData(0.81, "almost perfect")]
    [InlineData(1.0, "almost perfect")]
    public void KappaTypeCoefficientsAreReadWithLandisAndKochsBands(double kappa, string band)
    {
        foreach (var metric in new[] { "cohen_kappa", "weighted_kappa_quadratic", "fleiss_kappa", "randolph_kappa", "gwet_ac1", "gwet_ac2_linear" })
            Assert.Equal($"Landis & Koch 1977: {band}", AgreementReading.Of(metric, kappa));
    }

    [Fact]
    public void PercentAgreementIccKendallAndMissingValuesHaveNoReading()
    {
        Assert.Null(AgreementReading.Of("percent_agreement", 0.9));
        Assert.Null(AgreementReading.Of("icc2", 0.9));
        Assert.Null(AgreementReading.Of("kendall_w", 0.9));
        Assert.Null(AgreementReading.Of("krippendorff_alpha_ordinal", null));
    }
}
