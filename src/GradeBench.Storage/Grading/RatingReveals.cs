using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Grading;

/// <summary>Independence after reveal (docs/grading.md): once the server has shown a rater other raters' values for a
/// response, or their votes on a side-by-side pair, the rater's own rating of it (votes on it) is final. Recorded before
/// those values leave the server (an adjudication item page, a calibration round's reveal), checked inside every rating
/// and vote write's transaction. Refusal was chosen over keeping post-reveal revisions aside: agreement must be of
/// independent ratings, and a refused write is visible to the rater where a silently excluded one is not.</summary>
public sealed class RatingReveals(Database database)
{
    public const string Adjudication = "adjudication";
    public const string Calibration = "calibration";

    /// <summary>Whether the rater's rating of the response is final (the grading page shows it read-only).</summary>
    public async Task<bool> IsFrozenAsync(long studyId, long raterId, long responseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await IsFrozenAsync(connection, null, studyId, raterId, responseId);
    }

    /// <summary>The guard of rating writes: call it inside the write's transaction, so a reveal committed first is seen.</summary>
    internal static async Task<bool> IsFrozenAsync(DbConnection connection, DbTransaction? transaction, long studyId, long raterId, long responseId) =>
        await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rating_reveals WHERE study_id = @StudyId AND rater_id = @RaterId AND response_id = @ResponseId
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, transaction) > 0;

    /// <summary>Notes that the rater is being shown others' values of the response; the first time counts. Returns
    /// whether this was the first time.</summary>
    internal static async Task<bool> RecordAsync(DbConnection connection, DbTransaction? transaction, long studyId, long raterId, long responseId,
        string source, DateTimeOffset now) =>
        await connection.ExecuteAsync("""
            INSERT INTO rating_reveals (study_id, rater_id, response_id, source, revealed_at)
            VALUES (@StudyId, @RaterId, @ResponseId, @Source, @Now)
            ON CONFLICT (study_id, rater_id, response_id) DO NOTHING
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId, Source = source, Now = now }, transaction) > 0;

    /// <summary>Whether the rater's votes on a side-by-side pair are final: a pair's adjudication item showed them the other
    /// raters' votes (table <c>pair_reveals</c>), the same rule as for a response.</summary>
    public async Task<bool> IsPairFrozenAsync(long studyId, long raterId, long pairId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await IsPairFrozenAsync(connection, null, studyId, raterId, pairId);
    }

    /// <summary>The guard of vote writes: call it inside the write's transaction, so a reveal committed first is seen.</summary>
    internal static async Task<bool> IsPairFrozenAsync(DbConnection connection, DbTransaction? transaction, long studyId, long raterId, long pairId) =>
        await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM pair_reveals WHERE study_id = @StudyId AND rater_id = @RaterId AND pair_id = @PairId
            """, new { StudyId = studyId, RaterId = raterId, PairId = pairId }, transaction) > 0;

    /// <summary>Whether the rater has seen the others' votes on a pair with this answer: their highlights of it are then
    /// final, as their votes are (one answer may be in several pairs; any one of them seen is enough).</summary>
    internal static async Task<bool> IsAnswerOfFrozenPairAsync(DbConnection connection, DbTransaction? transaction, long studyId, long raterId, long responseId) =>
        await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM pair_reveals v JOIN pairs p ON p.id = v.pair_id
            WHERE v.study_id = @StudyId AND v.rater_id = @RaterId AND @ResponseId IN (p.response_a_id, p.response_b_id)
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, transaction) > 0;

    /// <summary>Whether the rater's passages of a case's clinical note are final: they have been shown others' values of an
    /// answer to the case, or others' votes on a pair of it (any one is enough: the note is read beside every answer).</summary>
    internal static async Task<bool> IsCaseFrozenAsync(DbConnection connection, DbTransaction? transaction, long studyId, long raterId, long caseId) =>
        await connection.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM rating_reveals v JOIN responses r ON r.id = v.response_id
                           WHERE v.study_id = @StudyId AND v.rater_id = @RaterId AND r.case_id = @CaseId)
                OR EXISTS (SELECT 1 FROM pair_reveals v JOIN pairs p ON p.id = v.pair_id
                           WHERE v.study_id = @StudyId AND v.rater_id = @RaterId AND p.case_id = @CaseId)
            """, new { StudyId = studyId, RaterId = raterId, CaseId = caseId }, transaction);

    /// <summary>Notes that the rater is being shown others' votes on the pair; the first time counts.</summary>
    internal static Task RecordPairAsync(DbConnection connection, DbTransaction? transaction, long studyId, long raterId, long pairId,
        DateTimeOffset now) =>
        connection.ExecuteAsync("""
            INSERT INTO pair_reveals (study_id, rater_id, pair_id, revealed_at) VALUES (@StudyId, @RaterId, @PairId, @Now)
            ON CONFLICT (study_id, rater_id, pair_id) DO NOTHING
            """, new { StudyId = studyId, RaterId = raterId, PairId = pairId, Now = now }, transaction);

    /// <summary>Before or while raters rate (draft, open), a rater's unstarted assignment of a response revealed to them
    /// goes to someone who has not seen it: a calibration item would otherwise stay in their queue, never to be done.</summary>
    internal static async Task ReleaseAsync(DbConnection connection, DbTransaction transaction, long studyId, DateTimeOffset now)
    {
        var state = await connection.ExecuteScalarAsync<string>("SELECT state FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction);
        if (state is "draft" or "open") await Assignments.RebalanceAsync(connection, transaction, studyId, now);
    }

    /// <summary>A calibration round is revealed: every rater it waited for sees the spread of the item's response.</summary>
    internal static Task RecordCalibrationRoundAsync(DbConnection connection, DbTransaction transaction, long itemId, DateTimeOffset now) =>
        connection.ExecuteAsync("""
            INSERT INTO rating_reveals (study_id, rater_id, response_id, source, revealed_at)
            SELECT s.study_id, p.rater_id, i.response_id, 'calibration', @Now
            FROM calibration_participants p
            JOIN calibration_items i ON i.id = p.item_id
            JOIN calibration_sessions s ON s.id = i.session_id
            WHERE p.item_id = @ItemId
            ON CONFLICT (study_id, rater_id, response_id) DO NOTHING
            """, new { ItemId = itemId, Now = now }, transaction);
}
