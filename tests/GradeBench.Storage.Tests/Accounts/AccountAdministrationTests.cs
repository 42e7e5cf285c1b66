using GradeBench.Storage.Accounts;

namespace GradeBench.Storage.Tests.Accounts;

/// <summary>What an administrator does on the accounts page: new accounts and password resets by single-use
/// set-password links, administrator rights, and the last sign-in.</summary>
public sealed class AccountAdministrationTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    UserStore _users = null!;
    long _admin;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _users = new UserStore(_db.Database, _db.Clock);
        _admin = (await _users.CreateAsync("chief", "Chief", isAdmin: true))!.Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ANewAccountGetsASetPasswordLinkThatWorksOnce()
    {
        var created = await _users.CreateWithSetPasswordLinkAsync("dr-new", "Dr New", isAdmin: false, _admin);

        var user = await _users.SetPasswordWithLinkAsync(created.Token!, _ => "first-hash");
        var again = await _users.SetPasswordWithLinkAsync(created.Token!, _ => "second-hash");

        Assert.Equal(NewAccountOutcome.Created, created.Outcome);
        Assert.Equal("dr-new", user?.Username);
        Assert.Null(again);
        Assert.Equal("first-hash", (await _users.FindByUsernameAsync("dr-new"))?.PasswordHash);
        Assert.Equal(SetPasswordLinkState.Used, (await _users.FindSetPasswordLinkAsync(created.Token!))?.State);
    }

    [Fact]
    public async Task AResetReplacesThePasswordOnlyWhenUsedAndExpires()
    {
        var user = (await _users.CreateAsync("dr-old", "Dr Old", isAdmin: false))!;
        await _users.SetPasswordHashAsync(user.Id, "old-hash");
        var first = (await _users.CreateSetPasswordLinkAsync(user.Id, _admin))!;
        var second = (await _users.CreateSetPasswordLinkAsync(user.Id, _admin))!;

        Assert.Equal("old-hash", (await _users.FindAsync(user.Id))?.PasswordHash);
        Assert.Null(await _users.SetPasswordWithLinkAsync(first, _ => "stale-hash"));
        Assert.NotNull(await _users.SetPasswordWithLinkAsync(second, _ => "new-hash"));
        Assert.Equal("new-hash", (await _users.FindAsync(user.Id))?.PasswordHash);

        var late = (await _users.CreateSetPasswordLinkAsync(user.Id, _admin))!;
        _db.Clock.Now += UserStore.SetPasswordLinkLifetime;
        Assert.Equal(SetPasswordLinkState.Expired, (await _users.FindSetPasswordLinkAsync(late))?.State);
        Assert.Null(await _users.SetPasswordWithLinkAsync(late, _ => "late-hash"));
    }

    [Fact]
    public async Task ASetPasswordLinkDoesNotSignInAsAFirstRunLinkAndTheOtherWayRound()
    {
        var user = (await _users.CreateAsync("dr-link", "Dr Link", isAdmin: false))!;
        var reset = (await _users.CreateSetPasswordLinkAsync(user.Id, _admin))!;

        Assert.Null(await _users.RedeemSignInTokenAsync(reset));
        var signIn = await _users.CreateSignInTokenAsync(user.Id, TimeSpan.FromHours(1));
        Assert.Null(await _users.FindSetPasswordLinkAsync(signIn));
        Assert.Null(await _users.SetPasswordWithLinkAsync(signIn, _ => "hash"));
    }

    [Fact]
    public async Task OnlyAdministratorsCreateAccountsAndResetPasswords()
    {
        var plain = (await _users.CreateAsync("dr-plain", "Dr Plain", isAdmin: false))!.Id;

        Assert.Equal(NewAccountOutcome.NotAdministrator, (await _users.CreateWithSetPasswordLinkAsync("dr-x", "X", true, plain)).Outcome);
        Assert.Null(await _users.FindByUsernameAsync("dr-x"));
        Assert.Null(await _users.CreateSetPasswordLinkAsync(_admin, plain));
        Assert.Equal(NewAccountOutcome.UsernameTaken, (await _users.CreateWithSetPasswordLinkAsync("DR-PLAIN", "Y", false, _admin)).Outcome);
    }

    [Fact]
    public async Task TheLastAdministratorWhoCanSignInKeepsTheirRights()
    {
        var deputy = (await _users.CreateAsync("deputy", "Deputy", isAdmin: false))!.Id;
        var third = (await _users.CreateAsync("third", "Third", isAdmin: true))!.Id;
        await _users.SetDisabledAsync(third, true, actorId: null);

        Assert.Equal(AccountStatusOutcome.LastAdministrator, await _users.SetAdministratorAsync(_admin, false, _admin));
        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetAdministratorAsync(deputy, true, _admin));
        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetAdministratorAsync(_admin, false, _admin));
        Assert.Equal(AccountStatusOutcome.NotAdministrator, await _users.SetAdministratorAsync(deputy, false, _admin));
        Assert.Equal(AccountStatusOutcome.LastAdministrator, await _users.SetAdministratorAsync(deputy, false, deputy));
        Assert.True((await _users.FindAsync(deputy))!.IsAdmin);
    }

    [Fact]
    public async Task SigningInIsRecordedForTheAccountList()
    {
        var user = (await _users.CreateAsync("dr-seen", "Dr Seen", isAdmin: false))!;
        Assert.Null((await _users.ListAsync()).Single(a => a.Id == user.Id).LastSignInAt);

        await _users.RecordSignInAsync(user.Id);

        Assert.Equal(_db.Clock.Now, (await _users.ListAsync()).Single(a => a.Id == user.Id).LastSignInAt);
    }
}
