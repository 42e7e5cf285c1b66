using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Grading;

public sealed class AssignmentsTests
{
    static async Task<IReadOnlyList<(long RaterId, long Load)>> LoadsAsync(TestDatabase db)
    {
        await using var connection = await db.Database.OpenAsync();
        return (await connection.QueryAsync<(long, long)>("SELECT rater_id, COUNT(*) FROM assignments GROUP BY rater_id ORDER BY rater_id")).ToList();
    }

    [Fact]
    public async Task ImportAssignsEveryResponseToItsNumberOfRatersEvenly()
    {
        await using var db = await TestDatabase.CreateAsync();

        await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);

        await using var connection = await db.Database.OpenAsync();
        Assert.Equal([3L], await connection.QueryAsync<long>("SELECT DISTINCT COUNT(*) FROM assignments GROUP BY response_id"));
        Assert.Equal([45L, 45L, 45L, 45L], (await LoadsAsync(db)).Select(l => l.Load));
        Assert.Equal(72, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments WHERE completed_at IS NOT NULL"));
    }

    [Fact]
    public async Task ANewRaterGetsAFairShareAtOnceWithoutMovingStartedWork()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        var first = (await users.CreateAsync("dr-a", "Dr A", false))!.Id;
        await users.AddMembershipAsync(studyId, first, "rater");
        var store = new GradingStore(db.Database, new RubricQuery(db.Database), db.Clock);
        var started = (await store.QueueAsync(studyId, first))[0].ResponseId;
        await store.SaveAsync(studyId, first, started, new Dictionary<string, string?> { ["consensus"] = "2" }, submit: false);
        await using var connection = await db.Database.OpenAsync();
        var doneBefore = (await connection.QueryAsync<(long, long)>("SELECT response_id, rater_id FROM assignments WHERE completed_at IS NOT NULL")).ToList();

        var second = (await users.CreateAsync("dr-b", "Dr B", false))!.Id;
        await users.AddMembershipAsync(studyId, second, "rater");

        var loads = await LoadsAsync(db);
        Assert.Equal(6, loads.Count);
        Assert.Equal(180, loads.Sum(l => l.Load));
        Assert.True(loads.Single(l => l.RaterId == second).Load >= 20, "the newcomer has work at once");
        Assert.Contains(started, (await store.QueueAsync(studyId, first)).Select(q => q.ResponseId));
        Assert.Equal(doneBefore, (await connection.QueryAsync<(long, long)>("SELECT response_id, rater_id FROM assignments WHERE completed_at IS NOT NULL")).ToList());
        Assert.Equal([3L], await connection.QueryAsync<long>("SELECT DISTINCT COUNT(*) FROM assignments GROUP BY response_id"));
    }
}
