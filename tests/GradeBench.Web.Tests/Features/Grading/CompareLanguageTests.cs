using AngleSharp.Html.Parser;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Pairwise;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The side-by-side page speaks the interface's language: served in the pseudo-locale no text of its own is left
/// outside the markers; served in Chinese it reads Chinese, its panes named in Chinese.</summary>
public sealed class CompareLanguageTests : IDisposable
{
    readonly GradeBenchFactory _app = new() { Languages = [Languages.English, Languages.Chinese, Languages.Pseudo] };

    public void Dispose() => _app.Dispose();

    async Task<(PairwiseStudy Study, HttpClient Client)> RaterAsync(string language)
    {
        var (study, client) = await ComparePageTests.SignedInRaterAsync(_app, await _app.ImportDemoCopyAsync());
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        return (study, client);
    }

    static IReadOnlyList<string> Unmarked(string html)
    {
        var page = new HtmlParser().ParseDocument(html);
        return PseudoLocaleText.Unmarked($"<html><head><title>{page.Title}</title></head><body>{page.QuerySelector("main")!.OuterHtml}</body></html>");
    }

    [Fact]
    public async Task ADraftAFrozenPairWithFlagsThePairNotAssignedAndTheFinishedQueueHaveNoUnmarkedText()
    {
        var (study, client) = await RaterAsync(Languages.Pseudo);
        var store = _app.Services.GetRequiredService<PairwiseStore>();
        await store.SaveAsync(study.StudyId, study.Raters[0], study.Pairs[0].Id, new()
        {
            Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Left },
            Reasons = ["safety"],
        }, submit: false);

        var open = await client.GetStringAsync($"/studies/{study.StudyId}/compare/{study.Pairs[0].Handle}");
        foreach (var pair in study.Pairs)
            await store.SaveAsync(study.StudyId, study.Raters[0], pair.Id, new()
            {
                Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Tie, ["harm"] = PairwiseChoice.BothBad },
            }, submit: true);
        var seen = study.Pairs[1];
        await ComparePageTests.RevealAsync(_app.Services, study, seen);
        await _app.Services.GetRequiredService<PairFlagRecorder>().AddAsync(study.StudyId, study.Raters[0], seen.Id, seen.A.Id, "Incomplete.");
        var frozen = await client.GetStringAsync($"/studies/{study.StudyId}/compare/{seen.Handle}");
        var finished = await client.GetStringAsync($"/studies/{study.StudyId}/compare");
        var notAssigned = await client.GetStringAsync($"/studies/{study.StudyId}/compare/0000000000000000");

        Assert.Empty(Unmarked(open));
        Assert.Empty(Unmarked(frozen));
        var frozenText = new HtmlParser().ParseDocument(frozen).Body!.TextContent;
        Assert.Contains("⟦You have seen other raters' votes on this pair", frozenText);
        Assert.Contains("⟦You flagged this answer: “Incomplete.”⟧", frozenText);
        Assert.Empty(Unmarked(finished));
        Assert.Contains("⟦All your assigned pairs are done. Thank you!⟧", new HtmlParser().ParseDocument(finished).Body!.TextContent);
        Assert.Empty(Unmarked(notAssigned));
    }

    [Fact]
    public async Task ThePageInChineseNamesItsAnswersInChinese()
    {
        var (study, client) = await RaterAsync(Languages.Chinese);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync($"/studies/{study.StudyId}/compare"));

        Assert.Equal("zh-CN", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(("左侧回答", "右侧回答"), (page.QuerySelector("#pair-left")!.GetAttribute("aria-label"), page.QuerySelector("#pair-right")!.GetAttribute("aria-label")));
        Assert.Equal("哪个回答更符合临床共识？ *", page.QuerySelector("#axis-consensus legend")!.TextContent);
        Assert.Equal(["左侧", "右侧", "平局", "两者均不可接受"], page.QuerySelectorAll("#axis-harm label").Select(l => l.TextContent.Trim()));
        Assert.StartsWith("第 1 对回答", page.QuerySelector("#pair-heading")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFrozenPairSaysWhyInChineseAndItsFlagPanelsNameTheirSide()
    {
        var (study, client) = await RaterAsync(Languages.Chinese);
        await ComparePageTests.RevealAsync(_app.Services, study, study.Pairs[0]);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync($"/studies/{study.StudyId}/compare/{study.Pairs[0].Handle}"));

        Assert.Equal("您已看到其他评分者对此回答对的判断，因此您对它的独立判断为最终结果。如需修改，请在裁定中讨论。",
            page.QuerySelector("form.pair-form .frozen-note")!.TextContent.Trim());
        Assert.True(page.QuerySelector("fieldset.pair-fields")!.HasAttribute("disabled"));
        Assert.Equal(("向研究协调员标记左侧回答", "向研究协调员标记右侧回答"),
            (page.QuerySelector("#pair-left section.flag")!.GetAttribute("aria-label"), page.QuerySelector("#pair-right section.flag")!.GetAttribute("aria-label")));
    }
}
