using Dapper;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Pairwise;

/// <summary>A rater flags one answer of a side-by-side pair for the coordinator. The flag is the answer's
/// (<c>flags.response_id</c>), as on the grading page, so that it reaches the coordinators' flag pages, the dashboard
/// and the replies through <see cref="FlagStore"/> like any other; only who may send it differs: the answer is assigned
/// to the rater as one of a pair's two, not alone (<see cref="FlagStore.AddAsync"/> takes only the latter).</summary>
public sealed class PairAnswerFlags(Database database, TimeProvider clock)
{
    /// <summary>The new flag's id; null when the pair is not assigned to the rater or <paramref name="responseId"/> is not
    /// one of its answers, the rater has left the study or been disabled, or the note is empty or too long
    /// (<see cref="FlagStore.MaxNoteLength"/>).</summary>
    public async Task<long?> AddAsync(long studyId, long raterId, long pairId, long responseId, string note, CancellationToken ct = default)
    {
        note = note.Trim();
        if (note.Length is 0 or > FlagStore.MaxNoteLength) return null;
        await using var connection = await database.OpenAsync(ct);
        // Under the write lock, so that a removal or a disabling committed meanwhile is seen.
        await using var transaction = await connection.BeginWriteAsync(ct);
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            INSERT INTO flags (study_id, response_id, rater_id, note, created_at)
            SELECT a.study_id, @ResponseId, a.rater_id, @Note, @Now FROM pair_assignments a
            JOIN pairs p ON p.id = a.pair_id AND p.study_id = a.study_id AND @ResponseId IN (p.response_a_id, p.response_b_id)
            JOIN study_members m ON m.study_id = a.study_id AND m.user_id = a.rater_id AND m.role = 'rater'
            JOIN users u ON u.id = a.rater_id AND u.disabled_at IS NULL
            WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND a.pair_id = @PairId
            RETURNING id
            """, new { StudyId = studyId, RaterId = raterId, PairId = pairId, ResponseId = responseId, Note = note, Now = clock.GetUtcNow() },
            transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return id;
    }
}
