using System.Text.RegularExpressions;
using System.Data.Common;
using Dapper;
using GradeBench.Core.Spans;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Migrations;

public sealed record Migration(int Version, string Name, string Sql);

/// <summary>The database was written by a newer GradeBench than this one.</summary>
public sealed class SchemaTooNewException(string message) : Exception(message);

/// <summary>Applies the embedded <c>Migrations/NNNN_verb_object.sql</c> scripts in order, each in its own
/// transaction together with its row in <c>schema_version</c>. Forward-only. One numbered sequence for both databases:
/// SQLite runs <c>Migrations/NNNN_*.sql</c>; PostgreSQL, which GradeBench supports from version
/// <see cref="PostgresBaseline"/> on, starts from one baseline script equal to the SQLite schema at that version and
/// then runs <c>Migrations/Postgres/NNNN_*.sql</c>, one twin of the same name for every later SQLite migration.</summary>
public sealed partial class Migrator(Database database, TimeProvider clock)
{
    [GeneratedRegex(@"^GradeBench\.Storage\.Migrations\.(Postgres\.)?(\d{4})_(\w+)\.sql$")]
    private static partial Regex ResourceName();

    /// <summary>First line of a migration that rebuilds tables (the SQLite way to change a constraint).</summary>
    public const string RebuildDirective = "-- gradebench: rebuilds tables";

    /// <summary>The version whose PostgreSQL script, named <c>NNNN_baseline.sql</c>, creates the whole schema at once.</summary>
    public const int PostgresBaseline = 27;

    /// <summary>The SQLite migrations: the sequence and its names.</summary>
    public static IReadOnlyList<Migration> All { get; }

    /// <summary>The PostgreSQL scripts: the baseline, then one per later version.</summary>
    public static IReadOnlyList<Migration> Postgres { get; }

    public static int LatestVersion => All[^1].Version;

    static Migrator() => (All, Postgres) = LoadEmbedded();

    static (List<Migration> Sqlite, List<Migration> Postgres) LoadEmbedded()
    {
        var assembly = typeof(Migrator).Assembly;
        var sqlite = new List<Migration>();
        var postgres = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success) continue;
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            (match.Groups[1].Success ? postgres : sqlite).Add(new Migration(int.Parse(match.Groups[2].Value), match.Groups[3].Value, reader.ReadToEnd()));
        }
        sqlite.Sort((a, b) => a.Version.CompareTo(b.Version));
        postgres.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < sqlite.Count; i++)
            if (sqlite[i].Version != i + 1)
                throw new InvalidOperationException($"Migrations must be numbered 0001, 0002, … without gaps; found {sqlite[i].Version:D4} at position {i + 1}.");
        // Every version after the baseline exists in both dialects under one name, so neither database can miss a change.
        var expected = sqlite.Where(m => m.Version >= PostgresBaseline)
            .Select(m => m.Version == PostgresBaseline ? $"{m.Version:D4}_baseline" : $"{m.Version:D4}_{m.Name}");
        var found = postgres.Select(m => $"{m.Version:D4}_{m.Name}");
        if (!expected.SequenceEqual(found))
            throw new InvalidOperationException(
                $"Migrations/Postgres must hold {string.Join(", ", expected)}; it holds {string.Join(", ", found)}.");
        return (sqlite, postgres);
    }

    /// <summary>Brings the database to the latest schema; returns the migrations it applied.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return database.IsSqlite ? await MigrateSqliteAsync((SqliteConnection)connection, ct) : await MigratePostgresAsync(connection, ct);
    }

    async Task<IReadOnlyList<Migration>> MigrateSqliteAsync(SqliteConnection connection, CancellationToken ct)
    {
        AddFunctions(connection);
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """);
        var found = await CurrentVersionAsync(connection, null);
        ThrowIfTooNew(found);
        var applied = new List<Migration>();
        foreach (var migration in All.Where(m => m.Version > found))
        {
            // SQLite changes a table's constraints only by rebuilding it, which needs foreign keys off; the pragma is
            // ignored inside a transaction, so it is set before and the keys are checked before commit.
            var rebuildsTables = migration.Sql.StartsWith(RebuildDirective, StringComparison.Ordinal);
            if (rebuildsTables) await connection.ExecuteAsync("PRAGMA foreign_keys = OFF");
            try
            {
                // BEGIN IMMEDIATE: a second process migrating at the same time waits, then sees the new version.
                await using var transaction = await connection.BeginTransactionAsync(ct);
                if (await CurrentVersionAsync(connection, transaction) >= migration.Version) continue;
                await connection.ExecuteAsync(migration.Sql, transaction: transaction);
                if (rebuildsTables && (await connection.QueryAsync("PRAGMA foreign_key_check", transaction: transaction)).Any())
                    throw new InvalidOperationException($"Migration {migration.Version:D4}_{migration.Name} would break foreign keys; nothing was changed.");
                await connection.ExecuteAsync(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                    new { migration.Version, migration.Name, AppliedAt = clock.GetUtcNow() }, transaction);
                await transaction.CommitAsync(ct);
                applied.Add(migration);
            }
            finally
            {
                if (rebuildsTables) await connection.ExecuteAsync("PRAGMA foreign_keys = ON");
            }
        }
        return applied;
    }

    /// <summary>PostgreSQL: the whole run holds a session lock, as <c>CREATE TABLE IF NOT EXISTS</c> is not safe against
    /// a second node creating the same table; each script runs in its own transaction (PostgreSQL's DDL is
    /// transactional, so a failed script leaves nothing behind).</summary>
    async Task<IReadOnlyList<Migration>> MigratePostgresAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@Key)", new { Key = Transactions.MigrationLockKey }, cancellationToken: ct));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS schema_version (
                    version BIGINT PRIMARY KEY,
                    name TEXT COLLATE "C" NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL
                )
                """, cancellationToken: ct));
            var found = await CurrentVersionAsync(connection, null);
            ThrowIfTooNew(found);
            var applied = new List<Migration>();
            foreach (var script in Postgres.Where(m => m.Version > found))
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: ct));
                // The baseline stands for every SQLite migration up to its version; each is recorded under its own name.
                var versions = script.Version == PostgresBaseline ? All.Where(m => m.Version <= PostgresBaseline && m.Version > found) : [All[script.Version - 1]];
                foreach (var migration in versions)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                        new { migration.Version, migration.Name, AppliedAt = clock.GetUtcNow() }, transaction, cancellationToken: ct));
                    applied.Add(migration);
                }
                await transaction.CommitAsync(ct);
            }
            return applied;
        }
        finally
        {
            // Pooled connections keep session locks: give it back explicitly.
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key = Transactions.MigrationLockKey });
        }
    }

    void ThrowIfTooNew(int found)
    {
        if (found > LatestVersion)
            throw new SchemaTooNewException(
                $"The database {database.DisplayName} has schema version {found}, but this GradeBench knows versions up to {LatestVersion}. " +
                "Run a newer GradeBench, or use another database.");
    }

    /// <summary>SQLite counts neither code points nor SHA-256, which 0024 needs to move stored UTF-16 offsets to code
    /// points over the hash of the text; the migrating connection computes them as the app does.</summary>
    public static void AddFunctions(SqliteConnection connection)
    {
        connection.CreateFunction("code_point_offset", (string text, long utf16, bool roundUp) => (long)CodePoints.FromUtf16(text, (int)utf16, roundUp), isDeterministic: true);
        connection.CreateFunction("sha256_hex", (string text) => TextHash.Sha256(text), isDeterministic: true);
    }

    static Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_version", transaction: transaction);
}
