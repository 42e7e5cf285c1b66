using Dapper;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>Migration 0022 rebuilds <c>criteria</c> with a case, points and tags, on a database at version 19 that holds
/// the demo study with its ratings, rules and alerts: every row of every table keeps its values and its references, and
/// criterion ids become unique within the rubric and within a case.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class CaseCriteriaMigrationTests
{
    /// <summary>A database at version 19 holding what today's importer writes of the demo (the columns version 19 has).</summary>
    static async Task<TestDatabase> DemoAtVersion19Async()
    {
        var db = await OlderSchema.AtVersionAsync(19);
        await using var current = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(current.Database, current.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        await current.AddRaterAsync(studyId, "dr-before");
        await db.CopyFromAsync(current);
        return db;
    }

    /// <summary>span_annotations, empty in the demo, is left out: 0024 changed its columns.</summary>
    static async Task<List<string>> TablesAsync(SqliteConnection connection) =>
        (await connection.QueryAsync<string>("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version', 'span_annotations') ORDER BY name")).AsList();

    static async Task<string> ColumnsAsync(SqliteConnection connection, string table) =>
        string.Join(", ", (await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}', 'main')")).Select(c => $"\"{c}\""));

    /// <summary>Every row of every table, in the columns each had at version 19.</summary>
    static async Task<Dictionary<string, List<string>>> ContentAsync(SqliteConnection connection, IReadOnlyDictionary<string, string> columns)
    {
        var content = new Dictionary<string, List<string>>();
        foreach (var (table, list) in columns)
            content[table] = (await connection.QueryAsync<string>(
                $"SELECT {string.Join(" || '|' || ", list.Split(", ").Select(c => $"COALESCE(CAST({c} AS TEXT), 'NULL')"))} FROM \"{table}\" ORDER BY 1")).AsList();
        return content;
    }

    [Fact]
    public async Task EveryRowKeepsItsValuesAndReferencesAndTheNewColumnsAreEmpty()
    {
        await using var db = await DemoAtVersion19Async();
        Dictionary<string, List<string>> before;
        var columns = new Dictionary<string, string>();
        await using (var connection = await db.Database.OpenSqliteAsync())
        {
            foreach (var table in await TablesAsync(connection)) columns[table] = await ColumnsAsync(connection, table);
            before = await ContentAsync(connection, columns);
        }
        Assert.Equal(9, before["criteria"].Count);
        Assert.NotEmpty(before["ratings"]);

        var applied = await new Migrator(db.Database, db.Clock).MigrateAsync();

        Assert.Equal([20, 21, 22], applied.Select(m => m.Version).Where(v => v is >= 20 and <= 22));
        await using var after = await db.Database.OpenSqliteAsync();
        Assert.Equal(before, await ContentAsync(after, columns));
        Assert.Empty(await after.QueryAsync("PRAGMA foreign_key_check"));
        Assert.Equal((9L, 0L), await after.QuerySingleAsync<(long, long)>(
            "SELECT COUNT(*), COUNT(case_id) + COUNT(points) + COUNT(tags_json) FROM criteria"));
        Assert.Equal("any", await after.ExecuteScalarAsync<string>("SELECT checklist_adjudication FROM studies"));
        // Ratings, rules and options still reach their criteria, and the rubric reads as before.
        Assert.Equal(0L, await after.ExecuteScalarAsync<long>("""
            SELECT (SELECT COUNT(*) FROM ratings WHERE criterion_id NOT IN (SELECT id FROM criteria))
                 + (SELECT COUNT(*) FROM adjudication_rules WHERE criterion_id NOT IN (SELECT id FROM criteria))
                 + (SELECT COUNT(*) FROM criterion_options WHERE criterion_id NOT IN (SELECT id FROM criteria))
            """));
        Assert.Equal(9, (await new RubricQuery(db.Database).LoadAsync(1)).Count);
    }

    [Fact]
    public async Task ACriterionIdIsUniqueInTheRubricAndInEachCaseNotAcrossThem()
    {
        await using var db = await DemoAtVersion19Async();
        await new Migrator(db.Database, db.Clock).MigrateAsync();
        await using var connection = await db.Database.OpenSqliteAsync();
        var (first, second) = await connection.QuerySingleAsync<(long, long)>("SELECT MIN(id), MAX(id) FROM cases");
        const string insert = """
            INSERT INTO criteria (study_id, case_id, slug, position, label, type, required, points, tags_json)
            VALUES (1, @CaseId, @Slug, 0, 'Says it', 'binary', TRUE, @Points, '[]')
            """;

        // The same id in two cases, and a rubric criterion's id in a case: the bundle reader refuses the last, not the schema.
        await connection.ExecuteAsync(insert, new { CaseId = first, Slug = "asks-weight", Points = 2 });
        await connection.ExecuteAsync(insert, new { CaseId = second, Slug = "asks-weight", Points = 2 });
        await connection.ExecuteAsync(insert, new { CaseId = second, Slug = "consensus", Points = 2 });

        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(insert, new { CaseId = first, Slug = "asks-weight", Points = 1 }));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO criteria (study_id, slug, position, label, type, required) VALUES (1, 'overall', 99, 'Again', 'likert', TRUE)"));
        // A case criterion has points, and is binary and required; a rubric criterion has none.
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(insert, new { CaseId = first, Slug = "no-points", Points = (int?)null }));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO criteria (study_id, case_id, slug, position, label, type, required, points, tags_json) VALUES (1, @CaseId, 'scale', 1, 'x', 'likert', TRUE, 1, '[]')",
            new { CaseId = first }));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO criteria (study_id, slug, position, label, type, required, points) VALUES (1, 'pointed', 99, 'x', 'binary', TRUE, 3)"));
    }
}
