
namespace GradeBench.Web.Tests.Features.Studies;

public sealed class HomeTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task SignedInAdministratorSeesTheDemoStudyWithItsCounts()
    {
        var client = await factory.SignedInAdministratorAsync();

        var html = await client.GetStringAsync("/");

        Assert.Contains("LLM answers to stroke care questions (synthetic demo)", html);
        foreach (var (label, count) in new[] { ("Cases", 20), ("Responses", 60), ("Raters", 4), ("Ratings", 576) })
            Assert.Contains($"<dt>{label}</dt><dd>{count}</dd>", html);
    }
}
