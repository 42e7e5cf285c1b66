using GradeBench.Storage.Nodes;

namespace GradeBench.Storage.Tests.Nodes;

public sealed class InstallationQueryTests
{
    [Fact]
    public async Task EveryDatabaseHasOneIdOfThirtyTwoHexDigitsThatStaysPut()
    {
        await using var db = await TestDatabase.CreateAsync();
        var query = new InstallationQuery(db.Database);

        var id = await query.IdAsync();

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, await query.IdAsync());
    }

    [Fact]
    [Trait("Provider", "SqliteOnly")]
    public async Task TwoNewDatabasesHaveDifferentIds()
    {
        await using var first = await TestDatabase.CreateAsync();
        await using var second = await TestDatabase.CreateAsync();

        Assert.NotEqual(await new InstallationQuery(first.Database).IdAsync(), await new InstallationQuery(second.Database).IdAsync());
    }
}
