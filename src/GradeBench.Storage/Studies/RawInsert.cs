using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GradeBench.Storage.Studies;

/// <summary>One INSERT prepared once and run for many rows straight through SQLitePCLRaw (which Microsoft.Data.Sqlite is
/// built on), on the caller's connection and so inside its transaction. A prepared SqliteCommand re-binds every
/// parameter through several layers per row; for the 3.6M rows of a large import that was most of the writing
/// (docs/benchmarks.md, "Large imports and exports"). Parameters are numbered <c>?1</c>, <c>?2</c>, … in the SQL.</summary>
sealed class RawInsert : IDisposable
{
    readonly sqlite3 _db;
    readonly sqlite3_stmt _statement;
    // The UTF-8 of texts that repeat (values, timestamps, rater names), kept so each is encoded once.
    readonly Dictionary<string, byte[]> _utf8 = new(ReferenceEqualityComparer.Instance);

    public RawInsert(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        RawSqlite.Check(_db, raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public RawInsert Bind(int index, long value)
    {
        RawSqlite.Check(_db, raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public RawInsert Bind(int index, string? value)
    {
        RawSqlite.Check(_db, value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    /// <summary>Binds a text that many rows share (the same string instance), encoding it once.</summary>
    public RawInsert BindShared(int index, string? value)
    {
        if (value is null) return Bind(index, value);
        if (!_utf8.TryGetValue(value, out var bytes)) _utf8[value] = bytes = Encoding.UTF8.GetBytes(value);
        RawSqlite.Check(_db, raw.sqlite3_bind_text(_statement, index, bytes.AsSpan()));
        return this;
    }

    /// <summary>Runs the statement with the values bound, then clears them for the next row; returns the new row's id.</summary>
    public long Run()
    {
        var done = raw.sqlite3_step(_statement);
        if (done != raw.SQLITE_DONE)
        {
            var message = raw.sqlite3_errmsg(_db).utf8_to_string();
            raw.sqlite3_reset(_statement);
            throw new SqliteException(message, done);
        }
        raw.sqlite3_reset(_statement);
        return raw.sqlite3_last_insert_rowid(_db);
    }

    public void Dispose() => _statement.Dispose();
}
