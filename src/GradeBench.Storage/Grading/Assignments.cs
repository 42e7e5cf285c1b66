using System.Data.Common;
using Dapper;
using GradeBench.Core.Grading;

namespace GradeBench.Storage.Grading;

/// <summary>Keeps a study's assignments complete and balanced (docs/assignment.md) as raters and responses arrive.</summary>
public static class Assignments
{
    /// <summary>Releases the assignments nobody has started (not completed, no rating written) and plans the open
    /// slots again over the study's current raters, so that a newcomer gets a fair share at once while work begun
    /// or done never moves. Runs inside the caller's transaction; returns how many assignments were added.</summary>
    public static async Task<int> RebalanceAsync(DbConnection connection, DbTransaction transaction, long studyId, DateTimeOffset now)
    {
        var ratersPerResponse = await connection.ExecuteScalarAsync<int>(
            "SELECT raters_per_response FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction);
        await connection.ExecuteAsync("""
            DELETE FROM assignments
            WHERE study_id = @StudyId AND completed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM ratings g WHERE g.response_id = assignments.response_id AND g.rater_id = assignments.rater_id)
            """, new { StudyId = studyId }, transaction);
        var responses = (await connection.QueryAsync<long>(
            "SELECT id FROM responses WHERE study_id = @StudyId ORDER BY position", new { StudyId = studyId }, transaction)).AsList();
        var raters = (await connection.QueryAsync<long>(
            "SELECT user_id FROM study_members WHERE study_id = @StudyId AND role = 'rater' ORDER BY user_id", new { StudyId = studyId }, transaction)).AsList();
        var existing = (await connection.QueryAsync<(long ResponseId, long RaterId)>(
            "SELECT response_id, rater_id FROM assignments WHERE study_id = @StudyId", new { StudyId = studyId }, transaction))
            .Select(a => new Assignment(a.ResponseId, a.RaterId)).ToList();
        if (raters.Count == 0) return 0;

        var added = AssignmentPlanner.Plan(responses, raters, ratersPerResponse, existing, seed: unchecked((ulong)studyId));
        await connection.ExecuteAsync("""
            INSERT INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at)
            VALUES (@StudyId, @ResponseId, @RaterId, @QueuePosition, @Now)
            """, added.Select(a => new
            {
                StudyId = studyId,
                a.ResponseId,
                a.RaterId,
                QueuePosition = QueueOrder.Position(studyId, a.RaterId, a.ResponseId),
                Now = now,
            }), transaction);
        return added.Count;
    }
}
