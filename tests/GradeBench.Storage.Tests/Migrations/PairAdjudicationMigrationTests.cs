using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>Migration 0023 rebuilds <c>adjudication_items</c> so that an item names a response or a side-by-side pair, on a
/// database at version 22 that holds the demo study's adjudication queue with a message and consensus values: every row
/// keeps its values and references, and an item names exactly one of the two.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class PairAdjudicationMigrationTests
{
    /// <summary>A database at version 22 holding what today's stores write of the demo in adjudication (the columns version 22 has).</summary>
    static async Task<TestDatabase> QueueAtVersion22Async()
    {
        var db = await OlderSchema.AtVersionAsync(22);
        await using var current = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(current.Database, current.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var studies = new StudyQuery(current.Database);
        var users = new UserStore(current.Database, current.Clock);
        var coordinator = (await users.CreateAsync("coord", "Dr Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, coordinator, "coordinator");
        await new StudyLifecycleStore(current.Database, studies, current.Clock).ChangeStateAsync(studyId, coordinator, StudyState.Adjudication);
        var store = new AdjudicationStore(current.Database, new RubricQuery(current.Database), studies, current.Clock);
        var item = (await store.BuildQueueAsync(studyId))[0].ItemId;
        await store.PostMessageAsync(studyId, item, coordinator, "Look at the dose.");
        await store.SaveConsensusAsync(studyId, item, coordinator, [new ConsensusEntry("overall", "3", "agreed")]);
        await db.CopyFromAsync(current);
        return db;
    }

    /// <summary>span_annotations, empty in the demo, is left out: 0024 changed its columns.</summary>
    static async Task<List<string>> TablesAsync(SqliteConnection connection) =>
        (await connection.QueryAsync<string>("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version', 'span_annotations') ORDER BY name")).AsList();

    static async Task<string> ColumnsAsync(SqliteConnection connection, string table) =>
        string.Join(", ", (await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}', 'main')")).Select(c => $"\"{c}\""));

    static async Task<List<string>> RowsAsync(SqliteConnection connection, string table, string columns) =>
        (await connection.QueryAsync<string>(
            $"SELECT {string.Join(" || '|' || ", columns.Split(", ").Select(c => $"COALESCE(CAST({c} AS TEXT), 'NULL')"))} FROM \"{table}\" ORDER BY 1")).AsList();

    [Fact]
    public async Task TheQueueKeepsItsItemsMessagesAndConsensusAndAnItemNamesAResponseOrAPair()
    {
        await using var db = await QueueAtVersion22Async();
        string[] tables = ["adjudication_items", "adjudication_messages", "consensus_values"];
        var before = new Dictionary<string, List<string>>();
        var columns = new Dictionary<string, string>();
        await using (var connection = await db.Database.OpenSqliteAsync())
            foreach (var table in tables)
                before[table] = await RowsAsync(connection, table, columns[table] = await ColumnsAsync(connection, table));
        Assert.Equal(21, before["adjudication_items"].Count);
        Assert.Single(before["adjudication_messages"]);

        var applied = await new Migrator(db.Database, db.Clock).MigrateAsync();

        Assert.Equal(23, applied[0].Version);
        await using var after = await db.Database.OpenSqliteAsync();
        foreach (var table in tables) Assert.Equal(before[table], await RowsAsync(after, table, columns[table]));
        Assert.Empty(await after.QueryAsync("PRAGMA foreign_key_check"));
        Assert.Equal(0L, await after.ExecuteScalarAsync<long>("SELECT COUNT(pair_id) FROM adjudication_items"));
        var (studyId, responseId) = await after.QuerySingleAsync<(long, long)>("SELECT study_id, response_id FROM adjudication_items ORDER BY id LIMIT 1");
        // Neither a response nor a pair, or a second item of the same response: refused.
        await Assert.ThrowsAsync<SqliteException>(() => after.ExecuteAsync("""
            INSERT INTO adjudication_items (study_id, disagreement, safety, disagreeing_criteria, status, created_at)
            VALUES (@studyId, TRUE, FALSE, 'overall', 'open', 'now')
            """, new { studyId }));
        await Assert.ThrowsAsync<SqliteException>(() => after.ExecuteAsync("""
            INSERT INTO adjudication_items (study_id, response_id, disagreement, safety, disagreeing_criteria, status, created_at)
            VALUES (@studyId, @responseId, TRUE, FALSE, 'overall', 'open', 'now')
            """, new { studyId, responseId }));
    }
}
