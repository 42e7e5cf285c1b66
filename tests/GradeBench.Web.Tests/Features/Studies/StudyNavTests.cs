using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace GradeBench.Web.Tests.Features.Studies;

/// <summary>The study navigation and the downloads page, as the server renders them for each role.</summary>
public sealed class StudyNavTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    static readonly string[] EveryTab = ["Dashboard", "Results", "Adjudication", "Calibration", "Set-up", "Downloads"];

    static IElement StudyNav(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelectorAll("nav").Single(n => n.GetAttribute("aria-label") == "Study");

    static string[] Tabs(IElement nav) => nav.QuerySelectorAll("a").Select(a => a.TextContent.Trim()).ToArray();

    static string? Current(IElement nav) => nav.QuerySelectorAll("a[aria-current=page]").SingleOrDefault()?.TextContent.Trim();

    [Theory]
    [InlineData("dashboard", "Dashboard")]
    [InlineData("results", "Results")]
    [InlineData("adjudication", "Adjudication")]
    [InlineData("calibration", "Calibration")]
    [InlineData("setup", "Set-up")]
    [InlineData("downloads", "Downloads")]
    public async Task EveryStudyPageHasOneStudyNavigationWithItsOwnTabMarked(string page, string tab)
    {
        var studyId = await factory.ImportDemoCopyAsync();

        var nav = StudyNav(await factory.PageAsAdministratorAsync($"/studies/{studyId}/{page}"));

        Assert.Equal(EveryTab, Tabs(nav));
        Assert.Equal(tab, Current(nav));
        Assert.Contains("LLM answers to stroke care questions", nav.TextContent);
        Assert.Equal($"/studies/{studyId}/{page}", nav.QuerySelector("a[aria-current=page]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task ARaterSeesOnlyTheTabsOfPagesTheyMayOpen()
    {
        var studyId = await factory.ImportDemoCopyAsync();

        var nav = StudyNav(await factory.PageAsMemberAsync(studyId, "dr-tabs", $"/studies/{studyId}/calibration"));

        Assert.Equal(["Adjudication", "Calibration"], Tabs(nav));
        Assert.Equal("Calibration", Current(nav));
    }

    [Fact]
    public async Task TheDownloadsPageOffersThePlainAndTheExcelCsvUnderTheirOwnFileNames()
    {
        var (studyId, slug) = await factory.ImportNamedDemoCopyAsync();

        var page = new HtmlParser().ParseDocument(await factory.PageAsAdministratorAsync($"/studies/{studyId}/downloads"));

        var links = page.QuerySelectorAll("a[download]").ToDictionary(a => a.TextContent.Trim(), a => a);
        Assert.Equal($"/api/studies/{studyId}/export/ratings.csv", links["Download ratings.csv"].GetAttribute("href"));
        Assert.Equal($"/api/studies/{studyId}/export/ratings.csv?excel=true", links["Download ratings.csv for Excel"].GetAttribute("href"));
        Assert.False(links.ContainsKey("Download report.html for Excel"));
        string FileName(IElement link) => page.GetElementById(link.GetAttribute("aria-describedby")!)!.TextContent.Trim();
        Assert.Equal($"Saves as {slug}-ratings.csv", FileName(links["Download ratings.csv"]));
        Assert.Equal($"Saves as {slug}-ratings-excel.csv", FileName(links["Download ratings.csv for Excel"]));
    }

    [Fact]
    public async Task ARaterIsRefusedTheDownloads()
    {
        var studyId = await factory.ImportDemoCopyAsync();

        var html = await factory.PageAsMemberAsync(studyId, "dr-files", $"/studies/{studyId}/downloads");

        Assert.Contains("Only the coordinators of this study can download its files.", html);
        Assert.DoesNotContain("/export/", html);
        Assert.DoesNotContain(">Downloads</a>", html);
    }
}
