using GradeBench.Web.Tests.Features.Accounts;

namespace GradeBench.Web.Tests.Features.Studies;

public sealed class HomeTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task SignedInAdministratorSeesTheDemoStudyWithItsCounts()
    {
        await factory.SetAdministratorPasswordAsync("correct horse battery");
        var client = factory.CreateBrowserClient();
        await SignInTests.PostSignInAsync(client, "admin", "correct horse battery");

        var html = await client.GetStringAsync("/");

        Assert.Contains("LLM answers to stroke care questions (synthetic demo)", html);
        foreach (var (label, count) in new[] { ("Cases", 20), ("Responses", 60), ("Raters", 4), ("Ratings", 576) })
            Assert.Contains($"<dt>{label}</dt><dd>{count}</dd>", html);
    }
}
