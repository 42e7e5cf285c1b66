using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace GradeBench.Storage.Studies;

/// <summary>One INSERT prepared once and run for many rows inside the caller's transaction: an import's cases,
/// responses, ratings and assignments. Parameters are numbered <c>?1</c>, <c>?2</c>, … in the SQL.</summary>
abstract partial class RowInsert : IDisposable
{
    public static RowInsert Prepare(DbConnection connection, string sql) => connection switch
    {
        SqliteConnection sqlite => new RawInsert(sqlite, sql),
        NpgsqlConnection postgres => new PostgresInsert(postgres, sql),
        _ => throw new NotSupportedException(connection.GetType().Name),
    };

    public abstract RowInsert Bind(int index, long value);
    public abstract RowInsert Bind(int index, string? value);

    /// <summary>Binds a text that many rows share (the same string instance): encoded once where that helps.</summary>
    public abstract RowInsert BindShared(int index, string? value);

    /// <summary>Runs the statement with the values bound, then readies it for the next row.</summary>
    public abstract void Run();

    /// <summary><see cref="Run"/>, returning the new row's id.</summary>
    public abstract long RunReturningId();

    public abstract void Dispose();

    [GeneratedRegex(@"\?(\d+)")]
    private static partial Regex SqliteParameter();

    /// <summary>PostgreSQL: a command prepared on the server at its first row. Texts go as PostgreSQL's "unknown" type,
    /// so that the column decides: a timestamp text fills a timestamptz column as SQLite's text column takes it.</summary>
    sealed class PostgresInsert : RowInsert
    {
        readonly NpgsqlCommand _insert;
        readonly NpgsqlCommand _insertReturningId;
        NpgsqlCommand? _prepared;

        public PostgresInsert(NpgsqlConnection connection, string sql)
        {
            var numbered = SqliteParameter().Replace(sql, "$$$1");
            _insert = new NpgsqlCommand(numbered, connection);
            _insertReturningId = new NpgsqlCommand(numbered + " RETURNING id", connection);
            var count = SqliteParameter().Matches(sql).Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();
            for (var i = 0; i < count; i++)
            {
                _insert.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value });
                _insertReturningId.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value });
            }
        }

        public override RowInsert Bind(int index, long value) => Set(index, NpgsqlDbType.Bigint, value);

        public override RowInsert Bind(int index, string? value) => Set(index, NpgsqlDbType.Unknown, value);

        public override RowInsert BindShared(int index, string? value) => Set(index, NpgsqlDbType.Unknown, value);

        RowInsert Set(int index, NpgsqlDbType type, object? value)
        {
            foreach (var command in (ReadOnlySpan<NpgsqlCommand>)[_insert, _insertReturningId])
            {
                var parameter = command.Parameters[index - 1];
                // A null keeps the type the parameter was prepared with.
                if (value is not null) parameter.NpgsqlDbType = type;
                parameter.Value = value ?? DBNull.Value;
            }
            return this;
        }

        public override void Run() => Prepared(_insert).ExecuteNonQuery();

        public override long RunReturningId() => (long)Prepared(_insertReturningId).ExecuteScalar()!;

        NpgsqlCommand Prepared(NpgsqlCommand command)
        {
            if (_prepared != command)
            {
                command.Prepare();
                _prepared = command;
            }
            return command;
        }

        public override void Dispose()
        {
            _insert.Dispose();
            _insertReturningId.Dispose();
        }
    }
}
