using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Accounts;

/// <summary>Invites made, listed and revoked from the set-up page: only by the study's coordinators.</summary>
public sealed class InviteRevocationTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    InviteStore _invites = null!;
    UserStore _users = null!;
    long _studyId, _coordinator;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        (_invites, _users) = (new InviteStore(_db.Database, _db.Clock), new UserStore(_db.Database, _db.Clock));
        _coordinator = (await _users.CreateAsync("dr-lead", "Dr Lead", isAdmin: false))!.Id;
        await _users.AddMembershipAsync(_studyId, _coordinator, "coordinator");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ARevokedInviteIsRefusedAndSaysItWasRevoked()
    {
        var token = (await _invites.CreateAsCoordinatorAsync(_studyId, "rater", _coordinator))!;
        var key = Assert.Single((await _invites.ListPendingAsync(_studyId, _coordinator))!).Key;

        var revoked = await _invites.RevokeAsync(_studyId, key, _coordinator);

        Assert.Equal(InviteRevocation.Revoked, revoked);
        Assert.Equal(InviteState.Revoked, (await _invites.ViewAsync(token, null))?.State);
        Assert.Null(await _invites.FindAsync(token));
        Assert.Equal(InviteOutcome.InvalidInvite, (await _invites.AcceptAsync(token, "dr-late", "Dr Late", _ => "h")).Outcome);
        var member = (await _users.CreateAsync("dr-member", "Dr Member", isAdmin: false))!.Id;
        Assert.Equal(JoinOutcome.InvalidInvite, (await _invites.JoinAsync(token, member)).Outcome);
        Assert.Empty((await _invites.ListPendingAsync(_studyId, _coordinator))!);
        Assert.Equal(InviteRevocation.NotPending, await _invites.RevokeAsync(_studyId, key, _coordinator));
    }

    [Fact]
    public async Task PendingListsOnlyUsableInvitesWithRoleMakerAndExpiry()
    {
        var rater = (await _invites.CreateAsCoordinatorAsync(_studyId, "rater", _coordinator))!;
        _db.Clock.Now += TimeSpan.FromHours(1);
        await _invites.CreateAsCoordinatorAsync(_studyId, "coordinator", _coordinator);
        var used = (await _invites.CreateAsCoordinatorAsync(_studyId, "rater", _coordinator))!;
        await _invites.AcceptAsync(used, "dr-used", "Dr Used", _ => "h");
        var cli = await _invites.CreateAsync(_studyId, "rater", null, TimeSpan.FromMinutes(30));
        _db.Clock.Now += TimeSpan.FromMinutes(31);

        var pending = (await _invites.ListPendingAsync(_studyId, _coordinator))!;

        Assert.Equal(["rater", "coordinator"], pending.Select(p => p.Role));
        Assert.All(pending, p => Assert.Equal("Dr Lead", p.InvitedBy));
        Assert.Equal(_db.Clock.Now - TimeSpan.FromMinutes(91) + InviteStore.DefaultLifetime, pending[0].ExpiresAt);
        Assert.NotNull(await _invites.FindAsync(rater));
        Assert.Null(await _invites.FindAsync(cli));
    }

    [Fact]
    public async Task OnlyTheStudysCoordinatorsMakeListAndRevokeInvites()
    {
        var rater = (await _users.CreateAsync("dr-rater", "Dr Rater", isAdmin: false))!.Id;
        await _users.AddMembershipAsync(_studyId, rater, "rater");
        var stranger = (await _users.CreateAsync("dr-stranger", "Dr Stranger", isAdmin: false))!.Id;
        await _invites.CreateAsCoordinatorAsync(_studyId, "rater", _coordinator);
        var key = (await _invites.ListPendingAsync(_studyId, _coordinator))![0].Key;

        foreach (var outsider in new[] { rater, stranger })
        {
            Assert.Null(await _invites.CreateAsCoordinatorAsync(_studyId, "coordinator", outsider));
            Assert.Null(await _invites.ListPendingAsync(_studyId, outsider));
            Assert.Equal(InviteRevocation.NotCoordinator, await _invites.RevokeAsync(_studyId, key, outsider));
        }
        Assert.Single((await _invites.ListPendingAsync(_studyId, _coordinator))!);
    }

    [Fact]
    public async Task TheLinkIsTheSameWhereverTheInviteIsMade() =>
        Assert.Equal("http://gradebench.example:5080/invite/abc", InviteStore.Link("http://gradebench.example:5080/", "abc"));
}
