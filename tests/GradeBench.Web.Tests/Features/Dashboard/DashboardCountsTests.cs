using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Grading;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Grading;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>The dashboard's counts are read once per data version, off the request path, and read again whenever a
/// write changes them: a submit, and a rebalance that writes no rating (a rater added).</summary>
public sealed class DashboardCountsTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    DashboardCounts Counts => factory.Services.GetRequiredService<DashboardCounts>();

    [Fact]
    public async Task CountsAreReadOnceAndServedAgainUntilASubmitChangesThem()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = await factory.MemberAsync(studyId, "dr-counts");
        var first = await (await Counts.CurrentAsync(studyId));

        var again = await Counts.CurrentAsync(studyId);
        Assert.True(again.IsCompletedSuccessfully);
        Assert.Same(first, await again);
        Assert.Same(first, Counts.Last(studyId));

        var grading = factory.Services.GetRequiredService<GradingStore>();
        var item = (await grading.QueueAsync(studyId, rater.Id))[0];
        await grading.SaveAsync(studyId, rater.Id, item.ResponseId, DemoRatings.Complete(), submit: true);
        var after = await (await Counts.CurrentAsync(studyId));

        Assert.Equal(first.Raters[rater.Id].Done + 1, after.Raters[rater.Id].Done);
        Assert.Equal(first.Models.Sum(m => m.Done) + 1, after.Models.Sum(m => m.Done));
        Assert.Equal(first.Criteria.Single(c => c.Key == "overall").Done + 1, after.Criteria.Single(c => c.Key == "overall").Done);
        Assert.Same(after, Counts.Last(studyId));
    }

    [Fact]
    public async Task ASubmitOnTheGradingPageOrTheApiIsAddedToTheCountsWithoutAnotherRead()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = await factory.MemberAsync(studyId, "dr-delta");
        var first = await (await Counts.CurrentAsync(studyId));
        var item = (await factory.Services.GetRequiredService<GradingStore>().QueueAsync(studyId, rater.Id))[0];

        await factory.Services.GetRequiredService<RatingRecorder>().SaveAsync(studyId, rater.Id, item.ResponseId, DemoRatings.Complete(), submit: true);
        var served = await Counts.CurrentAsync(studyId);
        var read = await factory.Services.GetRequiredService<DashboardQuery>().CountsAsync(studyId);

        Assert.True(served.IsCompletedSuccessfully, "no read was started");
        Assert.Same(await served, Counts.Last(studyId));
        Assert.Equal(first.Version + 1, read.Version);
        Assert.Equal(read.Version, (await served).Version);
        Assert.Equal(first.Raters[rater.Id].Done + 1, (await served).Raters[rater.Id].Done);
        Assert.Equal(read.Raters.OrderBy(r => r.Key), (await served).Raters.OrderBy(r => r.Key));
        Assert.Equal(read.Models, (await served).Models);
        Assert.Equal(read.Criteria, (await served).Criteria);
    }

    [Fact]
    public async Task ARaterAddedGetsTheirShareInTheCountsThoughNoRatingWasWritten()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var before = await (await Counts.CurrentAsync(studyId));

        var rater = await factory.MemberAsync(studyId, "dr-newcomer");
        var after = await (await Counts.CurrentAsync(studyId));

        Assert.DoesNotContain(rater.Id, before.Raters.Keys);
        var queue = await factory.Services.GetRequiredService<GradingStore>().QueueAsync(studyId, rater.Id);
        Assert.Equal(new RaterCounts(queue.Count, 0), after.Raters[rater.Id]);
    }
}
