using Dapper;
using GradeBench.Core.Spans;

namespace GradeBench.Storage.Grading;

public sealed record SpanLabelInfo
{
    public long Id { get; init; }
    public required string Slug { get; init; }
    public required string Label { get; init; }
    public string? Color { get; init; }
}

public sealed record SpanAnnotation
{
    public long Id { get; init; }
    public long LabelId { get; init; }
    /// <summary>In code points of the response's Markdown source, end exclusive (docs/spans.md, "Offsets").</summary>
    public long StartCodePoint { get; init; }
    public long EndCodePoint { get; init; }
    public required string Quote { get; init; }
    public string? Note { get; init; }
}

public enum SpanWriteOutcome { Saved, NotFound, StudyNotOpen, Invalid, Frozen }

/// <summary>A rater's highlighted passages of a response: code point offsets into its Markdown source, the hash of that
/// source and the quoted text. Every method is scoped to the rater, the response assigned to them (alone, or as an
/// answer of a pair assigned to them) and an open study, and writes only while the writer is still a rater of the study
/// with an enabled account.</summary>
public sealed class SpanStore(Database database, TimeProvider clock)
{
    public async Task<IReadOnlyList<SpanLabelInfo>> LabelsAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<SpanLabelInfo>(new CommandDefinition(
            "SELECT id, slug, label, color FROM span_labels WHERE study_id = @StudyId ORDER BY position",
            new { StudyId = studyId }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<SpanAnnotation>> ListAsync(long studyId, long raterId, long responseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<SpanAnnotation>(new CommandDefinition("""
            SELECT a.id, a.label_id, a.start_code_point, a.end_code_point, a.quote, a.note
            FROM span_annotations a JOIN responses r ON r.id = a.response_id
            WHERE r.study_id = @StudyId AND a.rater_id = @RaterId AND a.response_id = @ResponseId
            ORDER BY a.start_code_point, a.id
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Adds a span from code point <paramref name="start"/> to <paramref name="end"/> (exclusive); the quote and
    /// the hash are taken from the stored response text, so they always match the offsets.</summary>
    public async Task<SpanWriteOutcome> AddAsync(long studyId, long raterId, long responseId, long labelId, int start, int end, string? note, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await AccessAsync(connection, transaction, studyId, raterId, responseId) is var access and not SpanWriteOutcome.Saved) return access;
        var content = await connection.ExecuteScalarAsync<string>("SELECT content_md FROM responses WHERE id = @ResponseId", new { ResponseId = responseId }, transaction);
        var labelOk = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM span_labels WHERE id = @LabelId AND study_id = @StudyId",
            new { LabelId = labelId, StudyId = studyId }, transaction);
        if (labelOk == 0 || start < 0 || end <= start || content is null || end > CodePoints.Length(content)) return SpanWriteOutcome.Invalid;
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync("""
            INSERT INTO span_annotations (response_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, note, created_at, updated_at)
            VALUES (@ResponseId, @RaterId, @LabelId, @Start, @End, @Hash, @Quote, @Note, @Now, @Now)
            """, new { ResponseId = responseId, RaterId = raterId, LabelId = labelId, Start = start, End = end, Hash = TextHash.Sha256(content),
                Quote = CodePoints.Slice(content, start, end), Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(), Now = now }, transaction);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return SpanWriteOutcome.Saved;
    }

    public async Task<SpanWriteOutcome> UpdateAsync(long studyId, long raterId, long spanId, long labelId, string? note, CancellationToken ct = default) =>
        await ChangeAsync(studyId, raterId, spanId, """
            UPDATE span_annotations SET label_id = @LabelId, note = @Note, updated_at = @Now
            WHERE id = @SpanId AND rater_id = @RaterId
              AND EXISTS (SELECT 1 FROM span_labels l WHERE l.id = @LabelId AND l.study_id = @StudyId)
            """, new { LabelId = labelId, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim() }, ct);

    public async Task<SpanWriteOutcome> DeleteAsync(long studyId, long raterId, long spanId, CancellationToken ct = default) =>
        await ChangeAsync(studyId, raterId, spanId, "DELETE FROM span_annotations WHERE id = @SpanId AND rater_id = @RaterId", new { }, ct);

    async Task<SpanWriteOutcome> ChangeAsync(long studyId, long raterId, long spanId, string sql, object extra, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var responseId = await connection.QuerySingleOrDefaultAsync<long?>("""
            SELECT a.response_id FROM span_annotations a JOIN responses r ON r.id = a.response_id
            WHERE a.id = @SpanId AND a.rater_id = @RaterId AND r.study_id = @StudyId
            """, new { SpanId = spanId, RaterId = raterId, StudyId = studyId }, transaction);
        if (responseId is null) return SpanWriteOutcome.NotFound;
        if (await AccessAsync(connection, transaction, studyId, raterId, responseId.Value) is var access and not SpanWriteOutcome.Saved) return access;
        var parameters = new DynamicParameters(extra);
        parameters.AddDynamicParams(new { SpanId = spanId, RaterId = raterId, StudyId = studyId, Now = clock.GetUtcNow() });
        var changed = await connection.ExecuteAsync(sql, parameters, transaction);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return changed == 1 ? SpanWriteOutcome.Saved : SpanWriteOutcome.Invalid;
    }

    static async Task<SpanWriteOutcome> AccessAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long studyId, long raterId, long responseId)
    {
        // A paused study takes no highlights either: a pause stops every write of the raters. In a side-by-side study the
        // response is assigned as one of the two answers of a pair.
        var state = await connection.QuerySingleOrDefaultAsync<string>("""
            SELECT CASE WHEN s.paused THEN 'paused' ELSE s.state END FROM studies s
            JOIN study_members m ON m.study_id = s.id AND m.user_id = @RaterId AND m.role = 'rater'
            JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
            WHERE s.id = @StudyId
              AND (EXISTS (SELECT 1 FROM assignments a WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND a.response_id = @ResponseId)
                   OR EXISTS (SELECT 1 FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id
                              WHERE a.rater_id = @RaterId AND a.study_id = @StudyId AND @ResponseId IN (p.response_a_id, p.response_b_id)))
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, transaction);
        if (state == "open" && (await RatingReveals.IsFrozenAsync(connection, transaction, studyId, raterId, responseId)
                                || await RatingReveals.IsAnswerOfFrozenPairAsync(connection, transaction, studyId, raterId, responseId)))
            return SpanWriteOutcome.Frozen;
        return state is null ? SpanWriteOutcome.NotFound : state == "open" ? SpanWriteOutcome.Saved : SpanWriteOutcome.StudyNotOpen;
    }
}
