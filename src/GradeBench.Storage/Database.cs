using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace GradeBench.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>The installation's database: an SQLite file (the default) or a PostgreSQL database, named by
/// <c>--db</c>. An SQLite connection has foreign keys on, full synchronous commits (a write reported done survives a
/// power cut) and a busy timeout; the file is in WAL mode and, created here, readable by its owner only.</summary>
public sealed class Database : IAsyncDisposable
{
    static Database()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // DateTimeOffset is one of Dapper's built-in types: its handler is only consulted once the built-in map is removed.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new UtcTimestampHandler());
    }

    /// <summary><paramref name="target"/> is an SQLite file path, or a PostgreSQL connection string
    /// (<c>Host=…;Database=…</c>) or URL (<c>postgres://user:password@host:port/database</c>).</summary>
    public Database(string target) : this(target, building: false) { }

    Database(string target, bool building)
    {
        _building = building;
        if (PostgresTarget.TryParse(target) is { } postgres)
        {
            Provider = DatabaseProvider.Postgres;
            ConnectionString = postgres.ConnectionString;
            DisplayName = PostgresTarget.Describe(postgres);
            _postgres = new NpgsqlDataSourceBuilder(ConnectionString).Build();
            return;
        }
        FilePath = Path.GetFullPath(target);
        DisplayName = FilePath;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The SQLite file <paramref name="target"/> names; null when it names a PostgreSQL database.</summary>
    public static string? SqliteFileOf(string target) => PostgresTarget.TryParse(target) is null ? Path.GetFullPath(target) : null;

    public DatabaseProvider Provider { get; }
    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    /// <summary>The SQLite file; null for PostgreSQL.</summary>
    public string? FilePath { get; }

    /// <summary>What messages call the database: the file's path, or the server and database without the password.</summary>
    public string DisplayName { get; }

    public string ConnectionString { get; }

    int _walEnabled;
    readonly bool _building;
    readonly NpgsqlDataSource? _postgres;

    /// <summary>Pages of 8 KiB rather than SQLite's 4 KiB for a new file: shallower trees and half as many pages to find,
    /// split and write; a new database of 1.6M ratings was imported 0.3 s faster (docs/benchmarks.md). A file that has
    /// tables keeps its page size.</summary>
    const string NewFilePageSize = "PRAGMA page_size = 8192;";

    /// <summary>A database file that only this process knows of yet (<see cref="NewDatabaseFile"/>): its rollback journal
    /// kept in memory and nothing synced, so each page is written once; durability comes from the sync before the file is
    /// renamed into place, and WAL is set once it is there.</summary>
    internal static Database Building(string path) => new(path, building: true);

    /// <summary>A database file being built (<see cref="Building"/>): read by no one else until it is complete.</summary>
    internal bool IsBuilding => _building;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null) return await _postgres.OpenConnectionAsync(ct);
        if (Volatile.Read(ref _walEnabled) == 0) CreateOwnerOnly(FilePath!);
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        // WAL is a property of the file, set once, and so is the page size, which only a file still empty takes; the
        // others belong to each connection.
        var pragmas = _building ? $"{NewFilePageSize} PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA busy_timeout = 10000;"
            : Volatile.Read(ref _walEnabled) == 0
            ? $"{NewFilePageSize} PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;"
            : "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;";
        await connection.ExecuteAsync(pragmas);
        Volatile.Write(ref _walEnabled, 1);
        return connection;
    }

    /// <summary>For the code that drives SQLite's C interface directly (bulk import, the statistics' row loops).</summary>
    public async Task<SqliteConnection> OpenSqliteAsync(CancellationToken ct = default) =>
        IsSqlite ? (SqliteConnection)await OpenAsync(ct)
            : throw new NotSupportedException($"This operation is not available on PostgreSQL yet ({DisplayName}).");

    /// <summary>Creates <paramref name="path"/> empty and readable by its owner only (Unix mode 0600) unless it exists.
    /// SQLite takes an empty file for a new database and gives its -wal, -shm and -journal files the mode of the
    /// database; left to itself it creates one readable by every account on the machine (0644).</summary>
    internal static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path)) return;
        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        // Created meanwhile, or a missing folder or a denied one: SQLite reports the latter two as it always has.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Whole microseconds: PostgreSQL keeps no finer, and a study moved between databases keeps its times.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>How SQLite stores a UTC timestamp: ISO-8601 text, which sorts and compares correctly as text.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>The text a timestamp is written to SQLite as (and bound for PostgreSQL in bulk inserts).</summary>
    public static string StoredTimestamp(DateTimeOffset value) => FormatTimestamp(ToStoredPrecision(value));

    public ValueTask DisposeAsync() => _postgres?.DisposeAsync() ?? ValueTask.CompletedTask;

    sealed class UtcTimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is NpgsqlParameter postgres)
            {
                postgres.NpgsqlDbType = NpgsqlDbType.TimestampTz;
                postgres.Value = ToStoredPrecision(value);
                return;
            }
            parameter.DbType = DbType.String;
            parameter.Value = StoredTimestamp(value);
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
            DateTimeOffset offset => offset.ToUniversalTime(),
            _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        };
    }
}
