using System.Globalization;

namespace GradeBench.Core.Reports;

/// <summary>What the results page's and report.html's SVG charts share: labels wrapped onto lines (SVG text does not
/// wrap, and a cut label can name the wrong criterion or model) and the colours of categories.</summary>
public static class ChartText
{
    /// <summary>The Okabe–Ito palette (Okabe &amp; Ito 2008, "Color Universal Design"), distinguishable with the common
    /// colour-vision deficiencies; its yellow is left out (too faint on white). Each bar also names its category in words.</summary>
    public static readonly IReadOnlyList<string> Palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"];

    public static string Colour(int series) => Palette[series % Palette.Count];

    /// <summary>The forest plot's title: "Krippendorff's α per criterion with 95% intervals" (English when <paramref name="language"/> is null).</summary>
    public static string ForestTitle(CultureInfo? language = null) => ReportText.Get("ForestTitle", language ?? ReportText.English);

    /// <summary>What the forest plot's marks mean, under it.</summary>
    public static string ForestCaption(CultureInfo? language = null) => ReportText.Get("ForestCaption", language ?? ReportText.English);

    /// <summary>A bar's text alternative: "model-a: Yes: 0.50 (95% interval 0.25 to 0.75)", values written by the caller.</summary>
    public static string Bar(string? group, string label, string value, string? lower, string? upper, CultureInfo? language = null)
    {
        var l = language ?? ReportText.English;
        var text = ReportText.Get("ChartNamed", l, label, value) + (lower is not null && upper is not null ? ReportText.Get("BarInterval", l, lower, upper) : "");
        return group is null ? text : ReportText.Get("ChartNamed", l, group, text);
    }

    /// <summary>A point's numbers in a forest plot: "0.500 (0.250 to 0.750)", or "no value: &lt;reason&gt;".</summary>
    public static string Point(double? value, double? lower, double? upper, string? missing, CultureInfo? language = null)
    {
        var l = language ?? ReportText.English;
        if (value is not { } v)
            return missing is null ? ReportText.Get("NoValue", l) : ReportText.Get("NoValueBecause", l, missing);
        return lower is { } lo && upper is { } hi
            ? ReportText.Get("ValueWithInterval", l, ReportNumbers.Coefficient(v), ReportNumbers.CoefficientInterval(lo, hi, l))
            : ReportNumbers.Coefficient(v);
    }

    /// <summary><paramref name="text"/> broken between words into lines of at most <paramref name="width"/> characters;
    /// a longer word gets a line of its own, whole.</summary>
    public static IReadOnlyList<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = "";
            }
            line = line.Length == 0 ? word : $"{line} {word}";
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line);
        return lines;
    }
}
