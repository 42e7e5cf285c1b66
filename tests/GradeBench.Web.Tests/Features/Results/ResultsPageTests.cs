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
        return (await factory.PageAsAdministratorAsync($"/studies/{studyId}/results"), studyId);
    }

    [GeneratedRegex("""<table[^>]*aria-label="Agreement per criterion"[^>]*>.*?<tbody[^>]*>(.*?)</tbody>""", RegexOptions.Singleline)]
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

        var html = await factory.PageAsMemberAsync(studyId, "dr-results", $"/studies/{studyId}/results");

        Assert.Contains("Only the coordinators of this study can see its results.", html);
        Assert.DoesNotContain("Agreement per criterion", html);
        Assert.DoesNotContain("model-a", html);
        Assert.DoesNotContain("rater-1", html);
    }
}
