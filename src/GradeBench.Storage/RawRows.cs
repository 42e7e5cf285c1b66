using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace GradeBench.Storage;

/// <summary>The rows of one statement over a study, read column by column without an object per row: the passes over a
/// large study's rows (1.6M ratings: the export, the dashboard's counts and agreement, the results' input) are written
/// once against this. On SQLite it steps SQLitePCLRaw directly (mapping rows to objects and a string per value were most
/// of the time: docs/benchmarks.md); on PostgreSQL it reads an <see cref="NpgsqlDataReader"/>. Both give what SQLite
/// stores: a boolean is 1 or 0, a timestamp the text of <see cref="Database.FormatTimestamp"/>.</summary>
abstract class RawRows : IAsyncDisposable
{
    public abstract ValueTask<bool> ReadAsync(CancellationToken ct);
    public abstract long GetInt64(int column);
    public abstract int GetInt32(int column);
    public abstract bool IsNull(int column);

    /// <summary>The column's text as UTF-8, valid until the next call on these rows.</summary>
    public abstract ReadOnlySpan<byte> GetUtf8(int column);

    public abstract string GetString(int column);
    public abstract ValueTask DisposeAsync();

    /// <summary>Runs <paramref name="sql"/>, whose study is its one parameter <c>?1</c>, in the connection's transaction.</summary>
    /// <param name="sqliteOrder">The order SQLite's plan gives the rows in, where the pass depends on it (an
    /// <c>ORDER BY</c> clause): PostgreSQL is told it, SQLite would sort again.</param>
    public static async Task<RawRows> OpenAsync(DbConnection connection, DbTransaction? transaction, string sql, long studyId,
        CancellationToken ct, string? sqliteOrder = null)
    {
        if (connection is SqliteConnection sqlite) return new SqliteRows(sqlite.Handle!, sql, studyId);
        var command = new NpgsqlCommand($"{sql.Replace("?1", "$1", StringComparison.Ordinal)}\n{sqliteOrder}", (NpgsqlConnection)connection,
            (NpgsqlTransaction?)transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = studyId });
        try
        {
            return new PostgresRows(command, await command.ExecuteReaderAsync(ct));
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    /// <summary>Calls <paramref name="row"/> for each row of <see cref="OpenAsync"/>'s statement.</summary>
    public static async Task StepAsync(DbConnection connection, DbTransaction? transaction, string sql, long studyId, Action<RawRows> row,
        CancellationToken ct, string? sqliteOrder = null)
    {
        await using var rows = await OpenAsync(connection, transaction, sql, studyId, ct, sqliteOrder);
        while (await rows.ReadAsync(ct)) row(rows);
    }

    sealed class SqliteRows : RawRows
    {
        readonly sqlite3 _db;
        readonly sqlite3_stmt _statement;
        int _read;

        public SqliteRows(sqlite3 db, string sql, long studyId)
        {
            _db = db;
            RawSqlite.Check(db, raw.sqlite3_prepare_v2(db, sql, out _statement));
            try
            {
                RawSqlite.Check(db, raw.sqlite3_bind_int64(_statement, 1, studyId));
            }
            catch
            {
                _statement.Dispose();
                throw;
            }
        }

        public override ValueTask<bool> ReadAsync(CancellationToken ct)
        {
            if (++_read % 65536 == 0) ct.ThrowIfCancellationRequested();
            var step = raw.sqlite3_step(_statement);
            if (step == raw.SQLITE_ROW) return new ValueTask<bool>(true);
            RawSqlite.Check(_db, step);
            return new ValueTask<bool>(false);
        }

        public override long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);
        public override int GetInt32(int column) => raw.sqlite3_column_int(_statement, column);
        public override bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;
        public override ReadOnlySpan<byte> GetUtf8(int column) => raw.sqlite3_column_blob(_statement, column);
        public override string GetString(int column) => Encoding.UTF8.GetString(raw.sqlite3_column_blob(_statement, column));

        public override ValueTask DisposeAsync()
        {
            _statement.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Rows read whole (not with sequential access): the passes read a row's columns in any order.</summary>
    sealed class PostgresRows : RawRows
    {
        enum Kind { Other, Boolean, Int32, Timestamp }

        readonly NpgsqlCommand _command;
        readonly NpgsqlDataReader _reader;
        readonly Kind[] _kinds;
        byte[] _utf8 = new byte[256];

        public PostgresRows(NpgsqlCommand command, NpgsqlDataReader reader)
        {
            _command = command;
            _reader = reader;
            _kinds = new Kind[reader.FieldCount];
            for (var i = 0; i < _kinds.Length; i++)
                _kinds[i] = reader.GetDataTypeName(i) switch
                {
                    "boolean" => Kind.Boolean,
                    "integer" => Kind.Int32,
                    "timestamp with time zone" => Kind.Timestamp,
                    _ => Kind.Other,
                };
        }

        public override ValueTask<bool> ReadAsync(CancellationToken ct) => new(_reader.ReadAsync(ct));

        // A null reads as 0, as SQLite gives it.
        public override long GetInt64(int column) => _reader.IsDBNull(column) ? 0 : _kinds[column] switch
        {
            Kind.Boolean => _reader.GetBoolean(column) ? 1 : 0,
            Kind.Int32 => _reader.GetInt32(column),
            _ => _reader.GetInt64(column),
        };

        public override int GetInt32(int column) => checked((int)GetInt64(column));
        public override bool IsNull(int column) => _reader.IsDBNull(column);

        public override ReadOnlySpan<byte> GetUtf8(int column)
        {
            var text = GetString(column);
            var length = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (length > _utf8.Length) _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
            return _utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, _utf8));
        }

        public override string GetString(int column) => _kinds[column] == Kind.Timestamp
            ? Database.FormatTimestamp(_reader.GetFieldValue<DateTimeOffset>(column))
            : _reader.GetString(column);

        public override async ValueTask DisposeAsync()
        {
            await _reader.DisposeAsync();
            await _command.DisposeAsync();
        }
    }
}
