using System.Globalization;
using GradeBench.Core.Agreement;

namespace GradeBench.Core.Reports;

/// <summary>How the results page, the dashboard and the study report write numbers, so the three show the same text for
/// the same value. Invariant culture throughout (a point for decimals, a comma for thousands); <see cref="None"/> where
/// there is no value.</summary>
public static class ReportNumbers
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The cell of a missing value.</summary>
    public const string None = "—";

    /// <summary>An agreement coefficient or a proportion of agreement, to three decimals: <c>0.712</c>.</summary>
    public static string Coefficient(double value) => value.ToString("0.000", Invariant);

    /// <summary>A coefficient's 95% interval: <c>0.612 to 0.801</c> (in Chinese <c>0.612–0.801</c>, as Chinese tables write a range).</summary>
    public static string CoefficientInterval(double lower, double upper, CultureInfo? language = null) =>
        Between(Coefficient(lower), Coefficient(upper), language);

    /// <summary>A mean, a median or a charted value, to two decimals: <c>3.25</c>.</summary>
    public static string Value(double value) => Fixed(value, 2);

    /// <summary>A value to <paramref name="decimals"/> decimals (<c>0.00</c> for two), as a chart writes its ticks.</summary>
    public static string Fixed(double value, int decimals) =>
        value.ToString(decimals > 0 ? "0." + new string('0', decimals) : "0", Invariant);

    /// <summary>A Bradley–Terry rating on the Arena scale, to one decimal as <c>gradebench pairwise</c> prints it: <c>1044.1</c>.</summary>
    public static string Rating(double rating) => Fixed(rating, RatingDecimals);

    public const int RatingDecimals = 1;

    /// <summary>A rating's 95% interval: <c>1002.4 to 1085.7</c> (in Chinese <c>1002.4–1085.7</c>).</summary>
    public static string RatingInterval(ConfidenceInterval ci, CultureInfo? language = null) =>
        Between(Rating(ci.Lower), Rating(ci.Upper), language);

    /// <summary>An estimate's value to two decimals, or <see cref="None"/>.</summary>
    public static string Value(Estimate? estimate) => estimate?.Value is { } v ? Value(v) : None;

    /// <summary>An estimate's 95% interval to two decimals (<c>3.10 to 3.40</c>), or <see cref="None"/>.</summary>
    public static string Interval(Estimate? estimate, CultureInfo? language = null) =>
        estimate?.Ci95 is { } ci ? Between(Value(ci.Lower), Value(ci.Upper), language) : None;

    /// <summary>A difference with its sign, to two decimals, with a true minus sign: <c>+0.25</c>, <c>−0.25</c>, <c>0.00</c>.</summary>
    public static string Signed(double value) => value.ToString("+0.00;−0.00;0.00", Invariant);

    /// <summary>The 95% interval of a difference, each end with its sign: <c>−0.10 to +0.25</c> (in Chinese <c>−0.10–+0.25</c>).</summary>
    public static string SignedInterval(ConfidenceInterval ci, CultureInfo? language = null) =>
        Between(Signed(ci.Lower), Signed(ci.Upper), language);

    /// <summary>A share in [0, 1] as a whole percentage (<c>42%</c>), or <see cref="None"/>.</summary>
    public static string Percent(double? share) => share is { } s ? Percentage(100 * s) : None;

    /// <summary><paramref name="part"/> of <paramref name="whole"/> as a whole percentage; <c>0%</c> of nothing.</summary>
    public static string Percent(long part, long whole) => whole == 0 ? "0%" : Percentage(100.0 * part / whole);

    /// <summary>A share's 95% interval as percentages: <c>30% to 55%</c>.</summary>
    public static string PercentInterval(ConfidenceInterval ci, CultureInfo? language = null) =>
        Between(Percent(ci.Lower), Percent(ci.Upper), language);

    /// <summary>A p-value to three decimals, below 0.001 as <c>&lt; 0.001</c>.</summary>
    public static string PValue(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", Invariant);

    /// <summary>A test statistic (the signed-rank test's V), to at most one decimal: <c>42</c>, <c>42.5</c>.</summary>
    public static string Statistic(double value) => value.ToString("0.#", Invariant);

    /// <summary>A count with thousands separators: <c>1,000</c>.</summary>
    public static string Count(int n) => n.ToString("N0", Invariant);

    /// <summary>A time in whole seconds: <c>95 s</c>.</summary>
    public static string Seconds(double seconds) => $"{seconds.ToString("0", Invariant)} s";

    /// <summary>A time in whole seconds below two minutes (<c>95 s</c>), else in minutes to one decimal (<c>2.5 min</c>).</summary>
    public static string Duration(double seconds) => seconds < 120
        ? Seconds(seconds)
        : $"{(seconds / 60).ToString("0.0", Invariant)} min";

    // The glossary's range in a table: "0.55–0.70" in Chinese; English keeps its words.
    static string Between(string lower, string upper, CultureInfo? language) =>
        language is not null && new ReportText(language).IsChinese ? $"{lower}–{upper}" : $"{lower} to {upper}";

    static string Percentage(double percent) => percent.ToString("0", Invariant) + "%";
}
