using System.Net;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Accounts;

public sealed class SignInTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/account/password")]
    [InlineData("/no-such-page")]
    public async Task AnonymousVisitorsAreSentToTheSignInPage(string path)
    {
        var response = await factory.CreateBrowserClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery[..7]);
    }

    [Fact]
    public async Task SignInPageHasLabelledFields()
    {
        var html = await factory.CreateBrowserClient().GetStringAsync("/signin");

        Assert.Contains("<label for=\"username\">User name</label>", html);
        Assert.Contains("<label for=\"password\">Password</label>", html);
    }

    [Fact]
    public async Task OneTimeLinkSignsInOnceThenAsksForAPassword()
    {
        var users = factory.Services.GetRequiredService<UserStore>();
        var admin = await factory.AdministratorAsync();
        var token = await users.CreateSignInTokenAsync(admin.Id, TimeSpan.FromMinutes(5));
        var client = factory.CreateBrowserClient();

        var first = await client.GetAsync($"/account/link?token={token}");
        var passwordPage = await client.GetAsync("/account/password");
        var second = await factory.CreateBrowserClient().GetAsync($"/account/link?token={token}");

        Assert.Equal("/account/password", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, passwordPage.StatusCode);
        Assert.Contains("Choose a password", await passwordPage.Content.ReadAsStringAsync());
        Assert.Equal("/signin?error=link", second.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AnExpiredOneTimeLinkDoesNotSignIn()
    {
        var admin = await factory.AdministratorAsync();
        var token = await factory.Services.GetRequiredService<UserStore>().CreateSignInTokenAsync(admin.Id, TimeSpan.Zero);

        var answer = await factory.CreateBrowserClient().GetAsync($"/account/link?token={token}");

        Assert.Equal("/signin?error=link", answer.Headers.Location?.OriginalString);
        Assert.False(answer.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("gradebench.auth=")));
    }

    [Fact]
    public async Task WrongPasswordIsRefusedAndRightPasswordSignsIn()
    {
        await factory.SetAdministratorPasswordAsync("correct horse battery");
        var client = factory.CreateBrowserClient();

        var wrong = await PostSignInAsync(client, "admin", "wrong password!");
        var right = await PostSignInAsync(client, "admin", "correct horse battery");
        var home = await client.GetAsync("/");

        Assert.StartsWith("/signin?error=1", wrong.Headers.Location?.OriginalString);
        Assert.Equal("/", right.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task SignInWithoutAntiforgeryTokenIsRejected()
    {
        var response = await factory.CreateBrowserClient().PostAsync("/account/signin",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "admin", ["password"] = "x" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ReturnUrlCannotLeaveTheSite()
    {
        await factory.SetAdministratorPasswordAsync("correct horse battery");

        var response = await PostSignInAsync(factory.CreateBrowserClient(), "admin", "correct horse battery", "//evil.example/");

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task RepeatedFailuresLockTheUserNameEvenWithTheRightPassword()
    {
        await using var own = new GradeBenchFactory();
        await own.SetAdministratorPasswordAsync("correct horse battery");
        var client = own.CreateBrowserClient();
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
            await PostSignInAsync(client, "admin", $"guess {i}");

        var locked = await PostSignInAsync(client, "admin", "correct horse battery");
        var page = await client.GetStringAsync(locked.Headers.Location!.OriginalString);

        Assert.StartsWith("/signin?error=locked&minutes=1&", locked.Headers.Location.OriginalString);
        Assert.Contains("Too many attempts", page);
    }

    internal static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string username, string password, string? returnUrl = null)
    {
        var token = await GradeBenchFactory.AntiforgeryTokenAsync(client, "/signin");
        var form = new Dictionary<string, string> { ["username"] = username, ["password"] = password, ["__RequestVerificationToken"] = token };
        if (returnUrl is not null) form["returnUrl"] = returnUrl;
        return await client.PostAsync("/account/signin", new FormUrlEncodedContent(form));
    }
}
