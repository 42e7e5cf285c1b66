using Dapper;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>Migration 0027: a study imported without <c>criteria</c> on its labels links none; a link names a label and a
/// criterion that exist, once.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class LabelCriteriaMigrationTests
{
    [Fact]
    public async Task ALinkNamesALabelAndACriterionThatExistOnce()
    {
        await using var db = await TestDatabase.CreateAsync();
        using (var temp = new TempFolder())
            await new StudyImporter(db.Database, db.Clock).ImportAsync(DemoNotes.Write(temp.Path));
        await using var connection = await db.Database.OpenAsync();

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT (SELECT COUNT(*) FROM span_label_criteria) + (SELECT COUNT(*) FROM note_label_criteria)"));
        const string link = """
            INSERT INTO note_label_criteria (label_id, criterion_id, position)
            VALUES ((SELECT MIN(id) FROM note_labels), (SELECT MIN(id) FROM criteria), @Position)
            """;
        await connection.ExecuteAsync(link, new { Position = 0 });
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(link, new { Position = 1 }));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO span_label_criteria (label_id, criterion_id, position) VALUES ((SELECT MIN(id) FROM span_labels), 999999, 0)"));
    }
}
