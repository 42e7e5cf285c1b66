using System.Net;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Tests.Features.Accounts;

public sealed class InviteTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    /// <summary>An invite to be a rater of a copy of the demo study of this test's own.</summary>
    async Task<string> InviteAsync(TimeSpan? lifetime = null)
    {
        var studyId = await factory.ImportDemoCopyAsync();
        return await factory.Services.GetRequiredService<InviteStore>().CreateAsync(studyId, "rater", null, lifetime ?? TimeSpan.FromDays(1));
    }

    // A used or expired invite's page has no form: a replay takes its antiforgery field from the sign-in page.
    static async Task<HttpResponseMessage> AcceptAsync(HttpClient client, string token, string username, string password, string? confirmation = null,
        bool replay = false)
    {
        var antiforgery = await GradeBenchFactory.AntiforgeryTokenAsync(client, replay ? "/signin" : $"/invite/{token}");
        return await client.PostAsync("/account/invite", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["username"] = username, ["displayName"] = "Dr " + username,
            ["password"] = password, ["confirmation"] = confirmation ?? password, ["__RequestVerificationToken"] = antiforgery,
        }));
    }

    [Fact]
    public async Task InviteeCreatesAnAccountAndSeesTheStudy()
    {
        var token = await InviteAsync();
        var client = factory.CreateBrowserClient();

        var page = await client.GetStringAsync($"/invite/{token}");
        var accepted = await AcceptAsync(client, token, GradeBenchFactory.UniqueName("dr-wang"), "a long password");
        var home = await client.GetStringAsync("/");

        Assert.Contains("LLM answers to stroke care questions (synthetic demo)", page);
        Assert.Contains("<label for=\"username\">User name</label>", page);
        Assert.Equal("/", accepted.Headers.Location?.OriginalString);
        Assert.Contains("LLM answers to stroke care questions (synthetic demo)", home);
    }

    [Fact]
    public async Task MismatchedPasswordsKeepTheInviteUsable()
    {
        var token = await InviteAsync();
        var client = factory.CreateBrowserClient();

        var username = GradeBenchFactory.UniqueName("dr-zhao");
        var refused = await AcceptAsync(client, token, username, "a long password", "another password");
        var retried = await AcceptAsync(client, token, username, "a long password");

        Assert.EndsWith("?error=mismatch", refused.Headers.Location?.OriginalString);
        Assert.Equal("/", retried.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AUsedInviteSaysSo()
    {
        var token = await InviteAsync();
        await AcceptAsync(factory.CreateBrowserClient(), token, GradeBenchFactory.UniqueName("dr-sun"), "a long password");

        var page = await factory.CreateBrowserClient().GetAsync($"/invite/{token}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("This invite was already used: each invite link works once.", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AUsedInviteCannotCreateASecondAccount()
    {
        var token = await InviteAsync();
        await AcceptAsync(factory.CreateBrowserClient(), token, GradeBenchFactory.UniqueName("dr-qian"), "a long password");
        var second = GradeBenchFactory.UniqueName("dr-qian-2");

        var replay = await AcceptAsync(factory.CreateBrowserClient(), token, second, "a long password", replay: true);

        Assert.Equal($"/invite/{token}", replay.Headers.Location?.OriginalString);
        Assert.Null(await factory.Services.GetRequiredService<UserStore>().FindByUsernameAsync(second));
    }

    [Fact]
    public async Task AnExpiredInviteCreatesNoAccount()
    {
        var token = await InviteAsync(lifetime: TimeSpan.Zero);
        var username = GradeBenchFactory.UniqueName("dr-lateness");

        var page = await factory.CreateBrowserClient().GetStringAsync($"/invite/{token}");
        var accepted = await AcceptAsync(factory.CreateBrowserClient(), token, username, "a long password", replay: true);

        Assert.Contains("This invite expired on ", page);
        // The expiry is a moment the reader's browser writes in their own zone (local-time.js).
        Assert.Matches("expired on <time datetime=\"[^\"]+\" data-local=\"datetime\">", page);
        Assert.Equal($"/invite/{token}", accepted.Headers.Location?.OriginalString);
        Assert.Null(await factory.Services.GetRequiredService<UserStore>().FindByUsernameAsync(username));
    }

    [Fact]
    public async Task TheRulesAreStatedBesideTheirFieldsBeforeTheyAreBroken()
    {
        var token = await InviteAsync();
        var client = factory.CreateBrowserClient();

        var invite = await client.GetStringAsync($"/invite/{token}");
        var password = await (await factory.SignedInClientAsync(await factory.MemberAsync(null, "dr-rules", withPassword: true))).GetStringAsync("/account/password");
        var text = factory.Services.GetRequiredService<IStringLocalizer<AccountsText>>();

        Assert.Contains("aria-describedby=\"username-rule\"", invite);
        Assert.Contains($"<p id=\"username-rule\" class=\"field-hint\">{System.Net.WebUtility.HtmlEncode(AccountRules.Username(text))}</p>", invite);
        Assert.Contains("aria-describedby=\"password-rule\"", invite);
        Assert.Contains($"<p id=\"password-rule\" class=\"field-hint\">{AccountRules.Password(text)}</p>", invite);
        Assert.Contains("aria-describedby=\"password-rule\"", password);
        Assert.Contains($"<p id=\"password-rule\" class=\"field-hint\">{AccountRules.Password(text)}</p>", password);
    }

    /// <summary>Holds <see cref="AccountRules"/>' sentences to what the endpoint checks: 1 to 64 of A-Z, a-z, 0-9, dot,
    /// dash and underscore; a password of at least <see cref="UserStore.MinimumPasswordLength"/> characters, spaces counted.</summary>
    [Theory]
    [InlineData("a", null)]
    [InlineData("Dr.Li_Wei-2", null)]
    [InlineData("dr wang", "name")]
    [InlineData("dr-müller", "name")]
    [InlineData("王医生", "name")]
    public async Task TheUserNameRuleIsTheOneStated(string name, string? error)
    {
        var token = await InviteAsync();
        var accepted = await AcceptAsync(factory.CreateBrowserClient(), token, name, "a long password");

        Assert.Equal(error is null ? "/" : $"/invite/{token}?error={error}", accepted.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData(64, null)]
    [InlineData(65, "name")]
    public async Task AUserNameHasAtMost64Characters(int length, string? error)
    {
        var token = await InviteAsync();
        var username = (Guid.NewGuid().ToString("N") + new string('x', 64))[..length];

        var accepted = await AcceptAsync(factory.CreateBrowserClient(), token, username, "a long password");

        Assert.Equal(error is null ? "/" : $"/invite/{token}?error={error}", accepted.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData(0, "short")]
    [InlineData(1, null)]
    public async Task APasswordHasAtLeastTheStatedLengthSpacesCounted(int extra, string? error)
    {
        var token = await InviteAsync();
        var password = "a" + new string(' ', UserStore.MinimumPasswordLength - 2 + extra);

        var accepted = await AcceptAsync(factory.CreateBrowserClient(), token, GradeBenchFactory.UniqueName("dr-space"), password);

        Assert.Equal(error is null ? "/" : $"/invite/{token}?error={error}", accepted.Headers.Location?.OriginalString);
    }
}
