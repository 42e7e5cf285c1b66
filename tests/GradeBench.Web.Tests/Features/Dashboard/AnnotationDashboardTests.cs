using GradeBench.Storage.Grading;
using GradeBench.Web.Features.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>The dashboard of a note-only study (<see cref="DemoAnnotation"/>): progress counts cases done of those
/// assigned, per rater; there are no models, criteria or agreement on criteria to show.</summary>
public sealed class AnnotationDashboardTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task ProgressCountsCasesPerRaterAndNoModelOrCriterionTableIsShown()
    {
        var study = await factory.ImportAnnotationCopyAsync();
        var first = await factory.MemberAsync(study, "dr-first");
        await factory.MemberAsync(study, "dr-second");
        var grading = factory.Services.GetRequiredService<GradingStore>();
        foreach (var entry in (await grading.QueueAsync(study, first.Id)).Take(3))
            await grading.SaveAsync(study, first.Id, entry.ResponseId, new Dictionary<string, string?>(), submit: true);
        await await factory.Services.GetRequiredService<DashboardCounts>().CurrentAsync(study);

        var html = await factory.PageAsAdministratorAsync($"/studies/{study}/dashboard");

        Assert.Contains($"3 of {DemoAnnotation.Cases * DemoAnnotation.RatersPerCase} assigned cases done (8%)", html);
        Assert.Contains("3 / 20", html);
        Assert.DoesNotContain("\"models-heading\"", html);
        Assert.DoesNotContain("\"criteria-heading\"", html);
        Assert.DoesNotContain("\"agreement-heading\"", html);
        // The raters' agreement on their passages is what a note-only study measures.
        Assert.Contains("\"note-agreement-heading\"", html);
    }
}
