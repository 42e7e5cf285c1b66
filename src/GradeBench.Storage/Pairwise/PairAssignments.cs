using System.Data.Common;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Pairwise;

/// <summary>A pair the study compares: its id, the handle raters name it by, and its answers A and B.</summary>
internal sealed record StoredPair(long Id, string Handle, long ResponseA, long ResponseB);

/// <summary>Keeps a side-by-side study's pair assignments complete and balanced as raters come and go: the unit of
/// work is a pair, planned as a study of single answers plans its responses (<see cref="AssignmentPlanner"/> over the
/// pair ids, k = the raters per pair, kept in <c>studies.raters_per_response</c>), each pair placed in the rater's queue
/// by its handle (<see cref="QueueOrder"/>) and shown with the side drawn for the rater (<see cref="PairSideDraw"/>).
/// docs/assignment.md, "Side-by-side studies".</summary>
static class PairAssignments
{
    /// <summary><see cref="Assignments.RebalanceAsync"/> of a side-by-side study: releases the pair assignments nobody has
    /// started (not completed, no vote, no reason ticked or comment typed), then plans the open slots over the study's
    /// current raters whose accounts are enabled. Work begun by someone who is no longer such a rater stays theirs but no
    /// longer covers its pair. Inside the caller's transaction; returns how many assignments were added.</summary>
    internal static async Task<int> RebalanceAsync(DbConnection connection, DbTransaction transaction, long studyId, DateTimeOffset now)
    {
        var released = await connection.ExecuteAsync("""
            DELETE FROM pair_assignments
            WHERE study_id = @StudyId AND completed_at IS NULL AND reasons_json IS NULL AND comment IS NULL
              AND NOT EXISTS (SELECT 1 FROM pair_votes v WHERE v.pair_id = pair_assignments.pair_id AND v.rater_id = pair_assignments.rater_id)
            """, new { StudyId = studyId }, transaction);
        var pairs = (await connection.QueryAsync<StoredPair>(
            "SELECT id, handle, response_a_id AS ResponseA, response_b_id AS ResponseB FROM pairs WHERE study_id = @StudyId ORDER BY position",
            new { StudyId = studyId }, transaction)).AsList();
        var existing = (await connection.QueryAsync<(long PairId, long RaterId)>($"""
            SELECT a.pair_id, a.rater_id FROM pair_assignments a
            WHERE a.study_id = @StudyId
              AND (a.completed_at IS NOT NULL
                   OR EXISTS (SELECT 1 FROM study_members m WHERE m.study_id = a.study_id AND m.user_id = a.rater_id AND {Assignments.ActiveRater}))
            """, new { StudyId = studyId }, transaction))
            .Select(a => new Assignment(a.PairId, a.RaterId)).ToList();
        var added = await TopUpAsync(connection, transaction, studyId, pairs, existing, now);
        if (released > 0 && added == 0) await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        return added;
    }

    /// <summary>The part of <see cref="RebalanceAsync"/> after the release, for a study whose pairs (in position order)
    /// and assignments that count are known: a study just imported has them in memory. Raises the data version when it
    /// adds any; returns how many it added.</summary>
    internal static async Task<int> TopUpAsync(DbConnection connection, DbTransaction transaction, long studyId,
        IReadOnlyList<StoredPair> pairs, IReadOnlyCollection<Assignment> existing, DateTimeOffset now)
    {
        var ratersPerPair = await connection.ExecuteScalarAsync<int>(
            "SELECT raters_per_response FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction);
        var raters = (await connection.QueryAsync<long>($"""
            SELECT m.user_id FROM study_members m WHERE m.study_id = @StudyId AND {Assignments.ActiveRater} ORDER BY m.user_id
            """, new { StudyId = studyId }, transaction)).AsList();
        if (raters.Count == 0) return 0;
        var added = AssignmentPlanner.Plan([.. pairs.Select(p => p.Id)], raters, ratersPerPair, existing, seed: unchecked((ulong)studyId));
        if (added.Count == 0) return 0;
        var byId = pairs.ToDictionary(p => p.Id);
        await connection.ExecuteAsync("""
            INSERT INTO pair_assignments (study_id, pair_id, rater_id, left_response_id, queue_position, assigned_at)
            VALUES (@StudyId, @PairId, @RaterId, @LeftResponseId, @QueuePosition, @Now)
            """, added.Select(a =>
            {
                var pair = byId[a.ResponseId];
                return new
                {
                    StudyId = studyId,
                    PairId = pair.Id,
                    a.RaterId,
                    LeftResponseId = PairSideDraw.AOnLeft(studyId, a.RaterId, pair.Handle) ? pair.ResponseA : pair.ResponseB,
                    QueuePosition = QueueOrder.Position(studyId, a.RaterId, pair.Handle),
                    Now = now,
                };
            }), transaction);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        return added.Count;
    }
}
