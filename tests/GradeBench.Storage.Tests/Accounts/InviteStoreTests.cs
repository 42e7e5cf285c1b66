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
        await new UserStore(db.Database, db.Clock).CreateAsync("dr-taken", "Dr Taken", isAdmin: false);
        var before = await db.DumpContentAsync();

        var accepted = await invites.AcceptAsync(token, "DR-taken", "Taken", _ => "hash");

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

    [Fact]
    public async Task JoiningWithAnExistingAccountUsesTheInviteAndCreatesNoAccount()
    {
        var (db, invites, studyId) = await ArrangeAsync();
        await using var _ = db;
        var users = new UserStore(db.Database, db.Clock);
        var user = (await users.CreateAsync("dr-ma", "Dr Ma", isAdmin: false))!;
        var token = await invites.CreateAsync(studyId, "rater", null, TimeSpan.FromDays(1));
        var accounts = (await users.ListAsync()).Count;

        var joined = await invites.JoinAsync(token, user.Id);
        var again = await invites.JoinAsync(token, user.Id);

        Assert.Equal(new InviteJoin(JoinOutcome.Joined, studyId, "rater"), joined);
        Assert.Equal(JoinOutcome.InvalidInvite, again.Outcome);
        Assert.Equal(accounts, (await users.ListAsync()).Count);
        Assert.Equal("rater", (await new StudyQuery(db.Database).MembershipAsync(studyId, user.Id))?.Role);
        Assert.NotEmpty(await new GradeBench.Storage.Grading.GradingStore(db.Database, new GradeBench.Storage.Rubrics.RubricQuery(db.Database), db.Clock).QueueAsync(studyId, user.Id));
        Assert.Equal(InviteState.Used, (await invites.ViewAsync(token, user.Id))?.State);
    }

    [Theory]
    [InlineData("rater", "rater", JoinOutcome.AlreadyMember, "rater")]
    [InlineData("coordinator", "rater", JoinOutcome.AlreadyCoordinator, "coordinator")]
    [InlineData("coordinator", "coordinator", JoinOutcome.AlreadyMember, "coordinator")]
    [InlineData("rater", "coordinator", JoinOutcome.Joined, "coordinator")]
    public async Task AnInviteNeverTakesARoleAwayAndChangesNothingForAMemberInItsRole(string present, string invited, JoinOutcome outcome, string after)
    {
        var (db, invites, studyId) = await ArrangeAsync();
        await using var _ = db;
        var users = new UserStore(db.Database, db.Clock);
        var user = (await users.CreateAsync("dr-member", "Dr Member", isAdmin: false))!;
        await users.AddMembershipAsync(studyId, user.Id, present);
        var token = await invites.CreateAsync(studyId, invited, null, TimeSpan.FromDays(1));
        var before = await db.DumpContentAsync();

        var joined = await invites.JoinAsync(token, user.Id);

        Assert.Equal(outcome, joined.Outcome);
        Assert.Equal(after, (await new StudyQuery(db.Database).MembershipAsync(studyId, user.Id))?.Role);
        if (outcome != JoinOutcome.Joined) Assert.Equal(before, await db.DumpContentAsync());
    }

    [Fact]
    public async Task ADisabledAccountCannotJoin()
    {
        var (db, invites, studyId) = await ArrangeAsync();
        await using var _ = db;
        var users = new UserStore(db.Database, db.Clock);
        var user = (await users.CreateAsync("dr-off", "Dr Off", isAdmin: false))!;
        await users.SetDisabledAsync(user.Id, disabled: true, actorId: null);
        var token = await invites.CreateAsync(studyId, "rater", null, TimeSpan.FromDays(1));

        Assert.Equal(JoinOutcome.InvalidInvite, (await invites.JoinAsync(token, user.Id)).Outcome);
        Assert.NotNull(await invites.FindAsync(token));
    }

    [Fact]
    public async Task TheViewSaysWhoInvitedAndWhyAnInviteCannotBeUsed()
    {
        var (db, invites, studyId) = await ArrangeAsync();
        await using var _ = db;
        var users = new UserStore(db.Database, db.Clock);
        var lead = (await users.CreateAsync("lead", "Dr Lead", isAdmin: false))!;
        await users.AddMembershipAsync(studyId, lead.Id, "coordinator");
        var fromLead = await invites.CreateAsync(studyId, "rater", lead.Id, TimeSpan.FromDays(2));
        var used = await invites.CreateAsync(studyId, "rater", null, TimeSpan.FromDays(2));
        var expiring = await invites.CreateAsync(studyId, "rater", null, TimeSpan.FromDays(1));
        await invites.AcceptAsync(used, "dr-used", "Dr Used", _ => "h");

        var usable = await invites.ViewAsync(fromLead, lead.Id);
        db.Clock.Now += TimeSpan.FromDays(1);
        var expired = await invites.ViewAsync(expiring, null);
        await users.SetDisabledAsync(lead.Id, disabled: true, actorId: null);

        Assert.Equal(("Dr Lead", InviteState.Usable, "coordinator"), (usable?.InvitedBy, usable?.State, usable?.ViewerRole));
        Assert.Equal(InviteState.Used, (await invites.ViewAsync(used, null))?.State);
        Assert.Equal(InviteState.Expired, expired?.State);
        Assert.Equal(InviteState.Withdrawn, (await invites.ViewAsync(fromLead, null))?.State);
        Assert.Null(await invites.ViewAsync("no-such-token", null));
    }
}
