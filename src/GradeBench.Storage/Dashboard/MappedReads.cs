using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GradeBench.Storage.Dashboard;

/// <summary>Helpers for the dashboard's passes over a large study's rows (400,000 assignments, 1.6M ratings), stepped
/// through SQLitePCLRaw (under Microsoft.Data.Sqlite) rather than mapped to objects row by row.</summary>
public static class MappedReads
{
    /// <summary>Reads the database file through memory-mapped I/O for the length of one pass: a pass over 1.6M ratings
    /// spent a third of its time copying pages in <c>pread</c> (sqlite3 shell: 1.1 s, 0.6 s mapped). The map is
    /// dropped afterwards, so that pooled connections do not keep the file's pages resident.</summary>
    public static async Task<IAsyncDisposable> MapAsync(SqliteConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA mmap_size = 4294967296", cancellationToken: ct));
        return new Unmap(connection);
    }

    sealed class Unmap(SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await connection.ExecuteAsync("PRAGMA mmap_size = 0");
    }

    /// <summary>Throws SQLite's error for a failed call.</summary>
    public static void Check(sqlite3 db, int code)
    {
        if (code is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW)) throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), code);
    }
}
