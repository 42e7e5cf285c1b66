using GradeBench.Core.Pairwise;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Pairwise;

namespace GradeBench.Storage.Tests.Dashboard;

/// <summary>The dashboard's counts, raters and activity of a side-by-side study (<see cref="PairwiseFixture"/>: dr-ann and
/// dr-bob each assigned its six pairs, the demo's pilot raters none): pairs, not responses.</summary>
public sealed class PairwiseDashboardQueryTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    PairwiseStudy _study = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _study = await PairwiseFixture.CreateAsync(_db.Database, _db.Clock, "dr-ann", "dr-bob");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    static PairJudgement Both(PairwiseChoice consensus, PairwiseChoice harm) =>
        new() { Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = consensus, ["harm"] = harm } };

    [Fact]
    public async Task APairwiseStudyCountsPairsPerRaterPairOfModelsAndAxis()
    {
        var store = new PairwiseStore(_db.Database, _db.Clock);
        var ann = _study.Raters[0];
        Assert.Equal(PairWriteOutcome.Saved, (await store.SaveAsync(_study.StudyId, ann, _study.Pairs[0].Id, Both(PairwiseChoice.Left, PairwiseChoice.Tie), submit: true)).Outcome);
        // A draft counts for nothing.
        await store.SaveAsync(_study.StudyId, ann, _study.Pairs[1].Id, new PairJudgement { Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Right } }, submit: false);

        var counts = await new DashboardQuery(_db.Database).CountsAsync(_study.StudyId);

        Assert.Equal(new RaterCounts(6, 1), counts.Raters[ann]);
        Assert.Equal(new RaterCounts(6, 0), counts.Raters[_study.Raters[1]]);
        Assert.Equal(2, counts.Raters.Count);
        Assert.Equal(["model-a – model-b", "model-a – model-c", "model-b – model-c"], counts.Models.Select(m => m.Label));
        Assert.Equal([(4L, 1L), (4L, 0L), (4L, 0L)], counts.Models.Select(m => (m.Assigned, m.Done)));
        Assert.Equal(["consensus", "harm"], counts.Criteria.Select(c => c.Key));
        Assert.Equal("Which answer better reflects clinical consensus?", counts.Criteria[0].Label);
        Assert.Equal([(12L, 1L), (12L, 1L)], counts.Criteria.Select(c => (c.Assigned, c.Done)));
    }

    [Fact]
    public async Task APairSubmittedInTheAppIsRecentActivityAndItsRatersLastActivity()
    {
        var store = new PairwiseStore(_db.Database, _db.Clock);
        var bob = _study.Raters[1];
        await store.SaveAsync(_study.StudyId, bob, _study.Pairs[2].Id, Both(PairwiseChoice.Right, PairwiseChoice.Right), submit: true);
        var query = new DashboardQuery(_db.Database);

        var activity = await query.RecentActivityAsync(_study.StudyId, 20);
        var raters = await query.RaterActivityAsync(_study.StudyId);

        var entry = Assert.Single(activity, e => e.Kind == ActivityEntry.PairSubmitted);
        Assert.Equal(("dr-bob", _study.Pairs[2].Handle), (entry.Who, entry.Subject));
        Assert.Equal(_db.Clock.GetUtcNow(), raters.Single(r => r.RaterId == bob).LastActivity);
        Assert.Null(raters.Single(r => r.RaterId == _study.Raters[0]).LastActivity);
    }
}
