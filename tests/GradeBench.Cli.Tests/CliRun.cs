using System.Diagnostics;
using Dapper;
using GradeBench.Storage;
using Microsoft.Data.Sqlite;

namespace GradeBench.Cli.Tests;

sealed record CliOutcome(int ExitCode, string Output, string Error);

/// <summary>A temp folder for databases and bundles, and two ways to run <c>gradebench</c>: in-process and as a real process.
/// Its databases are SQLite files in the folder, or, when <see cref="TestPostgres.AdminConnectionString"/> is set,
/// PostgreSQL databases of its own, dropped with it.</summary>
sealed class CliWorkspace : IDisposable
{
    readonly Dictionary<string, string> _databases = [];
    readonly List<string> _postgresNames = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("gradebench-cli-").FullName;

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>What <c>--db</c> takes for the database of this workspace named <paramref name="name"/>, the same one each
    /// time: a path in the folder (no file until a command creates it), or a new PostgreSQL database cloned from the
    /// migrated template (migrating each from nothing took a minute of the suite; the storage tests cover migrations).</summary>
    /// <param name="empty">A PostgreSQL database without tables, for the tests of migrating one.</param>
    public async Task<string> DatabaseAsync(string name, bool empty = false)
    {
        if (_databases.TryGetValue(name, out var known)) return known;
        string db;
        if (TestPostgres.AdminConnectionString is null) db = PathOf(name);
        else
        {
            var created = empty ? await TestPostgres.CreateEmptyAsync() : await TestPostgres.CreateMigratedAsync();
            _postgresNames.Add(created);
            db = TestPostgres.ConnectionStringFor(created);
        }
        return _databases[name] = db;
    }

    /// <summary>What the commands call <paramref name="db"/> in their messages.</summary>
    public static string DisplayNameOf(string db) => new Database(db).DisplayName;

    /// <summary>Whether no command has written to <paramref name="db"/>: no SQLite file, or a PostgreSQL database without a
    /// study or a user.</summary>
    public static async Task<bool> IsUntouchedAsync(string db)
    {
        if (Database.SqliteFileOf(db) is { } file) return !File.Exists(file);
        await using var database = new Database(db);
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT (SELECT COUNT(*) FROM studies) + (SELECT COUNT(*) FROM users)") == 0;
    }

    public static async Task<CliOutcome> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await GradeBenchCommand.RunAsync(args, output, error);
        return new CliOutcome(code, output.ToString(), error.ToString());
    }

    public static async Task<CliOutcome> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gradebench.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliOutcome(process.ExitCode, await output, await error);
    }

    /// <summary>Imports <paramref name="bundle"/> into a new database of this workspace named <paramref name="name"/>,
    /// which must succeed; returns what <c>--db</c> takes for it.</summary>
    public async Task<string> ImportAsync(string bundle, string name)
    {
        var db = await DatabaseAsync(name);
        var import = await RunAsync("import", bundle, "--db", db);
        Assert.True(import.ExitCode == 0, import.Error);
        return db;
    }

    /// <summary>Runs <c>gradebench export</c> of one kind of a study into a file of this workspace named
    /// <paramref name="name"/>; returns the run and the file's path.</summary>
    public async Task<(CliOutcome Run, string Target)> ExportAsync(string db, string study, string kind, string name, params string[] options)
    {
        var target = PathOf(name);
        return (await RunAsync(["export", "--db", db, "--study", study, "--kind", kind, "--out", target, .. options]), target);
    }

    /// <summary>A copy of the demo bundle that a test may break.</summary>
    public string CopyDemoBundle(string name) => TestPaths.CopyDemoBundle(PathOf(name));

    /// <summary>The comment <see cref="CopyDemoBundleWithAChineseComment"/> gives the first rating, as it reads once parsed.</summary>
    public const string ChineseComment = "溶栓时间窗 \"4.5 h\", see\nnote";

    /// <summary>A copy of the demo bundle whose first rating has a comment with Chinese text, a comma, a quote and a
    /// line break.</summary>
    public string CopyDemoBundleWithAChineseComment(string name)
    {
        var bundle = CopyDemoBundle(name);
        var ratings = Path.Combine(bundle, "ratings.csv");
        var lines = File.ReadAllLines(ratings);
        lines[1] = lines[1].TrimEnd(',') + ",\"溶栓时间窗 \"\"4.5 h\"\", see\nnote\"";
        File.WriteAllLines(ratings, lines);
        return bundle;
    }

    public void Dispose()
    {
        // Off xunit's synchronization context, whose threads this one may be holding.
        foreach (var name in _postgresNames) Task.Run(() => TestPostgres.DropAsync(name)).GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
