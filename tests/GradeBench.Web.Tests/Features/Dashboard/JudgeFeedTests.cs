using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Features.Studies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>A judge rating through the API is one line of the coordinator's activity feed, which grows in place, and
/// never the physicians' "submitted" lines or progress.</summary>
public sealed class JudgeFeedTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    DashboardState NewState()
    {
        var app = factory.Services;
        return new DashboardState(app.GetRequiredService<StudyQuery>(), app.GetRequiredService<DashboardQuery>(), app.GetRequiredService<DashboardCounts>(),
            app.GetRequiredService<StudyRecorder>(), app.GetRequiredService<AgreementMonitor>(), app.GetRequiredService<PresenceTracker>(),
            app.GetRequiredService<PairwiseStore>(), TimeProvider.System, app.GetRequiredService<IStringLocalizer<DashboardText>>(), app.GetRequiredService<IStringLocalizer<Core.Messages.MessageText>>());
    }

    [Fact]
    public async Task AJudgesSubmissionsAreOneLineOfTheFeedThatGrowsInPlace()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var judge = (await factory.Services.GetRequiredService<JudgeStore>().AddAsync(studyId, new NewJudge("gpt-judge", "gpt-4o"))).Judge!;
        var queue = await factory.Services.GetRequiredService<GradingStore>().QueueAsync(studyId, judge.UserId);
        var recorder = factory.Services.GetRequiredService<RatingRecorder>();
        var heard = new List<StudyEvent>();
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var state = NewState();
        Assert.True(await state.LoadAsync(studyId, (await factory.AdministratorAsync()).Id, live: false));
        var before = state.Activity.Count;

        using (factory.Services.GetRequiredService<StudyEvents>().Subscribe(studyId, (await factory.AdministratorAsync()).Id, isCoordinator: true, e =>
               {
                   lock (heard)
                   {
                       heard.Add(e);
                       if (heard.OfType<JudgeRated>().Count() == 3) third.TrySetResult();
                   }
                   return Task.CompletedTask;
               }))
        {
            foreach (var item in queue.Take(3))
                await recorder.SaveAsync(studyId, judge.UserId, item.ResponseId, DemoRatings.Complete(), submit: true);
            await third.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        foreach (var e in heard.OfType<JudgeRated>()) Assert.True(state.Apply(e));

        Assert.DoesNotContain(heard, e => e is RatingSubmitted or ProgressChanged);
        Assert.Equal([1L, 2L, 3L], heard.OfType<JudgeRated>().Select(e => e.Responses));
        Assert.Equal(before + 1, state.Activity.Count);
        Assert.Equal("LLM judge gpt-judge rated 3 responses", state.Activity[0].Text);
        using var reloaded = NewState();
        Assert.True(await reloaded.LoadAsync(studyId, (await factory.AdministratorAsync()).Id, live: false));
        Assert.Equal(state.Activity.Select(a => a.Text), reloaded.Activity.Select(a => a.Text));
    }
}
