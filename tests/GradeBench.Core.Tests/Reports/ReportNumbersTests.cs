using GradeBench.Core.Agreement;
using GradeBench.Core.Reports;

namespace GradeBench.Core.Tests.Reports;

/// <summary>The one way the results page, the dashboard and the report write each kind of number.</summary>
public sealed class ReportNumbersTests
{
    [Theory]
    [InlineData(0.71249, "0.712")]
    [InlineData(0.7125, "0.713")]
    [InlineData(-0.05, "-0.050")]
    [InlineData(1, "1.000")]
    public void CoefficientsHaveThreeDecimals(double value, string text) => Assert.Equal(text, ReportNumbers.Coefficient(value));

    [Fact]
    public void ACoefficientIntervalJoinsItsBoundsWithTo() =>
        Assert.Equal("0.612 to 0.801", ReportNumbers.CoefficientInterval(0.6123, 0.8009));

    [Theory]
    [InlineData(3.254, "3.25")]
    [InlineData(3.0, "3.00")]
    [InlineData(1234.5, "1234.50")]
    public void ValuesHaveTwoDecimalsAndNoThousandsSeparator(double value, string text) => Assert.Equal(text, ReportNumbers.Value(value));

    [Theory]
    [InlineData(1044.12, "1044.1")]
    [InlineData(1044.16, "1044.2")]
    [InlineData(1000, "1000.0")]
    [InlineData(922.3, "922.3")]
    public void RatingsHaveOneDecimalAndNoThousandsSeparator(double rating, string text) => Assert.Equal(text, ReportNumbers.Rating(rating));

    [Fact]
    public void ARatingIntervalJoinsItsBoundsAsTheLanguageWritesARange()
    {
        var ci = new ConfidenceInterval(1002.40, 1085.74);

        Assert.Equal("1002.4 to 1085.7", ReportNumbers.RatingInterval(ci));
        Assert.Equal("1002.4–1085.7", ReportNumbers.RatingInterval(ci, ReportText.Chinese));
    }

    [Fact]
    public void AnEstimateWithoutValueOrIntervalIsADash()
    {
        Assert.Equal("—", ReportNumbers.Value((Estimate?)null));
        Assert.Equal("—", ReportNumbers.Value(Estimate.Absent(AbsentReason.NoRatings)));
        Assert.Equal("—", ReportNumbers.Interval(Estimate.Of(3.2)));
        Assert.Equal("—", ReportNumbers.Interval(null));
    }

    [Fact]
    public void AnEstimateShowsItsValueAndIntervalToTwoDecimals()
    {
        var estimate = Estimate.Of(3.256, new ConfidenceInterval(3.1, 3.404));

        Assert.Equal("3.26", ReportNumbers.Value(estimate));
        Assert.Equal("3.10 to 3.40", ReportNumbers.Interval(estimate));
    }

    [Theory]
    [InlineData(0.25, "+0.25")]
    [InlineData(-0.25, "−0.25")]
    [InlineData(0.0, "0.00")]
    [InlineData(0.001, "0.00")]
    [InlineData(-0.001, "0.00")]
    public void SignedDifferencesUseATrueMinusSignAndNoneForWhatRoundsToZero(double value, string text) => Assert.Equal(text, ReportNumbers.Signed(value));

    [Fact]
    public void ADifferencesIntervalKeepsTheSignOfEachEnd()
    {
        var ci = new ConfidenceInterval(-0.1, 0.254);

        Assert.Equal("−0.10 to +0.25", ReportNumbers.SignedInterval(ci));
        Assert.Equal("−0.10–+0.25", ReportNumbers.SignedInterval(ci, ReportText.Chinese));
    }

    [Theory]
    [InlineData(0.424, "42%")]
    [InlineData(0.426, "43%")]
    [InlineData(1.0, "100%")]
    [InlineData(null, "—")]
    public void SharesAreWholePercentages(double? share, string text) => Assert.Equal(text, ReportNumbers.Percent(share));

    [Theory]
    [InlineData(0, 0, "0%")]
    [InlineData(1, 3, "33%")]
    [InlineData(2, 3, "67%")]
    [InlineData(1, 200, "1%")]
    public void APartOfAWholeIsAWholePercentageAndNothingIsZero(long part, long whole, string text) =>
        Assert.Equal(text, ReportNumbers.Percent(part, whole));

    [Fact]
    public void AShareIntervalIsTwoPercentages() =>
        Assert.Equal("30% to 55%", ReportNumbers.PercentInterval(new ConfidenceInterval(0.3, 0.549)));

    [Theory]
    [InlineData(0.0004, "< 0.001")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.04567, "0.046")]
    [InlineData(1.0, "1.000")]
    public void PValuesHaveThreeDecimalsAndABound(double p, string text) => Assert.Equal(text, ReportNumbers.PValue(p));

    [Theory]
    [InlineData(42.0, "42")]
    [InlineData(42.5, "42.5")]
    public void TestStatisticsHaveAtMostOneDecimal(double value, string text) => Assert.Equal(text, ReportNumbers.Statistic(value));

    [Theory]
    [InlineData(7, "7")]
    [InlineData(1000, "1,000")]
    [InlineData(1234567, "1,234,567")]
    public void CountsHaveThousandsSeparators(int n, string text) => Assert.Equal(text, ReportNumbers.Count(n));

    [Theory]
    [InlineData(95.4, "95 s")]
    [InlineData(119.4, "119 s")]
    [InlineData(150, "2.5 min")]
    [InlineData(3600, "60.0 min")]
    public void DurationsAreSecondsBelowTwoMinutesElseMinutes(double seconds, string text) => Assert.Equal(text, ReportNumbers.Duration(seconds));

    [Fact]
    public void SecondsStaySecondsHoweverLong() => Assert.Equal("150 s", ReportNumbers.Seconds(150));
}
