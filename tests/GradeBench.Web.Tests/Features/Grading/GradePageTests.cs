using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

public sealed class GradePageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    /// <summary>A rater of a copy of the demo study of their own, signed in: no other test changes their queue.</summary>
    async Task<(HttpClient Client, long StudyId, long RaterId)> SignedInRaterAsync(string name)
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = await factory.MemberAsync(studyId, name, withPassword: true);
        return (await factory.SignedInClientAsync(rater), studyId, rater.Id);
    }

    [Fact]
    public async Task RaterSeesTheRubricAsLabelledRadioGroupsAndNoModelName()
    {
        var (client, studyId, _) = await SignedInRaterAsync("dr-page");

        var html = await client.GetStringAsync($"/studies/{studyId}/grade");

        Assert.Contains("role=\"radiogroup\" aria-label=\"Agreement with guideline consensus\"", html);
        Assert.Contains("<label for=\"criterion-comment\"", html);
        Assert.Contains(">Submit<", html);
        Assert.DoesNotContain("model-a", html);
        Assert.DoesNotContain("model-b", html);
        Assert.DoesNotContain("model-c", html);
    }

    [Fact]
    public async Task SomeoneWhoIsNotARaterOfTheStudyGetsNoItem()
    {
        var studyId = await factory.ImportDemoCopyAsync();

        var html = await factory.PageAsAdministratorAsync($"/studies/{studyId}/grade");

        Assert.Contains("You are not a rater in this study.", html);
        Assert.DoesNotContain("radiogroup", html);
    }

    [Fact]
    public async Task AResponseAssignedToSomeoneElseIsNotShown()
    {
        var (client, studyId, rater) = await SignedInRaterAsync("dr-other");
        await using var connection = await factory.Services.GetRequiredService<GradeBench.Storage.Database>().OpenAsync();
        var foreign = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, """
            SELECT MIN(response_id) FROM assignments WHERE study_id = @StudyId AND response_id NOT IN
                (SELECT response_id FROM assignments WHERE rater_id = @Rater)
            """, new { StudyId = studyId, Rater = rater });

        var html = await client.GetStringAsync($"/studies/{studyId}/grade/{await factory.Services.HandleOfAsync(foreign)}");

        Assert.Contains("That response is not assigned to you.", html);
    }

    [Fact]
    public async Task TheRatersHighlightsAreListedWithTheirLabelQuoteAndARemoveButton()
    {
        var (client, studyId, rater) = await SignedInRaterAsync("dr-spans");
        var services = factory.Services;
        var grading = services.GetRequiredService<GradeBench.Storage.Grading.GradingStore>();
        var first = (await grading.PositionAsync(studyId, rater, null)).Current!.Value;
        var spans = services.GetRequiredService<GradeBench.Storage.Grading.SpanStore>();
        var label = (await spans.LabelsAsync(studyId)).Single(l => l.Slug == "unsafe");
        await spans.AddAsync(studyId, rater, first, label.Id, 0, 12, "too strong");
        // Listed as read: Markdown markup in the stored quote is not shown.
        var quote = GradeBench.Web.Features.Grading.Quotes.Short((await spans.ListAsync(studyId, rater, first))[0].Quote);

        var html = await client.GetStringAsync($"/studies/{studyId}/grade/{await services.HandleOfAsync(first)}");

        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var item = Assert.Single(page.QuerySelectorAll("ul[aria-label='Your highlights'] li"));
        Assert.Equal(quote, item.QuerySelector("q")!.TextContent);
        Assert.Equal("too strong", item.QuerySelector("input[aria-label^='Note on highlight']")!.GetAttribute("value"));
        Assert.Equal($"Remove highlight “{quote}”", item.QuerySelector("button")!.GetAttribute("aria-label"));
        Assert.Equal("Unsafe advice", item.QuerySelector("option[selected]")!.TextContent);
    }

    [Fact]
    public async Task NoPageOfTheRatersWholeQueueNamesAModel()
    {
        var (client, studyId, rater) = await SignedInRaterAsync("dr-sweep");
        var queue = await factory.Services.GetRequiredService<GradeBench.Storage.Grading.GradingStore>().QueueAsync(studyId, rater);

        Assert.NotEmpty(queue);
        foreach (var entry in queue)
        {
            var html = await client.GetStringAsync($"/studies/{studyId}/grade/{entry.Handle}");
            Assert.DoesNotContain("model-", html);
            Assert.Contains("role=\"radiogroup\"", html);
        }
        Assert.DoesNotContain("model-", await client.GetStringAsync("/"));
    }
}
