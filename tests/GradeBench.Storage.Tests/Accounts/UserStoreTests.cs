using GradeBench.Storage.Accounts;

namespace GradeBench.Storage.Tests.Accounts;

public sealed class UserStoreTests
{
    [Fact]
    public async Task FirstRunCreatesOneAdministratorWithoutPassword()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);

        var first = await users.AdministratorWithoutPasswordAsync();
        var second = await users.AdministratorWithoutPasswordAsync();

        Assert.NotNull(first);
        Assert.Equal((UserStore.AdministratorName, true, null), (first.Username, first.IsAdmin, first.PasswordHash));
        Assert.Equal(first.Id, second?.Id);
    }

    [Fact]
    public async Task NoAdministratorIsOfferedOnceOneHasAPassword()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        var admin = (await users.AdministratorWithoutPasswordAsync())!;

        await users.SetPasswordHashAsync(admin.Id, "hash");

        Assert.Null(await users.AdministratorWithoutPasswordAsync());
    }

    [Fact]
    public async Task SignInTokenWorksExactlyOnce()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        var admin = (await users.AdministratorWithoutPasswordAsync())!;
        var token = await users.CreateSignInTokenAsync(admin.Id, TimeSpan.FromHours(1));

        Assert.Equal(admin.Id, await users.RedeemSignInTokenAsync(token));
        Assert.Null(await users.RedeemSignInTokenAsync(token));
    }

    [Fact]
    public async Task SignInTokenExpires()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        var admin = (await users.AdministratorWithoutPasswordAsync())!;
        var token = await users.CreateSignInTokenAsync(admin.Id, TimeSpan.FromHours(1));

        db.Clock.Now += TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1);

        Assert.Null(await users.RedeemSignInTokenAsync(token));
    }

    [Fact]
    public async Task UnknownTokenSignsNobodyIn()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        await users.CreateSignInTokenAsync((await users.AdministratorWithoutPasswordAsync())!.Id, TimeSpan.FromHours(1));

        Assert.Null(await users.RedeemSignInTokenAsync("not-a-token"));
    }

    [Fact]
    public async Task UsernamesMatchIgnoringCase()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        await users.AdministratorWithoutPasswordAsync();

        Assert.NotNull(await users.FindByUsernameAsync("ADMIN"));
    }

    [Fact]
    public async Task ANewTokenEndsTheEarlierUnusedOne()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        var admin = (await users.AdministratorWithoutPasswordAsync())!;
        var earlier = await users.CreateSignInTokenAsync(admin.Id, TimeSpan.FromHours(1));
        db.Clock.Now += TimeSpan.FromMinutes(1);

        var newer = await users.CreateSignInTokenAsync(admin.Id, TimeSpan.FromHours(1));

        Assert.Null(await users.RedeemSignInTokenAsync(earlier));
        Assert.Equal(admin.Id, await users.RedeemSignInTokenAsync(newer));
    }
}
