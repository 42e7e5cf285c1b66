using System.Net;
using AngleSharp.Html.Parser;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Hosting;

/// <summary>How a request's language is chosen (issue 18): the signed-in user's saved choice, else the switch's
/// cookie, else Accept-Language, else English; <c>&lt;html lang&gt;</c> follows, and only offered languages count.</summary>
public sealed class LanguageTests : IDisposable
{
    readonly GradeBenchFactory _bilingual = new() { Languages = [Languages.English, Languages.Chinese] };

    public void Dispose() => _bilingual.Dispose();

    static async Task<(string Lang, string SkipLink)> SignInPageAsync(HttpClient client, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        if (acceptLanguage is not null) request.Headers.Add("Accept-Language", acceptLanguage);
        var page = new HtmlParser().ParseDocument(await (await client.SendAsync(request)).Content.ReadAsStringAsync());
        return (page.DocumentElement.GetAttribute("lang")!, page.QuerySelector("a.skip-link")!.TextContent.Trim());
    }

    static async Task<HttpResponseMessage> SwitchAsync(HttpClient client, string culture, string returnUrl = "/signin") =>
        await client.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = culture, ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = await GradeBenchFactory.AntiforgeryTokenAsync(client, "/signin"),
        }));

    [Fact]
    public async Task TheBrowsersLanguageIsTakenWhenOfferedAndTheHtmlLangFollows()
    {
        var client = _bilingual.CreateBrowserClient();

        Assert.Equal(("zh-CN", "跳到主要内容"), await SignInPageAsync(client, "zh-CN,zh;q=0.9,en;q=0.8"));
        Assert.Equal(("zh-CN", "跳到主要内容"), await SignInPageAsync(client, "zh"));
        Assert.Equal(("en", "Skip to main content"), await SignInPageAsync(client, "fr-FR,fr;q=0.9"));
        Assert.Equal(("en", "Skip to main content"), await SignInPageAsync(client));
    }

    [Fact]
    public async Task EnglishAndChineseAreOfferedByDefault()
    {
        using var app = new GradeBenchFactory();
        var client = app.CreateBrowserClient();

        Assert.Equal(("zh-CN", "跳到主要内容"), await SignInPageAsync(client, "zh-CN"));
        var options = new HtmlParser().ParseDocument(await client.GetStringAsync("/signin")).QuerySelectorAll("#language-choice option");
        Assert.Equal(["English", "简体中文"], options.Select(o => o.TextContent.Trim()));
    }

    [Fact]
    public async Task ALanguageNotOfferedIsNeverUsed()
    {
        using var englishOnly = new GradeBenchFactory { Languages = [Languages.English] };
        var client = englishOnly.CreateBrowserClient();

        Assert.Equal(("en", "Skip to main content"), await SignInPageAsync(client, "zh-CN"));
        Assert.Equal(HttpStatusCode.BadRequest, (await SwitchAsync(client, Languages.Chinese)).StatusCode);
        Assert.Null(new HtmlParser().ParseDocument(await client.GetStringAsync("/signin")).QuerySelector("form[data-language-switch]"));
    }

    [Fact]
    public async Task TheSwitchsCookieBeatsTheBrowserAndGoesBackToThePage()
    {
        var client = _bilingual.CreateBrowserClient();

        var switched = await SwitchAsync(client, Languages.English, "/signin?returnUrl=%2Fstudies");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/signin?returnUrl=%2Fstudies", switched.Headers.Location!.OriginalString);
        Assert.Equal(("en", "Skip to main content"), await SignInPageAsync(client, "zh-CN"));
        await SwitchAsync(client, Languages.Chinese, "https://evil.example/");
        Assert.Equal(("zh-CN", "跳到主要内容"), await SignInPageAsync(client, "en"));
    }

    [Fact]
    public async Task ASwitchWithoutTheAntiforgeryTokenChangesNothing()
    {
        var client = _bilingual.CreateBrowserClient();

        var refused = await client.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = Languages.Chinese }));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(("en", "Skip to main content"), await SignInPageAsync(client, "en"));
    }

    [Fact]
    public async Task ASignedInUsersChoiceFollowsThemToAnotherBrowserAndBeatsItsCookie()
    {
        var user = await _bilingual.MemberAsync(null, "lang", withPassword: true);
        var first = await _bilingual.SignedInClientAsync(user);
        await SwitchAsync(first, Languages.Chinese, "/");
        Assert.Equal(Languages.Chinese, (await _bilingual.Services.GetRequiredService<UserStore>().FindSessionAsync(user.Id))!.Language);

        var second = _bilingual.CreateBrowserClient();
        await SwitchAsync(second, Languages.English);
        await Features.Accounts.SignInTests.PostSignInAsync(second, user.Username, GradeBenchFactory.MemberPassword);
        var home = new HtmlParser().ParseDocument(await second.GetStringAsync("/"));

        Assert.Equal("zh-CN", home.DocumentElement.GetAttribute("lang"));
        Assert.Equal("退出登录", home.QuerySelector("form[action='/account/signout'] button")!.TextContent.Trim());
    }

    [Fact]
    public async Task ThePseudoLocaleMarksEveryLocalizedString()
    {
        using var pseudo = new GradeBenchFactory { Languages = [Languages.English, Languages.Pseudo] };
        var client = pseudo.CreateBrowserClient();

        var (lang, skipLink) = await SignInPageAsync(client, Languages.Pseudo);

        Assert.Equal((Languages.Pseudo, "⟦Skip to main content⟧"), (lang, skipLink));
        Assert.Equal(("en", "Skip to main content"), await SignInPageAsync(client, "en"));
    }
}
