using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Accounts;

public sealed class AccountDisablingTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    UserStore _users = null!;
    StudyQuery _studies = null!;
    GradingStore _grading = null!;
    long _studyId, _rater, _assigned, _admin;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        (_studyId, _rater, _assigned, _) = await _db.DemoWithNewRaterAsync("dr-suspended");
        _users = new UserStore(_db.Database, _db.Clock);
        _admin = (await _users.CreateAsync("boss", "Administrator", isAdmin: true))!.Id;
        _studies = new StudyQuery(_db.Database);
        _grading = new GradingStore(_db.Database, new RubricQuery(_db.Database), _db.Clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ADisabledAccountHasNoStandingAnywhereUntilItIsEnabledAgain()
    {
        var tokens = new ApiTokenStore(_db.Database, _db.Clock);
        var token = await tokens.CreateAsync(_rater, "script");
        var spans = new SpanStore(_db.Database, _db.Clock);
        var label = (await spans.LabelsAsync(_studyId))[0].Id;
        var draft = new Dictionary<string, string?> { ["consensus"] = "2" };

        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(_rater, disabled: true, _admin));
        var before = await _db.DumpContentAsync();

        Assert.Null(await _studies.AccessAsync(_studyId, _rater));
        Assert.Null(await _studies.MembershipAsync(_studyId, _rater));
        Assert.Empty(await _studies.ListVisibleAsync(_rater, isAdmin: false));
        Assert.Null(await tokens.FindUserAsync(token));
        Assert.Equal(RatingWriteOutcome.NotRater, (await _grading.SaveAsync(_studyId, _rater, _assigned, draft, submit: false)).Outcome);
        Assert.Equal(SpanWriteOutcome.NotFound, await spans.AddAsync(_studyId, _rater, _assigned, label, 0, 5, null));
        Assert.False(await new FlagStore(_db.Database, _db.Clock).AddAsync(_studyId, _rater, _assigned, "a note"));
        Assert.Equal(before, await _db.DumpContentAsync());
        Assert.Equal(_db.Clock.Now, (await _users.FindAsync(_rater))!.DisabledAt);

        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(_rater, disabled: false, _admin));
        Assert.Equal("rater", (await _studies.AccessAsync(_studyId, _rater))!.Role);
        Assert.Equal(_rater, (await tokens.FindUserAsync(token))!.Id);
        Assert.Equal(RatingWriteOutcome.Saved, (await _grading.SaveAsync(_studyId, _rater, _assigned, draft, submit: false)).Outcome);
    }

    [Fact]
    public async Task ADisabledAdministratorCoordinatesNothingAndCreatesNoStudy()
    {
        Assert.True(await _studies.MayCreateStudiesAsync(_admin));
        var second = (await _users.CreateAsync("boss-2", "Second administrator", isAdmin: true))!.Id;

        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(_admin, disabled: true, second));

        Assert.Null(await _studies.AccessAsync(_studyId, _admin));
        Assert.False(await _studies.MayCreateStudiesAsync(_admin));
        Assert.Equal(StudyChangeOutcome.NotCoordinator,
            (await new StudyLifecycleStore(_db.Database, _studies, _db.Clock).SetPausedAsync(_studyId, _admin, true)).Outcome);
    }

    [Fact]
    public async Task OnlyAnEnabledAdministratorDisablesAndNeverThemselvesOrTheLastAdministrator()
    {
        Assert.Equal(AccountStatusOutcome.Self, await _users.SetDisabledAsync(_admin, disabled: true, _admin));
        Assert.Equal(AccountStatusOutcome.LastAdministrator, await _users.SetDisabledAsync(_admin, disabled: true, actorId: null));
        Assert.Equal(AccountStatusOutcome.NotAdministrator, await _users.SetDisabledAsync(_admin, disabled: true, _rater));
        Assert.Equal(AccountStatusOutcome.NotFound, await _users.SetDisabledAsync(999_999, disabled: true, _admin));
        Assert.Equal(AccountStatusOutcome.Unchanged, await _users.SetDisabledAsync(_rater, disabled: false, _admin));

        var second = (await _users.CreateAsync("boss-2", "Second administrator", isAdmin: true))!.Id;
        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(_admin, disabled: true, second));
        Assert.Equal(AccountStatusOutcome.NotAdministrator, await _users.SetDisabledAsync(_rater, disabled: true, _admin));
        Assert.Equal(AccountStatusOutcome.LastAdministrator, await _users.SetDisabledAsync(second, disabled: true, actorId: null));

        await using var connection = await _db.Database.OpenAsync();
        Assert.Equal([(_admin, true, second)], (await connection.QueryAsync<(long, bool, long)>(
            "SELECT user_id, disabled, changed_by FROM account_status_changes ORDER BY id")).ToList());
    }

    [Fact]
    public async Task ARaterWhoseAccountIsDisabledGetsNoNewWork()
    {
        var begun = (await _grading.QueueAsync(_studyId, _rater))[1].ResponseId;
        await _grading.SaveAsync(_studyId, _rater, begun, new Dictionary<string, string?> { ["consensus"] = "2" }, submit: false);
        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(_rater, disabled: true, _admin));

        await _db.AddRaterAsync(_studyId, "dr-newcomer");

        Assert.Equal([begun], (await _grading.QueueAsync(_studyId, _rater)).Select(q => q.ResponseId));
        await using var connection = await _db.Database.OpenAsync();
        Assert.Equal([3L], await connection.QueryAsync<long>("""
            SELECT DISTINCT COUNT(*) FROM assignments WHERE study_id = @StudyId AND (completed_at IS NOT NULL OR rater_id <> @Rater) GROUP BY response_id
            """, new { StudyId = _studyId, Rater = _rater }));
    }

    [Fact]
    public async Task TheRevocationFeedReadsDisablingsAndRemovalsOnceInOrder()
    {
        var revocations = new RevocationQuery(_db.Database);
        var start = await revocations.CursorAsync();
        var setup = new StudySetupStore(_db.Database, _studies, new RubricQuery(_db.Database), _db.Clock);
        var other = await _db.AddRaterAsync(_studyId, "dr-other");

        await _users.SetDisabledAsync(_rater, disabled: true, _admin);
        await _users.SetDisabledAsync(_rater, disabled: false, _admin);
        Assert.Null((await setup.RemoveMemberAsync(_studyId, _admin, other)).Refusal);
        var (found, cursor) = await revocations.SinceAsync(start);
        var (again, same) = await revocations.SinceAsync(cursor);

        Assert.Equal([new Revocation(_rater, null), new Revocation(other, _studyId)], found);
        Assert.Empty(again);
        Assert.Equal(cursor, same);
        Assert.Equal(cursor, await revocations.CursorAsync());
    }

    /// <summary>A coordinator made a rater (as `gradebench users add --role rater` does) is a revocation of the
    /// coordinator role; a rater made coordinator, or a role given again, is not. Every change of role is recorded.</summary>
    [Fact]
    public async Task TheRevocationFeedReadsACoordinatorMadeARaterButNotARaterMadeCoordinator()
    {
        var revocations = new RevocationQuery(_db.Database);
        var start = await revocations.CursorAsync();
        var coordinator = (await _users.CreateAsync("dr-chief", "Dr Chief", isAdmin: false))!.Id;
        await _users.AddMembershipAsync(_studyId, coordinator, "coordinator");

        await _users.AddMembershipAsync(_studyId, coordinator, "coordinator");
        await _users.AddMembershipAsync(_studyId, _rater, "coordinator");
        await _users.AddMembershipAsync(_studyId, coordinator, "rater");
        var (found, cursor) = await revocations.SinceAsync(start);

        Assert.Equal([new Revocation(coordinator, _studyId, CoordinatorRoleLost: true)], found);
        Assert.Empty((await revocations.SinceAsync(cursor)).Found);
        Assert.Equal(cursor, await revocations.CursorAsync());
        await using var connection = await _db.Database.OpenAsync();
        Assert.Equal(["rater>coordinator", "coordinator>rater"], await connection.QueryAsync<string>(
            "SELECT old_role || '>' || new_role FROM study_role_changes WHERE study_id = @StudyId ORDER BY id", new { StudyId = _studyId }));
    }
}
