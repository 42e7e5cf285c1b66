using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Features.Studies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Time.Testing;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>The dashboard's state without rendering: its reads over a real app's database, its events and its debounce
/// on a fake clock.</summary>
public sealed class DashboardStateTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    DashboardState NewState()
    {
        var app = factory.Services;
        return new DashboardState(app.GetRequiredService<StudyQuery>(), app.GetRequiredService<DashboardQuery>(), app.GetRequiredService<DashboardCounts>(),
            app.GetRequiredService<StudyRecorder>(),
            app.GetRequiredService<AgreementMonitor>(), app.GetRequiredService<PresenceTracker>(), app.GetRequiredService<PairwiseStore>(), _clock,
            app.GetRequiredService<IStringLocalizer<DashboardText>>(), app.GetRequiredService<IStringLocalizer<Core.Messages.MessageText>>());
    }

    async Task<(DashboardState State, long StudyId)> LoadedAsCoordinatorAsync()
    {
        var state = NewState();
        var studyId = await factory.ImportDemoCopyAsync();
        Assert.True(await state.LoadAsync(studyId, (await factory.AdministratorAsync()).Id, live: false));
        await state.ShowReadCountsAsync();
        return (state, studyId);
    }

    [Fact]
    public async Task CountsReadOnceAreShownAtOnceOnTheNextLoadNotBusy()
    {
        var (first, studyId) = await LoadedAsCoordinatorAsync();
        using var _ = first;
        using var next = NewState();

        Assert.True(await next.LoadAsync(studyId, (await factory.AdministratorAsync()).Id, live: false));

        Assert.True(next.CountsKnown);
        Assert.False(next.CountsComputing);
        Assert.Equal((first.StudyDone, first.StudyAssigned), (next.StudyDone, next.StudyAssigned));
        Assert.True(next.StudyDone > 0);
        Assert.Equal(first.Models, next.Models);
    }

    [Fact]
    public async Task ARaterIsRefusedShownNothingAndIgnoresEvents()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = (await factory.MemberAsync(studyId, "dr-state-rater")).Id;
        using var state = NewState();

        Assert.False(await state.LoadAsync(studyId, rater, live: true));

        Assert.Equal("Only the coordinators of this study can see its dashboard.", state.Refusal);
        Assert.Null(state.Access);
        Assert.Null(state.Raters);
        Assert.Empty(state.Activity);
        Assert.False(state.Apply(new StudyStateChanged(studyId, "open", true, _clock.GetUtcNow())));
    }

    /// <summary>Marking a highlight or a note passage is the rater's activity at once, without a submit.</summary>
    [Fact]
    public async Task AChangeOfSpansIsTheRatersLastActivity()
    {
        var (state, studyId) = await LoadedAsCoordinatorAsync();
        using var _ = state;
        var rater = state.Raters![0];
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(DashboardState.Shows(new SpansChanged(studyId, rater.RaterId, GradeBench.Core.Spans.SpanSource.Note, _clock.GetUtcNow())));
        Assert.True(state.Apply(new SpansChanged(studyId, rater.RaterId, GradeBench.Core.Spans.SpanSource.Note, _clock.GetUtcNow())));

        var shown = state.Raters.Single(r => r.RaterId == rater.RaterId);
        Assert.Equal((rater.Done, _clock.GetUtcNow()), (shown.Done, shown.LastActivity));
    }

    [Fact]
    public async Task ABurstOfProgressShowsAtOnceAndReadsTheCountsOnceWhenItSettles()
    {
        var (state, studyId) = await LoadedAsCoordinatorAsync();
        using var _ = state;
        var due = 0;
        state.CountsReloadDue = () =>
        {
            due++;
            return Task.CompletedTask;
        };
        var rater = state.Raters![0];
        var studyDone = state.StudyDone;

        for (var i = 1; i <= 3; i++) Assert.True(state.Apply(new ProgressChanged(studyId, rater.RaterId, rater.Done + i, rater.Assigned)));

        var shown = state.Raters.Single(r => r.RaterId == rater.RaterId);
        Assert.Equal((rater.Done + 3, _clock.GetUtcNow()), (shown.Done, shown.LastActivity));
        Assert.Equal(studyDone + 3, state.StudyDone);
        _clock.Advance(DashboardState.CountsReloadDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, due);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, due);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, due);

        // The database's counts replace the event's; the next burst is debounced afresh.
        await state.ReloadCountsAsync();
        Assert.Equal(rater.Done, state.Raters.Single(r => r.RaterId == rater.RaterId).Done);
        Assert.Equal(studyDone, state.StudyDone);
        state.Apply(new MemberRemoved(studyId, rater.RaterId, rater.Name, _clock.GetUtcNow()));
        _clock.Advance(DashboardState.CountsReloadDelay);
        Assert.Equal(2, due);
    }

    [Fact]
    public async Task TheActivityFeedShowsTheNewestFirstAndKeepsTheLastTwenty()
    {
        var (state, studyId) = await LoadedAsCoordinatorAsync();
        using var _ = state;

        for (var i = 0; i < 25; i++)
            state.Apply(new RatingSubmitted(studyId, 1, "Dr A", 1, $"response-{i}", _clock.GetUtcNow()));

        Assert.Equal(DashboardState.FeedLength, state.Activity.Count);
        Assert.Equal("Dr A submitted response-24", state.Activity[0].Text);
        Assert.Equal("Dr A submitted response-5", state.Activity[^1].Text);
        Assert.Equal("just now", state.Time(state.Activity[0].At));
    }

    /// <summary>Within the hour an entry reads "5 min ago"; later it is a moment the page shows in the reader's zone.</summary>
    [Fact]
    public async Task AnEntryOlderThanAnHourIsAMomentNotTimeAgo()
    {
        var (state, studyId) = await LoadedAsCoordinatorAsync();
        using var _ = state;
        state.Apply(new RatingSubmitted(studyId, 1, "Dr A", 1, "response-1", _clock.GetUtcNow()));

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal("59 min ago", state.RecentTime(state.Activity[0].At));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(state.RecentTime(state.Activity[0].At));
    }

    [Fact]
    public async Task ASafetyAlertInTheFeedNamesItsTrigger()
    {
        var (state, studyId) = await LoadedAsCoordinatorAsync();
        using var _ = state;

        state.Apply(new SafetyAlertRaised(studyId, 1, 2, "case-001.model-b", 3, "Dr A", "Likelihood of possible harm: High", _clock.GetUtcNow()));

        Assert.Equal("Safety alert: Dr A rated case-001.model-b “Likelihood of possible harm: High”", state.Activity[0].Text);
    }

    [Fact]
    public async Task APauseShowsAtOnceAndInTheFeed()
    {
        var (state, studyId) = await LoadedAsCoordinatorAsync();
        using var _ = state;

        Assert.True(state.Apply(new StudyStateChanged(studyId, "open", true, _clock.GetUtcNow())));

        Assert.Equal("Open, paused: raters cannot save or submit", state.StateText);
        Assert.Equal("The study is now paused", state.Activity[0].Text);
    }

    [Fact]
    public void ARaterWithOpenItemsWhoSavedNothingForLongerThanTheLimitIsStalledUnlessOnline()
    {
        using var state = NewState();
        var rater = new RaterProgress { RaterId = 1, Name = "Dr Slow", Assigned = 5, Done = 1, LastActivity = _clock.GetUtcNow() - TimeSpan.FromDays(3) };
        var online = new PresenceEntry(1, "Dr Slow", "rater", null, _clock.GetUtcNow(), true);

        Assert.Equal("stalled: nothing saved for 3 days", state.ActivityText(rater, null));
        Assert.Equal("2026-02-26 12:00 UTC", state.ActivityText(rater, online));
        Assert.Equal("not started", state.ActivityText(rater with { LastActivity = null, Done = 0 }, null));
        Assert.Equal("online", state.PresenceText(online));
        Assert.Equal("offline", state.PresenceText(null));
    }

    [Fact]
    public void ARaterWhoseDoneItemsWereAllImportedHasNoActivityOfTheirOwnYetIsNotNotStarted()
    {
        using var state = NewState();
        var pilot = new RaterProgress { RaterId = 2, Name = "rater-1", Assigned = 45, Done = 18, LastActivity = null };

        Assert.Equal("imported ratings only", state.ActivityText(pilot, null));
    }
}
