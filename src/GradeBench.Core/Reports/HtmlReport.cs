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
        svg .axis { stroke: #52606d; stroke-width: 1; } svg .threshold { stroke: #7b8794; stroke-dasharray: 4 3; }
        svg .point { fill: #0072B2; stroke: #1f2933; } svg .group { font-weight: 600; font-size: 12px; }
        svg .whisker { stroke: #1f2933; stroke-width: 1.5; } svg text { font-size: 11px; fill: #1f2933; }
        .legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; padding: 0; margin: 0.25rem 0; font-size: 0.85rem; }
        .swatch { display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.35rem; vertical-align: -0.1rem; border: 1px solid #1f2933; }
        """;

    /// <summary>Writes the report in English; returns the number of table rows.</summary>
    public static Task<long> WriteAsync(IReadOnlyList<ReportBlock> blocks, TextWriter output, CancellationToken ct) =>
        WriteAsync(blocks, output, ReportText.English, ct);

    /// <summary>Writes the report whose blocks are in <paramref name="language"/> (its <c>lang</c>, chart texts and the
    /// fallback title); returns the number of table rows.</summary>
    public static async Task<long> WriteAsync(IReadOnlyList<ReportBlock> blocks, TextWriter output, CultureInfo language, CancellationToken ct)
    {
        var title = blocks.OfType<ReportHeading>().FirstOrDefault()?.Text ?? ReportText.Get("DefaultTitle", language);
        var text = new StringBuilder();
        text.Append("<!DOCTYPE html>\n<html lang=\"").Append(new ReportText(language).Tag).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
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
                    Chart(text, c, language);
                    break;
                case ReportForestPlot f:
                    Forest(text, f, language);
                    break;
            }
            await output.WriteAsync(text.ToString().AsMemory(), ct);
            text.Clear();
        }
        await output.WriteAsync("</body>\n</html>\n".AsMemory(), ct);
        return rows;
    }

    static string E(string text) => Encoder.Encode(text);

    static void Chart(StringBuilder html, ReportChart chart, CultureInfo language)
    {
        html.Append("<figure>\n");
        ReportSvg.Bars(html, E, chart, language);
        if (chart.Legend is { Count: > 1 } legend)
        {
            html.Append("<ul class=\"legend\">");
            for (var i = 0; i < legend.Count; i++)
                html.Append($"<li><span class=\"swatch\" style=\"background-color: {ChartText.Colour(i)}\"></span>").Append(E(legend[i])).Append("</li>");
            html.Append("</ul>\n");
        }
        html.Append("<figcaption>").Append(E(chart.Caption)).Append("</figcaption>\n</figure>\n");
    }

    static void Forest(StringBuilder html, ReportForestPlot plot, CultureInfo language)
    {
        html.Append("<figure>\n");
        ReportSvg.Forest(html, E, plot, language);
        html.Append("<figcaption>").Append(E(plot.Caption)).Append("</figcaption>\n</figure>\n");
    }
}
