using Dapper;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>The migration of the gold set of note passages: a rejection has no passage, a gold passage has all of one,
/// and only an imported row says when it was imported.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class GoldSpansMigrationTests
{
    const string Sha = "0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public async Task AGoldRowIsARejectionWithoutAPassageOrAWholePassage()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        await using var connection = await db.Database.OpenAsync();
        var keys = new
        {
            Case = await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM cases WHERE study_id = @studyId", new { studyId }),
            Label = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO note_labels (study_id, slug, position, label) VALUES (@studyId, 'nihss', 0, 'NIHSS item') RETURNING id", new { studyId }),
        };
        string Row(string decision, string passage, string source = "'web', NULL") => $"""
            INSERT INTO gold_spans (case_id, decision, label_id, start_code_point, end_code_point, quote, text_sha256, group_span_ids,
                                    source_span_ids, source_raters, decided_by_name, decided_at, source, imported_at)
            VALUES (@Case, '{decision}', {passage}, '{Sha}', '[1]', '[1]', '["dr-li"]', 'coord', 'now', {source})
            """;

        await connection.ExecuteAsync(Row("accepted", "@Label, 0, 5, 'quote'"), keys);
        await connection.ExecuteAsync(Row("rejected", "NULL, NULL, NULL, NULL"), keys);
        await connection.ExecuteAsync(Row("edited", "@Label, 0, 5, 'quote'", "'import', 'now'"), keys);
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(Row("rejected", "@Label, 0, 5, 'quote'"), keys));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(Row("accepted", "NULL, NULL, NULL, NULL"), keys));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(Row("accepted", "@Label, 0, NULL, 'quote'"), keys));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(Row("accepted", "@Label, 5, 5, 'quote'"), keys));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(Row("undecided", "@Label, 0, 5, 'quote'"), keys));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(Row("accepted", "@Label, 0, 5, 'quote'", "'import', NULL"), keys));
    }
}
