using Dapper;
using GradeBench.Core.Studies;

namespace GradeBench.Storage.Studies;

public sealed record StudyStatus(StudyState State, bool Paused)
{
    public bool AcceptsRatings => StudyLifecycle.AcceptsRatings(State, Paused);
}

public enum StudyChangeOutcome { Changed, NotCoordinator, NotAllowed, NotConfirmed }

public sealed record StudyChange(StudyChangeOutcome Outcome, StudyStatus? Status, string? Message = null);

/// <summary>Moves a study through draft → open → adjudication → closed and pauses it; only its coordinators (or an
/// administrator) may, and every change is recorded with who made it.</summary>
public sealed class StudyLifecycleStore(Database database, StudyQuery studies, TimeProvider clock)
{
    sealed class Row
    {
        public string State { get; init; } = "";
        public bool Paused { get; init; }
    }

    public async Task<StudyStatus?> StatusAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT state, paused FROM studies WHERE id = @StudyId", new { StudyId = studyId }, cancellationToken: ct));
        return row is null ? null : new StudyStatus(StudyLifecycle.Parse(row.State), row.Paused);
    }

    public async Task<StudyChange> ChangeStateAsync(long studyId, long actorId, StudyState to, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true } access)
            return new StudyChange(StudyChangeOutcome.NotCoordinator, null, "Only a coordinator of this study can change its state.");
        var from = StudyLifecycle.Parse(access.State);
        if (!StudyLifecycle.CanMove(from, to))
            return new StudyChange(StudyChangeOutcome.NotAllowed, new StudyStatus(from, access.Paused),
                $"A study that is {StudyLifecycle.Name(from)} cannot become {StudyLifecycle.Name(to)}.");
        // Leaving "open" ends any pause: a pause only means something while raters can grade.
        return await WriteAsync(studyId, actorId, new StudyStatus(to, to == StudyState.Open && access.Paused), from, ct);
    }

    /// <summary>Closes the study for good, only when <paramref name="typedId"/> is the study's id as the coordinator typed
    /// it (<see cref="StudyLifecycle.ConfirmsClose"/>): a click alone cannot end a study.</summary>
    public async Task<StudyChange> CloseAsync(long studyId, long actorId, string? typedId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true } access)
            return new StudyChange(StudyChangeOutcome.NotCoordinator, null, "Only a coordinator of this study can change its state.");
        await using (var connection = await database.OpenAsync(ct))
        {
            var slug = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT slug FROM studies WHERE id = @StudyId", new { StudyId = studyId }, cancellationToken: ct));
            if (!StudyLifecycle.ConfirmsClose(slug ?? "", typedId))
                return new StudyChange(StudyChangeOutcome.NotConfirmed, new StudyStatus(StudyLifecycle.Parse(access.State), access.Paused),
                    "To close the study, type its id exactly as shown.");
        }
        return await ChangeStateAsync(studyId, actorId, StudyState.Closed, ct);
    }

    public async Task<StudyChange> SetPausedAsync(long studyId, long actorId, bool paused, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true } access)
            return new StudyChange(StudyChangeOutcome.NotCoordinator, null, "Only a coordinator of this study can pause it.");
        var state = StudyLifecycle.Parse(access.State);
        if (state != StudyState.Open)
            return new StudyChange(StudyChangeOutcome.NotAllowed, new StudyStatus(state, access.Paused), "Only an open study can be paused or resumed.");
        return await WriteAsync(studyId, actorId, new StudyStatus(state, paused), state, ct);
    }

    async Task<StudyChange> WriteAsync(long studyId, long actorId, StudyStatus status, StudyState expected, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var change = new { StudyId = studyId, State = StudyLifecycle.Name(status.State), status.Paused, Now = now, ActorId = actorId, Expected = StudyLifecycle.Name(expected) };
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, actorId, ct) is not { IsCoordinator: true })
            return new StudyChange(StudyChangeOutcome.NotCoordinator, null, "Only a coordinator of this study can change it.");
        // Guarded by the state read above, so two coordinators clicking at once cannot skip a step.
        var updated = await connection.ExecuteAsync("""
            UPDATE studies SET state = @State, paused = @Paused, state_changed_at = @Now WHERE id = @StudyId AND state = @Expected
            """, change, transaction);
        if (updated == 0)
            return new StudyChange(StudyChangeOutcome.NotAllowed, null, "The study changed meanwhile; reload and try again.");
        await connection.ExecuteAsync("""
            INSERT INTO study_state_changes (study_id, state, paused, changed_at, changed_by) VALUES (@StudyId, @State, @Paused, @Now, @ActorId)
            """, change, transaction);
        await transaction.CommitAsync(ct);
        return new StudyChange(StudyChangeOutcome.Changed, status);
    }
}
