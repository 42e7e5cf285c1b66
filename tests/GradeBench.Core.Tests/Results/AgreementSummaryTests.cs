using GradeBench.Core.Agreement;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Results;

/// <summary>The agreement matrix's choice of coefficients per criterion, on three raters of four responses.</summary>
public sealed class AgreementSummaryTests
{
    static readonly Criterion Scale = new("scale", "Scale", null, CriterionType.Likert, true, 1, 5, [], []);
    static readonly Criterion Flag = new("flag", "Flag", null, CriterionType.Binary, true, null, null, [], []);
    static readonly Criterion Score = new("score", "Score", null, CriterionType.Numeric, true, 0, 10, [], []);

    static IReadOnlyList<AgreementSummaryRow> Rows()
    {
        string[][] values = [["1", "2", "4", "5"], ["1", "3", "4", "5"], ["2", "2", "4", "4"]];
        var ratings = new List<ResultRating>();
        for (var rater = 0; rater < 3; rater++)
            for (var response = 0; response < 4; response++)
            {
                var v = values[rater][response];
                ratings.Add(new(1, response + 1, 10 + rater, v));
                ratings.Add(new(2, response + 1, 10 + rater, int.Parse(v) > 3 ? "true" : "false"));
                ratings.Add(new(3, response + 1, 10 + rater, v));
            }
        return AgreementSummary.Rows(StudyResults.Agreement([new(1, Scale), new(2, Flag), new(3, Score)], ratings, resamples: 50, seed: 1));
    }

    [Fact]
    public void TheHeadlineIsKrippendorffsAlphaAtTheCriterionsLevel() =>
        Assert.Equal(["krippendorff_alpha_ordinal", "krippendorff_alpha_nominal", "krippendorff_alpha_interval"], Rows().Select(r => r.Headline!.Name));

    [Fact]
    public void GwetsCoefficientBesideItIsWeightedForOrderedLevels() =>
        Assert.Equal(["gwet_ac2_linear", "gwet_ac1", "gwet_ac2_quadratic"], Rows().Select(r => r.Gwet!.Name));

    [Fact]
    public void TheRowCarriesPercentAgreementFleissKappaAndTheHeadlinesReading()
    {
        var flag = Rows()[1];

        Assert.Equal(1.0, flag.Percent!.Estimate.Value);
        Assert.Equal("fleiss_kappa", flag.Fleiss!.Name);
        Assert.Equal("Krippendorff 2004: reliable", flag.Reading);
        Assert.Equal((4, 3), (flag.Units, flag.Raters));
    }

    [Theory]
    [InlineData(MeasurementLevel.Nominal, "α nominal")]
    [InlineData(MeasurementLevel.Ordinal, "α ordinal")]
    [InlineData(MeasurementLevel.Interval, "α interval")]
    public void TheHeadlineHasAShortName(MeasurementLevel level, string name) =>
        Assert.Equal(name, MetricNames.Short(AgreementSummary.HeadlineMetric(level)));
}
