using GradeBench.Storage.Grading;
using Microsoft.Extensions.DependencyInjection;

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
        foreach (var (label, count) in new[] { ("Cases", 20), ("Responses", 60), ("Raters", 4), ("Ratings", 72) })
            Assert.Contains($"<dt>{label}</dt><dd>{count}</dd>", card);
    }

    [Fact]
    public async Task ARaterSeesTheirOwnProgressAndContinuesWhereTheyAre()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = await factory.MemberAsync(studyId, "dr-progress", withPassword: true);
        var client = await factory.SignedInClientAsync(rater);
        var grading = factory.Services.GetRequiredService<GradingStore>();
        var queue = await grading.QueueAsync(studyId, rater.Id);

        var fresh = await client.GetStringAsync("/");
        foreach (var item in queue.Take(2))
            await grading.SaveAsync(studyId, rater.Id, item.ResponseId, DemoRatings.Complete(), submit: true);
        var begun = await client.GetStringAsync("/");

        Assert.True(queue.Count > 2, "the new rater has a share of the work");
        Assert.Contains($">0 of {queue.Count} done</p>", fresh);
        Assert.Contains("Start grading", fresh);
        Assert.Contains($">2 of {queue.Count} done</p>", begun);
        Assert.Matches($"href=\"/studies/{studyId}/grade\"[^>]*>[^<]*(<[^>]+>)*Continue", begun);
        Assert.DoesNotContain("<dt>Ratings</dt>", begun);
    }
}
