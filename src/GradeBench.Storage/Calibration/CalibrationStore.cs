using System.Data.Common;
using Dapper;
using GradeBench.Core.Calibration;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Calibration;

/// <summary>Live calibration of a draft study (its reads are <see cref="CalibrationQuery"/>): a coordinator picks responses, may give them expert reference ("gold")
/// values, and runs one round per item; the study's raters rate the round's item, and nobody sees others' values
/// until every rater the round waits for has submitted or the coordinator reveals. Every method checks the caller's
/// role in the study itself, and every write runs in one transaction that re-reads the study's state and the session's
/// phase, so two clicks at once cannot skip a step. Nothing here touches <c>ratings</c>.</summary>
public sealed class CalibrationStore(Database database, StudyQuery studies, RubricQuery rubric, TimeProvider clock)
{
    const string NotDraftMessage = "Calibration happens while the study is a draft, before it opens.";
    const string NotRaterMessage = "Only a rater of this study can submit a calibration rating.";
    const string NotCoordinatorMessage = "Only a coordinator of this study can run its calibration.";

    internal sealed class SessionRow
    {
        public long Id { get; init; }
        public string Phase { get; init; } = "";
        public long? CurrentItemId { get; init; }
    }

    delegate Task<CalibrationChange> Write(DbConnection connection, DbTransaction transaction, SessionRow? session);

    public Task<CalibrationChange> CreateSessionAsync(long studyId, long actorId, CancellationToken ct = default) =>
        CoordinatorWriteAsync(studyId, actorId, async (connection, transaction, session) =>
        {
            if (session is not null) return CalibrationChange.Refused(CalibrationOutcome.WrongPhase, "A calibration session is already running.");
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO calibration_sessions (study_id, created_by, phase, created_at) VALUES (@StudyId, @ActorId, 'setup', @Now) RETURNING id
                """, new { StudyId = studyId, ActorId = actorId, Now = clock.GetUtcNow() }, transaction);
            return await DoneAsync(connection, transaction, id);
        }, ct);

    /// <summary>Adds one of the study's responses at the end of the running session.</summary>
    public Task<CalibrationChange> AddItemAsync(long studyId, long actorId, long responseId, CancellationToken ct = default) =>
        CoordinatorWriteAsync(studyId, actorId, async (connection, transaction, session) =>
        {
            if (session is null) return NoSession();
            var keys = new { StudyId = studyId, ResponseId = responseId, SessionId = session.Id };
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM responses WHERE id = @ResponseId AND study_id = @StudyId", keys, transaction) == 0)
                return CalibrationChange.Refused(CalibrationOutcome.NotFound, "That response is not part of this study.");
            var added = await connection.ExecuteAsync("""
                INSERT INTO calibration_items (session_id, response_id, position)
                VALUES (@SessionId, @ResponseId, (SELECT COALESCE(MAX(position), 0) + 1 FROM calibration_items WHERE session_id = @SessionId))
                ON CONFLICT (session_id, response_id) DO NOTHING
                """, keys, transaction);
            return added == 0
                ? CalibrationChange.Refused(CalibrationOutcome.WrongPhase, "That response is already in the session.")
                : await DoneAsync(connection, transaction, session.Id);
        }, ct);

    /// <summary>Takes an item out of the running session, as long as its round has not started.</summary>
    public Task<CalibrationChange> RemoveItemAsync(long studyId, long actorId, long itemId, CancellationToken ct = default) =>
        CoordinatorWriteAsync(studyId, actorId, async (connection, transaction, session) =>
        {
            if (session is null) return NoSession();
            var keys = new { SessionId = session.Id, ItemId = itemId };
            if (await connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM calibration_items WHERE id = @ItemId AND session_id = @SessionId AND started_at IS NULL
                """, keys, transaction) == 0)
                return CalibrationChange.Refused(CalibrationOutcome.NotFound, "Only an item of this session whose round has not started can be removed.");
            await connection.ExecuteAsync("DELETE FROM calibration_gold WHERE item_id = @ItemId", keys, transaction);
            await connection.ExecuteAsync("DELETE FROM calibration_items WHERE id = @ItemId", keys, transaction);
            return await DoneAsync(connection, transaction, session.Id);
        }, ct);

    /// <summary>Sets (or, with null or empty, clears) the expert reference values of an item of the running session,
    /// checked against each criterion's scale and stored in canonical form. Free-text criteria have no reference.</summary>
    public async Task<CalibrationChange> SetGoldAsync(long studyId, long actorId, long itemId, IReadOnlyDictionary<string, string?> values,
        CancellationToken ct = default)
    {
        var criteria = await rubric.LoadAsync(studyId, ct);
        var (changes, problems) = RubricValues.Check(criteria, values,
            criterion => GoldComparison.HasScale(criterion) ? null : new Message("Value_FreeTextHasNoReference"));
        if (problems.Count > 0) return CalibrationChange.Invalid(problems);

        return await CoordinatorWriteAsync(studyId, actorId, async (connection, transaction, session) =>
        {
            if (session is null) return NoSession();
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calibration_items WHERE id = @ItemId AND session_id = @SessionId",
                    new { ItemId = itemId, SessionId = session.Id }, transaction) == 0)
                return CalibrationChange.Refused(CalibrationOutcome.NotFound, "That item is not part of the running session.");
            var now = clock.GetUtcNow();
            foreach (var (criterionId, value) in changes)
            {
                var row = new { ItemId = itemId, CriterionId = criterionId, Value = value, ActorId = actorId, Now = now };
                if (value is null)
                    await connection.ExecuteAsync("DELETE FROM calibration_gold WHERE item_id = @ItemId AND criterion_id = @CriterionId", row, transaction);
                else
                    await connection.ExecuteAsync("""
                        INSERT INTO calibration_gold (item_id, criterion_id, value, set_by, set_at) VALUES (@ItemId, @CriterionId, @Value, @ActorId, @Now)
                        ON CONFLICT (item_id, criterion_id) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at
                        """, row, transaction);
            }
            return await DoneAsync(connection, transaction, session.Id);
        }, ct);
    }

    /// <summary>Opens the round of an item that has not had one. It waits for <paramref name="connectedRaters"/> (those
    /// of them who are raters of the study) and for anyone else who submits; with no rater connected it is refused.</summary>
    public Task<CalibrationChange> StartRoundAsync(long studyId, long actorId, long itemId, IReadOnlyCollection<long> connectedRaters,
        CancellationToken ct = default) =>
        CoordinatorWriteAsync(studyId, actorId, (connection, transaction, session) =>
            StartAsync(connection, transaction, studyId, session, itemId, connectedRaters), ct);

    /// <summary>Opens the round of the first item (in session order) that has not had one.</summary>
    public Task<CalibrationChange> NextRoundAsync(long studyId, long actorId, IReadOnlyCollection<long> connectedRaters, CancellationToken ct = default) =>
        CoordinatorWriteAsync(studyId, actorId, async (connection, transaction, session) =>
        {
            if (session is null) return NoSession();
            var next = await connection.QuerySingleOrDefaultAsync<long?>("""
                SELECT id FROM calibration_items WHERE session_id = @SessionId AND started_at IS NULL ORDER BY position LIMIT 1
                """, new { SessionId = session.Id }, transaction);
            return next is { } itemId
                ? await StartAsync(connection, transaction, studyId, session, itemId, connectedRaters)
                : CalibrationChange.Refused(CalibrationOutcome.NotFound, "Every item of the session has had its round.");
        }, ct);

    async Task<CalibrationChange> StartAsync(DbConnection connection, DbTransaction transaction, long studyId, SessionRow? session,
        long itemId, IReadOnlyCollection<long> connectedRaters)
    {
        if (session is null) return NoSession();
        if (session.Phase == CalibrationPhase.Rating)
            return CalibrationChange.Refused(CalibrationOutcome.WrongPhase, "Reveal the current round before starting another.");
        var keys = new { SessionId = session.Id, ItemId = itemId, StudyId = studyId, Now = clock.GetUtcNow() };
        if (await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM calibration_items WHERE id = @ItemId AND session_id = @SessionId AND started_at IS NULL
            """, keys, transaction) == 0)
            return CalibrationChange.Refused(CalibrationOutcome.NotFound, "That item is not in the session or has had its round.");
        var expected = 0;
        foreach (var raterId in connectedRaters.Distinct())
            expected += await connection.ExecuteAsync("""
                INSERT INTO calibration_participants (item_id, rater_id)
                SELECT @ItemId, m.user_id FROM study_members m WHERE m.study_id = @StudyId AND m.user_id = @RaterId AND m.role = 'rater'
                """, new { keys.ItemId, keys.StudyId, RaterId = raterId }, transaction);
        if (expected == 0)
            return CalibrationChange.Refused(CalibrationOutcome.NoRaters, "No rater of this study is connected; wait until they have opened the calibration page.");
        await connection.ExecuteAsync("UPDATE calibration_items SET started_at = @Now WHERE id = @ItemId", keys, transaction);
        await connection.ExecuteAsync("""
            UPDATE calibration_sessions SET phase = 'rating', current_item_id = @ItemId WHERE id = @SessionId
            """, keys, transaction);
        return await DoneAsync(connection, transaction, session.Id);
    }

    /// <summary>Shows the current round's spread to everyone, whoever has not submitted yet.</summary>
    public Task<CalibrationChange> RevealAsync(long studyId, long actorId, CancellationToken ct = default) =>
        CoordinatorWriteAsync(studyId, actorId, async (connection, transaction, session) =>
        {
            if (session is null) return NoSession();
            if (session.Phase != CalibrationPhase.Rating) return CalibrationChange.Refused(CalibrationOutcome.WrongPhase, "No round is waiting to be revealed.");
            await RevealCurrentAsync(connection, transaction, session.Id);
            return await DoneAsync(connection, transaction, session.Id);
        }, ct);

    public Task<CalibrationChange> EndSessionAsync(long studyId, long actorId, CancellationToken ct = default) =>
        CoordinatorWriteAsync(studyId, actorId, async (connection, transaction, session) =>
        {
            if (session is null) return NoSession();
            await connection.ExecuteAsync("UPDATE calibration_sessions SET phase = 'ended', ended_at = @Now WHERE id = @SessionId",
                new { SessionId = session.Id, Now = clock.GetUtcNow() }, transaction);
            return await DoneAsync(connection, transaction, session.Id);
        }, ct);

    /// <summary>A rater's rating of the item of the open round, whole (criteria left out are empty), checked like a
    /// graded rating: values on the scale, required criteria present. A rater may change it until the reveal. The
    /// round reveals itself in the same transaction once everyone it waits for has submitted.</summary>
    public async Task<CalibrationChange> SubmitAsync(long studyId, long raterId, long itemId, IReadOnlyDictionary<string, string?> values,
        CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, raterId, ct) is not { Role: StudyRoles.Rater })
            return CalibrationChange.Refused(CalibrationOutcome.NotRater, NotRaterMessage);
        var criteria = await rubric.LoadAsync(studyId, ct);
        var (changes, problems) = RubricValues.Check(criteria, values);
        var rated = changes.Where(c => c.Value is not null).ToDictionary(c => c.CriterionId, c => c.Value!);
        RubricValues.RequireAll(criteria, rated.Keys.ToHashSet(), problems);
        if (problems.Count > 0) return CalibrationChange.Invalid(problems);

        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, raterId, ct) is not { Role: StudyRoles.Rater })
            return CalibrationChange.Refused(CalibrationOutcome.NotRater, NotRaterMessage);
        if (!await IsDraftAsync(connection, transaction, studyId)) return CalibrationChange.Refused(CalibrationOutcome.NotDraft, NotDraftMessage);
        var session = await ActiveSessionAsync(connection, transaction, studyId);
        if (session is not { Phase: CalibrationPhase.Rating } || session.CurrentItemId != itemId)
            return CalibrationChange.Refused(CalibrationOutcome.WrongPhase, "That item is not being rated now.");
        var keys = new { ItemId = itemId, RaterId = raterId, Now = clock.GetUtcNow() };
        await connection.ExecuteAsync("DELETE FROM calibration_ratings WHERE item_id = @ItemId AND rater_id = @RaterId", keys, transaction);
        foreach (var (criterionId, value) in rated)
            await connection.ExecuteAsync("""
                INSERT INTO calibration_ratings (item_id, rater_id, criterion_id, value) VALUES (@ItemId, @RaterId, @CriterionId, @Value)
                """, new { keys.ItemId, keys.RaterId, CriterionId = criterionId, Value = value }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO calibration_participants (item_id, rater_id, submitted_at) VALUES (@ItemId, @RaterId, @Now)
            ON CONFLICT (item_id, rater_id) DO UPDATE SET submitted_at = excluded.submitted_at
            """, keys, transaction);
        var waiting = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM calibration_participants WHERE item_id = @ItemId AND submitted_at IS NULL", keys, transaction);
        if (waiting == 0) await RevealCurrentAsync(connection, transaction, session.Id);
        var done = await DoneAsync(connection, transaction, session.Id);
        await transaction.CommitAsync(ct);
        return done;
    }

    async Task<CalibrationChange> CoordinatorWriteAsync(long studyId, long actorId, Write write, CancellationToken ct)
    {
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true })
            return CalibrationChange.Refused(CalibrationOutcome.NotCoordinator, NotCoordinatorMessage);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, actorId, ct) is not { IsCoordinator: true })
            return CalibrationChange.Refused(CalibrationOutcome.NotCoordinator, NotCoordinatorMessage);
        if (!await IsDraftAsync(connection, transaction, studyId)) return CalibrationChange.Refused(CalibrationOutcome.NotDraft, NotDraftMessage);
        var change = await write(connection, transaction, await ActiveSessionAsync(connection, transaction, studyId));
        if (change.Succeeded) await transaction.CommitAsync(ct);
        return change;
    }

    static async Task<bool> IsDraftAsync(DbConnection connection, DbTransaction transaction, long studyId) =>
        await connection.QuerySingleOrDefaultAsync<string>("SELECT state FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction) == "draft";

    static Task<SessionRow?> ActiveSessionAsync(DbConnection connection, DbTransaction transaction, long studyId) =>
        connection.QuerySingleOrDefaultAsync<SessionRow>("""
            SELECT id, phase, current_item_id FROM calibration_sessions WHERE study_id = @StudyId AND phase <> 'ended' ORDER BY id DESC LIMIT 1
            """, new { StudyId = studyId }, transaction);

    Task RevealCurrentAsync(DbConnection connection, DbTransaction transaction, long sessionId) =>
        RevealCurrentAsync(connection, transaction, sessionId, clock.GetUtcNow());

    static async Task RevealCurrentAsync(DbConnection connection, DbTransaction transaction, long sessionId, DateTimeOffset now)
    {
        await connection.ExecuteAsync("""
            UPDATE calibration_items SET revealed_at = @Now WHERE id = (SELECT current_item_id FROM calibration_sessions WHERE id = @SessionId);
            UPDATE calibration_sessions SET phase = 'revealed' WHERE id = @SessionId;
            """, new { SessionId = sessionId, Now = now }, transaction);
        // The round's raters see the spread: their independent rating of this response is final from now on.
        var itemId = await connection.ExecuteScalarAsync<long>("SELECT current_item_id FROM calibration_sessions WHERE id = @SessionId",
            new { SessionId = sessionId }, transaction);
        await RatingReveals.RecordCalibrationRoundAsync(connection, transaction, itemId, now);
        var studyId = await connection.ExecuteScalarAsync<long>("SELECT study_id FROM calibration_sessions WHERE id = @SessionId",
            new { SessionId = sessionId }, transaction);
        await RatingReveals.ReleaseAsync(connection, transaction, studyId, now);
    }

    /// <summary>Stops the study's running round from waiting for a rater who has left the study: their place, if they
    /// had not submitted, is dropped, and the round reveals itself when nobody else is still waiting. Inside the caller's
    /// transaction; the session's status when the round changed, else null.</summary>
    internal static async Task<CalibrationStatus?> WithdrawAsync(DbConnection connection, DbTransaction transaction, long studyId, long raterId,
        DateTimeOffset now)
    {
        if (await ActiveSessionAsync(connection, transaction, studyId) is not { Phase: CalibrationPhase.Rating, CurrentItemId: { } itemId } session)
            return null;
        var keys = new { ItemId = itemId, RaterId = raterId };
        if (await connection.ExecuteAsync(
                "DELETE FROM calibration_participants WHERE item_id = @ItemId AND rater_id = @RaterId AND submitted_at IS NULL", keys, transaction) == 0)
            return null;
        var (expected, waiting) = await connection.QuerySingleAsync<(long, long)>("""
            SELECT COUNT(*), COUNT(*) - COUNT(submitted_at) FROM calibration_participants WHERE item_id = @ItemId
            """, keys, transaction);
        if (expected > 0 && waiting == 0) await RevealCurrentAsync(connection, transaction, session.Id, now);
        return (await DoneAsync(connection, transaction, session.Id)).Status;
    }

    static async Task<CalibrationChange> DoneAsync(DbConnection connection, DbTransaction transaction, long sessionId) =>
        CalibrationChange.Done(await connection.QuerySingleAsync<CalibrationStatus>("""
            SELECT s.id AS session_id, s.phase, s.current_item_id AS item_id,
                   (SELECT COUNT(*) FROM calibration_participants p WHERE p.item_id = s.current_item_id AND p.submitted_at IS NOT NULL) AS submitted,
                   (SELECT COUNT(*) FROM calibration_participants p WHERE p.item_id = s.current_item_id) AS expected
            FROM calibration_sessions s WHERE s.id = @SessionId
            """, new { SessionId = sessionId }, transaction));

    static CalibrationChange NoSession() => CalibrationChange.Refused(CalibrationOutcome.NoSession, "There is no running calibration session.");
}
