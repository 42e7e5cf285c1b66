using AngleSharp.Html.Parser;
using GradeBench.Web.Hosting;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>The adjudication pages of a side-by-side study (<see cref="PairAdjudicationScene"/>) in the pseudo-locale hold
/// no interface text that did not come through a localizer, for the coordinator and for a rater; and they speak Chinese,
/// the questions in the study's Chinese where it gives one.</summary>
public sealed class PairAdjudicationLanguageTests
{
    static HttpClient In(HttpClient client, string language)
    {
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        return client;
    }

    [Fact]
    public async Task TheQueueAndThePairsPageAreAllLocalized()
    {
        using var pseudo = new GradeBenchFactory { Languages = [Languages.English, Languages.Pseudo] };
        var scene = await PairAdjudicationScene.InAdjudicationAsync(pseudo);
        var coordinator = In(await pseudo.SignedInAdministratorAsync(), Languages.Pseudo);
        var rater = In(await scene.SignInAsync(pseudo, 0), Languages.Pseudo);

        foreach (var (client, path) in new[]
        {
            (coordinator, $"/studies/{scene.StudyId}/adjudication"),
            (coordinator, scene.ItemPath),
            (rater, $"/studies/{scene.StudyId}/adjudication"),
            (rater, scene.ItemPath),
            (rater, $"/studies/{scene.StudyId}/adjudication/pairs/0000000000000000"),
        })
        {
            var html = await client.GetStringAsync(path);
            var unmarked = AdjudicationLanguageTests.UnmarkedOnPage(html);
            Assert.True(unmarked.Count == 0, $"{path}: {string.Join(" | ", unmarked)}");
        }
    }

    [Fact]
    public async Task ARaterReadsThePairInChinese()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var scene = await PairAdjudicationScene.InAdjudicationAsync(bilingual);
        var rater = In(await scene.SignInAsync(bilingual, 0), Languages.Chinese);

        var page = new HtmlParser().ParseDocument(await rater.GetStringAsync(scene.ItemPath));
        var queue = new HtmlParser().ParseDocument(await rater.GetStringAsync($"/studies/{scene.StudyId}/adjudication"));

        Assert.Equal("回答对裁定 · GradeBench", page.Title);
        var consensus = page.QuerySelectorAll("tbody tr")[0];
        Assert.Equal(("zh-CN", "哪个回答更符合临床共识？"), (consensus.QuerySelector("th > span[lang]")!.GetAttribute("lang"), consensus.QuerySelector("th > span[lang]")!.TextContent));
        Assert.Contains("回答 B", consensus.QuerySelectorAll("td")[0].TextContent);
        Assert.Equal(["回答 A", "回答 B"], page.QuerySelectorAll("#answer-a h2, #answer-b h2").Select(h => h.TextContent));
        Assert.Equal("待裁定的回答对", queue.QuerySelector("table caption")!.TextContent);
    }
}
