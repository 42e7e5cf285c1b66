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
        Assert.True(Directory.EnumerateFiles(first.DatabasePath + ".keys", "key-*.xml").Any());
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
}
