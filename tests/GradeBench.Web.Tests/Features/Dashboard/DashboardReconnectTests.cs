using Bunit;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Dashboard;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>The dashboard re-reads its data when a dropped connection comes back; it checks first that the user still
/// coordinates the study, so an open dashboard does not outlive a change of role.</summary>
public sealed class DashboardReconnectTests(GradeBenchFactory factory) : LiveAdjudicationContext(factory), IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task ACoordinatorMadeARaterSeesNoProgressOnceTheConnectionComesBack()
    {
        UseAppServices(typeof(DashboardQuery), typeof(DashboardCounts), typeof(StudyRecorder), typeof(AgreementMonitor), typeof(SpanAgreementMonitor), typeof(GradeBench.Storage.Results.SpanAgreementQuery), typeof(TimeProvider),
            typeof(IStringLocalizer<DashboardText>), typeof(GradeBench.Storage.Pairwise.PairwiseStore));
        var studyId = await Scene.StudyIdAsync();
        var users = App.GetRequiredService<UserStore>();
        var coordinator = await SignInAsNewMemberAsync("dr-demoted", "coordinator");
        var cut = Render<DashboardPage>(p => p.Add(c => c.StudyId, studyId));
        // The counts are read off the render's path: wait for them, not only for the heading.
        cut.WaitForAssertion(() => Assert.Contains(">model-a<", cut.Markup));

        // As `gradebench users add --role rater` does to an existing coordinator; then the connection drops and returns.
        await users.AddMembershipAsync(studyId, coordinator, "rater");
        var connection = new PresenceCircuitHandler(Services.GetRequiredService<CircuitPresence>());
        await connection.OnConnectionDownAsync(null!, default);
        await connection.OnConnectionUpAsync(null!, default);

        cut.WaitForAssertion(() => Assert.Contains("Only the coordinators of this study can see its dashboard.", cut.Markup));
        Assert.DoesNotContain("Progress per", cut.Markup);
        Assert.DoesNotContain("model-a", cut.Markup);
        Assert.DoesNotContain("rater-1", cut.Markup);
        Assert.DoesNotContain(App.GetRequiredService<PresenceTracker>().Online(studyId), p => p.UserId == coordinator && p.Role == "coordinator");
    }
}
