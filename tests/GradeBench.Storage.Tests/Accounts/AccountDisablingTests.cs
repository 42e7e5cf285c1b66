using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Accounts;

public sealed class AccountDisablingTests() : DemoRaterTest("dr-suspended")
{
    UserStore _users = null!;
    StudyQuery _studies = null!;
    GradingStore _grading = null!;
    long _admin;

    protected override async Task ArrangeAsync()
    {
        _users = Users;
        _admin = (await _users.CreateAsync("boss", "Administrator", isAdmin: true))!.Id;
        _studies = new StudyQuery(Db.Database);
        _grading = Grading;
    }

    [Fact]
    public async Task ADisabledAccountHasNoStandingAnywhereUntilItIsEnabledAgain()
    {
        var tokens = new ApiTokenStore(Db.Database, Db.Clock);
        var token = await tokens.CreateAsync(Rater, "script");
        var spans = new SpanStore(Db.Database, Db.Clock);
        var label = (await spans.LabelsAsync(StudyId))[0].Id;
        var draft = new Dictionary<string, string?> { ["consensus"] = "2" };

        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(Rater, disabled: true, _admin));
        var before = await Db.DumpContentAsync();

        Assert.Null(await _studies.AccessAsync(StudyId, Rater));
        Assert.Null(await _studies.MembershipAsync(StudyId, Rater));
        Assert.Empty(await _studies.ListVisibleAsync(Rater, isAdmin: false));
        Assert.Null(await tokens.FindUserAsync(token));
        Assert.Equal(RatingWriteOutcome.NotRater, (await _grading.SaveAsync(StudyId, Rater, Demo.Assigned, draft, submit: false)).Outcome);
        Assert.Equal(SpanWriteOutcome.NotFound, await spans.AddAsync(StudyId, Rater, Demo.Assigned, label, 0, 5, null));
        Assert.Null(await new FlagStore(Db.Database, Db.Clock).AddAsync(StudyId, Rater, Demo.Assigned, "a note"));
        Assert.Equal(before, await Db.DumpContentAsync());
        Assert.Equal(Db.Clock.Now, (await _users.FindAsync(Rater))!.DisabledAt);

        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(Rater, disabled: false, _admin));
        Assert.Equal("rater", (await _studies.AccessAsync(StudyId, Rater))!.Role);
        Assert.Equal(Rater, (await tokens.FindUserAsync(token))!.Id);
        Assert.Equal(RatingWriteOutcome.Saved, (await _grading.SaveAsync(StudyId, Rater, Demo.Assigned, draft, submit: false)).Outcome);
    }

    [Fact]
    public async Task ADisabledAdministratorCoordinatesNothingAndCreatesNoStudy()
    {
        Assert.True(await _studies.MayCreateStudiesAsync(_admin));
        var second = (await _users.CreateAsync("boss-2", "Second administrator", isAdmin: true))!.Id;

        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(_admin, disabled: true, second));

        Assert.Null(await _studies.AccessAsync(StudyId, _admin));
        Assert.False(await _studies.MayCreateStudiesAsync(_admin));
        Assert.Equal(StudyChangeOutcome.NotCoordinator,
            (await new StudyLifecycleStore(Db.Database, _studies, Db.Clock).SetPausedAsync(StudyId, _admin, true)).Outcome);
    }

    [Fact]
    public async Task OnlyAnEnabledAdministratorDisablesAndNeverThemselvesOrTheLastAdministrator()
    {
        Assert.Equal(AccountStatusOutcome.Self, await _users.SetDisabledAsync(_admin, disabled: true, _admin));
        Assert.Equal(AccountStatusOutcome.LastAdministrator, await _users.SetDisabledAsync(_admin, disabled: true, actorId: null));
        Assert.Equal(AccountStatusOutcome.NotAdministrator, await _users.SetDisabledAsync(_admin, disabled: true, Rater));
        Assert.Equal(AccountStatusOutcome.NotFound, await _users.SetDisabledAsync(999_999, disabled: true, _admin));
        Assert.Equal(AccountStatusOutcome.Unchanged, await _users.SetDisabledAsync(Rater, disabled: false, _admin));

        var second = (await _users.CreateAsync("boss-2", "Second administrator", isAdmin: true))!.Id;
        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(_admin, disabled: true, second));
        Assert.Equal(AccountStatusOutcome.NotAdministrator, await _users.SetDisabledAsync(Rater, disabled: true, _admin));
        Assert.Equal(AccountStatusOutcome.LastAdministrator, await _users.SetDisabledAsync(second, disabled: true, actorId: null));

        await using var connection = await Db.Database.OpenAsync();
        Assert.Equal([(_admin, true, second)], (await connection.QueryAsync<(long, bool, long)>(
            "SELECT user_id, disabled, changed_by FROM account_status_changes ORDER BY id")).ToList());
    }

    [Fact]
    public async Task ARaterWhoseAccountIsDisabledGetsNoNewWork()
    {
        var begun = (await _grading.QueueAsync(StudyId, Rater))[1].ResponseId;
        await _grading.SaveAsync(StudyId, Rater, begun, new Dictionary<string, string?> { ["consensus"] = "2" }, submit: false);
        Assert.Equal(AccountStatusOutcome.Changed, await _users.SetDisabledAsync(Rater, disabled: true, _admin));

        await Db.AddRaterAsync(StudyId, "dr-newcomer");

        Assert.Equal([begun], (await _grading.QueueAsync(StudyId, Rater)).Select(q => q.ResponseId));
        await using var connection = await Db.Database.OpenAsync();
        Assert.Equal([3L], await connection.QueryAsync<long>("""
            SELECT DISTINCT COUNT(*) FROM assignments WHERE study_id = @StudyId AND (completed_at IS NOT NULL OR rater_id <> @Rater) GROUP BY response_id
            """, new { StudyId = StudyId, Rater = Rater }));
    }

    [Fact]
    public async Task TheRevocationFeedReadsDisablingsAndRemovalsOnceInOrder()
    {
        var revocations = new RevocationQuery(Db.Database);
        var start = await revocations.CursorAsync();
        var setup = new StudySetupStore(Db.Database, _studies, new RubricQuery(Db.Database), Db.Clock);
        var other = await Db.AddRaterAsync(StudyId, "dr-other");

        await _users.SetDisabledAsync(Rater, disabled: true, _admin);
        await _users.SetDisabledAsync(Rater, disabled: false, _admin);
        Assert.Null((await setup.RemoveMemberAsync(StudyId, _admin, other)).Refusal);
        var (found, cursor) = await revocations.SinceAsync(start);
        var (again, same) = await revocations.SinceAsync(cursor);

        Assert.Equal([new Revocation(Rater, null), new Revocation(other, StudyId)], found);
        Assert.Empty(again);
        Assert.Equal(cursor, same);
        Assert.Equal(cursor, await revocations.CursorAsync());
    }

    /// <summary>A coordinator made a rater (as `gradebench users add --role rater` does) is a revocation of the
    /// coordinator role; a rater made coordinator, or a role given again, is not. Every change of role is recorded.</summary>
    [Fact]
    public async Task TheRevocationFeedReadsACoordinatorMadeARaterButNotARaterMadeCoordinator()
    {
        var revocations = new RevocationQuery(Db.Database);
        var start = await revocations.CursorAsync();
        var coordinator = (await _users.CreateAsync("dr-chief", "Dr Chief", isAdmin: false))!.Id;
        await _users.AddMembershipAsync(StudyId, coordinator, "coordinator");

        await _users.AddMembershipAsync(StudyId, coordinator, "coordinator");
        await _users.AddMembershipAsync(StudyId, Rater, "coordinator");
        await _users.AddMembershipAsync(StudyId, coordinator, "rater");
        var (found, cursor) = await revocations.SinceAsync(start);

        Assert.Equal([new Revocation(coordinator, StudyId, CoordinatorRoleLost: true)], found);
        Assert.Empty((await revocations.SinceAsync(cursor)).Found);
        Assert.Equal(cursor, await revocations.CursorAsync());
        await using var connection = await Db.Database.OpenAsync();
        Assert.Equal(["rater>coordinator", "coordinator>rater"], await connection.QueryAsync<string>(
            "SELECT old_role || '>' || new_role FROM study_role_changes WHERE study_id = @StudyId ORDER BY id", new { StudyId = StudyId }));
    }
}
