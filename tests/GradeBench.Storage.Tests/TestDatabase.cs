using System.Text;
using Dapper;
using GradeBench.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests;

/// <summary>A migrated database in a file of its own, deleted with its folder afterwards.</summary>
sealed class TestDatabase : IAsyncDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("gradebench-storage-").FullName;

    public TestDatabase() => Database = new Database(Path.Combine(_folder, "test.db"));

    public Database Database { get; }
    public ManualClock Clock { get; } = new();

    public static async Task<TestDatabase> CreateAsync()
    {
        var db = new TestDatabase();
        await new Migrator(db.Database, db.Clock).MigrateAsync();
        return db;
    }

    /// <summary>Every row of every table, in a stable order: equal dumps mean equal content.</summary>
    public async Task<string> DumpContentAsync()
    {
        await using var connection = await Database.OpenAsync();
        var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            dump.AppendLine($"## {table}");
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1, 2";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) dump.Append(reader.IsDBNull(i) ? "NULL" : reader.GetValue(i)).Append('|');
                dump.AppendLine();
            }
        }
        return dump.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        Directory.Delete(_folder, recursive: true);
    }
}

sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => Now;
}
