using Bunit;
using Bunit.TestDoubles;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Accounts;

/// <summary>What an open page does when its user's standing in the study changes under it (bUnit over a real app's
/// <see cref="RevocationFeed"/> and database).</summary>
public sealed class RevocationGuardTests(GradeBenchFactory factory) : LiveAdjudicationContext(factory), IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task AStudyPageOfACoordinatorMadeARaterLoadsAgainForTheNewRole()
    {
        UseAppServices(typeof(RevocationFeed));
        Services.AddLocalization();
        var feed = App.GetRequiredService<RevocationFeed>();
        var studyId = await Scene.StudyIdAsync();
        var users = App.GetRequiredService<UserStore>();
        var chief = await SignInAsNewMemberAsync("dr-chief", "coordinator");
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        var dashboard = navigation.ToAbsoluteUri($"/studies/{studyId}/dashboard").ToString();
        navigation.NavigateTo(dashboard);
        var cut = Render<RevocationGuard>(p => p.AddChildContent("<p>The dashboard</p>"));

        // As `gradebench users add --role rater` does; the server reads it at its next check.
        await users.AddMembershipAsync(studyId, chief, "rater");
        await feed.CheckNowAsync();

        cut.WaitForAssertion(() => Assert.Contains(navigation.History, h => h.Uri == dashboard && h.Options.ForceLoad));
        Assert.Contains("The dashboard", cut.Markup);
        Assert.DoesNotContain(RevocationFeed.RemovedMessage, cut.Markup);
    }

    /// <summary>Signed out in another browser (or a password changed there): the open page loads again, which the cookie
    /// check turns into the sign-in page. The user's API token being revoked leaves the page alone.</summary>
    [Fact]
    public async Task AnOpenPageLoadsAgainWhenItsSignInEndsElsewhereButNotForATokenRevocation()
    {
        UseAppServices(typeof(RevocationFeed));
        Services.AddLocalization();
        var feed = App.GetRequiredService<RevocationFeed>();
        var studyId = await Scene.StudyIdAsync();
        var rater = await SignInAsNewMemberAsync("dr-elsewhere", "rater");
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        var grading = navigation.ToAbsoluteUri($"/studies/{studyId}/grade").ToString();
        navigation.NavigateTo(grading);
        var cut = Render<RevocationGuard>(p => p.AddChildContent("<p>The grading page</p>"));
        var tokens = App.GetRequiredService<ApiTokenStore>();
        await tokens.CreateAsync(rater, "script");

        await tokens.RevokeAsync(rater, label: null);
        await feed.CheckNowAsync();
        var reloadsForTheToken = navigation.History.Count(h => h.Options.ForceLoad);
        await App.GetRequiredService<UserStore>().EndSessionsAsync(rater);
        await feed.CheckNowAsync();

        cut.WaitForAssertion(() => Assert.Contains(navigation.History, h => h.Uri == grading && h.Options.ForceLoad));
        Assert.Equal(0, reloadsForTheToken);
    }
}
