
namespace GradeBench.Web.Tests.Features.Studies;

public sealed class HomeTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task SignedInAdministratorSeesTheDemoStudyWithItsCounts()
    {
        var (_, slug) = await factory.ImportNamedDemoCopyAsync();

        var html = await factory.PageAsAdministratorAsync("/");

        // The card of this test's copy: from its title to the end of its counts.
        var caption = html.IndexOf($"{slug} · ", StringComparison.Ordinal);
        Assert.True(caption > 0, "the copy has a card");
        var start = html.LastIndexOf("<h2", caption, StringComparison.Ordinal);
        var card = html[start..html.IndexOf("</dl>", caption, StringComparison.Ordinal)];
        Assert.Contains("LLM answers to stroke care questions (synthetic demo)", card);
        foreach (var (label, count) in new[] { ("Cases", 20), ("Responses", 60), ("Raters", 4), ("Ratings", 576) })
            Assert.Contains($"<dt>{label}</dt><dd>{count}</dd>", card);
    }
}
