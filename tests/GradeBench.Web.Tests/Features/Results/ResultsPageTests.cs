using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GradeBench.Storage;
using GradeBench.Storage.Export;
using Microsoft.Extensions.DependencyInjection;
using Sylvan.Data.Csv;

namespace GradeBench.Web.Tests.Features.Results;

public sealed partial class ResultsPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    /// <summary>A copy of the demo study of this test's own and its results page as the administrator sees it.</summary>
    async Task<(string Html, long StudyId)> AdministratorPageAsync()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        // Computed off the request path: once known, the page (prerendered here) shows the results at once.
        await await factory.Services.GetRequiredService<GradeBench.Web.Features.StudyResults.ResultsCache>().GetAsync(studyId, onConsensus: false);
        return (await factory.PageAsAdministratorAsync($"/studies/{studyId}/results"), studyId);
    }

    [GeneratedRegex("""<table[^>]*aria-label="All agreement coefficients"[^>]*>.*?<tbody[^>]*>(.*?)</tbody>""", RegexOptions.Singleline)]
    private static partial Regex AgreementTable();

    [GeneratedRegex("<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    static string Rounded(string csvNumber) => double.Parse(csvNumber, CultureInfo.InvariantCulture).ToString("0.000", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheAgreementTableShowsTheNumbersOfTheAgreementCsvExport()
    {
        var (html, studyId) = await AdministratorPageAsync();
        var export = new StringWriter();
        // The function `gradebench export --kind agreement.csv` runs.
        await new TextExport(factory.Services.GetRequiredService<Database>()).WriteAgreementAsync(studyId, export);

        var pageRows = Row().Matches(AgreementTable().Match(html).Groups[1].Value)
            .Select(r => Cell().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value.Trim())).ToArray())
            .ToList();
        using var csv = CsvDataReader.Create(new StringReader(export.ToString()));
        var csvRows = new List<string[]>();
        while (csv.Read()) csvRows.Add(Enumerable.Range(0, csv.FieldCount).Select(csv.GetString).ToArray());

        Assert.Equal(csvRows.Count, pageRows.Count);
        Assert.True(csvRows.Count > 40, "every coefficient of every rated criterion");
        for (var i = 0; i < csvRows.Count; i++)
        {
            var (expected, shown) = (csvRows[i], pageRows[i]);
            Assert.Equal(expected[1], shown[1]);
            Assert.Equal(expected[3] == "" ? "—" : Rounded(expected[3]), shown[3]);
            if (expected[4] != "") Assert.Equal($"{Rounded(expected[4])} to {Rounded(expected[5])}", shown[4]);
            Assert.Equal((expected[6], expected[7]), (shown[5], shown[6]));
            Assert.Equal(expected[8] == "" ? "—" : expected[8], shown[7]);
        }
    }

    [GeneratedRegex("""<table[^>]*aria-label="Agreement per criterion"[^>]*>.*?<tbody[^>]*>(.*?)</tbody>""", RegexOptions.Singleline)]
    private static partial Regex AgreementMatrix();

    [GeneratedRegex("""<svg[^>]*role="img"[^>]*aria-label="(Krippendorff[^"]*per criterion[^"]*)"[^>]*>(.*?)</svg>""", RegexOptions.Singleline)]
    private static partial Regex ForestPlot();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\b(true|false|factual_error|missing_context|good_point|mild-moderate|severe-death|krippendorff_alpha_\w+|gwet_\w+|icc\d)\b")]
    private static partial Regex RawCode();

    static string Text(string html) => WebUtility.HtmlDecode(Tag().Replace(html, " "));

    [Fact]
    public async Task TheMatrixHeadlinesEachCriterionWithKrippendorffsAlphaAtItsLevel()
    {
        var (html, _) = await AdministratorPageAsync();

        var rows = Row().Matches(AgreementMatrix().Match(html).Groups[1].Value).Select(r => Text(r.Groups[1].Value)).ToList();
        var full = Row().Matches(AgreementTable().Match(html).Groups[1].Value)
            .Select(r => Cell().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value.Trim())).ToArray()).ToList();

        Assert.Equal(8, rows.Count);
        string Alpha(string criterion, string level) => full.Single(r => r[0] == criterion && r[2] == $"Krippendorff's α, {level}")[3];
        var hallucination = rows.Single(r => r.Contains("Contains fabricated content (hallucination)"));
        Assert.Matches($@"α nominal\s+{Regex.Escape(Alpha("Contains fabricated content (hallucination)", "nominal"))}", hallucination);
        Assert.Contains("AC1", hallucination);
        var overall = rows.Single(r => r.Contains("Overall quality"));
        Assert.Matches($@"α ordinal\s+{Regex.Escape(Alpha("Overall quality", "ordinal"))}", overall);
        Assert.Contains("AC2 linear", overall);
    }

    [Fact]
    public async Task TheForestPlotNamesEveryCriterionInFullWithItsAlpha()
    {
        var (html, _) = await AdministratorPageAsync();

        var plot = ForestPlot().Match(html);
        Assert.True(plot.Success, "a forest plot with role img and an accessible name");
        var (name, drawn) = (WebUtility.HtmlDecode(plot.Groups[1].Value), System.Text.RegularExpressions.Regex.Replace(Text(plot.Groups[2].Value), @"\s+", " "));
        foreach (var criterion in new[] { "Agreement with guideline consensus", "Contains fabricated content (hallucination)", "Likelihood of possible harm" })
        {
            Assert.Contains(criterion, drawn);
            Assert.Matches($@"{Regex.Escape(criterion)} -?\d\.\d{{3}}", name);
        }
    }

    [Fact]
    public async Task ValuesReadAsTheirLabelsNeverAsStoredCodes()
    {
        var (html, _) = await AdministratorPageAsync();

        var main = Text(html[html.IndexOf("<main", StringComparison.Ordinal)..]);
        Assert.DoesNotMatch(RawCode(), main);
        Assert.Contains("aria-label=\"Span labels per model\"", html);
        Assert.Contains("Factual error", main);
        Assert.Matches(@"<th scope=""col"">Yes</th>", html);
    }

    [Fact]
    public async Task TheAdministratorSeesRatersModelsComparisonsAndCharts()
    {
        var (html, _) = await AdministratorPageAsync();

        Assert.Contains(">Results</h1>", html);
        Assert.Contains("aria-label=\"Raters\"", html);
        Assert.Contains("aria-label=\"Pairwise agreement of raters on", html);
        Assert.Contains("aria-label=\"Confusion matrix of", html);
        Assert.Contains("aria-label=\"Models on Agreement with guideline consensus\"", html);
        Assert.Contains("aria-label=\"Model comparisons on", html);
        Assert.Contains("aria-label=\"Span labels per model\"", html);
        Assert.Contains("<svg role=\"img\"", html);
        Assert.Contains("model-a − model-b", html);
        Assert.Contains("Krippendorff 2004:", html);
    }

    [Fact]
    public async Task ARaterIsRefusedTheResultsAndSeesNoNumbers()
    {
        var studyId = await factory.ImportDemoCopyAsync();

        await await factory.Services.GetRequiredService<GradeBench.Web.Features.StudyResults.ResultsCache>().GetAsync(studyId, onConsensus: false);
        var html = await factory.PageAsMemberAsync(studyId, "dr-results", $"/studies/{studyId}/results");

        Assert.Contains("Only the coordinators of this study can see its results.", html);
        Assert.DoesNotContain("Agreement per criterion", html);
        Assert.DoesNotContain("model-a", html);
        Assert.DoesNotContain("rater-1", html);
    }
}
