using System.Data.Common;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Storage.Judges;

namespace GradeBench.Storage.Grading;

/// <summary>Keeps a study's assignments complete and balanced (docs/assignment.md) as raters and responses arrive.</summary>
public static class Assignments
{
    /// <summary>Releases the assignments nobody has started (not completed, no rating written, no passage marked) and
    /// plans the open slots again over the study's current raters whose accounts are enabled, so that a newcomer gets a
    /// fair share at once while work begun or done never moves. Work begun but not finished by someone who is no longer
    /// such a rater (removed, disabled) stays theirs but no longer covers its response, so another rater gets it too.
    /// Nobody is given a response whose other ratings they have been shown. The study's judges keep their own
    /// assignments, which cover no physician's slot; those that rate every response get the ones added since. Runs
    /// inside the caller's transaction; returns how many physicians' assignments were added. A side-by-side study's raters
    /// are given pairs instead (<see cref="Pairwise.PairAssignments"/>).</summary>
    public static async Task<int> RebalanceAsync(DbConnection connection, DbTransaction transaction, long studyId, DateTimeOffset now)
    {
        if (await connection.ExecuteScalarAsync<string>("SELECT design FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction) == "pairwise")
            return await Pairwise.PairAssignments.RebalanceAsync(connection, transaction, studyId, now);
        var released = await connection.ExecuteAsync($"""
            DELETE FROM assignments
            WHERE id IN (SELECT a.id FROM assignments a WHERE a.study_id = @StudyId AND a.rater_id NOT IN {JudgeRaters.OfStudy} AND {Unstarted})
            """, new { StudyId = studyId }, transaction);
        await JudgeStore.TopUpAsync(connection, transaction, studyId, now);
        var handles = (await connection.QueryAsync<(long Id, string Handle)>(
            "SELECT id, handle FROM responses WHERE study_id = @StudyId AND for_physicians ORDER BY position", new { StudyId = studyId }, transaction)).AsList();
        var existing = (await connection.QueryAsync<(long ResponseId, long RaterId)>($"""
            SELECT a.response_id, a.rater_id FROM assignments a
            WHERE a.study_id = @StudyId AND a.rater_id NOT IN {JudgeRaters.OfStudy}
              AND (a.completed_at IS NOT NULL
                   OR EXISTS (SELECT 1 FROM study_members m WHERE m.study_id = a.study_id AND m.user_id = a.rater_id AND {ActiveRater}))
            """, new { StudyId = studyId }, transaction))
            .Select(a => new Assignment(a.ResponseId, a.RaterId)).ToList();
        // Who has seen others' values for a response (docs/grading.md) cannot give it an independent rating any more.
        var barred = (await connection.QueryAsync<(long ResponseId, long RaterId)>(
            "SELECT response_id, rater_id FROM rating_reveals WHERE study_id = @StudyId", new { StudyId = studyId }, transaction))
            .Select(r => new Assignment(r.ResponseId, r.RaterId)).ToList();
        var added = await TopUpAsync(connection, transaction, studyId, handles, existing, barred, now);
        if (released > 0 && added == 0) await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        return added;
    }

    /// <summary>The part of <see cref="RebalanceAsync"/> after the release, for a study whose responses for physicians
    /// (with their handles, in position order), physicians' assignments that count and barred pairs are known: a study
    /// just imported has them in memory. Raises the data version when it adds any; returns how many it added.</summary>
    internal static async Task<int> TopUpAsync(DbConnection connection, DbTransaction transaction, long studyId,
        IReadOnlyList<(long Id, string Handle)> responses, IReadOnlyCollection<Assignment> existing, IReadOnlyCollection<Assignment> barred,
        DateTimeOffset now)
    {
        var ratersPerResponse = await connection.ExecuteScalarAsync<int>(
            "SELECT raters_per_response FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction);
        var raters = (await connection.QueryAsync<long>($"""
            SELECT m.user_id FROM study_members m WHERE m.study_id = @StudyId AND {ActiveRater} ORDER BY m.user_id
            """, new { StudyId = studyId }, transaction)).AsList();
        if (raters.Count == 0) return 0;
        var added = AssignmentPlanner.Plan(responses.Select(r => r.Id).ToList(), raters, ratersPerResponse, existing,
            seed: unchecked((ulong)studyId), barred);
        if (added.Count == 0) return 0;
        var handleOf = responses.ToDictionary(r => r.Id, r => r.Handle);
        await connection.ExecuteAsync("""
            INSERT INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at)
            VALUES (@StudyId, @ResponseId, @RaterId, @QueuePosition, @Now)
            """, added.Select(a => new
            {
                StudyId = studyId,
                a.ResponseId,
                a.RaterId,
                QueuePosition = QueueOrder.Position(studyId, a.RaterId, handleOf[a.ResponseId]),
                Now = now,
            }), transaction);
        // The dashboard's counts are kept by data version (a member added moves assignments without a rating written).
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        return added.Count;
    }

    /// <summary>An assignment (alias <c>a</c>) nobody has started: not completed, and no rating (a draft counts) or marked
    /// passage by its rater, in the answer or in its case's clinical note (the note is read for every answer to the case,
    /// so a passage of it begins them all). Only such work is ever released or moved to another rater.</summary>
    internal const string Unstarted = """
        a.completed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM ratings g WHERE g.response_id = a.response_id AND g.rater_id = a.rater_id)
        AND NOT EXISTS (SELECT 1 FROM span_annotations s WHERE s.response_id = a.response_id AND s.rater_id = a.rater_id)
        AND NOT EXISTS (SELECT 1 FROM note_spans ns JOIN responses nr ON nr.case_id = ns.case_id
                        WHERE nr.id = a.response_id AND ns.rater_id = a.rater_id)
        """;

    /// <summary>A membership (alias <c>m</c>) that takes new work: a rater whose account is not disabled.</summary>
    internal const string ActiveRater = "m.role = 'rater' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id AND u.disabled_at IS NOT NULL)";
}
