using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>A passage a rater marked in a case's note is work begun on that case (<c>Assignments.Unstarted</c>;
/// pairs: <see cref="PairNoteSpanTests"/>): their answers, or pairs, of the case are neither released when they leave
/// nor moved to another rater, as a rating or an answer highlight keeps them.</summary>
public sealed class NoteSpanWorkBegunTests : IAsyncLifetime
{
    NoteWorld _world = null!;
    long _coordinator;
    List<long> _answers = null!;

    /// <summary>The rater holds two answers to the case with the emoji, and marks its note.</summary>
    public async Task InitializeAsync()
    {
        _world = await NoteWorld.CreateAsync();
        // A member who joins plans unstarted work again: the coordinator first, then the answers.
        _coordinator = await CoordinatorAsync(_world.Db, _world.StudyId);
        await using var connection = await _world.Db.Database.OpenAsync();
        await _world.AssignAsync(_world.Rater, _world.Response);
        await _world.AssignAsync(_world.Rater, await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM responses WHERE case_id = @Case", new { _world.Case }));
        _answers = (await connection.QueryAsync<long>("""
            SELECT a.response_id FROM assignments a JOIN responses r ON r.id = a.response_id WHERE a.rater_id = @Rater AND r.case_id = @Case ORDER BY 1
            """, new { _world.Rater, _world.Case })).AsList();
        Assert.Equal(2, _answers.Count);
        Assert.Equal(NoteSpanOutcome.Saved, (await _world.Notes.AddAsync(_world.Rater, _world.Case, _world.Labels[2].Id, 0, 5, null, null)).Outcome);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    static async Task<long> CoordinatorAsync(TestDatabase db, long studyId)
    {
        var users = new UserStore(db.Database, db.Clock);
        var id = (await users.CreateAsync("coord", "Dr Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, id, "coordinator");
        return id;
    }

    static StudySetupStore Setup(TestDatabase db) => new(db.Database, new StudyQuery(db.Database), new RubricQuery(db.Database), db.Clock);

    static async Task<List<long>> HeldAsync(TestDatabase db, string table, string column, long rater)
    {
        await using var connection = await db.Database.OpenAsync();
        return (await connection.QueryAsync<long>($"SELECT {column} FROM {table} WHERE rater_id = @Rater ORDER BY {column}", new { Rater = rater })).AsList();
    }

    [Fact]
    public async Task ARaterWhoLeavesKeepsTheAnswersOfACaseWhoseNoteTheyMarked()
    {
        var removed = await Setup(_world.Db).RemoveMemberAsync(_world.StudyId, _coordinator, _world.Rater);

        Assert.Null(removed.Refusal);
        Assert.Equal(_answers, await HeldAsync(_world.Db, "assignments", "response_id", _world.Rater));
        Assert.Equal(2, removed.Begun);
    }

    [Fact]
    public async Task TheAnswersOfACaseWhoseNoteTheRaterMarkedAreNotMovedToAnother()
    {
        var newcomer = await _world.Db.AddRaterAsync(_world.StudyId, "dr-newcomer");
        await _world.UnassignCaseAsync(newcomer, _world.Case);

        var moved = await Setup(_world.Db).ReassignAsync(_world.StudyId, _coordinator, _world.Rater, newcomer);

        Assert.True(moved.Moved > 0);
        Assert.Subset((await HeldAsync(_world.Db, "assignments", "response_id", _world.Rater)).ToHashSet(), _answers.ToHashSet());
        Assert.Empty((await HeldAsync(_world.Db, "assignments", "response_id", newcomer)).Intersect(_answers));
    }
}
