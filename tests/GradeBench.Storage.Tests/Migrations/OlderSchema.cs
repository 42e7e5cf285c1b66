using Dapper;
using GradeBench.Storage.Migrations;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>A database as an older GradeBench left it: the migrations up to a version, then rows that today's stores wrote
/// copied over in the columns that version has.</summary>
static class OlderSchema
{
    /// <summary>Tables left out of <see cref="CopyFromAsync"/> because a later migration changed their columns (they are
    /// empty in the demo): span_annotations (0024).</summary>
    const string Changed = "'schema_version', 'span_annotations'";

    /// <summary>An empty database at <paramref name="version"/>.</summary>
    public static async Task<TestDatabase> AtVersionAsync(int version)
    {
        var db = new TestDatabase();
        await using var connection = await db.Database.OpenSqliteAsync();
        Migrator.AddFunctions(connection);
        await connection.ExecuteAsync("PRAGMA foreign_keys = OFF");
        await connection.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        foreach (var migration in Migrator.All.Where(m => m.Version <= version))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(migration.Sql, transaction: transaction);
            await connection.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, 'then')",
                new { migration.Version, migration.Name }, transaction);
            await transaction.CommitAsync();
        }
        return db;
    }

    /// <summary>Copies every row of <paramref name="current"/> into <paramref name="older"/>, in the columns each of the older
    /// database's tables has.</summary>
    public static async Task CopyFromAsync(this TestDatabase older, TestDatabase current)
    {
        await using var connection = await older.Database.OpenAsync();
        await connection.ExecuteAsync("PRAGMA foreign_keys = OFF");
        await connection.ExecuteAsync("ATTACH DATABASE @Path AS source", new { Path = current.Database.FilePath });
        foreach (var table in (await connection.QueryAsync<string>(
                     $"SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT IN ({Changed}) ORDER BY name")).AsList())
        {
            var columns = string.Join(", ", (await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}', 'main')")).Select(c => $"\"{c}\""));
            await connection.ExecuteAsync($"INSERT INTO main.\"{table}\" ({columns}) SELECT {columns} FROM source.\"{table}\"");
        }
        await connection.ExecuteAsync("DETACH DATABASE source");
    }
}
