using System.Data.Common;
using Dapper;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Grading;

/// <summary>A coordinator's reply to a flag.</summary>
public sealed record FlagReply
{
    public long Id { get; init; }
    public long FlagId { get; init; }
    public required string AuthorName { get; init; }
    public required string Body { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>A flag as the rater who sent it sees it: their note, the coordinators' replies, and whether it is resolved.</summary>
public sealed record Flag
{
    public long Id { get; init; }
    public required string Note { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public bool Resolved { get; init; }
    public IReadOnlyList<FlagReply> Replies { get; init; } = [];
}

/// <summary>A flag as coordinators see it: which item (by its bundle id), who sent it, and its thread.</summary>
public sealed record FlagThread
{
    public long Id { get; init; }
    public long ResponseId { get; init; }
    public required string ResponseSlug { get; init; }
    public long RaterId { get; init; }
    public required string RaterName { get; init; }
    public required string Note { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolvedByName { get; init; }
    public IReadOnlyList<FlagReply> Replies { get; init; } = [];
}

/// <summary>The study's open flags, newest first: at most the number asked for, and how many there are.</summary>
public sealed record OpenFlags(IReadOnlyList<FlagThread> Flags, long Count);

public enum FlagOutcome { Done, NotAllowed, NotFound, Invalid }

/// <summary>What a reply or a resolution did, with the flag's response and rater (the audience of its live event).</summary>
public sealed record FlagChange(FlagOutcome Outcome, long FlagId, long ResponseId = 0, long RaterId = 0);

/// <summary>Raters flag a response for the coordinator with a note; only responses assigned to them, while they are
/// still raters of the study with an enabled account. Coordinators of the study (only they) list the flags, reply and
/// resolve; a rater reads only their own flags and the replies to them.</summary>
public sealed class FlagStore(Database database, TimeProvider clock)
{
    public const int MaxNoteLength = 2000;
    public const int MaxReplyLength = 2000;

    const string SelectThread = """
        SELECT f.id, f.response_id, r.slug AS response_slug, f.rater_id, u.display_name AS rater_name, f.note, f.created_at,
               f.resolved_at, b.display_name AS resolved_by_name
        FROM flags f
        JOIN responses r ON r.id = f.response_id
        JOIN users u ON u.id = f.rater_id
        LEFT JOIN users b ON b.id = f.resolved_by
        """;

    /// <summary>The new flag's id; null when the response is not assigned to the rater, the rater has left the study or
    /// been disabled, or the note is empty or too long.</summary>
    public async Task<long?> AddAsync(long studyId, long raterId, long responseId, string note, CancellationToken ct = default)
    {
        note = note.Trim();
        if (note.Length is 0 or > MaxNoteLength) return null;
        await using var connection = await database.OpenAsync(ct);
        // Under the write lock, so that a removal or a disabling committed meanwhile is seen.
        await using var transaction = await connection.BeginWriteAsync(ct);
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            INSERT INTO flags (study_id, response_id, rater_id, note, created_at)
            SELECT a.study_id, a.response_id, a.rater_id, @Note, @Now FROM assignments a
            JOIN study_members m ON m.study_id = a.study_id AND m.user_id = a.rater_id AND m.role = 'rater'
            JOIN users u ON u.id = a.rater_id AND u.disabled_at IS NULL
            WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND a.response_id = @ResponseId
            RETURNING id
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId, Note = note, Now = clock.GetUtcNow() }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return id;
    }

    /// <summary>The rater's own flags on one response with their replies, newest first.</summary>
    public async Task<IReadOnlyList<Flag>> ListAsync(long studyId, long raterId, long responseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var flags = (await connection.QueryAsync<Flag>(new CommandDefinition("""
            SELECT id, note, created_at, resolved_at IS NOT NULL AS resolved FROM flags
            WHERE study_id = @StudyId AND rater_id = @RaterId AND response_id = @ResponseId
            ORDER BY created_at DESC, id DESC
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, cancellationToken: ct))).AsList();
        var replies = await RepliesAsync(connection, flags.Select(f => f.Id).ToList(), ct);
        return flags.Select(f => f with { Replies = [.. replies[f.Id]] }).ToList();
    }

    /// <summary>The study's unresolved flags, newest first, at most <paramref name="limit"/> of them (all when null);
    /// null unless the user coordinates the study.</summary>
    public async Task<OpenFlags?> OpenAsync(long studyId, long userId, int? limit = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await StudyQuery.AccessAsync(connection, null, studyId, userId, ct) is not { IsCoordinator: true }) return null;
        var keys = new { StudyId = studyId, Limit = limit ?? int.MaxValue };
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM flags WHERE study_id = @StudyId AND resolved_at IS NULL", keys, cancellationToken: ct));
        var flags = await ThreadsAsync(connection,
            " WHERE f.study_id = @StudyId AND f.resolved_at IS NULL ORDER BY f.created_at DESC, f.id DESC LIMIT @Limit", keys, ct);
        return new OpenFlags(flags, count);
    }

    /// <summary>Every flag on one response of the study (resolved ones too), oldest first; null unless the user
    /// coordinates the study.</summary>
    public async Task<IReadOnlyList<FlagThread>?> ForResponseAsync(long studyId, long responseId, long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await StudyQuery.AccessAsync(connection, null, studyId, userId, ct) is not { IsCoordinator: true }) return null;
        return await ThreadsAsync(connection, " WHERE f.study_id = @StudyId AND f.response_id = @ResponseId ORDER BY f.created_at, f.id",
            new { StudyId = studyId, ResponseId = responseId }, ct);
    }

    /// <summary>A coordinator of the study replies to one of its flags (resolved or not); the body (trimmed) must hold 1
    /// to <see cref="MaxReplyLength"/> characters.</summary>
    public async Task<FlagChange> ReplyAsync(long studyId, long flagId, long userId, string? body, CancellationToken ct = default)
    {
        body = body?.Trim() ?? "";
        if (body.Length is 0 or > MaxReplyLength) return new(FlagOutcome.Invalid, flagId);
        return await WriteAsync(studyId, flagId, userId, """
            INSERT INTO flag_replies (flag_id, author_id, body, posted_at) VALUES (@FlagId, @UserId, @Body, @Now)
            """, body, ct);
    }

    /// <summary>A coordinator of the study marks one of its flags resolved (again: nothing changes).</summary>
    public Task<FlagChange> ResolveAsync(long studyId, long flagId, long userId, CancellationToken ct = default) =>
        WriteAsync(studyId, flagId, userId, """
            UPDATE flags SET resolved_at = @Now, resolved_by = @UserId WHERE id = @FlagId AND resolved_at IS NULL
            """, null, ct);

    // The writer's standing is checked in the writing transaction, so a coordinator removed meanwhile is refused.
    async Task<FlagChange> WriteAsync(long studyId, long flagId, long userId, string sql, string? body, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, userId, ct) is not { IsCoordinator: true })
            return new(FlagOutcome.NotAllowed, flagId);
        var target = await connection.QuerySingleOrDefaultAsync<FlagTarget>(
            "SELECT response_id, rater_id FROM flags WHERE id = @FlagId AND study_id = @StudyId", new { FlagId = flagId, StudyId = studyId }, transaction);
        if (target is null) return new(FlagOutcome.NotFound, flagId);
        await connection.ExecuteAsync(sql, new { FlagId = flagId, UserId = userId, Body = body, Now = clock.GetUtcNow() }, transaction);
        await transaction.CommitAsync(ct);
        return new(FlagOutcome.Done, flagId, target.ResponseId, target.RaterId);
    }

    sealed class FlagTarget
    {
        public long ResponseId { get; init; }
        public long RaterId { get; init; }
    }

    async Task<IReadOnlyList<FlagThread>> ThreadsAsync(DbConnection connection, string where, object keys, CancellationToken ct)
    {
        var flags = (await connection.QueryAsync<FlagThread>(new CommandDefinition(SelectThread + where, keys, cancellationToken: ct))).AsList();
        var replies = await RepliesAsync(connection, flags.Select(f => f.Id).ToList(), ct);
        return flags.Select(f => f with { Replies = [.. replies[f.Id]] }).ToList();
    }

    static async Task<ILookup<long, FlagReply>> RepliesAsync(DbConnection connection, IReadOnlyList<long> flagIds, CancellationToken ct) =>
        flagIds.Count == 0
            ? Array.Empty<FlagReply>().ToLookup(r => r.FlagId)
            : (await connection.QueryAsync<FlagReply>(new CommandDefinition($"""
                SELECT p.id, p.flag_id, u.display_name AS author_name, p.body, p.posted_at AS at
                FROM flag_replies p JOIN users u ON u.id = p.author_id
                WHERE {ListParameter.In(connection, "p.flag_id", "@FlagIds")} ORDER BY p.id
                """, new { FlagIds = flagIds.ToArray() }, cancellationToken: ct))).ToLookup(r => r.FlagId);
}
