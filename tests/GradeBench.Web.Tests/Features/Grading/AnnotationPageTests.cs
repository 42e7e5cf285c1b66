using AngleSharp.Html.Parser;
using GradeBench.Storage.Grading;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The rater's page of a note-only study (<see cref="DemoAnnotation"/>): the case's note with the note
/// annotation panel, Done, previous and next, progress; no answer, no rubric, nothing in the address but a handle.</summary>
public sealed class AnnotationPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task TheRaterSeesTheNoteTheNoteLabelsAndDoneAndNoAnswerOrRubric()
    {
        var studyId = await factory.ImportAnnotationCopyAsync();
        var rater = await factory.MemberAsync(studyId, "dr-notes", withPassword: true);
        var client = await factory.SignedInClientAsync(rater);
        var queue = await factory.Services.GetRequiredService<GradingStore>().QueueAsync(studyId, rater.Id);

        var html = await client.GetStringAsync($"/studies/{studyId}/grade");

        var page = new HtmlParser().ParseDocument(html);
        Assert.Equal(DemoAnnotation.Cases, queue.Count);
        Assert.Equal($"0 / {DemoAnnotation.Cases}", page.QuerySelector("[aria-label='Progress']")!.TextContent);
        Assert.Equal($"Case 1 of {DemoAnnotation.Cases}", page.QuerySelector("#response-heading")!.TextContent);
        Assert.NotNull(page.QuerySelector("#case-note"));
        Assert.Equal(["NIHSS item", "Symptom", "Medication"], page.QuerySelectorAll(".note-label-button").Select(b => b.TextContent));
        Assert.Equal(queue[0].Handle, page.QuerySelector("form[data-journal]")!.GetAttribute("data-response"));
        Assert.Equal(">Done<", ">" + page.QuerySelector("form[data-journal] button[type='submit']")!.TextContent + "<");
        Assert.Null(page.QuerySelector("#grade-response"));
        Assert.DoesNotContain("radiogroup", html);
        Assert.DoesNotContain(">Rubric<", html);
    }

    [Fact]
    public async Task ADoneCaseSaysSoAndCountsInTheProgress()
    {
        var studyId = await factory.ImportAnnotationCopyAsync();
        var rater = await factory.MemberAsync(studyId, "dr-done", withPassword: true);
        var client = await factory.SignedInClientAsync(rater);
        var grading = factory.Services.GetRequiredService<GradingStore>();
        var first = (await grading.QueueAsync(studyId, rater.Id))[0];
        await grading.SaveAsync(studyId, rater.Id, first.ResponseId, new Dictionary<string, string?>(), submit: true);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync($"/studies/{studyId}/grade/{first.Handle}"));

        Assert.Equal($"1 / {DemoAnnotation.Cases}", page.QuerySelector("[aria-label='Progress']")!.TextContent);
        Assert.Equal($"Case 1 of {DemoAnnotation.Cases} (done)", page.QuerySelector("#response-heading")!.TextContent);
    }
}
