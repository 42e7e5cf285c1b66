using AngleSharp.Html.Parser;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>The adjudication pages as served (prerendered) to the administrator and to pilot raters, with the demo
/// study in adjudication.</summary>
public sealed class AdjudicationPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    readonly AdjudicationScene _scene = new(factory);

    [Fact]
    public async Task EnteringAdjudicationQueuesTheDemoResponsesThatDisagreeOrRaisedAlarm()
    {
        var studyId = await _scene.InAdjudicationAsync();

        var queue = (await _scene.QueueAsync(studyId, (await factory.AdministratorAsync()).Id))!;

        // 21 of the 24 pilot responses: all but case-001/005/006.model-a, whose raters agree and reported no severe harm.
        Assert.Equal(21, queue.Count);
        Assert.DoesNotContain(queue, i => i.ResponseLabel is "case-001.model-a" or "case-005.model-a" or "case-006.model-a");
        var safetyOnly = Assert.Single(queue, i => i.ResponseLabel == "case-007.model-b");
        Assert.True(safetyOnly.Safety);
        Assert.False(safetyOnly.Disagreement);
    }

    [Fact]
    public async Task ACoordinatorSeesEveryItemWithItsReasonAndModel()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var client = await _scene.SignInAdministratorAsync();

        var html = await client.GetStringAsync($"/studies/{studyId}/adjudication");

        var page = new HtmlParser().ParseDocument(html);
        Assert.Equal("Responses to adjudicate", page.QuerySelector("table caption")!.TextContent);
        Assert.Equal(21, page.QuerySelectorAll("table tbody tr").Length);
        Assert.Contains("Model", page.QuerySelectorAll("thead th").Select(th => th.TextContent));
        Assert.Contains("Safety alert", html);
        Assert.Contains("Disagreement on", html);
    }

    [Fact]
    public async Task ARaterSeesOnlyTheItemsOfResponsesTheyRatedAndNoModelName()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var client = await _scene.SignInAsync("rater-1");
        var rated = await _scene.ItemsAsync(studyId, "rater-1", rated: true);

        var html = await client.GetStringAsync($"/studies/{studyId}/adjudication");

        var links = new HtmlParser().ParseDocument(html).QuerySelectorAll("table tbody a").Select(a => a.GetAttribute("href")).ToList();
        var handles = await Task.WhenAll(rated.Select(_scene.HandleAsync));
        Assert.Equal(handles.Select(h => $"/studies/{studyId}/adjudication/{h}").Order(), links.Order());
        Assert.DoesNotContain("model-", html);
    }

    [Fact]
    public async Task TheItemPageShowsARaterEveryRatingSideBySideWithoutAnyModelName()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var client = await _scene.SignInAsync("rater-2");

        foreach (var itemId in await _scene.ItemsAsync(studyId, "rater-2", rated: true))
        {
            var html = await client.GetStringAsync($"/studies/{studyId}/adjudication/{await _scene.HandleAsync(itemId)}");

            Assert.DoesNotContain("model-", html);
            var page = new HtmlParser().ParseDocument(html);
            // Case and response texts may hold tables of their own: find the one named by its caption.
            var table = Assert.Single(page.QuerySelectorAll("table"), t => t.QuerySelector("caption")?.TextContent == "Criteria in rows, raters in columns");
            var columns = table.QuerySelectorAll("thead th").Select(th => th.TextContent).ToList();
            Assert.Equal("Criterion", columns[0]);
            Assert.Equal("Consensus", columns[^1]);
            Assert.Contains("rater-2", columns);
            Assert.Equal(3, columns.Count - 2);
            Assert.Contains(page.QuerySelectorAll("tbody th[scope=row]"), th => th.TextContent.StartsWith("Extent of possible harm"));
            // A rater records no consensus; before the circuit connects nobody gets controls that cannot work yet.
            Assert.DoesNotContain("Record consensus", html);
            Assert.DoesNotContain("Mark resolved", html);
            Assert.DoesNotContain(">Post message<", html);
        }
    }

    [Fact]
    public async Task ARaterCannotOpenTheItemOfAResponseTheyDidNotRate()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var client = await _scene.SignInAsync("rater-3");
        var foreign = (await _scene.ItemsAsync(studyId, "rater-3", rated: false))[0];

        var html = await client.GetStringAsync($"/studies/{studyId}/adjudication/{await _scene.HandleAsync(foreign)}");

        Assert.Contains("This adjudication item does not exist or is not yours to see.", html);
        Assert.DoesNotContain("Criteria in rows, raters in columns", html);
    }

    [Fact]
    public async Task TheCoordinatorSeesTheModelOnTheItemPage()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var client = await _scene.SignInAdministratorAsync();
        var item = (await _scene.QueueAsync(studyId, (await factory.AdministratorAsync()).Id))!.First(i => i.ResponseLabel == "case-007.model-b");

        var html = await client.GetStringAsync($"/studies/{studyId}/adjudication/{item.Handle}");

        Assert.Contains("Model: model-b", html);
        Assert.Contains("Safety alert", html);
    }
}
