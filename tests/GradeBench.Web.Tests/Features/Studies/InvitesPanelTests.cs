using Bunit;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Studies;

/// <summary>The set-up page's invites panel, live: only the study's coordinators see it or act through it.</summary>
public sealed class InvitesPanelTests(GradeBenchFactory factory) : LiveAdjudicationContext(factory), IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task ARaterOfTheStudyIsShownNoInvites()
    {
        UseAppServices(typeof(InviteStore));
        var studyId = await Scene.StudyIdAsync();
        var coordinator = await Factory.MemberAsync(studyId, "dr-lead", "coordinator");
        await App.GetRequiredService<InviteStore>().CreateAsCoordinatorAsync(studyId, "rater", coordinator.Id);
        await SignInAsNewMemberAsync("dr-rater", "rater");

        var cut = Render<InvitesPanel>(parameters => parameters.Add(p => p.StudyId, studyId));

        cut.WaitForAssertion(() => Assert.True(cut.RenderCount >= 1));
        Assert.DoesNotContain("Create invite", cut.Markup);
        Assert.DoesNotContain("Pending invites", cut.Markup);
    }

    [Fact]
    public async Task ACoordinatorRemovedWhileThePanelIsOpenCannotCreateAnInvite()
    {
        UseAppServices(typeof(InviteStore), typeof(UserStore));
        var studyId = await Scene.StudyIdAsync();
        var coordinator = await SignInAsNewMemberAsync("dr-gone", "coordinator");
        var cut = Render<InvitesPanel>(parameters => parameters.Add(p => p.StudyId, studyId));
        cut.WaitForAssertion(() => Assert.Contains("Create invite", cut.Markup));

        // Demoted straight in the database, as `gradebench users add --role rater` does, before the panel learns of it.
        await App.GetRequiredService<UserStore>().AddMembershipAsync(studyId, coordinator, "rater");
        cut.FindAll("button").Single(button => button.TextContent.Contains("Create invite")).Click();

        cut.WaitForAssertion(() => Assert.Contains("Only the coordinators of this study can make or revoke its invites.", cut.Markup));
        Assert.DoesNotContain("/invite/", cut.Markup);
    }
}
