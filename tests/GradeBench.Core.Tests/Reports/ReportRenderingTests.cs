using GradeBench.Core.Reports;

namespace GradeBench.Core.Tests.Reports;

/// <summary>The two renderings of the report's blocks: text stays text in both.</summary>
public sealed class ReportRenderingTests
{
    static readonly IReadOnlyList<ReportBlock> Blocks =
    [
        new ReportHeading(1, "<b>Title</b> & co"),
        new ReportParagraph("A *paragraph*\nover two lines | with a pipe"),
        new ReportTable("Caption", ["Name", "Value"], [["a|b", "1"], ["<i>", ""]]),
        new ReportChart("Chart", "Caption of the chart", 0, 1, [new ReportBar("a", 0.5, 0.25, 0.75)]),
        new ReportChart("Shares", "Caption", 0, 1,
            [new ReportBar("Yes, of great clinical significance for the patient", 0.5, null, null, "model-a", 1)], ["No", "Yes, of great clinical significance for the patient"]),
        new ReportForestPlot("Forest", "Caption", 0, [0.667, 0.8],
            [new ReportPoint("Contains fabricated content (hallucination)", 0.5, 0.25, 0.75, null), new ReportPoint("Flag", null, null, null, "no variation")]),
    ];

    /// <summary>The report of <see cref="Blocks"/> as <paramref name="write"/> writes it, which counts its two table rows.</summary>
    static async Task<string> RenderAsync(Func<IReadOnlyList<ReportBlock>, TextWriter, CancellationToken, Task<long>> write)
    {
        var text = new StringWriter();
        Assert.Equal(2, await write(Blocks, text, CancellationToken.None));
        return text.ToString();
    }

    [Fact]
    public async Task MarkdownEscapesMarkupAndKeepsTablesInTheirCells()
    {
        var markdown = await RenderAsync(MarkdownReport.WriteAsync);

        Assert.StartsWith("# \\<b\\>Title\\</b\\> \\& co\n\n", markdown);
        Assert.Contains("A \\*paragraph\\* over two lines \\| with a pipe\n\n", markdown);
        Assert.Contains("| Name | Value |\n|---|---|\n| a\\|b | 1 |\n| \\<i\\> |   |\n", markdown);
        Assert.DoesNotContain("<svg", markdown);
    }

    [Fact]
    public async Task HtmlEncodesTextAndDrawsTheChartWithItsNumbers()
    {
        var html = await RenderAsync(HtmlReport.WriteAsync);

        Assert.Contains("<title>&lt;b&gt;Title&lt;/b&gt; &amp; co</title>", html);
        Assert.Contains("<h1>&lt;b&gt;Title&lt;/b&gt; &amp; co</h1>", html);
        Assert.Contains("<tr><th scope=\"row\">&lt;i&gt;</th><td></td></tr>", html);
        Assert.Contains("<g><title>a: 0.50 (95% interval 0.25 to 0.75)</title>", html);
        Assert.DoesNotContain("<script", html);
        // A long label wraps onto lines, whole; the group (model) heads its bars; the colour is the category's.
        Assert.Contains(">Yes, of great clinical significance for</tspan><tspan x=\"244\" dy=\"13\">the patient</tspan>", html);
        Assert.Contains("class=\"group\">model-a</text>", html);
        Assert.Contains($"fill=\"{ChartText.Colour(1)}\"", html);
        Assert.Contains("<li><span class=\"swatch\" style=\"background-color: #E69F00\"></span>Yes, of great clinical significance for the patient</li>", html);
        Assert.Contains("role=\"img\" aria-label=\"Forest: Contains fabricated content (hallucination) 0.500 (0.250 to 0.750); Flag no value: no variation\"", html);
        Assert.EndsWith("</body>\n</html>\n", html);
    }
}
