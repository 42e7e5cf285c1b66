using System.Globalization;
using AngleSharp.Html.Parser;
using Bunit;
using Dapper;
using GradeBench.Core.Results;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.StudyResults;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Results;

/// <summary>The results page speaks the interface's language (issue 18): served to a coordinator in the pseudo-locale,
/// every interface string on it came through the localizer; in zh-CN its headings are Chinese.</summary>
public sealed class ResultsLanguageTests : IDisposable
{
    readonly GradeBenchFactory _pseudo = new() { Languages = [Languages.English, Languages.Pseudo] };

    public void Dispose() => _pseudo.Dispose();

    static async Task<StudyResultsReport> ComputedAsync(GradeBenchFactory factory, long studyId, bool onConsensus = false) =>
        await await factory.Services.GetRequiredService<ResultsCache>().GetAsync(studyId, onConsensus);

    /// <summary>A new coordinator of the study whose browser asks for <paramref name="language"/>. Made before the results
    /// are computed: a new member changes the study's data version, and with it the results to compute.</summary>
    static async Task<HttpClient> CoordinatorAsync(GradeBenchFactory factory, long studyId, string language)
    {
        var client = await factory.SignedInMemberAsync(studyId, "coord", StudyRoles.Coordinator);
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        return client;
    }

    /// <summary>Every submitted rating of the demo's "hallucination" criterion made "false": no variation, so its alpha
    /// (and its kappas) have no value and say why.</summary>
    static async Task MakeHallucinationUnanimousAsync(GradeBenchFactory factory, long studyId)
    {
        await using var connection = await factory.Services.GetRequiredService<Database>().OpenAsync();
        await connection.ExecuteAsync("""
            UPDATE ratings SET value = 'false'
            WHERE criterion_id = (SELECT id FROM criteria WHERE study_id = @StudyId AND slug = 'hallucination')
            """, new { StudyId = studyId });
    }

    /// <summary>The unmarked texts of the results page's own part of <paramref name="html"/>: its <c>main</c> and the
    /// page's title.</summary>
    static IReadOnlyList<string> Unmarked(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var main = document.QuerySelector("main") ?? document.Body!;
        var title = document.QuerySelector("title")?.OuterHtml ?? "";
        return PseudoLocaleText.Unmarked($"<html><head>{title}</head><body>{main.OuterHtml}</body></html>");
    }

    [Fact]
    public async Task TheComputedPageServedToACoordinatorInThePseudoLocaleHasNoUnmarkedText()
    {
        var studyId = await _pseudo.ImportDemoCopyAsync();
        var coordinator = await CoordinatorAsync(_pseudo, studyId, Languages.Pseudo);
        await MakeHallucinationUnanimousAsync(_pseudo, studyId);
        await ComputedAsync(_pseudo, studyId);

        var html = await coordinator.GetStringAsync($"/studies/{studyId}/results");

        var page = new HtmlParser().ParseDocument(html);
        Assert.NotNull(page.QuerySelector("table[aria-label='⟦Agreement per criterion⟧']"));
        Assert.Contains("⟦No variation: every pairable rating has the same value", page.QuerySelector("main")!.TextContent);
        Assert.Empty(Unmarked(html));
    }

    [Fact]
    public async Task TheBusyPageAndTheRefusalInThePseudoLocaleHaveNoUnmarkedText()
    {
        var studyId = await _pseudo.ImportDemoCopyAsync();
        var rater = await _pseudo.SignedInMemberAsync(studyId, "rater");
        rater.DefaultRequestHeaders.Add("Accept-Language", Languages.Pseudo);
        var coordinator = await CoordinatorAsync(_pseudo, studyId, Languages.Pseudo);
        // Before the results are known: the page renders busy (or, on a fast machine, already with them).
        var first = await coordinator.GetStringAsync($"/studies/{studyId}/results");
        Assert.NotNull(new HtmlParser().ParseDocument(first).QuerySelector("main section[aria-busy=true], #agreement-heading"));
        await ComputedAsync(_pseudo, studyId);
        var refusal = await rater.GetStringAsync($"/studies/{studyId}/results");

        Assert.Empty(Unmarked(first));
        Assert.Contains("⟦Only the coordinators of this study can see its results.⟧", new HtmlParser().ParseDocument(refusal).QuerySelector("main")!.TextContent);
        Assert.Empty(Unmarked(refusal));
    }

    [Fact]
    public async Task TheLivePageWithItsChoicesAndOnConsensusInThePseudoLocaleHasNoUnmarkedText()
    {
        using var context = ResultsPageContext.Create(_pseudo, (await _pseudo.AdministratorAsync()).Id);
        var studyId = (await _pseudo.Services.GetRequiredService<StudyQuery>().FindIdAsync("stroke-llm-synthetic-demo"))!.Value;
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(Languages.Pseudo);
        try
        {
            var cut = context.Render<ResultsPage>(p => p.Add(c => c.StudyId, studyId));
            cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("table[aria-label='⟦Agreement per criterion⟧']")), TimeSpan.FromSeconds(60));
            Assert.Empty(Unmarked(cut.Markup));

            cut.FindAll("input[type=radio]").Single(r => r.ParentElement!.TextContent.Contains("⟦Consensus where present⟧")).Change(true);

            cut.WaitForAssertion(() => Assert.Contains("⟦On consensus values where a response has one", cut.Markup), TimeSpan.FromSeconds(60));
            Assert.Empty(Unmarked(cut.Markup));
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    [Fact]
    public async Task InChineseTheResultsAreHeadedInChinese()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var studyId = await bilingual.ImportDemoCopyAsync();
        var coordinator = await CoordinatorAsync(bilingual, studyId, Languages.Chinese);
        await ComputedAsync(bilingual, studyId);

        var page = new HtmlParser().ParseDocument(await coordinator.GetStringAsync($"/studies/{studyId}/results"));

        Assert.Equal("结果", page.QuerySelector("main h1")!.TextContent.Trim());
        Assert.Equal("评分者间一致性", page.QuerySelector("#agreement-heading")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("table[aria-label='各评分条目的一致性'] th[scope=col]"));
    }

    [Fact]
    public async Task InChineseACoefficientWithoutAValueSaysWhyInChinese()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var studyId = await bilingual.ImportDemoCopyAsync();
        var coordinator = await CoordinatorAsync(bilingual, studyId, Languages.Chinese);
        await MakeHallucinationUnanimousAsync(bilingual, studyId);
        await ComputedAsync(bilingual, studyId);

        var main = new HtmlParser().ParseDocument(await coordinator.GetStringAsync($"/studies/{studyId}/results")).QuerySelector("main")!;

        Assert.Contains("无变异：所有可配对的评分取值相同，期望不一致度 D_e 为零，α 无定义。", main.TextContent);
        Assert.Contains("无变异：所有评分均为同一类别，机遇一致率为 1，Fleiss κ 系数无定义", main.TextContent);
        Assert.DoesNotContain("No variation", main.TextContent);
        Assert.DoesNotContain("there is no variation", main.TextContent);
    }
}
