namespace GradeBench.Core.Results;

/// <summary>The names people read for the coefficient ids of the agreement table (the results page, the report).</summary>
public static class MetricNames
{
    static readonly Dictionary<string, string> Names = new()
    {
        ["percent_agreement"] = "Percent agreement",
        ["percent_agreement_within_1"] = "Percent agreement within one point",
        ["cohen_kappa"] = "Cohen's kappa",
        ["weighted_kappa_linear"] = "Weighted kappa, linear",
        ["weighted_kappa_quadratic"] = "Weighted kappa, quadratic",
        ["fleiss_kappa"] = "Fleiss' kappa",
        ["randolph_kappa"] = "Randolph's kappa",
        ["krippendorff_alpha_nominal"] = "Krippendorff's α, nominal",
        ["krippendorff_alpha_ordinal"] = "Krippendorff's α, ordinal",
        ["krippendorff_alpha_interval"] = "Krippendorff's α, interval",
        ["krippendorff_alpha_ratio"] = "Krippendorff's α, ratio",
        ["gwet_ac1"] = "Gwet's AC1",
        ["gwet_ac2_linear"] = "Gwet's AC2, linear",
        ["gwet_ac2_quadratic"] = "Gwet's AC2, quadratic",
        ["kendall_w"] = "Kendall's W",
        ["icc1"] = "ICC(1,1), single rating",
        ["icc2"] = "ICC(2,1), absolute agreement of a single rating",
        ["icc3"] = "ICC(3,1), consistency of a single rating",
        ["icc1k"] = "ICC(1,k), mean of k ratings",
        ["icc2k"] = "ICC(2,k), absolute agreement of the mean of k ratings",
        ["icc3k"] = "ICC(3,k), consistency of the mean of k ratings",
    };

    // Beside a number in the agreement matrix, whose column already names the coefficient's family.
    static readonly Dictionary<string, string> ShortNames = new()
    {
        ["krippendorff_alpha_nominal"] = "α nominal",
        ["krippendorff_alpha_ordinal"] = "α ordinal",
        ["krippendorff_alpha_interval"] = "α interval",
        ["krippendorff_alpha_ratio"] = "α ratio",
        ["gwet_ac1"] = "AC1",
        ["gwet_ac2_linear"] = "AC2 linear",
        ["gwet_ac2_quadratic"] = "AC2 quadratic",
    };

    /// <summary>The readable name of <paramref name="metric"/>, or the id itself when it has none.</summary>
    public static string Of(string metric) => Names.GetValueOrDefault(metric) ?? metric;

    /// <summary>A short name (<c>α ordinal</c>, <c>AC2 linear</c>), else the readable one.</summary>
    public static string Short(string metric) => ShortNames.GetValueOrDefault(metric) ?? Of(metric);
}
