using Dapper;

namespace GradeBench.Storage.Grading;

public sealed record Flag
{
    public long Id { get; init; }
    public required string Note { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public bool Resolved { get; init; }
}

/// <summary>Raters flag a response for the coordinator with a note; only responses assigned to them, while they are
/// still raters of the study with an enabled account.</summary>
public sealed class FlagStore(Database database, TimeProvider clock)
{
    public const int MaxNoteLength = 2000;

    /// <summary>False when the response is not assigned to the rater, the rater has left the study or been disabled, or
    /// the note is empty or too long.</summary>
    public async Task<bool> AddAsync(long studyId, long raterId, long responseId, string note, CancellationToken ct = default)
    {
        note = note.Trim();
        if (note.Length is 0 or > MaxNoteLength) return false;
        await using var connection = await database.OpenAsync(ct);
        var added = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO flags (study_id, response_id, rater_id, note, created_at)
            SELECT a.study_id, a.response_id, a.rater_id, @Note, @Now FROM assignments a
            JOIN study_members m ON m.study_id = a.study_id AND m.user_id = a.rater_id AND m.role = 'rater'
            JOIN users u ON u.id = a.rater_id AND u.disabled_at IS NULL
            WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND a.response_id = @ResponseId
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId, Note = note, Now = clock.GetUtcNow() }, cancellationToken: ct));
        return added == 1;
    }

    /// <summary>The rater's own flags on one response, newest first.</summary>
    public async Task<IReadOnlyList<Flag>> ListAsync(long studyId, long raterId, long responseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Flag>(new CommandDefinition("""
            SELECT id, note, created_at, resolved_at IS NOT NULL AS resolved FROM flags
            WHERE study_id = @StudyId AND rater_id = @RaterId AND response_id = @ResponseId
            ORDER BY created_at DESC, id DESC
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, cancellationToken: ct))).AsList();
    }
}
