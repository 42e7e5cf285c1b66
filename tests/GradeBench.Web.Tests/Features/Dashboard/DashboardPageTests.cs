using GradeBench.Web.Features.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>Each test looks at a copy of the demo study of its own.</summary>
public sealed class DashboardPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task ARaterIsRefusedTheDashboardAndSeesNoProgressOfOthers()
    {
        var studyId = await factory.ImportDemoCopyAsync();

        var html = await factory.PageAsMemberAsync(studyId, "dr-dash", $"/studies/{studyId}/dashboard");

        Assert.Contains("Only the coordinators of this study can see its dashboard.", html);
        Assert.DoesNotContain("Progress per rater", html);
        Assert.DoesNotContain("rater-1", html);
        Assert.DoesNotContain("model-a", html);
    }

    [Fact]
    public async Task TheAdministratorSeesProgressPerRaterModelAndCriterion()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var first = await factory.PageAsAdministratorAsync($"/studies/{studyId}/dashboard");
        // The counts are read off the request path once per data version; the next visit shows them at once.
        await await factory.Services.GetRequiredService<DashboardCounts>().CurrentAsync(studyId);

        var html = await factory.PageAsAdministratorAsync($"/studies/{studyId}/dashboard");

        Assert.Contains(">rater-1<", first);
        Assert.Contains("aria-label=\"Progress per rater\"", html);
        Assert.Contains("aria-label=\"Progress per model\"", html);
        Assert.Contains("aria-label=\"Progress per criterion\"", html);
        Assert.Contains(">rater-1<", html);
        Assert.Contains(">model-a<", html);
        Assert.Contains("Comment (optional)", html);
    }
}
