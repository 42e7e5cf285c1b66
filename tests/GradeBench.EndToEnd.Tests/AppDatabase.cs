using System.Data.Common;
using GradeBench.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GradeBench.EndToEnd.Tests;

/// <summary>A connection of the test's own to a running app's database (a <see cref="RunningApp.Database"/>), SQLite or
/// PostgreSQL alike. It is unpooled, so once disposed nothing of the test's stays open on the database: not on the file
/// when a server is killed and another starts on it, not on a PostgreSQL database that is dropped.</summary>
static class AppDatabase
{
    public static async Task<DbConnection> OpenAsync(string database, bool readOnly = false)
    {
        await using var target = new Database(database);
        DbConnection connection = target.IsSqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = target.FilePath,
                Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString())
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
