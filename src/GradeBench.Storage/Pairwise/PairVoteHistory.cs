using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Pairwise;

/// <summary><c>pair_vote_history</c> kept complete under the rule of <c>rating_history</c> (docs/grading.md, "Rating
/// history"): every writer of <c>pair_votes</c> records a line in its own transaction, so a vote without lines can only
/// be an imported one never changed since, whose line is implied ("import" at the study's creation, by no one).</summary>
static class PairVoteHistory
{
    /// <summary>Writes the implied import line of a vote that has no history yet; a no-op for any other vote. Call it, in
    /// the writer's transaction, before changing the vote.</summary>
    public static Task RecordImportedAsync(DbConnection connection, DbTransaction transaction, long voteId) => connection.ExecuteAsync("""
        INSERT INTO pair_vote_history (vote_id, choice, status, source, recorded_at, recorded_by)
        SELECT v.id, v.choice, v.status, 'import', s.created_at, NULL
        FROM pair_votes v JOIN pairs p ON p.id = v.pair_id JOIN studies s ON s.id = p.study_id
        WHERE v.id = @VoteId AND NOT EXISTS (SELECT 1 FROM pair_vote_history h WHERE h.vote_id = v.id)
        """, new { VoteId = voteId }, transaction);

    /// <summary>Appends the line of a vote's new choice and status, recorded on the web by the rater.</summary>
    public static Task RecordWebAsync(DbConnection connection, DbTransaction transaction, long voteId, string? choice, string status,
        DateTimeOffset now, long raterId) => connection.ExecuteAsync("""
        INSERT INTO pair_vote_history (vote_id, choice, status, source, recorded_at, recorded_by)
        VALUES (@VoteId, @Choice, @Status, 'web', @Now, @RaterId)
        """, new { VoteId = voteId, Choice = choice, Status = status, Now = now, RaterId = raterId }, transaction);
}
