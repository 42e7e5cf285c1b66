using Dapper;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>The migration of clinical note annotation (note labels, note spans, their attributes and links to answer
/// highlights): the tables refuse what a passage cannot be, and a link goes with either of its passages, so deleting a
/// highlight of an answer (<see cref="SpanStore"/>, which knows nothing of links) still works.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class NoteSpansMigrationTests
{
    const string Sha = "0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public async Task NoteTablesKeepTheirRulesAndALinkGoesWithItsAnswerHighlight()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var rater = await db.AddRaterAsync(studyId, "dr-notes");
        await using var connection = await db.Database.OpenAsync();
        var (responseId, caseId) = await connection.QueryFirstAsync<(long, long)>(
            "SELECT a.response_id, r.case_id FROM assignments a JOIN responses r ON r.id = a.response_id WHERE a.rater_id = @rater", new { rater });
        var keys = new { studyId, rater, caseId, Sha };
        var labelId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO note_labels (study_id, slug, position, label) VALUES (@studyId, 'nihss', 0, 'NIHSS item') RETURNING id", keys);
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO note_labels (study_id, slug, position, label) VALUES (@studyId, 'nihss', 1, 'Again')", keys));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO note_label_attributes (label_id, slug, position, label, kind) VALUES (@labelId, 'score', 0, 'Score', 'integer')", new { labelId }));
        var attributeId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO note_label_attributes (label_id, slug, position, label, kind) VALUES (@labelId, 'score', 0, 'Score', 'number') RETURNING id", new { labelId });
        string Span(int start, int end, string sha) => $"""
            INSERT INTO note_spans (case_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, created_at, updated_at)
            VALUES (@caseId, @rater, {labelId}, {start}, {end}, '{sha}', 'x', 'now', 'now') RETURNING id
            """;
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(Span(5, 5, Sha), keys));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(Span(-1, 5, Sha), keys));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(Span(0, 5, "abc"), keys));
        var noteSpan = await connection.ExecuteScalarAsync<long>(Span(0, 5, Sha), keys);
        await connection.ExecuteAsync("INSERT INTO note_span_attributes (note_span_id, attribute_id, value) VALUES (@noteSpan, @attributeId, '7')",
            new { noteSpan, attributeId });

        var spans = new SpanStore(db.Database, db.Clock);
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, rater, responseId, (await spans.LabelsAsync(studyId))[0].Id, 0, 5, null));
        var answerSpan = Assert.Single(await spans.ListAsync(studyId, rater, responseId)).Id;
        const string link = "INSERT INTO span_links (answer_span_id, note_span_id, created_at) VALUES (@answerSpan, @noteSpan, 'now')";
        await connection.ExecuteAsync(link, new { answerSpan, noteSpan });
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(link, new { answerSpan, noteSpan }));

        Assert.Equal(SpanWriteOutcome.Saved, await spans.DeleteAsync(studyId, rater, answerSpan));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM span_links"));
        await connection.ExecuteAsync("DELETE FROM note_spans WHERE id = @noteSpan", new { noteSpan });
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note_span_attributes"));
    }
}
