using System.Net;
using GradeBench.Web.Hosting;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The grading page shows the rubric and guidelines in the rater's interface language where the study gives
/// them (the demo gives English and Simplified Chinese), else the study's, each marked with the language shown.</summary>
public sealed class RubricLanguageTests
{
    static async Task<string> GradingPageAsync(string acceptLanguage)
    {
        using var app = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var studyId = await app.ImportDemoCopyAsync();
        var rater = await app.MemberAsync(studyId, "dr-lang", withPassword: true);
        var client = await app.SignedInClientAsync(rater);
        client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        return WebUtility.HtmlDecode(await client.GetStringAsync($"/studies/{studyId}/grade"));
    }

    [Fact]
    public async Task ARaterWhoseInterfaceIsChineseSeesTheChineseRubricMarkedAsChinese()
    {
        var html = await GradingPageAsync(Languages.Chinese);

        Assert.Contains("role=\"radiogroup\" aria-label=\"与指南共识的一致性\" id=\"criterion-consensus\" lang=\"zh-CN\"", html);
        Assert.Contains("<span lang=\"zh-CN\">5 · 完全一致</span>", html);
        Assert.Contains("<span lang=\"zh-CN\">死亡或严重危害</span>", html);
        Assert.Contains("<label for=\"criterion-comment\" class=\"criterion-label\" lang=\"zh-CN\">评语</label>", html);
        Assert.Contains("<div lang=\"zh-CN\"><div class=\"markdown\"><p>回答是否理解了问题", html);
        Assert.Contains("评分指南", html);
        Assert.DoesNotContain("Agreement with guideline consensus", html);
    }

    [Fact]
    public async Task ARaterWhoseInterfaceIsEnglishSeesTheEnglishRubricMarkedAsEnglish()
    {
        var html = await GradingPageAsync(Languages.English);

        Assert.Contains("role=\"radiogroup\" aria-label=\"Agreement with guideline consensus\" id=\"criterion-consensus\" lang=\"en\"", html);
        Assert.Contains("<span lang=\"en\">5 · Fully aligned</span>", html);
        Assert.Contains("Rating guidelines", html);
        Assert.DoesNotContain("与指南共识的一致性", html);
    }
}
