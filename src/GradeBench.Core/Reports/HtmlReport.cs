using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace GradeBench.Core.Reports;

/// <summary>One standalone HTML file: inline CSS, no script, no external resource. Every piece of text goes through
/// <see cref="HtmlEncoder"/> (study titles, criterion labels, model names and metadata are untrusted input).</summary>
public static class HtmlReport
{
    // All of Unicode stays readable (Chinese case languages, α); what HTML needs escaped still is: < > & ' " and more.
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #d9e2ec; } h3 { font-size: 1.1rem; }
        table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
        caption { text-align: left; font-style: italic; padding-bottom: 0.25rem; }
        th, td { border: 1px solid #d9e2ec; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
        thead th { background: #f0f4f8; }
        figure { margin: 0.5rem 0 1.5rem; } figcaption { font-size: 0.85rem; color: #52606d; }
        svg .axis { stroke: #52606d; stroke-width: 1; } svg .bar { fill: #00798c; opacity: 0.75; }
        svg .whisker { stroke: #1f2933; stroke-width: 1.5; } svg text { font-size: 11px; fill: #1f2933; }
        """;

    public static async Task<long> WriteAsync(IReadOnlyList<ReportBlock> blocks, TextWriter output, CancellationToken ct)
    {
        var title = blocks.OfType<ReportHeading>().FirstOrDefault()?.Text ?? "Study report";
        var text = new StringBuilder();
        text.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            // No script may run even if something slipped through: the file forbids it itself.
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        long rows = 0;
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ReportHeading h:
                    text.Append($"<h{h.Level}>").Append(E(h.Text)).Append($"</h{h.Level}>\n");
                    break;
                case ReportParagraph p:
                    text.Append("<p>").Append(E(p.Text)).Append("</p>\n");
                    break;
                case ReportList l:
                    text.Append("<ul>\n");
                    foreach (var item in l.Items) text.Append("<li>").Append(E(item)).Append("</li>\n");
                    text.Append("</ul>\n");
                    break;
                case ReportTable t:
                    text.Append("<table>\n<caption>").Append(E(t.Caption)).Append("</caption>\n<thead><tr>");
                    foreach (var h in t.Header) text.Append("<th scope=\"col\">").Append(E(h)).Append("</th>");
                    text.Append("</tr></thead>\n<tbody>\n");
                    foreach (var row in t.Rows)
                    {
                        text.Append("<tr>");
                        for (var i = 0; i < row.Count; i++)
                            text.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(E(row[i])).Append(i == 0 ? "</th>" : "</td>");
                        text.Append("</tr>\n");
                        rows++;
                    }
                    text.Append("</tbody>\n</table>\n");
                    break;
                case ReportChart c:
                    Chart(text, c);
                    break;
            }
            await output.WriteAsync(text.ToString().AsMemory(), ct);
            text.Clear();
        }
        await output.WriteAsync("</body>\n</html>\n".AsMemory(), ct);
        return rows;
    }

    static string E(string text) => Encoder.Encode(text);

    const int Width = 560, LabelWidth = 210, RowHeight = 24, AxisHeight = 22;

    /// <summary>The results page's ErrorBarChart, as a string: bars from <see cref="ReportChart.Min"/>, whiskers for the
    /// 95% interval, a <c>&lt;title&gt;</c> per bar with its numbers.</summary>
    static void Chart(StringBuilder html, ReportChart chart)
    {
        var (min, max) = (chart.Min, chart.Max > chart.Min ? chart.Max : chart.Min + 1);
        double Px(double value) => LabelWidth + (Math.Clamp(value, min, max) - min) / (max - min) * (Width - LabelWidth - 12);
        static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
        var height = chart.Bars.Count * RowHeight + AxisHeight;
        html.Append("<figure>\n")
            .Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{E(chart.Title)}\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\">\n")
            .Append("<title>").Append(E(chart.Title)).Append("</title>\n")
            .Append($"<line x1=\"{N(Px(min))}\" y1=\"0\" x2=\"{N(Px(min))}\" y2=\"{height - AxisHeight}\" class=\"axis\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            var tick = min + i * (max - min) / 4;
            html.Append($"<line x1=\"{N(Px(tick))}\" y1=\"{height - AxisHeight}\" x2=\"{N(Px(tick))}\" y2=\"{height - AxisHeight + 4}\" class=\"axis\"/>")
                .Append($"<text x=\"{N(Px(tick))}\" y=\"{height - 4}\" text-anchor=\"middle\">{ReportNumbers.Value(tick)}</text>\n");
        }
        for (var i = 0; i < chart.Bars.Count; i++)
        {
            var bar = chart.Bars[i];
            var y = i * RowHeight;
            var mid = y + RowHeight / 2;
            var interval = bar.Lower is { } lo && bar.Upper is { } hi ? $" (95% interval {ReportNumbers.Value(lo)} to {ReportNumbers.Value(hi)})" : "";
            html.Append("<g><title>").Append(E($"{bar.Label}: {ReportNumbers.Value(bar.Value)}{interval}")).Append("</title>")
                .Append($"<text x=\"{LabelWidth - 6}\" y=\"{mid + 4}\" text-anchor=\"end\">").Append(E(bar.Label)).Append("</text>")
                .Append($"<rect x=\"{N(Px(min))}\" y=\"{y + 4}\" width=\"{N(Px(bar.Value) - Px(min))}\" height=\"{RowHeight - 8}\" class=\"bar\"/>");
            if (bar.Lower is { } lower && bar.Upper is { } upper)
                html.Append($"<line x1=\"{N(Px(lower))}\" y1=\"{mid}\" x2=\"{N(Px(upper))}\" y2=\"{mid}\" class=\"whisker\"/>")
                    .Append($"<line x1=\"{N(Px(lower))}\" y1=\"{mid - 5}\" x2=\"{N(Px(lower))}\" y2=\"{mid + 5}\" class=\"whisker\"/>")
                    .Append($"<line x1=\"{N(Px(upper))}\" y1=\"{mid - 5}\" x2=\"{N(Px(upper))}\" y2=\"{mid + 5}\" class=\"whisker\"/>");
            html.Append("</g>\n");
        }
        html.Append("</svg>\n<figcaption>").Append(E(chart.Caption)).Append("</figcaption>\n</figure>\n");
    }
}
