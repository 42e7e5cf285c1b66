using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>Migration 0006 rebuilds the studies table, which every other table refers to: run it on a database that
/// was at version 5 and holds a study with members, assignments, ratings and tokens.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class StudyLifecycleMigrationTests
{
    const string StudiesBefore = "SELECT id, slug, title, description_md, instructions_md, language, raters_per_response, state, hide_model, shuffle, created_at, created_by FROM studies ORDER BY id";

    static async Task<TestDatabase> AtVersion5WithDataAsync()
    {
        var db = await OlderSchema.AtVersionAsync(5);
        // Today's importer writes tables that version 5 lacks: fill a current database, then copy version 5's columns over.
        await using var current = new TestDatabase();
        await new Migrator(current.Database, current.Clock).MigrateAsync();
        var studyId = (await new StudyImporter(current.Database, current.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var rater = await current.AddRaterAsync(studyId, "dr-before");
        await new ApiTokenStore(current.Database, current.Clock).CreateAsync(rater, "script");
        await db.CopyFromAsync(current);
        return db;
    }

    /// <summary>Every row of every table the migration does not change, in a stable order, in the columns those tables
    /// had at version 5 (later migrations may add columns, such as users.disabled_at).</summary>
    static async Task<string> OtherTablesAsync(TestDatabase db, IReadOnlyDictionary<string, string> columnsAtVersion5)
    {
        await using var connection = await db.Database.OpenAsync();
        var dump = new List<string>();
        foreach (var (table, columns) in columnsAtVersion5.OrderBy(t => t.Key, StringComparer.Ordinal))
            foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT {columns} FROM \"{table}\" ORDER BY 1, 2"))
                dump.Add(table + ": " + string.Join('|', row.Values));
        return string.Join('\n', dump);
    }

    static async Task<IReadOnlyDictionary<string, string>> ColumnsOfOtherTablesAsync(TestDatabase db)
    {
        await using var connection = await db.Database.OpenAsync();
        var tables = (await connection.QueryAsync<string>("""
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('studies', 'schema_version', 'study_state_changes', 'span_annotations') ORDER BY name
            """)).AsList();
        var columns = new Dictionary<string, string>();
        // Migration 0013 draws queue positions again (they were a function of response ids).
        foreach (var table in tables)
            columns[table] = string.Join(", ", (await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}')"))
                .Where(c => (table, c) != ("assignments", "queue_position")).Select(c => $"\"{c}\""));
        return columns;
    }

    [Fact]
    public async Task MigratingADatabaseWithDataKeepsEveryRowAndEveryReference()
    {
        await using var db = await AtVersion5WithDataAsync();
        var columns = await ColumnsOfOtherTablesAsync(db);
        var others = await OtherTablesAsync(db, columns);
        List<dynamic> studies;
        await using (var connection = await db.Database.OpenAsync())
            studies = (await connection.QueryAsync(StudiesBefore)).AsList();

        var applied = await new Migrator(db.Database, db.Clock).MigrateAsync();

        Assert.Equal(Enumerable.Range(6, Migrator.LatestVersion - 5), applied.Select(m => m.Version));
        Assert.Equal(others, await OtherTablesAsync(db, columns));
        await using var after = await db.Database.OpenAsync();
        Assert.Equal(
            studies.Select(s => string.Join('|', ((IDictionary<string, object>)s).Values)),
            (await after.QueryAsync(StudiesBefore)).Select(s => string.Join('|', ((IDictionary<string, object>)s).Values)));
        Assert.Empty(await after.QueryAsync("PRAGMA foreign_key_check"));
        var status = await after.QuerySingleAsync<(bool Paused, string StateChangedAt, string CreatedAt)>("SELECT paused, state_changed_at, created_at FROM studies");
        Assert.False(status.Paused);
        Assert.Equal(status.CreatedAt, status.StateChangedAt);
        // The other tables still point at the table called studies, not at the one it was rebuilt from.
        Assert.DoesNotContain(await after.QueryAsync<string>("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"), sql => sql.Contains("studies_new"));
    }

    [Fact]
    public async Task AfterTheMigrationForeignKeysAreEnforcedAgainAndTheNewStatesAreAccepted()
    {
        await using var db = await AtVersion5WithDataAsync();

        await new Migrator(db.Database, db.Clock).MigrateAsync();

        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO study_state_changes (study_id, state, paused, changed_at) VALUES (999, 'open', FALSE, 'now')"));
        await connection.ExecuteAsync("UPDATE studies SET state = 'adjudication'");
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("UPDATE studies SET state = 'archived'"));
        Assert.Equal(Migrator.LatestVersion, await connection.ExecuteScalarAsync<long>("SELECT MAX(version) FROM schema_version"));
    }
}
