using GradeBench.Core.Agreement;

namespace GradeBench.Core.Results;

/// <summary>One criterion's line of the agreement matrix: the <see cref="Headline"/> coefficient and, beside it, the
/// coefficients a reader most often asks for (null where the data give none).</summary>
public sealed record AgreementSummaryRow(CriterionResult Criterion, Metric? Headline, Metric? Percent, Metric? Gwet, Metric? Fleiss,
    int Units, int Raters)
{
    public string? Reading => Headline is { } h ? AgreementReading.Of(h.Name, h.Estimate.Value) : null;
}

/// <summary>The agreement matrix of the results page and the report (docs/results.md, "Agreement at a glance").
/// Headline: Krippendorff's alpha at the criterion's level of measurement, the one coefficient that takes any number of
/// raters, missing ratings and every level with the same meaning (Hayes &amp; Krippendorff 2007, <i>Communication
/// Methods and Measures</i> 1:77–89), so criteria of one study compare on one scale. Beside it: percent agreement
/// (what the coefficient corrects), Gwet's AC1 (nominal) or AC2 (linear weights for ordinal, quadratic for interval
/// and ratio: Gwet 2014, ch. 3), which stays near the observed agreement when one category dominates, and Fleiss'
/// kappa, the coefficient most clinical papers report.</summary>
public static class AgreementSummary
{
    /// <summary>The headline coefficient's id for a level: <c>krippendorff_alpha_{level}</c>.</summary>
    public static string HeadlineMetric(MeasurementLevel level) => level switch
    {
        MeasurementLevel.Nominal => "krippendorff_alpha_nominal",
        MeasurementLevel.Ordinal => "krippendorff_alpha_ordinal",
        MeasurementLevel.Interval => "krippendorff_alpha_interval",
        _ => "krippendorff_alpha_ratio",
    };

    /// <summary>Gwet's coefficient beside the headline: AC1 (nominal), AC2 linear (ordinal), AC2 quadratic (above).</summary>
    public static string GwetMetric(MeasurementLevel level) => level switch
    {
        MeasurementLevel.Nominal => "gwet_ac1",
        MeasurementLevel.Ordinal => "gwet_ac2_linear",
        _ => "gwet_ac2_quadratic",
    };

    public static IReadOnlyList<AgreementSummaryRow> Rows(IEnumerable<CriterionResult> agreement) => agreement.Select(c =>
    {
        var report = c.Agreement.Coefficients;
        Metric? Find(string name) => report.Metrics.FirstOrDefault(m => m.Name == name);
        return new AgreementSummaryRow(c, Find(HeadlineMetric(c.Level)), Find("percent_agreement"), Find(GwetMetric(c.Level)),
            Find("fleiss_kappa"), report.Units - report.UnitsLeftOut, report.Raters);
    }).ToList();
}
