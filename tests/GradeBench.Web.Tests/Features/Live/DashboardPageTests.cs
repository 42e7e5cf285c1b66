using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using GradeBench.Web.Tests.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Live;

public sealed class DashboardPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    async Task<long> DemoStudyAsync() =>
        (await factory.Services.GetRequiredService<StudyQuery>().FindIdAsync("stroke-llm-synthetic-demo"))!.Value;

    [Fact]
    public async Task ARaterIsRefusedTheDashboardAndSeesNoProgressOfOthers()
    {
        var services = factory.Services;
        var studyId = await DemoStudyAsync();
        var users = services.GetRequiredService<UserStore>();
        var user = (await users.CreateAsync("dr-dash", "Dr Dash", isAdmin: false))!;
        await users.SetPasswordHashAsync(user.Id, services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, "a long password"));
        await users.AddMembershipAsync(studyId, user.Id, "rater");
        var client = factory.CreateBrowserClient();
        await SignInTests.PostSignInAsync(client, "dr-dash", "a long password");

        var html = await client.GetStringAsync($"/studies/{studyId}/dashboard");

        Assert.Contains("Only the coordinators of this study can see its dashboard.", html);
        Assert.DoesNotContain("Progress per rater", html);
        Assert.DoesNotContain("rater-1", html);
        Assert.DoesNotContain("model-a", html);
    }

    [Fact]
    public async Task TheAdministratorSeesProgressPerRaterModelAndCriterion()
    {
        await factory.SetAdministratorPasswordAsync("correct horse battery");
        var client = factory.CreateBrowserClient();
        await SignInTests.PostSignInAsync(client, "admin", "correct horse battery");

        var html = await client.GetStringAsync($"/studies/{await DemoStudyAsync()}/dashboard");

        Assert.Contains("aria-label=\"Progress per rater\"", html);
        Assert.Contains("aria-label=\"Progress per model\"", html);
        Assert.Contains("aria-label=\"Progress per criterion\"", html);
        Assert.Contains(">rater-1<", html);
        Assert.Contains(">model-a<", html);
        Assert.Contains("Comment (optional)", html);
    }
}
