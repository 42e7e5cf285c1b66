using System.Text.RegularExpressions;
using Dapper;
using GradeBench.Core.Spans;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Migrations;

public sealed record Migration(int Version, string Name, string Sql);

/// <summary>The database was written by a newer GradeBench than this one.</summary>
public sealed class SchemaTooNewException(string message) : Exception(message);

/// <summary>Applies the embedded <c>Migrations/NNNN_verb_object.sql</c> scripts in order, each in its own
/// transaction together with its row in <c>schema_version</c>. Forward-only.</summary>
public sealed partial class Migrator(Database database, TimeProvider clock)
{
    [GeneratedRegex(@"^GradeBench\.Storage\.Migrations\.(\d{4})_(\w+)\.sql$")]
    private static partial Regex ResourceName();

    /// <summary>First line of a migration that rebuilds tables (the SQLite way to change a constraint).</summary>
    public const string RebuildDirective = "-- gradebench: rebuilds tables";

    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    public static int LatestVersion => All[^1].Version;

    static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success) continue;
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"Migrations must be numbered 0001, 0002, … without gaps; found {migrations[i].Version:D4} at position {i + 1}.");
        return migrations;
    }

    /// <summary>Brings the database to the latest schema; returns the migrations it applied.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        AddFunctions(connection);
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """);
        var found = await CurrentVersionAsync(connection, null);
        if (found > LatestVersion)
            throw new SchemaTooNewException(
                $"The database {database.FilePath} has schema version {found}, but this GradeBench knows versions up to {LatestVersion}. " +
                "Run a newer GradeBench, or use another database file.");
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

    /// <summary>SQLite counts neither code points nor SHA-256, which 0024 needs to move stored UTF-16 offsets to code
    /// points over the hash of the text; the migrating connection computes them as the app does.</summary>
    static void AddFunctions(SqliteConnection connection)
    {
        connection.CreateFunction("code_point_offset", (string text, long utf16, bool roundUp) => (long)CodePoints.FromUtf16(text, (int)utf16, roundUp), isDeterministic: true);
        connection.CreateFunction("sha256_hex", (string text) => TextHash.Sha256(text), isDeterministic: true);
    }

    static Task<int> CurrentVersionAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction) =>
        connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_version", transaction: transaction);
}
