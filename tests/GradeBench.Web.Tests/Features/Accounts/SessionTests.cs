using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GradeBench.Web.Tests.Features.Accounts;

public sealed class SessionTests
{
    [Fact]
    public async Task ARestartKeepsEveryoneSignedIn()
    {
        using var first = new GradeBenchFactory();
        await first.SetAdministratorPasswordAsync("correct horse battery");
        var signIn = await SignInTests.PostSignInAsync(first.CreateBrowserClient(), "admin", "correct horse battery");
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gradebench.auth=", StringComparison.Ordinal)).Split(';')[0];

        using var restarted = first.Restart();
        var client = restarted.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        var home = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task TheSignInCookieIsHttpOnlyAndSameSite()
    {
        using var app = new GradeBenchFactory();
        await app.SetAdministratorPasswordAsync("correct horse battery");

        var signIn = await SignInTests.PostSignInAsync(app.CreateBrowserClient(), "admin", "correct horse battery");

        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gradebench.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
    }

    [Fact]
    public async Task OverHttpsTheSignInCookieIsSecure()
    {
        using var app = new GradeBenchFactory();
        await app.SetAdministratorPasswordAsync("correct horse battery");
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

        var signIn = await SignInTests.PostSignInAsync(client, "admin", "correct horse battery");

        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gradebench.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; secure", cookie);
    }

    [Fact]
    public async Task BehindALocalTlsProxyTheSignInCookieIsSecure()
    {
        using var app = new GradeBenchFactory();
        await app.SetAdministratorPasswordAsync("correct horse battery");
        var client = app.CreateBrowserClient();
        var token = await GradeBenchFactory.AntiforgeryTokenAsync(client, "/signin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = "admin", ["password"] = "correct horse battery", ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "127.0.0.1");

        var signIn = await client.SendAsync(request);

        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gradebench.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; secure", cookie);
    }

    [Fact]
    public async Task TooManySignInAttemptsFromOneAddressAreRefused()
    {
        using var app = new GradeBenchFactory { SignInAttemptsPerMinute = 3 };
        await app.SetAdministratorPasswordAsync("correct horse battery");
        var client = app.CreateBrowserClient();

        var allowed = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++) allowed.Add(await SignInTests.PostSignInAsync(client, $"nobody{i}", "a guess at it"));
        var refused = await SignInTests.PostSignInAsync(client, "admin", "correct horse battery");
        var link = await client.GetAsync("/account/link?token=guess");

        Assert.All(allowed, response => Assert.Equal(HttpStatusCode.Redirect, response.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync());
        Assert.False(refused.Headers.Contains("Set-Cookie") && refused.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("gradebench.auth=")));
        Assert.Equal(HttpStatusCode.TooManyRequests, link.StatusCode);
    }
}
