using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Storage;
using GradeBench.Storage.Migrations;
using Npgsql;

namespace GradeBench.Testing;

/// <summary>The PostgreSQL server test.sh starts (tests/services.sh): each test gets a database of its own, cloned from
/// one migrated template per schema, which is far quicker than migrating each.</summary>
public static partial class TestPostgres
{
    /// <summary>An administrator's connection string, or null when the tests run on SQLite only.</summary>
    public static string? AdminConnectionString { get; } =
        Environment.GetEnvironmentVariable("GRADEBENCH_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    static readonly SemaphoreSlim TemplateLock = new(1, 1);
    // Databases made and not yet dropped: a test that never disposes its database (a fixture, a failure in set-up), the
    // clones made ahead and not taken, and those still waiting to be dropped are left to the end of the test run.
    static readonly ConcurrentDictionary<string, bool> Undropped = new();

    // A clone waits about 0.2 s on the server (its checkpoints), a drop 0.1 s, and side by side they overlap: clones are
    // made ahead by a few workers and drops happen behind the tests, instead of each test waiting for both.
    const int ClonesAhead = 3;
    static readonly Channel<string> Clones = Channel.CreateBounded<string>(ClonesAhead);
    static readonly Channel<string> Drops = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    static int Cloning;

    static TestPostgres()
    {
        _ = Task.Run(DropBehindAsync);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var database in Undropped.Keys)
            {
                try
                {
                    DropNowAsync(database).GetAwaiter().GetResult();
                }
                catch (NpgsqlException)
                {
                    // Dropped meanwhile behind the tests, or the server is gone: its temporary cluster goes with it.
                }
            }
        };
    }
    static string? CachedTemplate;

    // Named after the test process, so that a later process can drop what one that was killed (or whose exit cut its
    // drops short) left behind.
    static string NewName() => $"gb_p{Environment.ProcessId}_{Guid.NewGuid():N}";

    [GeneratedRegex(@"^gb_p(\d+)_")]
    private static partial Regex ProcessOf();

    static async Task DropLeftOversAsync(NpgsqlConnection admin)
    {
        foreach (var database in await admin.QueryAsync<string>("SELECT datname FROM pg_database WHERE datname LIKE 'gb\\_p%'"))
        {
            if (ProcessOf().Match(database) is not { Success: true } match || IsRunning(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))) continue;
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ToString();

    /// <summary>A new database at the latest schema; its name.</summary>
    public static async Task<string> CreateMigratedAsync()
    {
        var template = await TemplateAsync();
        if (Interlocked.Exchange(ref Cloning, 1) == 0)
            for (var i = 0; i < ClonesAhead; i++) _ = Task.Run(() => CloneAheadAsync(template));
        return await Clones.Reader.ReadAsync();
    }

    static async Task CloneAheadAsync(string template)
    {
        try
        {
            while (true)
            {
                var name = NewName();
                await using (var admin = await OpenAdminAsync())
                    await admin.ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY");
                Undropped[name] = true;
                await Clones.Writer.WriteAsync(name);
            }
        }
        catch (Exception e)
        {
            // The tests waiting for a database fail with the server's reason instead of waiting for ever.
            Clones.Writer.TryComplete(e);
        }
    }

    /// <summary>A new database with no tables; its name.</summary>
    public static async Task<string> CreateEmptyAsync()
    {
        var name = NewName();
        await using var admin = await OpenAdminAsync();
        await admin.ExecuteAsync($"CREATE DATABASE {name}");
        Undropped[name] = true;
        return name;
    }

    /// <summary>Drops the database behind the test (by the end of the test run at the latest).</summary>
    public static Task DropAsync(string database)
    {
        Drops.Writer.TryWrite(database);
        return Task.CompletedTask;
    }

    static async Task DropBehindAsync()
    {
        await foreach (var database in Drops.Reader.ReadAllAsync())
        {
            try
            {
                await DropNowAsync(database);
            }
            catch (NpgsqlException)
            {
                // Left in Undropped for the end of the run.
            }
        }
    }

    static async Task DropNowAsync(string database)
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
                await DropLeftOversAsync(admin);
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
