using Dapper;
using GradeBench.Storage.Accounts;

namespace GradeBench.Storage.Tests.Accounts;

public sealed class ApiTokenStoreTests
{
    [Fact]
    public async Task ATokenFindsItsUserUntilItIsRevokedAndOnlyItsHashIsStored()
    {
        await using var db = await TestDatabase.CreateAsync();
        var user = (await new UserStore(db.Database, db.Clock).CreateAsync("llm-judge", "LLM judge", isAdmin: false))!;
        var tokens = new ApiTokenStore(db.Database, db.Clock);

        var token = await tokens.CreateAsync(user.Id, "nightly");
        var found = await tokens.FindUserAsync(token);
        var revoked = await tokens.RevokeAsync(user.Id, label: null);

        Assert.Equal("llm-judge", found?.Username);
        Assert.Equal(1, revoked);
        Assert.Null(await tokens.FindUserAsync(token));
        Assert.DoesNotContain(token, await db.DumpContentAsync());
    }

    [Fact]
    public async Task RevokingByLabelLeavesTheUsersOtherTokensWorking()
    {
        await using var db = await TestDatabase.CreateAsync();
        var user = (await new UserStore(db.Database, db.Clock).CreateAsync("llm-judge", "LLM judge", isAdmin: false))!;
        var tokens = new ApiTokenStore(db.Database, db.Clock);
        var nightly = await tokens.CreateAsync(user.Id, "nightly");
        var manual = await tokens.CreateAsync(user.Id, "manual");

        await tokens.RevokeAsync(user.Id, "nightly");

        Assert.Null(await tokens.FindUserAsync(nightly));
        Assert.NotNull(await tokens.FindUserAsync(manual));
        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_tokens"));
    }

    [Fact]
    public async Task AnUnknownTokenFindsNoOne()
    {
        await using var db = await TestDatabase.CreateAsync();

        Assert.Null(await new ApiTokenStore(db.Database, db.Clock).FindUserAsync("not-a-token"));
    }
}
