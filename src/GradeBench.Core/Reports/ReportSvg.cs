using System.Globalization;
using System.Text;

namespace GradeBench.Core.Reports;

/// <summary>report.html's charts as SVG strings, laid out like the results page's ErrorBarChart and ForestPlot: labels
/// wrapped (<see cref="ChartText.Wrap"/>), never cut; categories coloured from <see cref="ChartText.Palette"/> and named.
/// The encoder passed in escapes every piece of text (labels are untrusted input).</summary>
static class ReportSvg
{
    const int LineHeight = 13, RowHeight = 24, AxisHeight = 22;

    static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    static double Height(IReadOnlyList<string> lines) => Math.Max(RowHeight, lines.Count * LineHeight + 10);

    static void Label(StringBuilder svg, Func<string, string> encode, double x, double mid, IReadOnlyList<string> lines)
    {
        svg.Append($"<text x=\"{N(x)}\" y=\"{N(mid - (lines.Count - 1) * LineHeight / 2.0 + 4)}\" text-anchor=\"end\">");
        for (var i = 0; i < lines.Count; i++)
            svg.Append($"<tspan x=\"{N(x)}\" dy=\"{(i == 0 ? 0 : LineHeight)}\">").Append(encode(lines[i])).Append("</tspan>");
        svg.Append("</text>");
    }

    static void Whisker(StringBuilder svg, double from, double to, double mid) =>
        svg.Append($"<line x1=\"{N(from)}\" y1=\"{N(mid)}\" x2=\"{N(to)}\" y2=\"{N(mid)}\" class=\"whisker\"/>")
            .Append($"<line x1=\"{N(from)}\" y1=\"{N(mid - 5)}\" x2=\"{N(from)}\" y2=\"{N(mid + 5)}\" class=\"whisker\"/>")
            .Append($"<line x1=\"{N(to)}\" y1=\"{N(mid - 5)}\" x2=\"{N(to)}\" y2=\"{N(mid + 5)}\" class=\"whisker\"/>");

    static void Open(StringBuilder svg, Func<string, string> encode, string name, string title, int width, double height) =>
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{encode(name)}\" viewBox=\"0 0 {width} {N(height)}\" width=\"{width}\" height=\"{N(height)}\">\n")
            .Append("<title>").Append(encode(title)).Append("</title>\n");

    /// <summary>Horizontal bars from <see cref="ReportChart.Min"/> with 95% whiskers; a group's name heads its bars.</summary>
    public static void Bars(StringBuilder svg, Func<string, string> encode, ReportChart chart, CultureInfo language)
    {
        const int width = 620, labelWidth = 250, labelChars = 40;
        var (min, max) = (chart.Min, chart.Max > chart.Min ? chart.Max : chart.Min + 1);
        double Px(double value) => labelWidth + (Math.Clamp(value, min, max) - min) / (max - min) * (width - labelWidth - 12);
        var rows = new List<(double Y, double H, IReadOnlyList<string> Lines, ReportBar? Bar)>();
        double y = 0;
        string? group = null;
        foreach (var bar in chart.Bars)
        {
            if (bar.Group is { } g && g != group) { rows.Add((y, RowHeight, [g], null)); y += RowHeight; group = g; }
            var lines = ChartText.Wrap(bar.Label, labelChars);
            rows.Add((y, Height(lines), lines, bar));
            y += Height(lines);
        }
        var height = y + AxisHeight;
        Open(svg, encode, chart.Title, chart.Title, width, height);
        svg.Append($"<line x1=\"{N(Px(min))}\" y1=\"0\" x2=\"{N(Px(min))}\" y2=\"{N(y)}\" class=\"axis\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            var tick = min + i * (max - min) / 4;
            svg.Append($"<line x1=\"{N(Px(tick))}\" y1=\"{N(y)}\" x2=\"{N(Px(tick))}\" y2=\"{N(y + 4)}\" class=\"axis\"/>")
                .Append($"<text x=\"{N(Px(tick))}\" y=\"{N(height - 4)}\" text-anchor=\"middle\">{ReportNumbers.Fixed(tick, chart.Decimals)}</text>\n");
        }
        foreach (var (top, h, lines, bar) in rows)
        {
            if (bar is null)
            {
                svg.Append($"<text x=\"4\" y=\"{N(top + LineHeight + 4)}\" class=\"group\">").Append(encode(lines[0])).Append("</text>\n");
                continue;
            }
            var mid = top + h / 2;
            var title = ChartText.Bar(bar.Group, bar.Label, ReportNumbers.Fixed(bar.Value, chart.Decimals),
                bar.Lower is { } lo ? ReportNumbers.Fixed(lo, chart.Decimals) : null, bar.Upper is { } hi ? ReportNumbers.Fixed(hi, chart.Decimals) : null, language);
            svg.Append("<g><title>").Append(encode(title)).Append("</title>");
            Label(svg, encode, labelWidth - 6, mid, lines);
            svg.Append($"<rect x=\"{N(Px(min))}\" y=\"{N(mid - 7)}\" width=\"{N(Px(bar.Value) - Px(min))}\" height=\"14\" fill=\"{ChartText.Colour(bar.Series)}\" fill-opacity=\"0.8\"/>");
            if (bar.Lower is { } lower && bar.Upper is { } upper) Whisker(svg, Px(lower), Px(upper), mid);
            svg.Append("</g>\n");
        }
        svg.Append("</svg>\n");
    }

    /// <summary>A forest plot: a square at each value, whiskers for its interval, dashed threshold lines, the numbers at the right.</summary>
    public static void Forest(StringBuilder svg, Func<string, string> encode, ReportForestPlot plot, CultureInfo language)
    {
        const int width = 760, labelWidth = 300, plotRight = 590, labelChars = 48, top = 16;
        var min = plot.Min;
        double Px(double value) => labelWidth + (Math.Clamp(value, min, 1) - min) / (1 - min) * (plotRight - labelWidth);
        string Numbers(ReportPoint p) => ChartText.Point(p.Value, p.Lower, p.Upper, p.Missing ?? "", language);
        var layout = new List<(double Y, double H, IReadOnlyList<string> Lines, ReportPoint Point)>();
        double y = top;
        foreach (var point in plot.Points)
        {
            var lines = ChartText.Wrap(point.Label, labelChars);
            layout.Add((y, Height(lines) + 2, lines, point));
            y += Height(lines) + 2;
        }
        var name = ReportText.Get("ChartNamed", language, plot.Title,
            string.Join(ReportText.Get("ItemSeparator", language), plot.Points.Select(p => $"{p.Label} {Numbers(p)}")));
        Open(svg, encode, name, plot.Title, width, y + AxisHeight);
        foreach (var t in plot.Thresholds)
            svg.Append($"<line x1=\"{N(Px(t))}\" y1=\"{top}\" x2=\"{N(Px(t))}\" y2=\"{N(y)}\" class=\"threshold\"/>")
                .Append($"<text x=\"{N(Px(t))}\" y=\"{top - 4}\" text-anchor=\"middle\">{ReportNumbers.Coefficient(t)}</text>\n");
        svg.Append($"<line x1=\"{N(Px(min))}\" y1=\"{N(y)}\" x2=\"{N(Px(1))}\" y2=\"{N(y)}\" class=\"axis\"/>\n");
        for (var tick = min; tick <= 1 + 1e-9; tick += 0.25)
            svg.Append($"<line x1=\"{N(Px(tick))}\" y1=\"{N(y)}\" x2=\"{N(Px(tick))}\" y2=\"{N(y + 4)}\" class=\"axis\"/>")
                .Append($"<text x=\"{N(Px(tick))}\" y=\"{N(y + AxisHeight - 4)}\" text-anchor=\"middle\">{ReportNumbers.Value(tick)}</text>\n");
        foreach (var (rowTop, h, lines, point) in layout)
        {
            var mid = rowTop + h / 2;
            svg.Append("<g>");
            Label(svg, encode, labelWidth - 8, mid, lines);
            if (point.Value is { } v)
            {
                if (point.Lower is { } lo && point.Upper is { } hi) Whisker(svg, Px(lo), Px(hi), mid);
                svg.Append($"<rect x=\"{N(Px(v) - 5)}\" y=\"{N(mid - 5)}\" width=\"10\" height=\"10\" class=\"point\"/>")
                    .Append($"<text x=\"{plotRight + 10}\" y=\"{N(mid + 4)}\">").Append(encode(Numbers(point))).Append("</text>");
            }
            else
                svg.Append($"<text x=\"{labelWidth + 4}\" y=\"{N(mid + 4)}\">").Append(encode(Numbers(point))).Append("</text>");
            svg.Append("</g>\n");
        }
        svg.Append("</svg>\n");
    }
}
