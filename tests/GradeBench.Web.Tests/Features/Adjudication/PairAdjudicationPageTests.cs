using AngleSharp.Html.Parser;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>The adjudication pages of a side-by-side study as served (prerendered), on <see cref="PairAdjudicationScene"/>.</summary>
public sealed class PairAdjudicationPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task ARaterOfThePairSeesEveryVoteByAnswerAndNoModelName()
    {
        var scene = await PairAdjudicationScene.InAdjudicationAsync(factory);
        var client = await scene.SignInAsync(factory, 0);

        var html = await client.GetStringAsync(scene.ItemPath);

        Assert.DoesNotContain("model-", html);
        var page = new HtmlParser().ParseDocument(html);
        Assert.EndsWith($" · Pair {scene.Pair.Handle}", page.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.QuerySelector("#answer-a"));
        Assert.NotNull(page.QuerySelector("#answer-b"));
        var table = Assert.Single(page.QuerySelectorAll("table"), t => t.QuerySelector("caption")?.TextContent == "Questions in rows, raters in columns");
        Assert.Equal(["Question", .. scene.Study.Usernames.Take(2), "Consensus"], table.QuerySelectorAll("thead th").Select(th => th.TextContent));
        var consensus = table.QuerySelectorAll("tbody tr")[0];
        Assert.StartsWith("Which answer better reflects clinical consensus?", consensus.QuerySelector("th")!.TextContent);
        Assert.Contains("Disagree", consensus.QuerySelector("th")!.TextContent);
        // dr-ann saw B on the left of this pair, dr-bob saw A there: both chose "left", two different answers.
        Assert.Equal(["≠AnswerB", "≠AnswerA", ""], consensus.QuerySelectorAll("td").Select(td => string.Concat(td.TextContent.Where(c => !char.IsWhiteSpace(c)))));
        Assert.Contains(table.QuerySelectorAll("tbody tr"), row => row.TextContent.Contains("Reasons ticked") && row.TextContent.Contains("More accurate"));
        // A rater records no consensus; before the circuit connects nobody gets controls that cannot work yet.
        Assert.DoesNotContain("Record consensus votes", html);
        Assert.DoesNotContain(">Post message<", html);
    }

    [Fact]
    public async Task TheCoordinatorSeesTheModelsOfAnswersAAndB()
    {
        var scene = await PairAdjudicationScene.InAdjudicationAsync(factory);
        var client = await factory.SignedInAdministratorAsync();

        var html = await client.GetStringAsync(scene.ItemPath);

        Assert.Contains($"Models: A <span translate=\"no\">{scene.Pair.A.Model}</span>, B <span translate=\"no\">{scene.Pair.B.Model}</span>", html);
    }

    [Fact]
    public async Task ARaterWhoDidNotVoteOnThePairCannotOpenIt()
    {
        var scene = await PairAdjudicationScene.InAdjudicationAsync(factory);
        var client = await scene.SignInAsync(factory, 2);

        var html = await client.GetStringAsync(scene.ItemPath);
        var queue = await client.GetStringAsync($"/studies/{scene.StudyId}/adjudication");

        Assert.Contains("This adjudication item does not exist or is not yours to see.", html);
        Assert.DoesNotContain("Questions in rows, raters in columns", html);
        Assert.Contains("No pairs need adjudication.", queue);
    }

    [Fact]
    public async Task TheQueueListsThePairBesideTheResponsesAndLinksToItsPage()
    {
        var scene = await PairAdjudicationScene.InAdjudicationAsync(factory);
        var rater = await scene.SignInAsync(factory, 0);
        var admin = await factory.SignedInAdministratorAsync();

        var raters = new HtmlParser().ParseDocument(await rater.GetStringAsync($"/studies/{scene.StudyId}/adjudication"));
        var coordinators = new HtmlParser().ParseDocument(await admin.GetStringAsync($"/studies/{scene.StudyId}/adjudication"));

        Assert.Equal("Pairs to adjudicate", raters.QuerySelector("table caption")!.TextContent);
        var link = Assert.Single(raters.QuerySelectorAll("table tbody a"));
        Assert.Equal((scene.ItemPath, $"Pair {scene.Pair.Handle}"), (link.GetAttribute("href"), link.TextContent));
        // The demo's pilot ratings queue 21 responses beside the pair.
        Assert.Equal("Responses and pairs to adjudicate", coordinators.QuerySelector("table caption")!.TextContent);
        Assert.Equal(22, coordinators.QuerySelectorAll("table tbody tr").Length);
        Assert.Contains(coordinators.QuerySelectorAll("table tbody a"), a => a.GetAttribute("href") == scene.ItemPath
            && a.TextContent == $"{scene.Pair.A.Slug} / {scene.Pair.B.Slug}");
        Assert.Contains(coordinators.QuerySelectorAll("#queue-criterion option"), o => o.TextContent == "Which answer better reflects clinical consensus?");
    }
}
