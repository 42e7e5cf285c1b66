using System.Collections.Concurrent;
using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Storage;
using GradeBench.Storage.Migrations;
using Npgsql;

namespace GradeBench.Testing;

/// <summary>The PostgreSQL server test.sh starts (tests/services.sh): each test gets a database of its own, cloned from
/// one migrated template per schema, which is far quicker than migrating each.</summary>
public static class TestPostgres
{
    /// <summary>An administrator's connection string, or null when the tests run on SQLite only.</summary>
    public static string? AdminConnectionString { get; } =
        Environment.GetEnvironmentVariable("GRADEBENCH_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    static readonly SemaphoreSlim TemplateLock = new(1, 1);
    // Databases made and not yet dropped: a test that never disposes its database (a fixture, a failure in set-up) leaves
    // it to the end of the test run.
    static readonly ConcurrentDictionary<string, bool> Undropped = new();

    static TestPostgres() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var database in Undropped.Keys) DropAsync(database).GetAwaiter().GetResult();
    };
    static string? CachedTemplate;

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ToString();

    /// <summary>A new database at the latest schema; its name.</summary>
    public static async Task<string> CreateMigratedAsync()
    {
        var template = await TemplateAsync();
        var name = $"gb_{Guid.NewGuid():N}";
        await using var admin = await OpenAdminAsync();
        await admin.ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY");
        Undropped[name] = true;
        return name;
    }

    /// <summary>A new database with no tables; its name.</summary>
    public static async Task<string> CreateEmptyAsync()
    {
        var name = $"gb_{Guid.NewGuid():N}";
        await using var admin = await OpenAdminAsync();
        await admin.ExecuteAsync($"CREATE DATABASE {name}");
        Undropped[name] = true;
        return name;
    }

    public static async Task DropAsync(string database)
    {
        await using var admin = await OpenAdminAsync();
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        Undropped.TryRemove(database, out _);
    }

    /// <summary>A template named after the migrations' content, so that a changed migration gets a new one, made once by
    /// whichever test process comes first (an advisory lock on the server orders them).</summary>
    static async Task<string> TemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (CachedTemplate is not null) return CachedTemplate;
            var hash = TextHash.Sha256(string.Concat(Migrator.Postgres.Select(m => m.Sql)))[..12];
            var name = $"gb_template_{Migrator.LatestVersion}_{hash}";
            await using var admin = await OpenAdminAsync();
            await admin.ExecuteAsync("SELECT pg_advisory_lock(4711)");
            try
            {
                if (await admin.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM pg_database WHERE datname = @Name", new { Name = name }) == 0)
                {
                    var building = $"{name}_building";
                    await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {building} WITH (FORCE)");
                    await admin.ExecuteAsync($"CREATE DATABASE {building}");
                    await using (var database = new Database(ConnectionStringFor(building)))
                        await new Migrator(database, new ManualClock()).MigrateAsync();
                    NpgsqlConnection.ClearAllPools();
                    await admin.ExecuteAsync($"ALTER DATABASE {building} RENAME TO {name}");
                }
            }
            finally
            {
                await admin.ExecuteAsync("SELECT pg_advisory_unlock(4711)");
            }
            return CachedTemplate = name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
