using AngleSharp.Html.Parser;
using GradeBench.Web.Hosting;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>The adjudication pages in the pseudo-locale hold no interface text that did not come through a localizer
/// (study content keeps its lang, names translate="no"), for the coordinator and for a rater; and they speak Chinese.</summary>
public sealed class AdjudicationLanguageTests : IDisposable
{
    readonly GradeBenchFactory _pseudo = new() { Languages = [Languages.English, Languages.Pseudo] };

    public void Dispose() => _pseudo.Dispose();

    /// <summary>What the page itself shows: its title and its main region, less the parts (CSS selectors) that other
    /// features render and test. The layout and the study's navigation are other features'.</summary>
    internal static IReadOnlyList<string> UnmarkedOnPage(string html, params string[] othersSelectors)
    {
        var page = new HtmlParser().ParseDocument(html);
        foreach (var other in page.QuerySelectorAll(string.Join(", ", ["nav.study-nav", .. othersSelectors])).ToList()) other.Remove();
        var main = page.QuerySelector("main") ?? throw new InvalidOperationException("The page has no main region.");
        return PseudoLocaleText.Unmarked($"<html><head>{page.QuerySelector("title")?.OuterHtml}</head><body>{main.OuterHtml}</body></html>");
    }

    /// <summary>The page's text as read (the markup encodes the markers).</summary>
    static string Text(string html) => new HtmlParser().ParseDocument(html).Body!.TextContent;

    static HttpClient In(HttpClient client, string language)
    {
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        return client;
    }

    [Fact]
    public async Task TheQueueAndItemPagesOfTheCoordinatorAndARaterAreAllLocalized()
    {
        var scene = new AdjudicationScene(_pseudo);
        var studyId = await scene.StudyIdAsync();
        var rater = In(await scene.SignInAsync("rater-2"), Languages.Pseudo);
        var beforeAdjudication = await rater.GetStringAsync($"/studies/{studyId}/adjudication");
        Assert.Contains("⟦Adjudication has not started", Text(beforeAdjudication));
        Assert.Empty(UnmarkedOnPage(beforeAdjudication));

        await scene.InAdjudicationAsync();
        var coordinator = In(await scene.SignInAdministratorAsync(), Languages.Pseudo);
        var handle = await scene.HandleAsync((await scene.ItemsAsync(studyId, "rater-2", rated: true))[0]);

        foreach (var (client, path) in new[]
        {
            (coordinator, $"/studies/{studyId}/adjudication"),
            (coordinator, $"/studies/{studyId}/adjudication?unresolved=1"),
            (coordinator, $"/studies/{studyId}/adjudication/{handle}?unresolved=1"),
            (rater, $"/studies/{studyId}/adjudication"),
            (rater, $"/studies/{studyId}/adjudication/{handle}"),
            (rater, $"/studies/{studyId}/adjudication/0000000000000000"),
        })
        {
            var html = await client.GetStringAsync(path);
            Assert.Contains("⟦", Text(html));
            Assert.True(UnmarkedOnPage(html).Count == 0, $"{path}: {string.Join(" | ", UnmarkedOnPage(html))}");
        }
    }

    [Fact]
    public async Task TheSpanAdjudicationPagesAreAllLocalized()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(_pseudo);
        var coordinator = In(await _pseudo.SignedInClientAsync(scene.Coordinator), Languages.Pseudo);
        var rater = In(await _pseudo.SignedInClientAsync(scene.Li), Languages.Pseudo);

        foreach (var (client, path) in new[]
        {
            (coordinator, $"/studies/{scene.StudyId}/adjudication"),
            (coordinator, $"/studies/{scene.StudyId}/adjudicate/notes"),
            (coordinator, $"/studies/{scene.StudyId}/adjudicate/notes/{DemoNotes.AstralCase}"),
            (coordinator, $"/studies/{scene.StudyId}/adjudicate/notes/no-such-case"),
            (rater, $"/studies/{scene.StudyId}/adjudicate/notes"),
        })
        {
            var html = await client.GetStringAsync(path);
            Assert.Contains("⟦", Text(html));
            Assert.True(UnmarkedOnPage(html).Count == 0, $"{path}: {string.Join(" | ", UnmarkedOnPage(html))}");
        }
    }

    [Fact]
    public async Task TheQueueSpeaksChinese()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var scene = new AdjudicationScene(bilingual);
        var studyId = await scene.InAdjudicationAsync();
        var client = In(await scene.SignInAdministratorAsync(), Languages.Chinese);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync($"/studies/{studyId}/adjudication"));

        Assert.Equal("待裁定的回答", page.QuerySelector("table caption")!.TextContent);
        Assert.Equal("裁定 · GradeBench", page.Title);
    }

    /// <summary>A Chinese rater reads the demo rubric's Chinese on an item's page, as on their grading form.</summary>
    [Fact]
    public async Task ARaterReadsTheRubricInChineseOnAnItem()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var scene = new AdjudicationScene(bilingual);
        var studyId = await scene.InAdjudicationAsync();
        var rater = In(await scene.SignInAsync("rater-2"), Languages.Chinese);
        var handle = await scene.HandleAsync((await scene.ItemsAsync(studyId, "rater-2", rated: true))[0]);

        var page = new HtmlParser().ParseDocument(await rater.GetStringAsync($"/studies/{studyId}/adjudication/{handle}"));

        var labels = page.QuerySelectorAll("tbody th[scope=row] > span[lang]").Select(s => (s.GetAttribute("lang"), s.TextContent)).ToList();
        Assert.Contains(("zh-CN", "含编造内容（幻觉）"), labels);
    }
}
