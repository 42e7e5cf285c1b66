using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Grading;

public sealed class FlagStoreTests
{
    [Fact]
    public async Task RaterFlagsAnAssignedResponseButNotSomeoneElses()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        var rater = (await users.CreateAsync("dr-flag", "Dr Flag", false))!.Id;
        await users.AddMembershipAsync(studyId, rater, "rater");
        var mine = (await new GradingStore(db.Database, new RubricQuery(db.Database), db.Clock).QueueAsync(studyId, rater))[0].ResponseId;
        await using var connection = await db.Database.OpenAsync();
        var foreign = await connection.ExecuteScalarAsync<long>(
            "SELECT MIN(id) FROM responses WHERE id NOT IN (SELECT response_id FROM assignments WHERE rater_id = @Rater)", new { Rater = rater });
        var flags = new FlagStore(db.Database, db.Clock);

        Assert.True(await flags.AddAsync(studyId, rater, mine, "  The case contradicts itself about the onset time. "));
        Assert.False(await flags.AddAsync(studyId, rater, foreign, "not mine"));
        Assert.False(await flags.AddAsync(studyId, rater, mine, "   "));

        var flag = Assert.Single(await flags.ListAsync(studyId, rater, mine));
        Assert.Equal(("The case contradicts itself about the onset time.", false), (flag.Note, flag.Resolved));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM flags"));
    }
}
