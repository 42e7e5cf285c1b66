using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Studies;

public sealed class StudyLifecycleStoreTests() : DemoRaterTest("dr-rater")
{
    StudyLifecycleStore _store = null!;
    long _coordinator;

    protected override async Task ArrangeAsync()
    {
        _coordinator = await CoordinatorAsync("dr-lead", "Dr Lead");
        _store = new StudyLifecycleStore(Db.Database, new StudyQuery(Db.Database), Db.Clock);
    }

    async Task SetAsync(string state, bool paused = false)
    {
        await using var connection = await Db.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE studies SET state = @State, paused = @Paused WHERE id = @StudyId", new { State = state, Paused = paused, StudyId = StudyId });
    }

    async Task<List<(string State, bool Paused, DateTimeOffset ChangedAt, long ChangedBy)>> ChangesAsync()
    {
        await using var connection = await Db.Database.OpenAsync();
        return (await connection.QueryAsync<(string, bool, DateTimeOffset, long)>(
            "SELECT state, paused, changed_at, changed_by FROM study_state_changes WHERE study_id = @StudyId ORDER BY id", new { StudyId = StudyId })).AsList();
    }

    [Fact]
    public async Task ACoordinatorMovesTheStudyOnAndTheChangeIsRecordedWithWhoAndWhen()
    {
        var change = await _store.ChangeStateAsync(StudyId, _coordinator, StudyState.Adjudication);

        Assert.Equal(StudyChangeOutcome.Changed, change.Outcome);
        Assert.Equal(new StudyStatus(StudyState.Adjudication, false), change.Status);
        Assert.Equal(new StudyStatus(StudyState.Adjudication, false), await _store.StatusAsync(StudyId));
        Assert.Equal([("adjudication", false, Db.Clock.Now, _coordinator)], await ChangesAsync());
    }

    [Fact]
    public async Task EveryMoveTheLifecycleAllowsIsMadeAndEveryOtherIsRefusedWithoutARecord()
    {
        foreach (var from in Enum.GetValues<StudyState>())
            foreach (var to in Enum.GetValues<StudyState>())
            {
                await SetAsync(StudyLifecycle.Name(from));
                var before = (await ChangesAsync()).Count;

                var change = await _store.ChangeStateAsync(StudyId, _coordinator, to);

                var allowed = StudyLifecycle.CanMove(from, to);
                Assert.Equal(allowed ? StudyChangeOutcome.Changed : StudyChangeOutcome.NotAllowed, change.Outcome);
                Assert.Equal(allowed ? to : from, (await _store.StatusAsync(StudyId))!.State);
                Assert.Equal(before + (allowed ? 1 : 0), (await ChangesAsync()).Count);
                if (!allowed) Assert.Contains($"cannot become {StudyLifecycle.Name(to)}", change.Message);
            }
    }

    [Fact]
    public async Task ARaterCanNeitherChangeNorPauseTheStudy()
    {
        var change = await _store.ChangeStateAsync(StudyId, Rater, StudyState.Closed);
        var pause = await _store.SetPausedAsync(StudyId, Rater, true);

        Assert.Equal(StudyChangeOutcome.NotCoordinator, change.Outcome);
        Assert.Equal(StudyChangeOutcome.NotCoordinator, pause.Outcome);
        Assert.Equal(new StudyStatus(StudyState.Open, false), await _store.StatusAsync(StudyId));
        Assert.Empty(await ChangesAsync());
    }

    [Fact]
    public async Task AnAdministratorWhoIsNotAMemberMayChangeTheStudyAndANonMemberMayNot()
    {
        var users = Users;
        var admin = (await users.CreateAsync("root", "Root", isAdmin: true))!.Id;
        var stranger = (await users.CreateAsync("stranger", "Stranger", isAdmin: false))!.Id;

        var byStranger = await _store.SetPausedAsync(StudyId, stranger, true);
        var byAdmin = await _store.SetPausedAsync(StudyId, admin, true);

        Assert.Equal(StudyChangeOutcome.NotCoordinator, byStranger.Outcome);
        Assert.Equal(StudyChangeOutcome.Changed, byAdmin.Outcome);
        Assert.Equal(admin, Assert.Single(await ChangesAsync()).ChangedBy);
    }

    [Fact]
    public async Task PauseAndResumeAreRecordedWhileTheStudyIsOpen()
    {
        var paused = await _store.SetPausedAsync(StudyId, _coordinator, true);
        var status = await _store.StatusAsync(StudyId);
        Db.Clock.Now = Db.Clock.Now.AddMinutes(5);
        var resumed = await _store.SetPausedAsync(StudyId, _coordinator, false);

        Assert.Equal(new StudyStatus(StudyState.Open, true), paused.Status);
        Assert.False(status!.AcceptsRatings);
        Assert.Equal(new StudyStatus(StudyState.Open, false), resumed.Status);
        Assert.True((await _store.StatusAsync(StudyId))!.AcceptsRatings);
        Assert.Equal([(true, _coordinator), (false, _coordinator)], (await ChangesAsync()).Select(c => (c.Paused, c.ChangedBy)));
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("adjudication")]
    [InlineData("closed")]
    public async Task OnlyAnOpenStudyCanBePausedOrResumed(string state)
    {
        await SetAsync(state);

        var pause = await _store.SetPausedAsync(StudyId, _coordinator, true);
        var resume = await _store.SetPausedAsync(StudyId, _coordinator, false);

        Assert.Equal(StudyChangeOutcome.NotAllowed, pause.Outcome);
        Assert.Equal(StudyChangeOutcome.NotAllowed, resume.Outcome);
        Assert.Equal(new StudyStatus(StudyLifecycle.Parse(state), false), await _store.StatusAsync(StudyId));
        Assert.Empty(await ChangesAsync());
    }

    [Fact]
    public async Task LeavingOpenEndsThePauseAndReopeningDoesNotBringItBack()
    {
        await _store.SetPausedAsync(StudyId, _coordinator, true);

        var adjudication = await _store.ChangeStateAsync(StudyId, _coordinator, StudyState.Adjudication);
        var reopened = await _store.ChangeStateAsync(StudyId, _coordinator, StudyState.Open);

        Assert.Equal(new StudyStatus(StudyState.Adjudication, false), adjudication.Status);
        Assert.Equal(new StudyStatus(StudyState.Open, false), reopened.Status);
        Assert.Equal(new StudyStatus(StudyState.Open, false), await _store.StatusAsync(StudyId));
    }

    [Fact]
    public async Task AStudyThatDoesNotExistHasNoStatusAndCannotBeChanged()
    {
        Assert.Null(await _store.StatusAsync(StudyId + 1000));
        Assert.Equal(StudyChangeOutcome.NotCoordinator, (await _store.ChangeStateAsync(StudyId + 1000, _coordinator, StudyState.Closed)).Outcome);
    }
}
