using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Accounts;

public sealed class InviteStoreTests
{
    static async Task<(TestDatabase Db, InviteStore Invites, long StudyId)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var imported = await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);
        return (db, new InviteStore(db.Database, db.Clock), imported.StudyId!.Value);
    }

    [Fact]
    public async Task AcceptingCreatesTheAccountWithItsMembershipAndUsesTheInviteUp()
    {
        var (db, invites, studyId) = await ArrangeAsync();
        await using var _ = db;
        var token = await invites.CreateAsync(studyId, "rater", null, TimeSpan.FromDays(1));

        var found = await invites.FindAsync(token);
        var accepted = await invites.AcceptAsync(token, "dr-chen", "Dr Chen", _ => "hash");

        Assert.Equal("rater", found?.Role);
        Assert.Equal(InviteOutcome.Joined, accepted.Outcome);
        var visible = await new StudyQuery(db.Database).ListVisibleAsync(accepted.User!.Id, isAdmin: false);
        Assert.Equal(studyId, Assert.Single(visible).Id);
        Assert.Equal("hash", (await new UserStore(db.Database, db.Clock).FindByUsernameAsync("DR-CHEN"))?.PasswordHash);
        Assert.Null(await invites.FindAsync(token));
        Assert.Equal(InviteOutcome.InvalidInvite, (await invites.AcceptAsync(token, "someone-else", "X", _ => "h")).Outcome);
    }

    [Fact]
    public async Task ATakenUserNameChangesNothingAndKeepsTheInviteUsable()
    {
        var (db, invites, studyId) = await ArrangeAsync();
        await using var _ = db;
        var token = await invites.CreateAsync(studyId, "rater", null, TimeSpan.FromDays(1));
        var before = await db.DumpContentAsync();

        var accepted = await invites.AcceptAsync(token, "rater-1", "Taken", _ => "hash");

        Assert.Equal(InviteOutcome.UsernameTaken, accepted.Outcome);
        Assert.Equal(before, await db.DumpContentAsync());
        Assert.NotNull(await invites.FindAsync(token));
    }

    [Fact]
    public async Task AnExpiredInviteCannotBeUsed()
    {
        var (db, invites, studyId) = await ArrangeAsync();
        await using var _ = db;
        var token = await invites.CreateAsync(studyId, "rater", null, TimeSpan.FromDays(1));

        db.Clock.Now += TimeSpan.FromDays(1);

        Assert.Null(await invites.FindAsync(token));
        Assert.Equal(InviteOutcome.InvalidInvite, (await invites.AcceptAsync(token, "late", "Late", _ => "h")).Outcome);
    }
}
