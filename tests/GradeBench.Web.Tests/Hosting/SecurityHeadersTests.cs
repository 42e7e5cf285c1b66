using System.Net;

namespace GradeBench.Web.Tests.Hosting;

public sealed class SecurityHeadersTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Theory]
    [InlineData("/signin")]
    [InlineData("/")]
    [InlineData("/css/app.css")]
    [InlineData("/api/studies/1/assignments")]
    [InlineData("/healthz")]
    public async Task EveryAnswerCarriesTheSecurityHeaders(string path)
    {
        var response = await factory.CreateBrowserClient().GetAsync(path);

        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task PagesHoldNoInlineScriptThePolicyWouldBlock()
    {
        var client = await factory.SignedInAdministratorAsync();

        var html = await client.GetStringAsync("/");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        foreach (System.Text.RegularExpressions.Match script in System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*>"))
            Assert.Contains("src=", script.Value);
    }
}
