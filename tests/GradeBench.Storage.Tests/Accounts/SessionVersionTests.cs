using GradeBench.Storage.Accounts;

namespace GradeBench.Storage.Tests.Accounts;

/// <summary>Sign-ins and API tokens that really end (issue 16): the session version rises on sign-out, password change
/// and disabling; a token may expire; each ending is in the feed a running server reads to close what stays open.</summary>
public sealed class SessionVersionTests
{
    [Fact]
    public async Task SigningOutAndEveryPasswordChangeRaiseTheVersionAndAreReadByTheFeed()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        var revocations = new RevocationQuery(db.Database);
        var admin = (await users.CreateAsync("chief", "Chief", isAdmin: true))!;
        var user = (await users.CreateAsync("dr-a", "Dr A", isAdmin: false))!;
        var start = await revocations.CursorAsync();

        var afterSignOut = await users.EndSessionsAsync(user.Id);
        var afterChange = await users.SetPasswordHashAsync(user.Id, "hash");
        var link = (await users.CreateSetPasswordLinkAsync(user.Id, admin.Id))!;
        await users.SetPasswordWithLinkAsync(link, _ => "another hash");
        var (found, cursor) = await revocations.SinceAsync(start);

        Assert.Equal((1L, 2L), (afterSignOut, afterChange));
        Assert.Equal(3, (await users.FindSessionAsync(user.Id))!.SessionVersion);
        Assert.Equal([1L, 2L, 3L], found.Select(r => r.SessionVersion!.Value));
        Assert.All(found, r => Assert.Equal((user.Id, (long?)null, false, (string?)null), (r.UserId, r.StudyId, r.AccountDisabled, r.TokenHash)));
        Assert.Empty((await revocations.SinceAsync(cursor)).Found);
        Assert.Equal(cursor, await revocations.CursorAsync());
    }

    [Fact]
    public async Task DisablingRaisesTheVersionSoItsCookiesStayVoidIfEnabledAgain()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        var revocations = new RevocationQuery(db.Database);
        var user = (await users.CreateAsync("dr-b", "Dr B", isAdmin: false))!;
        var start = await revocations.CursorAsync();

        await users.SetDisabledAsync(user.Id, disabled: true, actorId: null);
        await users.SetDisabledAsync(user.Id, disabled: false, actorId: null);

        Assert.Equal(1, (await users.FindSessionAsync(user.Id))!.SessionVersion);
        // One revocation: the disabling itself already closes everything the account holds open.
        Assert.Equal([new Revocation(user.Id, null)], (await revocations.SinceAsync(start)).Found);
    }

    [Fact]
    public async Task ATokenWithAnExpiryStopsWorkingThenAndListsAsExpired()
    {
        await using var db = await TestDatabase.CreateAsync();
        var user = (await new UserStore(db.Database, db.Clock).CreateAsync("llm-judge", "LLM judge", isAdmin: false))!;
        var tokens = new ApiTokenStore(db.Database, db.Clock);
        var expiresAt = db.Clock.Now.AddDays(30);
        var token = await tokens.CreateAsync(user.Id, "nightly", expiresAt);
        var forever = await tokens.CreateAsync(user.Id, "manual");
        var owner = await tokens.FindOwnerAsync(token);

        db.Clock.Now = expiresAt;

        Assert.Equal(expiresAt, owner?.ExpiresAt);
        Assert.Null(await tokens.FindUserAsync(token));
        Assert.False(await tokens.IsLiveAsync(owner!.TokenHash));
        Assert.NotNull(await tokens.FindUserAsync(forever));
        Assert.Equal([("nightly", (DateTimeOffset?)expiresAt), ("manual", null)],
            (await tokens.ListAsync(user.Id)).Select(t => (t.Label, t.ExpiresAt)).OrderByDescending(t => t.Label));
    }

    [Fact]
    public async Task RevokingATokenIsReadByTheFeedWithWhichTokenItWas()
    {
        await using var db = await TestDatabase.CreateAsync();
        var user = (await new UserStore(db.Database, db.Clock).CreateAsync("llm-judge", "LLM judge", isAdmin: false))!;
        var tokens = new ApiTokenStore(db.Database, db.Clock);
        var revocations = new RevocationQuery(db.Database);
        var token = await tokens.CreateAsync(user.Id, "nightly");
        var hash = (await tokens.FindOwnerAsync(token))!.TokenHash;
        var start = await revocations.CursorAsync();

        await tokens.RevokeAsync(user.Id, "nightly");

        Assert.Equal([new Revocation(user.Id, null) { TokenHash = hash }], (await revocations.SinceAsync(start)).Found);
        Assert.False(await tokens.IsLiveAsync(hash));
    }
}
