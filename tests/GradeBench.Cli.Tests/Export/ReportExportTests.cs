using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Markdig;
using Sylvan.Data.Csv;

namespace GradeBench.Cli.Tests.Export;

/// <summary>report.md and report.html: the numbers are agreement.csv's, the methods paragraph states the demo's design,
/// hostile text stays text in both formats.</summary>
public sealed partial class ReportExportTests : IDisposable
{
    const string Demo = "stroke-llm-synthetic-demo";
    readonly CliWorkspace _workspace = new();

    Task<string> ImportDemoAsync() =>
        _workspace.ImportAsync(_workspace.CopyDemoBundle("demo"), "demo.db");

    async Task<string> ExportAsync(string db, string study, string kind)
    {
        var (run, target) = await _workspace.ExportAsync(db, study, kind, $"{study}-{kind}");
        Assert.True(run.ExitCode == 0, run.Error);
        return File.ReadAllText(target);
    }

    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The cells of every table of the rendered Markdown whose caption (the emphasized line before it) starts
    /// with <paramref name="caption"/>, body rows only, as text.</summary>
    static List<string[]> Table(string markdown, string caption)
    {
        var html = Markdown.ToHtml(markdown, Pipeline);
        var start = html.IndexOf($"<em>{WebUtility.HtmlEncode(caption)}", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table \"{caption}\"");
        var table = html[html.IndexOf("<tbody>", start, StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</tbody>", StringComparison.Ordinal)];
        return RowPattern().Matches(table)
            .Select(row => CellPattern().Matches(row.Value).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray())
            .ToList();
    }

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<t[dh][^>]*>(.*?)</t[dh]>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();

    static string Rounded(string value) => value.Length == 0 ? "—" : double.Parse(value, CultureInfo.InvariantCulture).ToString("0.000", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheReportsAgreementTableHoldsAgreementCsvsNumbers()
    {
        var db = await ImportDemoAsync();
        var csvText = await ExportAsync(db, Demo, "agreement.csv");
        var markdown = await ExportAsync(db, Demo, "report.md");

        using var csv = CsvDataReader.Create(new StringReader(csvText));
        var expected = new List<string[]>();
        while (csv.Read())
            expected.Add([Rounded(csv.GetString(3)),
                csv.GetString(4).Length == 0 ? "" : $"{Rounded(csv.GetString(4))} to {Rounded(csv.GetString(5))}",
                csv.GetString(6), csv.GetString(7), csv.GetString(8).Length == 0 ? "—" : csv.GetString(8)]);
        var rows = Table(markdown, "All agreement coefficients");

        Assert.True(expected.Count > 20);
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            Assert.Equal(expected[i][0], row[3]);
            if (expected[i][1].Length > 0) Assert.Equal(expected[i][1], row[4]);
            Assert.Equal(expected[i][2..], new[] { row[5], row[6], row[7] });
        }
    }

    [Fact]
    public async Task TheMethodsParagraphStatesTheDemosDesign()
    {
        var db = await ImportDemoAsync();

        var markdown = await ExportAsync(db, Demo, "report.md");

        var methods = markdown[markdown.IndexOf("## Methods", StringComparison.Ordinal)..markdown.IndexOf("*Rubric*", StringComparison.Ordinal)];
        Assert.Contains("20 clinical cases (16 in English, 4 in Chinese)", methods);
        Assert.Contains("answered by 3 models (model-a, model-b, model-c)", methods);
        Assert.Contains("4 raters submitted 72 ratings (one rating = one response × rater) with 576 criterion values, all imported with the study bundle", methods);
        Assert.Contains("3 raters per response", methods);
        Assert.Contains("60 responses with 3 raters each, 4 raters with 45 responses each", methods);
        Assert.Contains("Raters were blinded to the model", methods);
        Assert.Contains("queue was randomized", methods);
        Assert.Contains("1,000 resamples and seed", methods);
        Assert.Contains("No calibration session", methods);
        Assert.Contains("| model-a | 20 | 20 | temperature = 0.2; synthetic = true |", markdown);
        Assert.Contains("Chatbot Assessment Reporting Tool (CHART)", markdown);
        Assert.Equal(17, Table(markdown, "CHART items").Count);
    }

    [Fact]
    public async Task TheHtmlReportIsStandaloneWithAChartPerRatedCriterion()
    {
        var db = await ImportDemoAsync();

        var html = await ExportAsync(db, Demo, "report.html");

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        // The forest plot of agreement, then eight criteria that are not free text: three likert (means), five ordinal or
        // binary (shares).
        Assert.Equal(9, Regex.Matches(html, "<svg ").Count);
        Assert.Contains("<title>Mean Overall quality per model with 95% intervals</title>", html);
        Assert.Matches(@"<g><title>model-a: \d\.\d\d \(95% interval \d\.\d\d to \d\.\d\d\)</title>", html);
        Assert.Contains("16 in English, 4 in Chinese", html);
    }

    [Fact]
    public async Task HostileTextComesOutAsTextInBothReports()
    {
        var bundle = Directory.CreateDirectory(_workspace.PathOf("hostile")).FullName;
        File.WriteAllText(Path.Combine(bundle, "study.json"), """
            {"format": "gradebench-study/1", "id": "hostile", "title": "<script>alert('title')</script> & co", "raters_per_response": 2,
             "rubric": {"criteria": [
                {"id": "score", "label": "Score <img src=x onerror=alert(1)> | pipe", "type": "likert", "min": 1, "max": 3, "required": true}]}}
            """);
        File.WriteAllLines(Path.Combine(bundle, "cases.jsonl"), ["""{"id": "c1", "title": "Case 1", "presentation_md": "P1", "question_md": "Q1"}"""]);
        File.WriteAllLines(Path.Combine(bundle, "responses.jsonl"),
        [
            // Model names are identifiers; their metadata is free JSON.
            """{"id": "c1.m1", "case_id": "c1", "model": "m1", "content_md": "A", "meta": {"version": "<b>v|1</b>", "</td><script>x()</script>": 1}}""",
            """{"id": "c1.m2", "case_id": "c1", "model": "m2", "content_md": "B"}""",
        ]);
        File.WriteAllText(Path.Combine(bundle, "ratings.csv"), """
            response_id,rater,criterion,value,comment
            c1.m1,ann,score,3,
            c1.m1,bob,score,2,
            c1.m2,ann,score,1,
            c1.m2,bob,score,1,

            """);
        var db = await _workspace.ImportAsync(bundle, "hostile.db");

        var html = await ExportAsync(db, "hostile", "report.html");
        var markdown = await ExportAsync(db, "hostile", "report.md");

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("<h1>&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; &amp; co</h1>", html);
        Assert.Contains("<title>&lt;script&gt;", html);
        Assert.Contains("Score &lt;img src=x onerror=alert(1)&gt; | pipe", html);
        Assert.Contains("&lt;/td&gt;&lt;script&gt;x()&lt;/script&gt; = 1", html);
        // Rendered as a reader's viewer would (raw HTML allowed): still text, and the pipes stay inside their cells.
        var rendered = Markdown.ToHtml(markdown, Pipeline);
        Assert.DoesNotContain("<script", rendered, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", rendered, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(">&lt;script&gt;alert('title')&lt;/script&gt; &amp; co</h1>", rendered);
        var rubric = Assert.Single(Table(markdown, "Rubric"));
        Assert.Equal(["Score <img src=x onerror=alert(1)> | pipe", "score", "likert", "likert 1–3", "yes"], rubric);
        var models = Table(markdown, "Models, their responses");
        Assert.Equal(["m1", "1", "1", "version = <b>v|1</b>; </td><script>x()</script> = 1"], models[0]);
        Assert.Contains("Not recorded by GradeBench", markdown);
    }

    public void Dispose() => _workspace.Dispose();
}
