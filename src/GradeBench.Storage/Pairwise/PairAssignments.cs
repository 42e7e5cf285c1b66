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
/// by its handle (<see cref="QueueOrder"/>) and shown with the side drawn for the rater (<see cref="PairSideDraw"/>);
/// and moves or releases a rater's unstarted pairs for the set-up page (<see cref="Studies.StudySetupStore"/>).
/// docs/assignment.md, "Side-by-side studies".</summary>
static class PairAssignments
{
    /// <summary>A pair assignment (alias <c>a</c>) nobody has started: not completed, no vote (a draft counts), no reason
    /// ticked, no comment typed and no passage of the case's clinical note marked by its rater (a passage of the note
    /// begins every pair of the case). Only such work is ever released or moved to another rater.</summary>
    internal const string Unstarted = """
        a.completed_at IS NULL AND a.reasons_json IS NULL AND a.comment IS NULL
        AND NOT EXISTS (SELECT 1 FROM pair_votes v WHERE v.pair_id = a.pair_id AND v.rater_id = a.rater_id)
        AND NOT EXISTS (SELECT 1 FROM note_spans ns JOIN pairs np ON np.case_id = ns.case_id
                        WHERE np.id = a.pair_id AND ns.rater_id = a.rater_id)
        """;

    /// <summary><see cref="Assignments.RebalanceAsync"/> of a side-by-side study: releases the pair assignments nobody has
    /// started (not completed, no vote, no reason ticked or comment typed), then plans the open slots over the study's
    /// current raters whose accounts are enabled. Work begun by someone who is no longer such a rater stays theirs but no
    /// longer covers its pair. Inside the caller's transaction; returns how many assignments were added.</summary>
    internal static async Task<int> RebalanceAsync(DbConnection connection, DbTransaction transaction, long studyId, DateTimeOffset now)
    {
        var released = await connection.ExecuteAsync($"""
            DELETE FROM pair_assignments WHERE id IN (SELECT a.id FROM pair_assignments a WHERE a.study_id = @StudyId AND {Unstarted})
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
                var (leftResponseId, queuePosition) = Placement(studyId, a.RaterId, pair);
                return new { StudyId = studyId, PairId = pair.Id, a.RaterId, LeftResponseId = leftResponseId, QueuePosition = queuePosition, Now = now };
            }), transaction);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        return added.Count;
    }

    /// <summary>The answer a rater sees on the left of a pair (<see cref="PairSideDraw"/>) and the pair's place in the
    /// rater's queue (<see cref="QueueOrder"/>), both drawn for the (study, rater, pair): a pair that goes to another
    /// rater gets that rater's own.</summary>
    static (long LeftResponseId, long QueuePosition) Placement(long studyId, long raterId, StoredPair pair) =>
        (PairSideDraw.AOnLeft(studyId, raterId, pair.Handle) ? pair.ResponseA : pair.ResponseB, QueueOrder.Position(studyId, raterId, pair.Handle));

    /// <summary>Moves <paramref name="fromRater"/>'s pair assignments nobody has started (<see cref="Unstarted"/>) to
    /// <paramref name="toRater"/>, except pairs the target holds already (a pair keeps distinct raters); each moved pair
    /// takes the target's side and queue place (<see cref="Placement"/>). Inside the caller's transaction; returns how
    /// many moved and how many could not.</summary>
    internal static async Task<(int Moved, int NotMoved)> MoveUnstartedAsync(DbConnection connection, DbTransaction transaction, long studyId,
        long fromRater, long toRater, DateTimeOffset now)
    {
        var keys = new { StudyId = studyId, From = fromRater, To = toRater };
        var unstarted = (await connection.QueryAsync<(long Id, long PairId, string Handle, long ResponseA, long ResponseB)>($"""
            SELECT a.id, p.id, p.handle, p.response_a_id, p.response_b_id FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id
            WHERE a.study_id = @StudyId AND a.rater_id = @From AND {Unstarted}
            """, keys, transaction)).AsList();
        var targetHas = (await connection.QueryAsync<long>(
            "SELECT pair_id FROM pair_assignments WHERE study_id = @StudyId AND rater_id = @To", keys, transaction)).ToHashSet();
        var movable = unstarted.Where(a => !targetHas.Contains(a.PairId)).ToList();
        await connection.ExecuteAsync("""
            UPDATE pair_assignments SET rater_id = @To, left_response_id = @LeftResponseId, queue_position = @QueuePosition, assigned_at = @Now
            WHERE id = @Id AND rater_id = @From
            """, movable.Select(a =>
            {
                var (leftResponseId, queuePosition) = Placement(studyId, toRater, new StoredPair(a.PairId, a.Handle, a.ResponseA, a.ResponseB));
                return new { a.Id, From = fromRater, To = toRater, LeftResponseId = leftResponseId, QueuePosition = queuePosition, Now = now };
            }), transaction);
        return (movable.Count, unstarted.Count - movable.Count);
    }

    /// <summary>Deletes the pair assignments of <paramref name="raterId"/> that nobody has started (<see cref="Unstarted"/>),
    /// for someone leaving the study; returns how many.</summary>
    internal static Task<int> ReleaseUnstartedAsync(DbConnection connection, DbTransaction transaction, long studyId, long raterId) =>
        connection.ExecuteAsync($"""
            DELETE FROM pair_assignments WHERE id IN (SELECT a.id FROM pair_assignments a WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND {Unstarted})
            """, new { StudyId = studyId, RaterId = raterId }, transaction);
}
