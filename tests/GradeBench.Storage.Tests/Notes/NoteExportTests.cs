using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using Sylvan.Data.Csv;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>note-spans.csv and span-links.csv (docs/exports.md): the passages of the notes with their attributes as a
/// JSON object, and the links to answer highlights, named by bundle ids and usernames as the other exports name them.</summary>
public sealed class NoteExportTests : IAsyncLifetime
{
    const string Study = TestPaths.DemoStudyId, Stamp = "2026-11-25T09:00:00.0000000Z";
    NoteWorld _world = null!;

    public async Task InitializeAsync() => _world = await NoteWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    async Task<List<string[]>> ExportAsync(string kind, bool forExcel = false)
    {
        var output = new StringWriter();
        await ExportKinds.Text.Single(k => k.Name == kind).Write(new TextExport(_world.Db.Database, forExcel: forExcel), _world.StudyId, output, CancellationToken.None);
        using var reader = CsvDataReader.Create(new StringReader(output.ToString()), new CsvDataReaderOptions { HasHeaders = false });
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add([.. Enumerable.Range(0, reader.RowFieldCount).Select(reader.GetString)]);
        return rows;
    }

    /// <summary>The rater marks the emoji (one code point) and an NIHSS item with attributes and a note that looks like a
    /// formula, linked to their highlight of the answer; the other rater a symptom with a Chinese onset.</summary>
    async Task<(long Highlight, string AnswerSlug, string Model, string AnswerQuote)> MarkAsync()
    {
        var notes = _world.Notes;
        var (nihss, symptom, medication) = (_world.Labels[0], _world.Labels[1], _world.Labels[2]);
        var (_, itemId) = await notes.AddAsync(_world.Rater, _world.Case, nihss.Id, 2, 9,
            new Dictionary<long, string> { [nihss.Attributes[1].Id] = "7.50", [nihss.Attributes[0].Id] = "true" }, "=SUM(A1)");
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Rater, _world.Case, medication.Id, 0, 1, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Other, _world.Case, symptom.Id, 2, 5,
            new Dictionary<long, string> { [symptom.Attributes[3].Id] = "发病 3 小时", [symptom.Attributes[1].Id] = "true" }, "说明, \"引号\"")).Outcome);
        var spans = new SpanStore(_world.Db.Database, _world.Db.Clock);
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(_world.StudyId, _world.Rater, _world.Response, (await spans.LabelsAsync(_world.StudyId))[0].Id, 0, 5, null));
        var highlight = Assert.Single(await spans.ListAsync(_world.StudyId, _world.Rater, _world.Response));
        Assert.Equal(NoteSpanOutcome.Saved, await notes.LinkAsync(_world.Rater, highlight.Id, itemId!.Value));
        await using var connection = await _world.Db.Database.OpenAsync();
        var (slug, model) = await connection.QuerySingleAsync<(string, string)>("SELECT slug, model FROM responses WHERE id = @Id", new { Id = _world.Response });
        return (highlight.Id, slug, model, highlight.Quote);
    }

    [Fact]
    public async Task NoteSpansCsvHoldsEachPassageWithItsAttributesAsJson()
    {
        await MarkAsync();

        var rows = await ExportAsync("note-spans.csv");

        var sha = TextHash.Sha256(_world.Text);
        Assert.Equal(["study", "case_id", "rater", "label", "start", "end", "text_sha256", "quote", "attributes", "note", "created_at", "updated_at"], rows[0]);
        Assert.Equal(
        [
            [Study, DemoNotes.AstralCase, "dr-note", "medication", "0", "1", sha, "🩺", "{}", "", Stamp, Stamp],
            [Study, DemoNotes.AstralCase, "dr-note", "nihss", "2", "9", sha, "_虚构病例（非", """{"negated":true,"score":7.5}""", "=SUM(A1)", Stamp, Stamp],
            [Study, DemoNotes.AstralCase, "dr-other", "symptom", "2", "5", sha, "_虚构", """{"uncertain":true,"onset":"发病 3 小时"}""", "说明, \"引号\"", Stamp, Stamp],
        ], rows.Skip(1));
    }

    /// <summary>The attributes cell byte for byte as SQLite's json_group_object wrote it, pinned before the export built
    /// it in C# (so that every database gives the same file): compact, a text escaped as SQLite escapes it (quote,
    /// backslash and control characters only; '/', DEL and non-ASCII as they are; \b \t \n \f \r, else \u00xx in
    /// lowercase hex), a number as stored (shortest round-trip form, exponent and all), a flag <c>true</c>; a number stored
    /// with spaces around it (not as the app stores one) without them, as SQLite's json() gave it.</summary>
    [Fact]
    public async Task TheAttributesObjectIsTheJsonSqliteWrote()
    {
        var notes = _world.Notes;
        var (nihss, symptom) = (_world.Labels[0], _world.Labels[1]);
        const string onset = "a\"b\\c/d\u0001\b\t\n\f\r\u000b\u001f\u007fé中🩺\u2028\u00a0e'<>&+";
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Rater, _world.Case, symptom.Id, 0, 3,
            new Dictionary<long, string> { [symptom.Attributes[3].Id] = onset, [symptom.Attributes[2].Id] = "true", [symptom.Attributes[0].Id] = "true" }, null)).Outcome);
        string[] numbers = ["1e20", "0.00001", "-0", "7.50", "-123456789.125", "12"];
        for (var i = 0; i < numbers.Length; i++)
            Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Rater, _world.Case, nihss.Id, 4 + i, 5 + i,
                new Dictionary<long, string> { [nihss.Attributes[1].Id] = numbers[i] }, null)).Outcome);
        await using (var connection = await _world.Db.Database.OpenAsync())
            Assert.Equal(1, await connection.ExecuteAsync("""
                UPDATE note_span_attributes SET value = ' 1.0 '
                WHERE value = '12' AND note_span_id IN (SELECT id FROM note_spans WHERE rater_id = @Rater)
                """, new { _world.Rater }));

        var rows = await ExportAsync("note-spans.csv");

        Assert.Equal(
        [
            "{\"negated\":true,\"historical\":true,\"onset\":\"a\\\"b\\\\c/d\\u0001\\b\\t\\n\\f\\r\\u000b\\u001f\u007fé中🩺\u2028\u00a0e'<>&+\"}",
            """{"score":1E+20}""", """{"score":1E-05}""", """{"score":-0}""", """{"score":7.5}""", """{"score":-123456789.125}""", """{"score":1.0}""",
        ], rows.Skip(1).Select(r => r[8]));
    }

    [Fact]
    public async Task TheExcelFlavourDefusesANoteThatLooksLikeAFormula()
    {
        await MarkAsync();

        var rows = await ExportAsync("note-spans.csv", forExcel: true);

        Assert.Equal("'=SUM(A1)", rows[2][9]);
    }

    [Fact]
    public async Task SpanLinksCsvPairsTheAnswerHighlightWithThePassageOfTheNote()
    {
        var (_, answer, model, answerQuote) = await MarkAsync();

        var rows = await ExportAsync("span-links.csv");

        Assert.Equal(["study", "case_id", "rater", "response_id", "model", "answer_label", "answer_start", "answer_end", "answer_quote",
            "note_label", "note_start", "note_end", "note_quote", "created_at"], rows[0]);
        Assert.Equal([[Study, DemoNotes.AstralCase, "dr-note", answer, model, "factual_error", "0", "5", answerQuote, "nihss", "2", "9", "_虚构病例（非", Stamp]],
            rows.Skip(1));
    }

    [Fact]
    public async Task AStudyWithoutPassagesGivesTheHeadersAlone()
    {
        Assert.Single(await ExportAsync("note-spans.csv"));
        Assert.Single(await ExportAsync("span-links.csv"));
    }
}
