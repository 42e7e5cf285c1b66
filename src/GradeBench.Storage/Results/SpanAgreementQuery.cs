using Dapper;
using GradeBench.Core.Agreement;
using GradeBench.Core.Spans;
using GradeBench.Storage.Judges;
using SQLitePCL;

namespace GradeBench.Storage.Results;

/// <summary>A study's agreement on its span labels (<see cref="StudySpanAgreement"/>, docs/spans.md, "Where GradeBench
/// shows these figures"): the one computation behind the results page, span-agreement.csv, the report and the dashboard.
/// The documents are the answers that two or more physicians submitted: in a study of single answers, their rating of
/// it (its assignment completed); in a side-by-side study, their judgement of a pair it is in. Those raters are its
/// readers, whether or not they highlighted anything, and their highlights of it its spans. Drafts do not count; the
/// judges neither (they highlight nothing). Read in one statement, stepped row by row, whatever the size of the study.</summary>
public sealed class SpanAgreementQuery(Database database)
{
    const string Answers = "response";

    /// <summary>The span figures of the study's data as it is now, with the default bootstrap over documents; null when
    /// the study has no span labels.</summary>
    public async Task<StudySpanAgreement?> ComputeAsync(long studyId, CancellationToken ct = default)
    {
        if (await LoadAsync(studyId, ct) is not var (labels, documents)) return null;
        // CPU-bound (the bootstrap): off the caller's thread.
        return await Task.Run(() => StudySpanAgreement.Compute(labels, documents, Bootstrap.DefaultResamples, Bootstrap.DefaultSeed), ct);
    }

    /// <summary>Whether the study has span labels, without reading anything else.</summary>
    public async Task<bool> HasLabelsAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM span_labels WHERE study_id = @StudyId)", new { StudyId = studyId }, cancellationToken: ct));
    }

    /// <summary>The study's span labels in its order and the documents read by two or more raters; null without labels.</summary>
    internal async Task<(IReadOnlyList<SpanLabelName> Labels, IReadOnlyList<SpanDocument> Documents)?> LoadAsync(long studyId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var mapped = await RawSqlite.MapAsync(connection, ct);
        // One snapshot for the labels and the spans.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var labels = (await connection.QueryAsync<(long Id, string Slug, string Label)>(new CommandDefinition(
            "SELECT id, slug, label FROM span_labels WHERE study_id = @StudyId ORDER BY position", new { StudyId = studyId }, transaction,
            cancellationToken: ct))).AsList();
        if (labels.Count == 0) return null;
        var pairwise = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT design FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction, cancellationToken: ct)) == "pairwise";
        var slugs = labels.ToDictionary(l => l.Id, l => l.Slug);
        var db = connection.Handle!;
        RawSqlite.Check(db, raw.sqlite3_create_function(db, LengthFunction, 1, raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC, null,
            (context, _, arguments) => raw.sqlite3_result_int(context, DocumentLength(raw.sqlite3_value_blob(arguments[0])))));
        var rows = new SpanDocumentRows();
        var judges = JudgeRaters.Exclusion(db, studyId, "a.rater_id");
        RawSqlite.Step(db, Sql(pairwise ? PairReaders(judges) : AnswerReaders(judges)),
            studyId, s => rows.Add(Answers, raw.sqlite3_column_int64(s, 0), raw.sqlite3_column_int(s, 1), raw.sqlite3_column_int64(s, 2),
                raw.sqlite3_column_type(s, 3) == raw.SQLITE_NULL ? null : slugs[raw.sqlite3_column_int64(s, 3)],
                raw.sqlite3_column_int(s, 4), raw.sqlite3_column_int(s, 5)), ct);
        return (labels.Select(l => new SpanLabelName(l.Slug, l.Label)).ToList(), rows.Documents());
    }

    /// <summary>An answer's length in the unit its highlights' offsets are stored in (the continuum of α_u): code points,
    /// the UTF-8 bytes that start a character.</summary>
    static int DocumentLength(ReadOnlySpan<byte> utf8)
    {
        var length = 0;
        foreach (var b in utf8) if ((b & 0xC0) != 0x80) length++;
        return length;
    }

    const string LengthFunction = "span_document_length";

    // From the covering index assignments_queue, sorted by answer (not by the index on answers: "+ 0") so that the
    // highlights are then looked up in their index's order: 0.33 s of CPU for 100,000 answers, 0.45 s otherwise.
    static string AnswerReaders(string judges) => $"""
        SELECT a.response_id, a.rater_id FROM assignments a WHERE a.study_id = ?1 AND a.completed_at IS NOT NULL{judges}
        ORDER BY a.response_id + 0
        """;

    // An answer may be in several pairs of one rater: UNION keeps each reader once (and sorts by answer).
    static string PairReaders(string judges) => $"""
        SELECT p.response_a_id, a.rater_id FROM pairs p JOIN pair_assignments a ON a.pair_id = p.id
        WHERE p.study_id = ?1 AND a.completed_at IS NOT NULL{judges}
        UNION
        SELECT p.response_b_id, a.rater_id FROM pairs p JOIN pair_assignments a ON a.pair_id = p.id
        WHERE p.study_id = ?1 AND a.completed_at IS NOT NULL{judges}
        """;

    /// <summary>(answer, length, reader, label id, start, end) for every reader of every answer read by two or more, a row
    /// per highlight, or one without a label for a reader who highlighted nothing there. The answers' lengths are
    /// computed once each, from the text as stored (no string made of it).</summary>
    static string Sql(string readers) => $"""
        WITH readers (response_id, rater_id) AS MATERIALIZED ({readers}),
        documents (id, length) AS MATERIALIZED (
            SELECT r.id, {LengthFunction}(r.content_md) FROM responses r
            WHERE r.id IN (SELECT response_id FROM readers GROUP BY response_id HAVING COUNT(*) >= 2))
        SELECT d.id, d.length, x.rater_id, s.label_id, s.start_code_point, s.end_code_point
        FROM documents d
        JOIN readers x ON x.response_id = d.id
        LEFT JOIN span_annotations s ON s.response_id = x.response_id AND s.rater_id = x.rater_id
        """;
}
