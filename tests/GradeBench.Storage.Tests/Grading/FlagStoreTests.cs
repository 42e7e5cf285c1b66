using Dapper;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Tests.Grading;

public sealed class FlagStoreTests
{
    [Fact]
    public async Task RaterFlagsAnAssignedResponseButNotSomeoneElses()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (studyId, rater, mine, foreign) = await db.DemoWithNewRaterAsync("dr-flag");
        await using var connection = await db.Database.OpenAsync();
        var flags = new FlagStore(db.Database, db.Clock);

        Assert.True(await flags.AddAsync(studyId, rater, mine, "  The case contradicts itself about the onset time. "));
        Assert.False(await flags.AddAsync(studyId, rater, foreign, "not mine"));
        Assert.False(await flags.AddAsync(studyId, rater, mine, "   "));

        var flag = Assert.Single(await flags.ListAsync(studyId, rater, mine));
        Assert.Equal(("The case contradicts itself about the onset time.", false), (flag.Note, flag.Resolved));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM flags"));
    }
}
