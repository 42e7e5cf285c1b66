namespace GradeBench.Core.Results;

/// <summary>The conventional verbal reading of an agreement coefficient. These are conventions, not properties of the
/// data: Krippendorff's (2004, <i>Content Analysis</i>, 2nd ed., ch. 11) thresholds for alpha — α ≥ .800 reliable,
/// .667 ≤ α &lt; .800 tentative conclusions only, below .667 unreliable — and Landis &amp; Koch's (1977, <i>Biometrics</i>
/// 33:159–174) bands for kappa-type coefficients (Cohen's, weighted, Fleiss', Randolph's kappa and Gwet's AC1/AC2):
/// &lt; 0 poor, 0–.20 slight, .21–.40 fair, .41–.60 moderate, .61–.80 substantial, .81–1 almost perfect.
/// Other coefficients (percent agreement, ICC, Kendall's W) get no reading.</summary>
public static class AgreementReading
{
    public const string Krippendorff = "Krippendorff 2004";
    public const string LandisKoch = "Landis & Koch 1977";

    /// <summary>"&lt;convention&gt;: &lt;reading&gt;", or null when no convention applies or there is no value.</summary>
    public static string? Of(string metric, double? value)
    {
        if (value is not { } v) return null;
        if (metric.StartsWith("krippendorff_alpha", StringComparison.Ordinal))
            return $"{Krippendorff}: " + (v >= 0.800 ? "reliable" : v >= 0.667 ? "tentative conclusions" : "unreliable");
        if (metric.Contains("kappa", StringComparison.Ordinal) || metric.StartsWith("gwet_ac", StringComparison.Ordinal))
            return $"{LandisKoch}: " + LandisKochBand(v);
        return null;
    }

    // The published bands are written to two decimals (.21–.40); a value between them, like 0.205, goes to the band
    // whose upper bound it does not exceed.
    static string LandisKochBand(double v) => v switch
    {
        < 0 => "poor",
        <= 0.20 => "slight",
        <= 0.40 => "fair",
        <= 0.60 => "moderate",
        <= 0.80 => "substantial",
        _ => "almost perfect",
    };
}
