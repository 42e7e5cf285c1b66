using System.Collections;
using System.Collections.ObjectModel;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Buffers;
using System.Text;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Judges;
using GradeBench.Core.Results;
using GradeBench.Core.Spans;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using Sylvan.Data.Csv;

namespace GradeBench.Storage.Export;

/// <summary>The study's text exports (<see cref="ExportKinds.Text"/>): its tables as CSV and its highlighted spans as JSON
/// Lines, streamed row by row from the database to the writer (constant memory whatever the size), and the reports
/// (<see cref="Report"/>). Columns are named in snake_case; timestamps are UTC ISO-8601 as stored;
/// empty cells are missing values. See docs/exports.md.</summary>
/// <param name="progress">Told the number of rows written so far (a command line's progress bar); none on the web.</param>
/// <param name="forExcel">The Excel flavour: a text cell a spreadsheet would run as a formula gets an apostrophe in front
/// (<see cref="FormulaDefusingReader"/>). Off, the CSV holds the stored text byte for byte.</param>
public sealed class TextExport(Database database, IProgress<long>? progress = null, bool forExcel = false)
{
    /// <summary>Every submitted rating of the physicians (judges' ratings are not exported here): one row per response × rater × criterion, drafts excluded; by response id, then
    /// rater, then rubric order. That order is the one the indexes already give (responses by (study_id, slug), ratings by
    /// (response_id, rater_id, criterion_id); criteria are inserted in rubric order), so SQLite sorts nothing: sorting by
    /// r.id took 0.9 s of a 1,000,000-row export (docs/benchmarks.md).</summary>
    public async Task<long> WriteRatingsAsync(long studyId, TextWriter output, CancellationToken ct = default)
    {
        await using var reader = new RatingRowsReader(database, studyId, progress);
        return await WriteCsvAsync(reader, output, ct);
    }

    /// <summary>pairwise.csv: every submitted vote of the physicians in a side-by-side study, one row per pair × rater ×
    /// axis with the sides its rater saw (docs/exports.md), by pair, rater and axis order, as
    /// <see cref="PairwiseVotesQuery"/> hands them to the statistics. A study of single answers gives the header alone.</summary>
    public async Task<long> WritePairwiseAsync(long studyId, TextWriter output, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // choice and reasons hold the stored choice and reasons_json, made the file's cells here: PostgreSQL has neither
        // SQLite's json_each nor functions registered from C#. a_on_left is not written.
        var query = (DbDataReader)await connection.ExecuteReaderAsync(new CommandDefinition($"""
            SELECT c.slug AS "case", u.username AS rater, x.slug AS axis, l.slug AS left_response, r.slug AS right_response,
                   l.model AS left_model, r.model AS right_model, v.choice, a.reasons_json AS reasons,
                   a.comment, v.submitted_at AS first_submitted, v.updated_at AS last_changed,
                   a.left_response_id = p.response_a_id AS a_on_left
            {SubmittedPairVotes.From}
            """, new { StudyId = studyId }, cancellationToken: ct));
        await using var reader = Counted(new ComposedReader(query, 12, [7, 8], async (row, ct) =>
        {
            if (!await query.ReadAsync(ct)) return false;
            query.GetValues(row);
            row[7] = SubmittedPairVotes.ShownChoice((string)row[7], Convert.ToBoolean(row[12], CultureInfo.InvariantCulture));
            // The reasons ticked in their stored order; none is an empty cell.
            row[8] = row[8] is string reasons ? string.Join(';', JsonSerializer.Deserialize<string[]>(reasons)!) : "";
            return true;
        }));
        return await WriteCsvAsync(reader, output, ct);
    }

    /// <summary>pairwise-consensus.csv: the consensus of a side-by-side study's adjudication, one row per pair × axis that
    /// has one (the latest of its recorded decisions), by pair then axis order: the pair's answers as A and B (A's model
    /// first by name, as votes are stored), the choice by model (<c>a</c>, <c>b</c>, <c>tie</c>, <c>both_bad</c>), the
    /// reason, who decided and when. Raters' votes stay in pairwise.csv.</summary>
    public Task<long> WritePairwiseConsensusAsync(long studyId, TextWriter output, CancellationToken ct = default) => WriteAsync("""
        SELECT c.slug AS "case", a.slug AS response_a, b.slug AS response_b, a.model AS model_a, b.model AS model_b, x.slug AS axis,
               v.choice, v.reason, u.username AS decided_by, v.decided_at
        FROM pair_consensus_votes v
        JOIN adjudication_items i ON i.id = v.item_id
        JOIN pairs p ON p.id = i.pair_id
        JOIN cases c ON c.id = p.case_id
        JOIN responses a ON a.id = p.response_a_id
        JOIN responses b ON b.id = p.response_b_id
        JOIN pairwise_axes x ON x.id = v.axis_id
        JOIN users u ON u.id = v.decided_by
        WHERE i.study_id = @StudyId
          AND v.id = (SELECT MAX(l.id) FROM pair_consensus_votes l WHERE l.item_id = v.item_id AND l.axis_id = v.axis_id)
        ORDER BY p.position, p.id, x.position, x.id
        """, studyId, output, ct);

    /// <summary>The audit trail: every value a rating has had, who recorded it and how (import, web, adjudication);
    /// the import lines an import implies without writing them included (<see cref="RatingHistory"/>).</summary>
    public Task<long> WriteHistoryAsync(long studyId, TextWriter output, CancellationToken ct = default) => WriteAsync($"""
        SELECT s.slug AS study, r.slug AS response_id, u.username AS rater, k.slug AS criterion,
               h.value, h.comment, h.status, h.source, h.recorded_at, b.username AS recorded_by
        FROM {RatingHistory.WithImportedLines} h
        JOIN ratings g ON g.id = h.rating_id
        JOIN responses r ON r.id = g.response_id
        JOIN studies s ON s.id = r.study_id
        JOIN users u ON u.id = g.rater_id
        JOIN criteria k ON k.id = g.criterion_id
        LEFT JOIN users b ON b.id = h.recorded_by
        WHERE g.rater_id NOT IN {JudgeRaters.OfStudy}
        ORDER BY h.seq_part, h.seq_id
        """, studyId, output, ct);

    /// <summary>Rater flags and their threads: one row per message, the rater's note (<c>entry</c> "flag") then the
    /// coordinators' replies ("reply"), each row with its flag's resolution (empty while open).</summary>
    public Task<long> WriteFlagsAsync(long studyId, TextWriter output, CancellationToken ct = default) => WriteAsync("""
        SELECT s.slug AS study, c.slug AS case_id, r.slug AS response_id, f.id AS flag_id, u.username AS rater,
               t.entry, a.username AS author, t.text, t.at, f.resolved_at, b.username AS resolved_by
        FROM flags f
        JOIN (SELECT id AS flag_id, 'flag' AS entry, 0 AS seq, rater_id AS author_id, note AS text, created_at AS at
              FROM flags WHERE study_id = @StudyId
              UNION ALL
              SELECT p.flag_id, 'reply', p.id, p.author_id, p.body, p.posted_at
              FROM flag_replies p JOIN flags g ON g.id = p.flag_id WHERE g.study_id = @StudyId) t ON t.flag_id = f.id
        JOIN studies s ON s.id = f.study_id
        JOIN responses r ON r.id = f.response_id
        JOIN cases c ON c.id = r.case_id
        JOIN users u ON u.id = f.rater_id
        JOIN users a ON a.id = t.author_id
        LEFT JOIN users b ON b.id = f.resolved_by
        WHERE f.study_id = @StudyId
        ORDER BY f.id, t.seq
        """, studyId, output, ct);

    /// <summary>Safety alerts and their audit trail: what raised each (criterion and value), how (<c>source</c> "web" or
    /// "import"), and who acknowledged it, when, with their note of what was done.</summary>
    public Task<long> WriteSafetyAlertsAsync(long studyId, TextWriter output, CancellationToken ct = default) => WriteAsync("""
        SELECT s.slug AS study, c.slug AS case_id, r.slug AS response_id, u.username AS rater, k.slug AS criterion,
               a.value, COALESCE(o.label, a.value) AS value_label, a.source, a.raised_at, a.acknowledged_at,
               b.username AS acknowledged_by, a.acknowledgement_note
        FROM safety_alerts a
        JOIN studies s ON s.id = a.study_id
        JOIN responses r ON r.id = a.response_id
        JOIN cases c ON c.id = r.case_id
        JOIN users u ON u.id = a.rater_id
        JOIN criteria k ON k.id = a.criterion_id
        LEFT JOIN criterion_options o ON o.criterion_id = a.criterion_id AND o.value = a.value
        LEFT JOIN users b ON b.id = a.acknowledged_by
        WHERE a.study_id = @StudyId
        ORDER BY a.id
        """, studyId, output, ct);

    /// <summary>note-spans.csv: every marked passage of a case's clinical note, one row per passage, by case, rater and
    /// position: code points of the note (end exclusive) with the hash of the note they were made on, the covered text,
    /// and the attributes set as one JSON object in the label's attribute order (a flag <c>true</c>, a number a JSON
    /// number, a text a string; <c>{}</c> when none).</summary>
    public Task<long> WriteNoteSpansAsync(long studyId, TextWriter output, CancellationToken ct = default) => WriteWithAttributesAsync($"""
        SELECT s.slug AS study, c.slug AS case_id, u.username AS rater, l.slug AS label,
               n.start_code_point AS start, n.end_code_point AS "end", n.text_sha256, n.quote, '' AS attributes,
               n.note, n.created_at, n.updated_at, {AttributeColumns("n")}
        FROM note_spans n
        JOIN cases c ON c.id = n.case_id
        JOIN studies s ON s.id = c.study_id
        JOIN users u ON u.id = n.rater_id
        JOIN note_labels l ON l.id = n.label_id
        LEFT JOIN note_span_attributes v ON v.note_span_id = n.id
        LEFT JOIN note_label_attributes a ON a.id = v.attribute_id
        WHERE c.study_id = @StudyId
        ORDER BY c.position, u.username, n.start_code_point, n.end_code_point, l.position, n.id, a.position, a.id
        """, 8, studyId, output, ct);

    /// <summary>span-links.csv: every link a rater made between their highlight of an answer and their passage of the
    /// case's note, one row per link: the answer's highlight as annotations.jsonl gives it, the passage as note-spans.csv.</summary>
    public Task<long> WriteSpanLinksAsync(long studyId, TextWriter output, CancellationToken ct = default) => WriteAsync("""
        SELECT s.slug AS study, c.slug AS case_id, u.username AS rater, r.slug AS response_id, r.model,
               sl.slug AS answer_label, a.start_code_point AS answer_start, a.end_code_point AS answer_end, a.quote AS answer_quote,
               nl.slug AS note_label, n.start_code_point AS note_start, n.end_code_point AS note_end, n.quote AS note_quote, k.created_at
        FROM span_links k
        JOIN note_spans n ON n.id = k.note_span_id
        JOIN span_annotations a ON a.id = k.answer_span_id
        JOIN responses r ON r.id = a.response_id
        JOIN cases c ON c.id = n.case_id
        JOIN studies s ON s.id = c.study_id
        JOIN users u ON u.id = n.rater_id
        JOIN note_labels nl ON nl.id = n.label_id
        JOIN span_labels sl ON sl.id = a.label_id
        WHERE c.study_id = @StudyId
        ORDER BY c.position, u.username, n.start_code_point, n.id, r.position, a.id
        """, studyId, output, ct);

    /// <summary>gold-spans.csv: the decisions of span adjudication that stand (not undone), one row per decision, by case
    /// and position (rejections, which have none, first): a gold passage as note-spans.csv gives a rater's, or a
    /// rejection with its passage's cells empty; who decided (username), when, and the raters it came from as a JSON
    /// array of usernames. <see cref="Notes.GoldSpanImport"/> reads it back. NULLS FIRST: PostgreSQL sorts nulls last.</summary>
    public Task<long> WriteGoldSpansAsync(long studyId, TextWriter output, CancellationToken ct = default) => WriteWithAttributesAsync($"""
        SELECT s.slug AS study, c.slug AS case_id, l.slug AS label,
               g.start_code_point AS start, g.end_code_point AS "end", g.text_sha256, g.quote, '' AS attributes,
               g.decision, g.decided_by_name AS decided_by, g.decided_at, g.source_raters, {AttributeColumns("g")}
        FROM gold_spans g
        JOIN cases c ON c.id = g.case_id
        JOIN studies s ON s.id = c.study_id
        LEFT JOIN note_labels l ON l.id = g.label_id
        LEFT JOIN gold_span_attributes v ON v.gold_span_id = g.id
        LEFT JOIN note_label_attributes a ON a.id = v.attribute_id
        WHERE c.study_id = @StudyId AND g.undone_at IS NULL
        ORDER BY c.position, g.start_code_point NULLS FIRST, g.end_code_point, l.position, g.id, a.position, a.id
        """, 7, studyId, output, ct);

    /// <summary>The last columns of a query for <see cref="WriteWithAttributesAsync"/>: the id of the passage
    /// <paramref name="passage"/>, then one of its attributes (<c>a</c>, null for a passage without) and its value (<c>v</c>).</summary>
    static string AttributeColumns(string passage) => $"{passage}.id AS passage_id, a.slug AS attribute, a.kind AS attribute_kind, v.value AS attribute_value";

    /// <summary>A CSV of passages with their attributes as one JSON object, the cell at <paramref name="attributes"/>
    /// (its query gives <c>''</c> there), in the label's attribute order, <c>{}</c> when none; the query's rows are a
    /// passage's attributes one by one (<see cref="AttributeColumns"/>, ordered by passage, then attribute position).
    /// Built here byte for byte as SQLite's json_group_object built it (json() of a flag's or a number's value), so
    /// that the file is the same from PostgreSQL; one object is built at a time.</summary>
    async Task<long> WriteWithAttributesAsync(string sql, int attributes, long studyId, TextWriter output, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var query = (DbDataReader)await connection.ExecuteReaderAsync(new CommandDefinition(sql, new { StudyId = studyId }, cancellationToken: ct));
        var columns = query.FieldCount - 4;
        var (passage, slug, kind, value) = (columns, columns + 1, columns + 2, columns + 3);
        var json = new StringBuilder();
        var ahead = false; // the query stands on the next passage's first row
        await using var reader = Counted(new ComposedReader(query, columns, [attributes], async (row, ct) =>
        {
            if (!ahead && !await query.ReadAsync(ct)) return false;
            query.GetValues(row);
            var id = query.GetInt64(passage);
            json.Clear().Append('{');
            do
            {
                if (query.IsDBNull(slug)) continue;
                if (json.Length > 1) json.Append(',');
                SqliteJson.AppendString(json, query.GetString(slug));
                json.Append(':');
                if (query.GetString(kind) == "text") SqliteJson.AppendString(json, query.GetString(value));
                else SqliteJson.AppendLiteral(json, query.GetString(value));
            }
            while ((ahead = await query.ReadAsync(ct)) && query.GetInt64(passage) == id);
            row[attributes] = json.Append('}').ToString();
            return true;
        }));
        return await WriteCsvAsync(reader, output, ct);
    }

    /// <summary>Agreement per criterion and coefficient, computed as the results page computes it
    /// (<see cref="StudyResults.Agreement"/>, default bootstrap seed and resamples): values in full precision.</summary>
    public async Task<long> WriteAgreementAsync(long studyId, TextWriter output, CancellationToken ct = default)
    {
        var input = await new ResultsQuery(database, new RubricQuery(database)).LoadAsync(studyId, ct);
        var table = new DataTable();
        foreach (var column in new[] { "criterion", "level", "metric", "value", "ci_lower", "ci_upper", "units", "raters", "reading" })
            table.Columns.Add(column, typeof(string));
        foreach (var row in StudyResults.Rows(StudyResults.Agreement(input.Criteria, input.Ratings, unitOrder: input.UnitOrder)))
            table.Rows.Add(row.Criterion, row.Level, row.Metric, Number(row.Value), Number(row.CiLower), Number(row.CiUpper),
                row.Units.ToString(CultureInfo.InvariantCulture), row.Raters.ToString(CultureInfo.InvariantCulture), (object?)row.Reading ?? DBNull.Value);
        await using var reader = table.CreateDataReader();
        return await WriteCsvAsync(reader, output, ct);
    }

    /// <summary>span-agreement.csv: the raters' agreement on their highlights of the answers, then on their passages of
    /// the cases' notes, as the results page shows it (<see cref="SpanAgreementQuery"/>, default bootstrap seed and
    /// resamples), one row per figure: for each source (<c>answers</c>, <c>note</c>) with labels, overall, then each label in
    /// the study's order, then each rubric criterion with linked labels (scope <c>criterion</c>, label its id), each F1
    /// exact, F1 overlap and α_u; values in full precision, the reason in English where there is none. A study without span
    /// or note labels gives the header alone.</summary>
    public async Task<long> WriteSpanAgreementAsync(long studyId, TextWriter output, CancellationToken ct = default)
    {
        var query = new SpanAgreementQuery(database);
        var table = new DataTable();
        foreach (var column in new[] { "source", "scope", "label", "statistic", "value", "ci_lower", "ci_upper", "documents", "raters", "spans", "reason" })
            table.Columns.Add(column, typeof(string));
        foreach (var (source, name) in new[] { (SpanSource.Answers, "answers"), (SpanSource.Note, "note") })
        {
            if (await query.ComputeAsync(studyId, source, ct) is not { } spans) continue;
            var report = spans.Report;
            var rows = spans.Labels.Select(l => (Scope: "label", Label: l.Id, l.Figures, l.Documents, l.Raters, l.Spans))
                .Prepend((Scope: "overall", Label: "", Figures: report.Overall, Documents: report.PairedDocuments, report.Raters, report.Spans))
                .Concat(spans.Criteria.Select(c => (Scope: "criterion", Label: c.Id, c.Figures, c.Documents, c.Raters, c.Spans)));
            foreach (var row in rows)
                foreach (var (statistic, figure) in new[] { ("f1_exact", row.Figures.F1Exact), ("f1_overlap", row.Figures.F1Overlap), ("alpha_u", row.Figures.AlphaU) })
                    table.Rows.Add(name, row.Scope, row.Label, statistic, Number(figure.Value), Number(figure.Ci95?.Lower), Number(figure.Ci95?.Upper),
                        row.Documents.ToString(CultureInfo.InvariantCulture), row.Raters.ToString(CultureInfo.InvariantCulture),
                        row.Spans.ToString(CultureInfo.InvariantCulture), (object?)figure.Reason?.ToString() ?? DBNull.Value);
        }
        await using var reader = table.CreateDataReader();
        return await WriteCsvAsync(reader, output, ct);
    }

    /// <summary>The judges' statistics, one row per number (<see cref="JudgeRows"/>), from the computation of the results
    /// page and the report (<see cref="JudgeResultsQuery"/>): values in full precision, physicians named by username as in
    /// ratings.csv, judges by their name in the study. A study without judges gives the header alone.</summary>
    public async Task<long> WriteJudgesAsync(long studyId, TextWriter output, CancellationToken ct = default)
    {
        var results = await new JudgeResultsQuery(database).LoadAsync(studyId, ct);
        var usernames = await UsernamesAsync(results.RaterNames.Keys, ct);
        var table = new DataTable();
        foreach (var column in new[] { "criterion", "judge", "statistic", "physician", "model", "judge_value", "majority_value", "value", "ci_lower", "ci_upper", "n", "reason" })
            table.Columns.Add(column, typeof(string));
        foreach (var row in JudgeRows.Of(results, id => usernames[id]))
            table.Rows.Add(row.Criterion, row.Judge, row.Statistic, row.Physician, row.Model, row.JudgeValue, row.MajorityValue,
                (object?)row.Text ?? Number(row.Value), Number(row.CiLower), Number(row.CiUpper),
                row.N is { } n ? n.ToString(CultureInfo.InvariantCulture) : DBNull.Value, (object?)row.Reason?.ToString() ?? DBNull.Value);
        await using var reader = table.CreateDataReader();
        return await WriteCsvAsync(reader, output, ct);
    }

    /// <summary>Usernames by rater id (as <see cref="StudyJudgeResults"/> names raters).</summary>
    async Task<Dictionary<string, string>> UsernamesAsync(IEnumerable<string> raterIds, CancellationToken ct)
    {
        var ids = raterIds.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray();
        if (ids.Length == 0) return [];
        await using var connection = await database.OpenAsync(ct);
        var users = await connection.QueryAsync<(long Id, string Username)>(new CommandDefinition(
            $"SELECT id, username FROM users WHERE {ListParameter.In(connection, "id", "@Ids")}", new { Ids = ids }, cancellationToken: ct));
        return users.ToDictionary(u => u.Id.ToString(CultureInfo.InvariantCulture), u => u.Username);
    }

    // Round-trip precision, so a reader gets the very number the page rounds.
    static object Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : DBNull.Value;

    /// <summary>One row per response × rater with submitted ratings, one column per criterion of the rubric in rubric order
    /// (headed by the criterion id), empty where the rater left that criterion out. The cases' checklists, each case's
    /// own, have no column: their marks are rows of ratings.csv.</summary>
    public async Task<long> WriteRatingsWideAsync(long studyId, TextWriter output, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var criteria = (await connection.QueryAsync<(long Id, string Slug)>(new CommandDefinition(
            "SELECT id, slug FROM criteria WHERE study_id = @StudyId AND case_id IS NULL ORDER BY position", new { StudyId = studyId }, cancellationToken: ct))).AsList();
        // COALESCE: a pivot column has no declared type, and a NULL in its first row crashed the CSV writer (SIGSEGV
        // reading Microsoft.Data.Sqlite's field type); an empty cell is what CSV writes for a missing value anyway.
        // The only SQL built at run time: one pivot column per criterion. Criterion ids are bound as parameters; the
        // column names are criterion slugs, identifiers of [A-Za-z0-9._-] (validated at import), quoted all the same.
        var parameters = new DynamicParameters(new { StudyId = studyId });
        var columns = new StringBuilder();
        for (var i = 0; i < criteria.Count; i++)
        {
            parameters.Add($"C{i}", criteria[i].Id);
            columns.Append($"COALESCE(MAX(CASE WHEN g.criterion_id = @C{i} THEN g.value END), '') AS \"{criteria[i].Slug.Replace("\"", "\"\"")}\", ");
        }
        var sql = $"""
            SELECT s.slug AS study, c.slug AS case_id, r.slug AS response_id, r.model, u.username AS rater, {columns}
                   MIN(g.submitted_at) AS first_submitted, MAX(g.updated_at) AS last_changed
            FROM responses r
            JOIN studies s ON s.id = r.study_id
            JOIN cases c ON c.id = r.case_id
            JOIN ratings g ON g.response_id = r.id
            JOIN users u ON u.id = g.rater_id
            WHERE r.study_id = @StudyId AND g.status = 'submitted' AND g.rater_id NOT IN {JudgeRaters.OfStudy}
            GROUP BY r.id, g.rater_id, s.id, c.id, u.id
            ORDER BY c.position, r.position, u.username
            """;
        await using var reader = Counted((DbDataReader)await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)));
        return await WriteCsvAsync(reader, output, ct);
    }

    sealed class SpanRow
    {
        public string Study { get; init; } = "";
        public string CaseId { get; init; } = "";
        public string ResponseId { get; init; } = "";
        public string Model { get; init; } = "";
        public string Rater { get; init; } = "";
        public string Label { get; init; } = "";
        public long StartCodePoint { get; init; }
        public long EndCodePoint { get; init; }
        public string TextSha256 { get; init; } = "";
        public string Quote { get; init; } = "";
        public string? Note { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    /// <summary>annotations.jsonl: one JSON object per highlighted span, streamed (Dapper's unbuffered query) line by
    /// line. <c>start</c>/<c>end</c> are code points of the response's Markdown source (end exclusive), as GradeBench stores
    /// them, and <c>text_sha256</c> the hash of that source (<see cref="GradeBench.Core.Spans.TextHash"/>).</summary>
    public async Task<long> WriteAnnotationsAsync(long studyId, TextWriter output, CancellationToken ct = default)
    {
        const string sql = """
            SELECT s.slug AS study, c.slug AS case_id, r.slug AS response_id, r.model, u.username AS rater, l.slug AS label,
                   a.start_code_point, a.end_code_point, a.text_sha256, a.quote, a.note, a.created_at, a.updated_at
            FROM span_annotations a
            JOIN responses r ON r.id = a.response_id
            JOIN studies s ON s.id = r.study_id
            JOIN cases c ON c.id = r.case_id
            JOIN users u ON u.id = a.rater_id
            JOIN span_labels l ON l.id = a.label_id
            WHERE r.study_id = @StudyId
            ORDER BY c.position, r.position, u.username, a.start_code_point, a.id
            """;
        await using var connection = await database.OpenAsync(ct);
        var buffer = new ArrayBufferWriter<byte>(4096);
        // Chinese text stays readable (not \uXXXX); what must be escaped in JSON still is.
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        long rows = 0;
        await foreach (var span in connection.QueryUnbufferedAsync<SpanRow>(sql, new { StudyId = studyId }).WithCancellation(ct))
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            json.WriteStartObject();
            json.WriteString("study", span.Study);
            json.WriteString("case_id", span.CaseId);
            json.WriteString("response_id", span.ResponseId);
            json.WriteString("model", span.Model);
            json.WriteString("rater", span.Rater);
            json.WriteString("label", span.Label);
            json.WriteNumber("start", span.StartCodePoint);
            json.WriteNumber("end", span.EndCodePoint);
            json.WriteString("text_sha256", span.TextSha256);
            json.WriteString("quote", span.Quote);
            if (span.Note is null) json.WriteNull("note"); else json.WriteString("note", span.Note);
            json.WriteString("created_at", Database.FormatTimestamp(span.CreatedAt));
            json.WriteString("updated_at", Database.FormatTimestamp(span.UpdatedAt));
            json.WriteEndObject();
            json.Flush();
            await output.WriteAsync(Encoding.UTF8.GetString(buffer.WrittenSpan).AsMemory(), ct);
            await output.WriteAsync("\n".AsMemory(), ct);
            progress?.Report(++rows);
        }
        return rows;
    }

    async Task<long> WriteAsync(string sql, long studyId, TextWriter output, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var reader = Counted((DbDataReader)await connection.ExecuteReaderAsync(new CommandDefinition(sql, new { StudyId = studyId }, cancellationToken: ct)));
        return await WriteCsvAsync(reader, output, ct);
    }

    /// <summary>Every CSV kind is written here. The plain flavour hands Sylvan the reader itself, so it stays exactly as
    /// fast as before; the defusing wrapper is not disposed, as the caller disposes the reader it wraps.</summary>
    async Task<long> WriteCsvAsync(DbDataReader reader, TextWriter output, CancellationToken ct)
    {
        // PostgreSQL hands timestamps and booleans over as such, SQLite as the text and 0/1 it stores: both are written as
        // SQLite stores them, so that a study's files are the same whichever database holds it.
        await using var csv = CsvDataWriter.Create(output, new CsvDataWriterOptions
        {
            NewLine = "\r\n",
            DateTimeFormat = Database.TimestampFormat,
            TrueString = "1",
            FalseString = "0",
        });
        return await csv.WriteAsync(forExcel ? new FormulaDefusingReader(reader) : reader, ct);
    }

    DbDataReader Counted(DbDataReader reader) => progress is null ? reader : new CountingReader(reader, progress);

    /// <summary>How many rows ratings.csv of the study has (a progress bar's total).</summary>
    public async Task<long> CountRatingsAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"""
            SELECT COUNT(*) FROM ratings g JOIN responses r ON r.id = g.response_id
            WHERE r.study_id = @StudyId AND g.status = 'submitted' AND g.rater_id NOT IN {JudgeRaters.OfStudy}
            """, new { StudyId = studyId }, cancellationToken: ct));
    }

    /// <summary>report.md and report.html (<see cref="ReportExport"/>), reached from here so that every text kind is a
    /// method of the one export the command line and the API hand around.</summary>
    public ReportExport Report => new(database);
}

/// <summary>A CSV's rows made in C# from a query's, where SQL that SQLite and PostgreSQL both run cannot make a cell
/// (pairwise.csv's choices and reasons, the attributes objects of note-spans.csv and gold-spans.csv). <c>next</c> moves
/// the query on (it may read ahead) and fills one reused array with the next row: the query's first
/// <c>fieldCount</c> columns are the file's, in order; those at <c>computed</c> are text made in C#, the others the
/// query's values as read.</summary>
file sealed class ComposedReader : DbDataReader, IDbColumnSchemaGenerator
{
    readonly DbDataReader _query;
    readonly Func<object[], CancellationToken, Task<bool>> _next;
    readonly ReadOnlyCollection<DbColumn> _columns;
    readonly object[] _row;

    public ComposedReader(DbDataReader query, int fieldCount, int[] computed, Func<object[], CancellationToken, Task<bool>> next)
    {
        _query = query;
        _next = next;
        _row = new object[query.FieldCount];
        var schema = query.GetColumnSchema();
        _columns = Array.AsReadOnly<DbColumn>([.. schema.Take(fieldCount).Select((c, i) => computed.Contains(i) ? new TextColumn(c.ColumnName, i) : c)]);
    }

    sealed class TextColumn : DbColumn
    {
        public TextColumn(string name, int ordinal)
        {
            ColumnName = name;
            ColumnOrdinal = ordinal;
            DataType = typeof(string);
            DataTypeName = "TEXT";
            AllowDBNull = false;
        }
    }

    public override Task<bool> ReadAsync(CancellationToken cancellationToken) => _next(_row, cancellationToken);
    public override bool Read() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
    public override bool NextResult() => false;
    public override void Close() => _query.Close();
    public override ValueTask DisposeAsync() => _query.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _query.Dispose();
        base.Dispose(disposing);
    }

    public ReadOnlyCollection<DbColumn> GetColumnSchema() => _columns;
    public override int FieldCount => _columns.Count;
    public override string GetName(int ordinal) => _columns[ordinal].ColumnName;
    public override int GetOrdinal(string name) => _columns.Single(c => c.ColumnName == name).ColumnOrdinal!.Value;
    public override Type GetFieldType(int ordinal) => _columns[ordinal].DataType ?? typeof(object);
    public override string GetDataTypeName(int ordinal) => _columns[ordinal].DataTypeName ?? "";
    public override bool IsDBNull(int ordinal) => _row[ordinal] is DBNull;
    public override object GetValue(int ordinal) => _row[ordinal];
    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        Array.Copy(_row, values, count);
        return count;
    }
    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));
    public override string GetString(int ordinal) => (string)_row[ordinal];
    public override long GetInt64(int ordinal) => Convert.ToInt64(_row[ordinal], CultureInfo.InvariantCulture);
    public override int GetInt32(int ordinal) => Convert.ToInt32(_row[ordinal], CultureInfo.InvariantCulture);
    public override short GetInt16(int ordinal) => Convert.ToInt16(_row[ordinal], CultureInfo.InvariantCulture);
    public override byte GetByte(int ordinal) => Convert.ToByte(_row[ordinal], CultureInfo.InvariantCulture);
    public override bool GetBoolean(int ordinal) => Convert.ToBoolean(_row[ordinal], CultureInfo.InvariantCulture);
    public override double GetDouble(int ordinal) => Convert.ToDouble(_row[ordinal], CultureInfo.InvariantCulture);
    public override float GetFloat(int ordinal) => Convert.ToSingle(_row[ordinal], CultureInfo.InvariantCulture);
    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(_row[ordinal], CultureInfo.InvariantCulture);
    public override DateTime GetDateTime(int ordinal) => Convert.ToDateTime(_row[ordinal], CultureInfo.InvariantCulture);
    public override char GetChar(int ordinal) => Convert.ToChar(_row[ordinal], CultureInfo.InvariantCulture);
    public override Guid GetGuid(int ordinal) => (Guid)_row[ordinal];

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null) return text.Length;
        var count = (int)Math.Clamp(text.Length - dataOffset, 0, length);
        text.CopyTo((int)Math.Min(dataOffset, text.Length), buffer, bufferOffset, count);
        return count;
    }

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = (byte[])_row[ordinal];
        if (buffer is null) return bytes.Length;
        var count = (int)Math.Clamp(bytes.Length - dataOffset, 0, length);
        Array.Copy(bytes, Math.Min(dataOffset, bytes.Length), buffer, bufferOffset, count);
        return count;
    }

    public override int Depth => 0;
    public override bool HasRows => true;
    public override bool IsClosed => _query.IsClosed;
    public override int RecordsAffected => -1;
    public override IEnumerator GetEnumerator() => new DbEnumerator(this);
}

/// <summary>JSON text as SQLite's JSON functions write it (json.c), which note-spans.csv and gold-spans.csv have always
/// held: compact, and a string escaped only where JSON requires it.</summary>
file static class SqliteJson
{
    static readonly SearchValues<char> Escaped = SearchValues.Create("\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    /// <summary>A JSON string: a quote and a backslash after a backslash, a control character as <c>\b \t \n \f \r</c>
    /// or else <c>\u00xx</c> in lowercase hex; everything else (<c>/</c>, DEL, any non-ASCII) as it is.</summary>
    public static void AppendString(StringBuilder json, string text)
    {
        json.Append('"');
        var rest = text.AsSpan();
        for (int i; (i = rest.IndexOfAny(Escaped)) >= 0; rest = rest[(i + 1)..])
        {
            json.Append(rest[..i]).Append('\\');
            _ = rest[i] switch
            {
                '"' or '\\' => json.Append(rest[i]),
                '\b' => json.Append('b'),
                '\t' => json.Append('t'),
                '\n' => json.Append('n'),
                '\f' => json.Append('f'),
                '\r' => json.Append('r'),
                var c => json.Append("u00").Append("0123456789abcdef"[c >> 4]).Append("0123456789abcdef"[c & 0xf]),
            };
        }
        json.Append(rest).Append('"');
    }

    /// <summary>A flag's or a number's stored value (<c>true</c>, a number in its shortest round-trip form) as SQLite's
    /// json() gave it: the value without any spaces around it, its digits as stored.</summary>
    public static void AppendLiteral(StringBuilder json, string stored)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(stored));
        if (!reader.Read() || reader.TokenType is not (JsonTokenType.Number or JsonTokenType.True) || reader.Read())
            throw new InvalidOperationException($"The stored attribute value \"{stored}\" is not a JSON number or true.");
        json.Append(stored.AsSpan().Trim(" \t\r\n"));
    }
}
