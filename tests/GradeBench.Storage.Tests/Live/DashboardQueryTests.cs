using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Live;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Live;

public sealed class DashboardQueryTests : IAsyncLifetime
{
    static readonly Dictionary<string, string?> CompleteRating = DemoRatings.Complete();

    TestDatabase _db = null!;
    DemoRater _demo = null!;
    DashboardQuery _query = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _demo = await _db.DemoWithNewRaterAsync("dr-new");
        _query = new DashboardQuery(_db.Database);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    async Task<long> CountAsync(string sql)
    {
        await using var connection = await _db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new { _demo.StudyId, _demo.RaterId });
    }

    Task SubmitAsync() =>
        new GradingStore(_db.Database, new RubricQuery(_db.Database), _db.Clock).SaveAsync(_demo.StudyId, _demo.RaterId, _demo.Assigned, CompleteRating, submit: true);

    [Fact]
    public async Task ASubmissionIsDescribedByItsRaterResponseAndTheRatersProgress()
    {
        await SubmitAsync();

        var facts = await _query.SubmissionAsync(_demo.StudyId, _demo.RaterId, _demo.Assigned);

        Assert.Equal("dr-new", facts.RaterName);
        Assert.Equal(await ResponseSlugAsync(_demo.Assigned), facts.ResponseSlug);
        Assert.Equal(1, facts.RaterDone);
        Assert.Equal(await CountAsync("SELECT COUNT(*) FROM assignments WHERE rater_id = @RaterId"), facts.RaterAssigned);
    }

    async Task<string> ResponseSlugAsync(long responseId)
    {
        await using var connection = await _db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT slug FROM responses WHERE id = @Id", new { Id = responseId }) ?? "";
    }

    [Fact]
    public async Task EveryRaterIsListedWithProgressAndLastActivity()
    {
        var before = (await _query.RatersAsync(_demo.StudyId)).Single(r => r.RaterId == _demo.RaterId);
        _db.Clock.Now = _db.Clock.Now.AddHours(1);
        await SubmitAsync();

        var raters = await _query.RatersAsync(_demo.StudyId);

        var after = raters.Single(r => r.RaterId == _demo.RaterId);
        Assert.Null(before.LastActivity);
        Assert.Equal(0, before.Done);
        Assert.Equal(1, after.Done);
        Assert.Equal(_db.Clock.Now, after.LastActivity);
        // The pilot raters of the bundle hold assignments too; together they hold every assignment.
        Assert.Equal(["dr-new", "rater-1", "rater-2", "rater-3", "rater-4"], raters.Select(r => r.Name).Order());
        Assert.Equal(await CountAsync("SELECT COUNT(*) FROM assignments"), raters.Sum(r => r.Assigned));
    }

    [Fact]
    public async Task ProgressPerModelAddsUpToTheStudysAssignments()
    {
        var models = await _query.ModelsAsync(_demo.StudyId);

        Assert.Equal(["model-a", "model-b", "model-c"], models.Select(m => m.Key));
        Assert.Equal(await CountAsync("SELECT COUNT(*) FROM assignments"), models.Sum(m => m.Assigned));
        Assert.Equal(await CountAsync("SELECT COUNT(*) FROM assignments WHERE completed_at IS NOT NULL"), models.Sum(m => m.Done));
    }

    [Fact]
    public async Task ProgressPerCriterionCountsSubmittedValuesInRubricOrder()
    {
        var before = await _query.CriteriaAsync(_demo.StudyId);
        await SubmitAsync();

        var after = await _query.CriteriaAsync(_demo.StudyId);

        Assert.Equal(["consensus", "reasoning", "completeness", "incorrect_content", "harm_extent", "harm_likelihood", "hallucination", "overall", "comment"],
            after.Select(c => c.Key));
        Assert.Equal(before.Single(c => c.Key == "consensus").Done + 1, after.Single(c => c.Key == "consensus").Done);
        Assert.Equal(before.Single(c => c.Key == "comment").Done, after.Single(c => c.Key == "comment").Done);
        var assignments = await CountAsync("SELECT COUNT(*) FROM assignments");
        Assert.All(after, c => Assert.Equal(assignments, c.Assigned));
    }

    [Fact]
    public async Task RecentActivityListsSubmissionsAndStateChangesNewestFirst()
    {
        var users = new UserStore(_db.Database, _db.Clock);
        var lead = (await users.CreateAsync("dr-lead", "Dr Lead", isAdmin: false))!.Id;
        await users.AddMembershipAsync(_demo.StudyId, lead, "coordinator");
        var lifecycle = new StudyLifecycleStore(_db.Database, new StudyQuery(_db.Database), _db.Clock);
        _db.Clock.Now = _db.Clock.Now.AddDays(1);
        await SubmitAsync();
        _db.Clock.Now = _db.Clock.Now.AddMinutes(1);
        await lifecycle.SetPausedAsync(_demo.StudyId, lead, true);
        _db.Clock.Now = _db.Clock.Now.AddMinutes(1);
        await lifecycle.ChangeStateAsync(_demo.StudyId, lead, StudyState.Adjudication);

        var activity = await _query.RecentActivityAsync(_demo.StudyId, limit: 3);

        Assert.Equal(
            [("state", "Dr Lead made the study adjudication"), ("state", "Dr Lead made the study paused"), ("submitted", "dr-new submitted " + await ResponseSlugAsync(_demo.Assigned))],
            activity.Select(a => (a.Kind, a.Text)));
        Assert.Equal(_db.Clock.Now, activity[0].At);
    }
}
