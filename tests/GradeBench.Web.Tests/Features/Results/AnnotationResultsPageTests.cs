namespace GradeBench.Web.Tests.Features.Results;

/// <summary>The results page of a note-only study (<see cref="DemoAnnotation"/>): no model tables, no rubric
/// agreement; the agreement on the notes' passages, and where the passages are.</summary>
public sealed class AnnotationResultsPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task ANoteOnlyStudyShowsNoModelTablesAndPointsToItsPassages()
    {
        var study = await factory.ImportAnnotationCopyAsync();

        var html = await factory.PageAsAdministratorAsync($"/studies/{study}/results");

        Assert.Contains("Marked passages", html);
        Assert.Contains($"href=\"/studies/{study}/adjudicate/notes\"", html);
        Assert.DoesNotContain("models-heading", html);
        // What a note-only study measures: agreement on the passages.
        Assert.Contains("id=\"note-agreement-heading\"", html);
        Assert.DoesNotContain("id=\"agreement-heading\"", html);
    }
}
