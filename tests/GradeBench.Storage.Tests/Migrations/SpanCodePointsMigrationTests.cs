using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>Migration 0024 moves highlights from UTF-16 offsets to code points over the hash of the response text, on a
/// database at version 23 holding the demo study and highlights made after an emoji and after a CJK ideograph outside
/// the Basic Multilingual Plane (two UTF-16 units each).</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class SpanCodePointsMigrationTests
{
    const string Answer = "Start 🙂 aspirin 𠮷野 300 mg";

    /// <summary>A database at version 23 with the demo (copied from today's importer, the columns version 23 has) and
    /// three highlights of one response stored as version 23 stored them.</summary>
    static async Task<(TestDatabase Db, long ResponseId)> HighlightsAtVersion23Async()
    {
        var db = await OlderSchema.AtVersionAsync(23);
        await using var current = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(current.Database, current.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        await current.AddRaterAsync(studyId, "dr-before");
        await db.CopyFromAsync(current);
        await using var target = await db.Database.OpenAsync();
        var responseId = await target.ExecuteScalarAsync<long>("SELECT MIN(id) FROM responses");
        await target.ExecuteAsync("UPDATE responses SET content_md = @Answer WHERE id = @responseId", new { Answer, responseId });
        foreach (var quote in new[] { "Start", "aspirin", "300 mg" })
        {
            var start = Answer.IndexOf(quote, StringComparison.Ordinal);
            await target.ExecuteAsync("""
                INSERT INTO span_annotations (response_id, rater_id, label_id, start_offset, end_offset, quote, note, created_at, updated_at)
                VALUES (@responseId, (SELECT id FROM users WHERE username = 'dr-before'), (SELECT MIN(id) FROM span_labels),
                        @start, @end, @quote, NULL, 'then', 'then')
                """, new { responseId, start, end = start + quote.Length, quote });
        }
        return (db, responseId);
    }

    [Fact]
    public async Task HighlightsAfterAnEmojiOrARareIdeographMoveToCodePointsOverTheHashOfTheAnswer()
    {
        var (db, responseId) = await HighlightsAtVersion23Async();
        await using var _ = db;

        var applied = await new Migrator(db.Database, db.Clock).MigrateAsync();

        Assert.Equal(24, applied[0].Version);
        await using var connection = await db.Database.OpenAsync();
        var spans = (await connection.QueryAsync<(long ResponseId, long Start, long End, string Hash, string Quote)>(
            "SELECT response_id, start_code_point, end_code_point, text_sha256, quote FROM span_annotations ORDER BY id")).AsList();
        var hash = TextHash.Sha256(Answer);
        // U+1F642 and U+20BB7 are one code point and two UTF-16 units each: "aspirin" was at 9, "300 mg" at 21.
        Assert.Equal([(responseId, 0L, 5L, hash, "Start"), (responseId, 8L, 15L, hash, "aspirin"), (responseId, 19L, 25L, hash, "300 mg")], spans);
        Assert.All(spans, s => Assert.Equal(s.Quote, CodePoints.Slice(Answer, (int)s.Start, (int)s.End)));
        Assert.Equal(["created_at", "end_code_point", "id", "label_id", "note", "quote", "rater_id", "response_id", "start_code_point", "text_sha256", "updated_at"],
            await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('span_annotations') ORDER BY name"));
        Assert.Equal(["span_annotations_response"],
            await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'span_annotations' AND sql IS NOT NULL"));
        Assert.Empty(await connection.QueryAsync("PRAGMA foreign_key_check"));
        // An empty highlight is still refused.
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("""
            INSERT INTO span_annotations (response_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, created_at, updated_at)
            SELECT response_id, rater_id, label_id, 3, 3, text_sha256, '', created_at, updated_at FROM span_annotations LIMIT 1
            """));
    }
}
