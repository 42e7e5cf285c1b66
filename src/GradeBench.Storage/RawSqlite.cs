using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GradeBench.Storage;

/// <summary>Shared pieces of the passes over a large study's rows (1.6M ratings) that step SQLitePCLRaw (under
/// Microsoft.Data.Sqlite) directly rather than mapping rows to objects: the import's inserts, the export, the
/// dashboard's counts and agreement, the results page's input.</summary>
static class RawSqlite
{
    /// <summary>Throws SQLite's error for a failed call, as Microsoft.Data.Sqlite would.</summary>
    public static void Check(sqlite3 db, int code)
    {
        if (code is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE)) throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), code);
    }

    /// <summary>Runs a query of one study (<c>?1</c>), calling <paramref name="row"/> for each row: for the 1.6M ratings of
    /// a large study, mapping rows to objects and a string per value were most of the time (docs/benchmarks.md).</summary>
    public static void Step(sqlite3 db, string sql, long studyId, Action<sqlite3_stmt> row, CancellationToken ct)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using var _ = statement;
        Check(db, raw.sqlite3_bind_int64(statement, 1, studyId));
        int step;
        for (var n = 1; (step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW; n++)
        {
            if (n % 65536 == 0) ct.ThrowIfCancellationRequested();
            row(statement);
        }
        Check(db, step);
    }

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
}
