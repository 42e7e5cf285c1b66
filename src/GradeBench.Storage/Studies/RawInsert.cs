using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GradeBench.Storage.Studies;

/// <summary>One INSERT prepared once and run for many rows straight on SQLite (through SQLitePCLRaw, which
/// Microsoft.Data.Sqlite is built on, and its e_sqlite3 library), on the caller's connection and so inside its transaction. A prepared SqliteCommand re-binds every
/// parameter through several layers per row; for the 3.6M rows of a large import that was most of the writing
/// (docs/benchmarks.md, "Large imports and exports"). Parameters are numbered <c>?1</c>, <c>?2</c>, … in the SQL.</summary>
/// <remarks>SQLite keeps a statement's bindings from one run to the next (a reset does not clear them), so a number,
/// a null or a shared text equal to the one bound before is not bound again: most of a rating's columns repeat from the
/// row before (its response, rater and timestamps).</remarks>
sealed class RawInsert : RowInsert
{
    readonly sqlite3 _db;
    readonly sqlite3_stmt _statement;
    // The statement's own pointer, for the calls made per row (see Native); valid until Dispose.
    readonly nint _handle;
    // Reused for the UTF-8 of texts bound once (a response's content), which SQLite copies.
    byte[] _text = new byte[1024];
    // The UTF-8 of texts that repeat (values, timestamps, rater names), kept so each is encoded once.
    readonly Dictionary<string, byte[]> _utf8 = new(ReferenceEqualityComparer.Instance);
    // What each parameter holds now: the kind, and the number or the shared string instance.
    readonly Held[] _held;
    readonly long[] _numbers;
    readonly string?[] _shared;

    enum Held : byte { Unknown, Number, Null, Shared }

    public RawInsert(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        RawSqlite.Check(_db, raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _handle = _statement.DangerousGetHandle();
        var count = raw.sqlite3_bind_parameter_count(_statement) + 1;
        (_held, _numbers, _shared) = (new Held[count], new long[count], new string?[count]);
    }

    public override RawInsert Bind(int index, long value)
    {
        if (_held[index] == Held.Number && _numbers[index] == value) return this;
        RawSqlite.Check(_db, Native.sqlite3_bind_int64(_handle, index, value));
        (_held[index], _numbers[index]) = (Held.Number, value);
        return this;
    }

    public override RawInsert Bind(int index, string? value)
    {
        if (value is null) return BindNull(index);
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > _text.Length) _text = new byte[Math.Max(length, _text.Length * 2)];
        length = Encoding.UTF8.GetBytes(value, _text);
        RawSqlite.Check(_db, Native.sqlite3_bind_text(_handle, index, ref MemoryMarshal.GetArrayDataReference(_text), length, Native.Transient));
        _held[index] = Held.Unknown;
        return this;
    }

    public override RawInsert BindShared(int index, string? value)
    {
        if (value is null) return BindNull(index);
        if (_held[index] == Held.Shared && ReferenceEquals(_shared[index], value)) return this;
        if (!_utf8.TryGetValue(value, out var bytes)) _utf8[value] = bytes = Encoding.UTF8.GetBytes(value);
        RawSqlite.Check(_db, Native.sqlite3_bind_text(_handle, index, ref MemoryMarshal.GetArrayDataReference(bytes), bytes.Length, Native.Transient));
        (_held[index], _shared[index]) = (Held.Shared, value);
        return this;
    }

    RawInsert BindNull(int index)
    {
        if (_held[index] == Held.Null) return this;
        RawSqlite.Check(_db, Native.sqlite3_bind_null(_handle, index));
        _held[index] = Held.Null;
        return this;
    }

    public override void Run()
    {
        var done = Native.sqlite3_step(_handle);
        var message = done == raw.SQLITE_DONE ? null : raw.sqlite3_errmsg(_db).utf8_to_string();
        Native.sqlite3_reset(_handle);
        if (message is not null) throw new SqliteException(message, done);
    }

    public override long RunReturningId()
    {
        Run();
        return raw.sqlite3_last_insert_rowid(_db);
    }

    public override void Dispose() => _statement.Dispose();

    /// <summary>The calls made for every row, to the same e_sqlite3 library SQLitePCLRaw loads, with the statement's
    /// pointer: through SQLitePCLRaw each call takes and releases the statement's SafeHandle and goes through its
    /// provider's interface (a large import's ratings: 2% of its time).</summary>
    static class Native
    {
        const string Library = "e_sqlite3";
        public static readonly nint Transient = -1;

        [DllImport(Library)]
        public static extern int sqlite3_bind_int64(nint statement, int index, long value);

        [DllImport(Library)]
        public static extern int sqlite3_bind_null(nint statement, int index);

        [DllImport(Library)]
        public static extern int sqlite3_bind_text(nint statement, int index, ref byte text, int length, nint destructor);

        [DllImport(Library)]
        public static extern int sqlite3_step(nint statement);

        [DllImport(Library)]
        public static extern int sqlite3_reset(nint statement);
    }
}
