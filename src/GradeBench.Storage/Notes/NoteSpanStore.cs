using System.Data.Common;
using Dapper;
using GradeBench.Core.Notes;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Spans;
using GradeBench.Core.Spans.Interchange;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Notes;

/// <summary>A note label of a study (study.json's <c>note_labels</c>) with its attributes, in order.</summary>
public sealed record NoteLabelInfo(long Id, string Slug, string Label, string? Color, Translations LabelTranslations, IReadOnlyList<NoteAttributeInfo> Attributes);

public sealed record NoteAttributeInfo(long Id, string Slug, string Label, AttributeKind Kind, Translations LabelTranslations);

/// <summary>A rater's passage of a case's clinical note: code points <see cref="Start"/> (inclusive) to <see cref="End"/>
/// (exclusive) of the note whose SHA-256 is <see cref="TextSha256"/>, the text there, the attributes set (values by
/// attribute id) and the rater's answer highlights (<c>span_annotations</c> ids) linked to it.</summary>
public sealed record NoteSpan(long Id, long LabelId, int Start, int End, string Quote, string? Note, string TextSha256,
    IReadOnlyDictionary<long, string> Attributes, IReadOnlyList<long> LinkedAnswerSpans, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>What a write did. <see cref="NotFound"/> also stands for anything that is not the rater's (another rater's
/// passage, a case with no answer or pair of theirs), so that a refusal says nothing of what exists.</summary>
public enum NoteSpanOutcome { Saved, NotFound, StudyNotOpen, Frozen, Invalid, Duplicate }

/// <summary>A rater's passages of a case's clinical note (<c>cases.presentation_md</c>) with the study's note labels and
/// their attributes, and their links to the rater's highlights of the case's answers (docs/bundle-format.md, "Note
/// labels"). Offsets are code points of the note, checked against it; the quote and the note's hash are taken here.
/// Every write is scoped as <see cref="SpanStore"/> scopes answer highlights: the rater's own passages, on a case with an
/// answer (or a side-by-side pair, or in a note-only study the case's note item, <see cref="NoteItems"/>) assigned to them, in an open study that is not paused, while they are still a rater of
/// it with an enabled account, and not once they have been shown others' values of an answer to the case
/// (<see cref="RatingReveals"/>).</summary>
public sealed class NoteSpanStore(Database database, TimeProvider clock)
{
    sealed class LabelRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string? Color { get; init; }
        public string? LabelTranslationsJson { get; init; }
    }

    sealed class AttributeRow
    {
        public long Id { get; init; }
        public long LabelId { get; init; }
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? LabelTranslationsJson { get; init; }
    }

    sealed class SpanRow
    {
        public long Id { get; init; }
        public long LabelId { get; init; }
        public int StartCodePoint { get; init; }
        public int EndCodePoint { get; init; }
        public string Quote { get; init; } = "";
        public string? Note { get; init; }
        public string TextSha256 { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    public async Task<IReadOnlyList<NoteLabelInfo>> LabelsAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await LabelsAsync(connection, studyId, ct);
    }

    /// <summary>Whether the study has note labels (and so offers the exports of its note annotation).</summary>
    public async Task<bool> HasLabelsAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM note_labels WHERE study_id = @StudyId)", new { StudyId = studyId }, cancellationToken: ct));
    }

    /// <summary>The study's note labels on an open connection (bundle.zip writes them back into study.json).</summary>
    internal static async Task<IReadOnlyList<NoteLabelInfo>> LabelsAsync(DbConnection connection, long studyId, CancellationToken ct)
    {
        var labels = await connection.QueryAsync<LabelRow>(new CommandDefinition(
            "SELECT id, slug, label, color, label_translations_json FROM note_labels WHERE study_id = @StudyId ORDER BY position",
            new { StudyId = studyId }, cancellationToken: ct));
        var attributes = (await connection.QueryAsync<AttributeRow>(new CommandDefinition("""
            SELECT a.id, a.label_id, a.slug, a.label, a.kind, a.label_translations_json
            FROM note_label_attributes a JOIN note_labels l ON l.id = a.label_id
            WHERE l.study_id = @StudyId ORDER BY a.position
            """, new { StudyId = studyId }, cancellationToken: ct))).ToLookup(a => a.LabelId);
        return [.. labels.Select(l => new NoteLabelInfo(l.Id, l.Slug, l.Label, l.Color, Translations.FromJson(l.LabelTranslationsJson),
            [.. attributes[l.Id].Select(a => new NoteAttributeInfo(a.Id, a.Slug, a.Label, Kind(a.Kind), Translations.FromJson(a.LabelTranslationsJson)))]))];
    }

    static AttributeKind Kind(string name) =>
        NoteAttribute.TryParseKind(name, out var kind) ? kind : throw new InvalidOperationException($"Unknown attribute kind {name}.");

    /// <summary>The rater's passages of the case's note, by position.</summary>
    public async Task<IReadOnlyList<NoteSpan>> ListAsync(long raterId, long caseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var keys = new { RaterId = raterId, CaseId = caseId };
        var spans = await connection.QueryAsync<SpanRow>(new CommandDefinition("""
            SELECT id, label_id, start_code_point, end_code_point, quote, note, text_sha256, created_at, updated_at
            FROM note_spans WHERE rater_id = @RaterId AND case_id = @CaseId
            ORDER BY start_code_point, end_code_point, id
            """, keys, cancellationToken: ct));
        var values = (await connection.QueryAsync<(long SpanId, long AttributeId, string Value)>(new CommandDefinition("""
            SELECT v.note_span_id, v.attribute_id, v.value
            FROM note_span_attributes v JOIN note_spans n ON n.id = v.note_span_id
            WHERE n.rater_id = @RaterId AND n.case_id = @CaseId
            """, keys, cancellationToken: ct))).ToLookup(v => v.SpanId);
        var links = (await connection.QueryAsync<(long NoteSpanId, long AnswerSpanId)>(new CommandDefinition("""
            SELECT k.note_span_id, k.answer_span_id
            FROM span_links k JOIN note_spans n ON n.id = k.note_span_id
            WHERE n.rater_id = @RaterId AND n.case_id = @CaseId
            ORDER BY k.answer_span_id
            """, keys, cancellationToken: ct))).ToLookup(k => k.NoteSpanId);
        return [.. spans.Select(s => new NoteSpan(s.Id, s.LabelId, s.StartCodePoint, s.EndCodePoint, s.Quote, s.Note, s.TextSha256,
            values[s.Id].ToDictionary(v => v.AttributeId, v => v.Value), [.. links[s.Id].Select(k => k.AnswerSpanId)], s.CreatedAt, s.UpdatedAt))];
    }

    /// <summary>Marks code points <paramref name="start"/> to <paramref name="end"/> (exclusive) of the case's note with a
    /// label of its study and values of that label's attributes (by attribute id); returns the new passage's id when saved.
    /// The same label on the same code points a second time is a <see cref="NoteSpanOutcome.Duplicate"/>.</summary>
    public async Task<(NoteSpanOutcome Outcome, long? Id)> AddAsync(long raterId, long caseId, long labelId, int start, int end,
        IReadOnlyDictionary<long, string>? attributes, string? note, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var (access, studyId) = await AccessAsync(connection, transaction, raterId, caseId);
        if (access != NoteSpanOutcome.Saved) return (access, null);
        var checkedSpan = await CheckAsync(connection, transaction, studyId, caseId, labelId, start, end, attributes);
        if (checkedSpan is not { } span) return (NoteSpanOutcome.Invalid, null);
        if (await IsDuplicateAsync(connection, transaction, raterId, caseId, labelId, start, end, exceptId: null)) return (NoteSpanOutcome.Duplicate, null);
        var now = clock.GetUtcNow();
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO note_spans (case_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, note, created_at, updated_at)
            VALUES (@CaseId, @RaterId, @LabelId, @Start, @End, @TextSha256, @Quote, @Note, @Now, @Now)
            RETURNING id
            """, new { CaseId = caseId, RaterId = raterId, LabelId = labelId, Start = start, End = end, span.TextSha256, span.Quote, Note = Trimmed(note), Now = now },
            transaction);
        await InsertValuesAsync(connection, transaction, id, span.Values);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return (NoteSpanOutcome.Saved, id);
    }

    /// <summary>Changes a passage whole: its label, its code points, its attribute values (those not given are cleared)
    /// and its note; the quote and hash are taken again from the note as it is.</summary>
    public async Task<NoteSpanOutcome> UpdateAsync(long raterId, long noteSpanId, long labelId, int start, int end,
        IReadOnlyDictionary<long, string>? attributes, string? note, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var (access, studyId, caseId) = await OwnSpanAccessAsync(connection, transaction, raterId, noteSpanId);
        if (access != NoteSpanOutcome.Saved) return access;
        var checkedSpan = await CheckAsync(connection, transaction, studyId, caseId, labelId, start, end, attributes);
        if (checkedSpan is not { } span) return NoteSpanOutcome.Invalid;
        if (await IsDuplicateAsync(connection, transaction, raterId, caseId, labelId, start, end, exceptId: noteSpanId)) return NoteSpanOutcome.Duplicate;
        await connection.ExecuteAsync("""
            UPDATE note_spans SET label_id = @LabelId, start_code_point = @Start, end_code_point = @End, text_sha256 = @TextSha256,
                                  quote = @Quote, note = @Note, updated_at = @Now
            WHERE id = @Id
            """, new { Id = noteSpanId, LabelId = labelId, Start = start, End = end, span.TextSha256, span.Quote, Note = Trimmed(note), Now = clock.GetUtcNow() },
            transaction);
        await connection.ExecuteAsync("DELETE FROM note_span_attributes WHERE note_span_id = @Id", new { Id = noteSpanId }, transaction);
        await InsertValuesAsync(connection, transaction, noteSpanId, span.Values);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return NoteSpanOutcome.Saved;
    }

    /// <summary>Deletes a passage; its attribute values and links go with it (the tables' ON DELETE CASCADE).</summary>
    public async Task<NoteSpanOutcome> DeleteAsync(long raterId, long noteSpanId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var (access, studyId, _) = await OwnSpanAccessAsync(connection, transaction, raterId, noteSpanId);
        if (access != NoteSpanOutcome.Saved) return access;
        await connection.ExecuteAsync("DELETE FROM note_spans WHERE id = @Id", new { Id = noteSpanId }, transaction);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return NoteSpanOutcome.Saved;
    }

    /// <summary>Links the rater's highlight of an answer to their passage of the note; both must be the rater's, the answer
    /// one to the passage's case (another case's: <see cref="NoteSpanOutcome.Invalid"/>).</summary>
    public async Task<NoteSpanOutcome> LinkAsync(long raterId, long answerSpanId, long noteSpanId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var (access, studyId, caseId) = await OwnSpanAccessAsync(connection, transaction, raterId, noteSpanId);
        if (access != NoteSpanOutcome.Saved) return access;
        var answerCase = await connection.QuerySingleOrDefaultAsync<long?>("""
            SELECT r.case_id FROM span_annotations a JOIN responses r ON r.id = a.response_id
            WHERE a.id = @AnswerSpanId AND a.rater_id = @RaterId AND r.study_id = @StudyId
            """, new { AnswerSpanId = answerSpanId, RaterId = raterId, StudyId = studyId }, transaction);
        if (answerCase is null) return NoteSpanOutcome.NotFound;
        if (answerCase != caseId) return NoteSpanOutcome.Invalid;
        var added = await connection.ExecuteAsync("""
            INSERT INTO span_links (answer_span_id, note_span_id, created_at) VALUES (@AnswerSpanId, @NoteSpanId, @Now)
            ON CONFLICT (answer_span_id, note_span_id) DO NOTHING
            """, new { AnswerSpanId = answerSpanId, NoteSpanId = noteSpanId, Now = clock.GetUtcNow() }, transaction);
        if (added == 0) return NoteSpanOutcome.Duplicate;
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return NoteSpanOutcome.Saved;
    }

    public async Task<NoteSpanOutcome> UnlinkAsync(long raterId, long answerSpanId, long noteSpanId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var (access, studyId, _) = await OwnSpanAccessAsync(connection, transaction, raterId, noteSpanId);
        if (access != NoteSpanOutcome.Saved) return access;
        // Links are made between one rater's own passages only, so the note passage being theirs makes the link theirs.
        var removed = await connection.ExecuteAsync("DELETE FROM span_links WHERE answer_span_id = @AnswerSpanId AND note_span_id = @NoteSpanId",
            new { AnswerSpanId = answerSpanId, NoteSpanId = noteSpanId }, transaction);
        if (removed == 0) return NoteSpanOutcome.NotFound;
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return NoteSpanOutcome.Saved;
    }

    static string? Trimmed(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();

    /// <summary>A passage that may be stored: the note's text at its code points, the note's hash, and the attribute values
    /// as stored, by attribute id.</summary>
    internal sealed record CheckedSpan(string Quote, string TextSha256, IReadOnlyList<(long AttributeId, string Value)> Values);

    /// <summary>The passage to store, or null when the label is not one of the study's, the code points are not
    /// 0 ≤ start &lt; end ≤ the note's length, or an attribute is not the label's or does not take its value. A
    /// coordinator's gold passage (<see cref="GoldSpanStore"/>) is checked the same way.</summary>
    internal static async Task<CheckedSpan?> CheckAsync(DbConnection connection, DbTransaction transaction, long studyId, long caseId, long labelId,
        int start, int end, IReadOnlyDictionary<long, string>? attributes)
    {
        var labelOk = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_labels WHERE id = @LabelId AND study_id = @StudyId",
            new { LabelId = labelId, StudyId = studyId }, transaction);
        var text = await connection.ExecuteScalarAsync<string>("SELECT presentation_md FROM cases WHERE id = @CaseId", new { CaseId = caseId }, transaction);
        if (labelOk == 0 || text is null || start < 0 || end <= start || end > CodePoints.Length(text)) return null;
        var definitions = (await connection.QueryAsync<(long Id, string Slug, string Label, string Kind)>(
            "SELECT id, slug, label, kind FROM note_label_attributes WHERE label_id = @LabelId", new { LabelId = labelId }, transaction))
            .ToDictionary(a => a.Id, a => new NoteAttribute(a.Slug, a.Label, Kind(a.Kind)));
        var values = new List<(long, string)>();
        foreach (var (id, value) in attributes ?? new Dictionary<long, string>())
        {
            if (!definitions.TryGetValue(id, out var definition) || value is null || definition.Normalize(value) is not { } stored) return null;
            values.Add((id, stored));
        }
        return new CheckedSpan(CodePoints.Slice(text, start, end), TextHash.Sha256(text), values);
    }

    static Task<bool> IsDuplicateAsync(DbConnection connection, DbTransaction transaction, long raterId, long caseId, long labelId, int start, int end, long? exceptId) =>
        connection.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM note_spans
                           WHERE rater_id = @RaterId AND case_id = @CaseId AND label_id = @LabelId AND start_code_point = @Start AND end_code_point = @End
                             AND id IS DISTINCT FROM @ExceptId)
            """, new { RaterId = raterId, CaseId = caseId, LabelId = labelId, Start = start, End = end, ExceptId = exceptId }, transaction);

    static Task InsertValuesAsync(DbConnection connection, DbTransaction transaction, long noteSpanId, IReadOnlyList<(long AttributeId, string Value)> values) =>
        connection.ExecuteAsync("INSERT INTO note_span_attributes (note_span_id, attribute_id, value) VALUES (@NoteSpanId, @AttributeId, @Value)",
            values.Select(v => new { NoteSpanId = noteSpanId, v.AttributeId, v.Value }), transaction);

    /// <summary><see cref="AccessAsync"/> for a passage of the rater's: <see cref="NoteSpanOutcome.NotFound"/> when there is
    /// no such passage of theirs; its study and case when it may be written.</summary>
    static async Task<(NoteSpanOutcome Outcome, long StudyId, long CaseId)> OwnSpanAccessAsync(DbConnection connection, DbTransaction transaction,
        long raterId, long noteSpanId)
    {
        var caseId = await connection.QuerySingleOrDefaultAsync<long?>("SELECT case_id FROM note_spans WHERE id = @Id AND rater_id = @RaterId",
            new { Id = noteSpanId, RaterId = raterId }, transaction);
        if (caseId is null) return (NoteSpanOutcome.NotFound, 0, 0);
        var (access, studyId) = await AccessAsync(connection, transaction, raterId, caseId.Value);
        return (access, studyId, caseId.Value);
    }

    /// <summary>Whether the rater may write passages of the case's note, and the case's study: as
    /// <see cref="SpanStore"/>'s access to a response, with the case's answers (or pairs) in place of the response.</summary>
    static async Task<(NoteSpanOutcome Outcome, long StudyId)> AccessAsync(DbConnection connection, DbTransaction transaction, long raterId, long caseId)
    {
        // A paused study takes no passages either: a pause stops every write of the raters.
        var found = await connection.QuerySingleOrDefaultAsync<(long StudyId, string State)?>("""
            SELECT s.id, CASE WHEN s.paused THEN 'paused' ELSE s.state END FROM cases c
            JOIN studies s ON s.id = c.study_id
            JOIN study_members m ON m.study_id = s.id AND m.user_id = @RaterId AND m.role = 'rater'
            JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
            WHERE c.id = @CaseId
              AND (EXISTS (SELECT 1 FROM assignments a JOIN responses r ON r.id = a.response_id
                           WHERE a.study_id = s.id AND a.rater_id = @RaterId AND r.case_id = c.id)
                   OR EXISTS (SELECT 1 FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id
                              WHERE a.study_id = s.id AND a.rater_id = @RaterId AND p.case_id = c.id))
            """, new { RaterId = raterId, CaseId = caseId }, transaction);
        if (found is not { } study) return (NoteSpanOutcome.NotFound, 0);
        if (study.State != "open") return (NoteSpanOutcome.StudyNotOpen, study.StudyId);
        return (await RatingReveals.IsCaseFrozenAsync(connection, transaction, study.StudyId, raterId, caseId) ? NoteSpanOutcome.Frozen : NoteSpanOutcome.Saved,
            study.StudyId);
    }
}
