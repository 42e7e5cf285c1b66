using System.Globalization;
using AngleSharp.Html.Parser;
using Bunit;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Hosting;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Tests.Features.Accounts;

/// <summary>The account pages and the shared pages speak the request's language (issue 18): served in the pseudo-locale
/// they hold no text that did not come through a localizer, in each state a user meets; in zh-CN they read Chinese.</summary>
public sealed class AccountsLanguageTests : IDisposable
{
    readonly GradeBenchFactory _pseudo = new() { Languages = [Languages.English, Languages.Pseudo] };

    public void Dispose() => _pseudo.Dispose();

    static HttpClient InPseudoLocale(HttpClient client)
    {
        client.DefaultRequestHeaders.Add("Accept-Language", Languages.Pseudo);
        return client;
    }

    static async Task AssertAllMarkedAsync(HttpClient client, params string[] paths)
    {
        foreach (var path in paths)
        {
            var html = await client.GetStringAsync(path);
            Assert.True(PseudoLocaleText.Unmarked(html).Count == 0, $"{path}: {string.Join(" | ", PseudoLocaleText.Unmarked(html))}");
        }
    }

    [Fact]
    public async Task TheSignInPageWithEachMessageHasNoUnmarkedText() =>
        await AssertAllMarkedAsync(InPseudoLocale(_pseudo.CreateBrowserClient()),
            "/signin", "/signin?error=1", "/signin?error=link", "/signin?error=disabled", "/signin?error=locked&minutes=1",
            "/signin?error=locked&minutes=7", "/signin?saved=password&username=dr-li", "/not-found", "/Error");

    [Fact]
    public async Task TheInvitePageInEachStateHasNoUnmarkedText()
    {
        var studyId = await _pseudo.ImportDemoCopyAsync();
        var invites = _pseudo.Services.GetRequiredService<InviteStore>();
        var token = await invites.CreateAsync(studyId, "rater", null, TimeSpan.FromDays(1));
        var expired = await invites.CreateAsync(studyId, "rater", null, TimeSpan.Zero);
        var invite = $"/invite/{token}";

        await AssertAllMarkedAsync(InPseudoLocale(_pseudo.CreateBrowserClient()),
            invite, $"{invite}?error=name", $"{invite}?error=taken", $"{invite}?error=short", $"{invite}?error=mismatch",
            $"{invite}?account=existing", $"{invite}?account=existing&error=1", $"{invite}?account=existing&error=locked&minutes=2",
            $"{invite}?account=existing&error=disabled", "/invite/unknown-token", $"/invite/{expired}");
        var member = await _pseudo.MemberAsync(null, "dr-zhao", withPassword: true);
        var rater = await _pseudo.MemberAsync(studyId, "dr-qian", withPassword: true);
        await AssertAllMarkedAsync(InPseudoLocale(await _pseudo.SignedInClientAsync(member)), invite);
        await AssertAllMarkedAsync(InPseudoLocale(await _pseudo.SignedInClientAsync(rater)), invite);
    }

    [Fact]
    public async Task ThePasswordPagesAndTheAccountsPageHaveNoUnmarkedText()
    {
        var member = await _pseudo.MemberAsync(null, "dr-sun", withPassword: true);
        var users = _pseudo.Services.GetRequiredService<UserStore>();
        var link = $"/account/set-password/{await users.CreateSetPasswordLinkAsync(member.Id, (await _pseudo.AdministratorAsync()).Id)}";

        await AssertAllMarkedAsync(InPseudoLocale(await _pseudo.SignedInClientAsync(member)),
            "/account/password", "/account/password?error=short", "/account/password?error=mismatch", "/account/password?error=current",
            "/account/password?error=locked", "/not-found");
        await AssertAllMarkedAsync(InPseudoLocale(_pseudo.CreateBrowserClient()),
            link, $"{link}?error=short", $"{link}?error=mismatch", "/account/set-password/unknown-token");
        await AssertAllMarkedAsync(InPseudoLocale(await _pseudo.SignedInAdministratorAsync()), "/accounts");
    }

    [Fact]
    public async Task TheSignInPageInChineseSaysSignIn()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var client = bilingual.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("Accept-Language", Languages.Chinese);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/signin?error=locked&minutes=3"));

        Assert.Equal("登录", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("登录", page.QuerySelector("form[action='/account/signin'] button")!.TextContent.Trim());
        Assert.Equal("尝试次数过多，请 3 分钟后重试。", page.QuerySelector("p[role=alert]")!.TextContent.Trim());
    }

    [Fact]
    public async Task TheRateLimitersRefusalSpeaksTheBrowsersLanguage()
    {
        using var limited = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese], SignInAttemptsPerMinute = 1 };
        var client = limited.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("Accept-Language", Languages.Chinese);

        HttpResponseMessage refused;
        do refused = await client.GetAsync("/account/link?token=nothing");
        while (refused.StatusCode != System.Net.HttpStatusCode.TooManyRequests);

        Assert.Equal("来自此地址的登录尝试次数过多。请等待一分钟后再试。", await refused.Content.ReadAsStringAsync());
    }
}

/// <summary>The accounts page once interactive (its prerender shows only a progress bar), in the pseudo-locale, with
/// the confirmation, a handed link and a message shown.</summary>
public sealed class AccountsPageLanguageTests(GradeBenchFactory factory) : LiveAdjudicationContext(factory), IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task TheInteractiveAccountsPageHasNoUnmarkedText()
    {
        using var pseudo = new GradeBenchFactory { Languages = [Languages.English, Languages.Pseudo] };
        Services.AddSingleton(pseudo.Services.GetRequiredService<IStringLocalizerFactory>());
        UseAppServices(typeof(UserStore), typeof(AccountRecorder));
        Services.AddLocalization();
        var target = await Factory.MemberAsync(null, "dr-pseudo");
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(Languages.Pseudo);
        try
        {
            SignInAs(await AdministratorIdAsync(), "admin");
            var cut = Render<AccountsPage>();
            cut.WaitForAssertion(() => Assert.Contains(target.Username, cut.Markup));
            var row = cut.FindAll("tr").Single(r => r.TextContent.Contains(target.Username));
            row.QuerySelectorAll("button").Single(b => b.TextContent.Contains("Reset password")).Click();
            cut.FindAll("tr").Single(r => r.TextContent.Contains(target.Username)).QuerySelectorAll("button")
                .Single(b => b.TextContent.Contains("Disable account")).Click();

            cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#confirm-disable-text")));
            Assert.Contains("set-password-link", cut.Markup);
            Assert.Empty(PseudoLocaleText.Unmarked(cut.Markup));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
