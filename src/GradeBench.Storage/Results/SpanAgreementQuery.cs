using System.Data.Common;
using Dapper;
using GradeBench.Core.Agreement;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Spans;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GradeBench.Storage.Results;

/// <summary>A study's agreement on its span labels (<see cref="StudySpanAgreement"/>, docs/spans.md, "Where GradeBench
/// shows these figures"): the one computation behind the results page, span-agreement.csv, the report and the dashboard,
/// for each source of spans. Of the answers' highlights, the documents are the answers that two or more physicians
/// submitted: in a study of single answers, their rating of it (its assignment completed); in a side-by-side study, their
/// judgement of a pair it is in. Those raters are its readers, whether or not they highlighted anything, and their
/// highlights of it its spans. Drafts do not count; the judges neither (they highlight nothing). Of the notes' passages,
/// the documents are the cases, their readers as <see cref="Notes.NoteReaders"/> says, the spans their passages. Each is read in one statement, stepped row by
/// row, whatever the size of the study.</summary>
public sealed class SpanAgreementQuery(Database database)
{
    /// <summary>The figures of the answers' highlights (<see cref="ComputeAsync(long, SpanSource, CancellationToken)"/>).</summary>
    public Task<StudySpanAgreement?> ComputeAsync(long studyId, CancellationToken ct = default) => ComputeAsync(studyId, SpanSource.Answers, ct);

    /// <summary>The span figures of the source's data as it is now, with the default bootstrap over documents, per label
    /// and per criterion with linked labels; null when the study has no labels of the source.</summary>
    public async Task<StudySpanAgreement?> ComputeAsync(long studyId, SpanSource source, CancellationToken ct = default)
    {
        if (await LoadAsync(studyId, source, ct) is not var (labels, documents, criteria)) return null;
        // CPU-bound (the bootstrap): off the caller's thread.
        return await Task.Run(() => StudySpanAgreement.Compute(labels, documents, Bootstrap.DefaultResamples, Bootstrap.DefaultSeed, criteria), ct);
    }

    /// <summary>Whether the study has labels of the source (span labels, note labels), without reading anything else.</summary>
    public async Task<bool> HasLabelsAsync(long studyId, SpanSource source = SpanSource.Answers, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM {LabelTable(source)} WHERE study_id = @StudyId)", new { StudyId = studyId }, cancellationToken: ct));
    }

    static string LabelTable(SpanSource source) => source == SpanSource.Answers ? "span_labels" : "note_labels";

    /// <summary>The source's labels in the study's order, the documents read by two or more raters and the rubric's
    /// criteria with their linked labels; null without labels.</summary>
    internal async Task<(IReadOnlyList<SpanLabelName> Labels, IReadOnlyList<SpanDocument> Documents, IReadOnlyList<LinkedCriterion> Criteria)?> LoadAsync(
        long studyId, SpanSource source, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var mapped = await RawSqlite.MapAsync(connection, ct);
        // One snapshot for the labels and the spans.
        await using var transaction = await connection.BeginSnapshotAsync(ct);
        var labels = (await connection.QueryAsync<(long Id, string Slug, string Label)>(new CommandDefinition(
            $"SELECT id, slug, label FROM {LabelTable(source)} WHERE study_id = @StudyId ORDER BY position", new { StudyId = studyId }, transaction,
            cancellationToken: ct))).AsList();
        if (labels.Count == 0) return null;
        var criteria = await CriteriaAsync(connection, transaction, studyId, source, labels.Select(l => l.Slug).ToList(), ct);
        var pairwise = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT design FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction, cancellationToken: ct)) == "pairwise";
        var slugs = labels.ToDictionary(l => l.Id, l => l.Slug);
        // PostgreSQL's length counts code points already.
        var length = "length";
        if (connection is SqliteConnection sqlite)
        {
            var db = sqlite.Handle!;
            RawSqlite.Check(db, raw.sqlite3_create_function(db, LengthFunction, 1, raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC, null,
                (context, _, arguments) => raw.sqlite3_result_int(context, DocumentLength(raw.sqlite3_value_blob(arguments[0])))));
            length = LengthFunction;
        }
        var rows = new SpanDocumentRows();
        var judges = await JudgeRaters.ExclusionAsync(connection, transaction, studyId, "a.rater_id", ct);
        var (name, sql) = source == SpanSource.Answers
            ? ("response", Sql(pairwise ? PairReaders(judges) : AnswerReaders(judges), length))
            : ("case", NoteSql(length));
        // A document's readers and spans in the order SQLite reads them: readers by id (the readers' sort), spans by
        // their index.
        await RawRows.StepAsync(connection, transaction, sql,
            studyId, s => rows.Add(name, s.GetInt64(0), s.GetInt32(1), s.GetInt64(2), s.IsNull(3) ? null : slugs[s.GetInt64(3)],
                s.GetInt32(4), s.GetInt32(5)), ct, "ORDER BY d.id, x.rater_id, s.id");
        // The documents in the bundle's order, as note-spans.csv and annotations.jsonl list them.
        var position = new Dictionary<long, int>();
        await RawRows.StepAsync(connection, transaction, source == SpanSource.Answers
                ? "SELECT id FROM responses WHERE study_id = ?1 ORDER BY position"
                : "SELECT id FROM cases WHERE study_id = ?1 ORDER BY position",
            studyId, s => position.Add(s.GetInt64(0), position.Count), ct);
        return (labels.Select(l => new SpanLabelName(l.Slug, l.Label)).ToList(), rows.Documents(position), criteria);
    }

    /// <summary>The rubric's criteria in its order, each with the source's labels linked to it in the labels' order.</summary>
    static async Task<IReadOnlyList<LinkedCriterion>> CriteriaAsync(DbConnection connection, DbTransaction transaction, long studyId, SpanSource source,
        IReadOnlyList<string> labels, CancellationToken ct)
    {
        var linked = await LabelCriteria.OfStudyAsync(connection, transaction, source == SpanSource.Answers ? LabelKind.Span : LabelKind.Note, studyId, ct);
        if (linked.Count == 0) return [];
        var criteria = await connection.QueryAsync<(string Slug, string Label, string? Translations)>(new CommandDefinition(
            "SELECT slug, label, label_translations_json FROM criteria WHERE study_id = @StudyId AND case_id IS NULL ORDER BY position",
            new { StudyId = studyId }, transaction, cancellationToken: ct));
        return [.. criteria.Select(c => new LinkedCriterion(c.Slug, c.Label, [.. labels.Where(l => linked.TryGetValue(l, out var named) && named.Contains(c.Slug))])
        {
            NameTranslations = Translations.FromJson(c.Translations),
        })];
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

    /// <summary>(case, length, reader, label id, start, end) for every reader of every case read by two or more
    /// (<see cref="Notes.NoteReaders"/>); a row per passage, or one without a label for a reader who marked nothing there.
    /// Lengths in code points of the note (<paramref name="length"/>, the function that counts them).</summary>
    static string NoteSql(string length) => $"""
        WITH readers (case_id, rater_id) AS MATERIALIZED ({Notes.NoteReaders.Of("?1")}),
        documents (id, length) AS MATERIALIZED (
            SELECT c.id, {length}(c.presentation_md) FROM cases c
            WHERE c.id IN (SELECT case_id FROM readers GROUP BY case_id HAVING COUNT(*) >= 2))
        SELECT d.id, d.length, x.rater_id, s.label_id, s.start_code_point, s.end_code_point
        FROM documents d
        JOIN readers x ON x.case_id = d.id
        LEFT JOIN note_spans s ON s.case_id = x.case_id AND s.rater_id = x.rater_id
        """;

    /// <summary>(answer, length, reader, label id, start, end) for every reader of every answer read by two or more, a row
    /// per highlight, or one without a label for a reader who highlighted nothing there. The answers' lengths are
    /// computed once each, from the text as stored (no string made of it), by <paramref name="length"/>.</summary>
    static string Sql(string readers, string length) => $"""
        WITH readers (response_id, rater_id) AS MATERIALIZED ({readers}),
        documents (id, length) AS MATERIALIZED (
            SELECT r.id, {length}(r.content_md) FROM responses r
            WHERE r.id IN (SELECT response_id FROM readers GROUP BY response_id HAVING COUNT(*) >= 2))
        SELECT d.id, d.length, x.rater_id, s.label_id, s.start_code_point, s.end_code_point
        FROM documents d
        JOIN readers x ON x.response_id = d.id
        LEFT JOIN span_annotations s ON s.response_id = x.response_id AND s.rater_id = x.rater_id
        """;
}
