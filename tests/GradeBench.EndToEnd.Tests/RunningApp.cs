using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>The real web app as its own process on a free loopback port, over a fresh database, with the
/// sign-in link it printed. The database is an SQLite file, or a new empty PostgreSQL database when the tests have a
/// server (GRADEBENCH_TEST_POSTGRES), so that the same journeys run on both.</summary>
public sealed partial class RunningApp : IAsyncDisposable
{
    readonly Process _process;
    readonly string _folder;
    // The PostgreSQL database this app made, dropped on dispose; null for SQLite or a database passed in.
    readonly string? _postgresName;

    readonly System.Text.StringBuilder _log;

    readonly string? _signInLink;

    RunningApp(Process process, string folder, string database, string? postgresName, string? signInLink, string baseAddress, System.Text.StringBuilder log)
    {
        Database = database;
        _postgresName = postgresName;
        _log = log;
        _process = process;
        _folder = folder;
        _signInLink = signInLink;
        BaseAddress = baseAddress;
    }

    /// <summary>The one-time administrator link a first run prints.</summary>
    public string SignInLink => _signInLink ?? throw new InvalidOperationException("This app printed no sign-in link: another set the database up.");

    /// <summary>What the app has printed so far, for failure messages.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>What the app was given as <c>--db</c>: an SQLite file path or a PostgreSQL connection string.</summary>
    public string Database { get; }

    /// <summary>This app's own temp folder, for files a test writes beside it.</summary>
    public string Folder => _folder;

    public string BaseAddress { get; }
    public int Port => new Uri(BaseAddress).Port;

    [GeneratedRegex(@"(http://127\.0\.0\.1:\d+/account/link\?token=[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();

    /// <summary>GradeBench.Web.dll as built for this test run.</summary>
    public static string BuiltAppPath => Path.GetFullPath(typeof(RunningApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "WebAppPath").Value!);

    /// <param name="database">An existing database to serve (e.g. one a killed app left behind); by default a fresh
    /// one, deleted on dispose: a file in this app's own temp folder, or a new PostgreSQL database when the tests have
    /// a server.</param>
    /// <param name="port">A port to listen on (e.g. a killed app's, so that its open pages find the new one); by default a free one.</param>
    /// <param name="languages">The interface languages offered (GradeBench:Languages); by default the app's own.</param>
    /// <param name="arguments">More command-line arguments (e.g. <c>--redis</c>).</param>
    /// <param name="setsUp">Whether this app sets the database up and prints the first-run link (waited for); false for a
    /// second node of a database another has set up, which is waited for until it listens.</param>
    public static async Task<RunningApp> StartAsync(string? appPath = null, string? database = null, int port = 0, IReadOnlyList<string>? languages = null,
        IReadOnlyList<string>? arguments = null, bool setsUp = true)
    {
        var folder = Directory.CreateTempSubdirectory("gradebench-e2e-").FullName;
        // Empty rather than migrated: the app's first run sets it up, as on SQLite.
        var postgresName = database is null && TestPostgres.AdminConnectionString is not null ? await TestPostgres.CreateEmptyAsync() : null;
        database ??= postgresName is not null ? TestPostgres.ConnectionStringFor(postgresName) : Path.Combine(folder, "e2e.db");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { appPath ?? BuiltAppPath, "--urls", $"http://127.0.0.1:{port}", "--db", database }.Concat(arguments ?? []))
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        for (var i = 0; i < (languages?.Count ?? 0); i++) start.Environment[$"GradeBench__Languages__{i}"] = languages![i];
        var process = Process.Start(start)!;

        var log = new System.Text.StringBuilder();
        var link = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (LinkPattern().Match(e.Data) is { Success: true } match) link.TrySetResult(match.Groups[1].Value);
            if (ListeningPattern().Match(e.Data) is { Success: true } address) listening.TrySetResult(address.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            var exited = new InvalidOperationException($"The web app exited with code {process.ExitCode}:\n{log}");
            link.TrySetException(exited);
            listening.TrySetException(exited);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            if (!setsUp) return new RunningApp(process, folder, database, postgresName, null, await listening.Task.WaitAsync(TimeSpan.FromSeconds(90)), log);
            var signInLink = await link.Task.WaitAsync(TimeSpan.FromSeconds(90));
            return new RunningApp(process, folder, database, postgresName, signInLink, new Uri(signInLink).GetLeftPart(UriPartial.Authority), log);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The web app printed no {(setsUp ? "sign-in link" : "listening address")} within 90 s:\n{log}");
        }
    }

    /// <summary>Runs the gradebench command line against this app's database while the app is running, in the app's
    /// folder as an operator would beside the server (on PostgreSQL, the addresses it listens on are recorded in the
    /// working folder: docs/postgresql.md).</summary>
    public Task<string> CliAsync(params string[] args) => CliAsync(Database, args, _folder);

    /// <summary>Runs the gradebench command line against a database (a file or a connection string); its standard
    /// output, trimmed.</summary>
    public static Task<string> CliAsync(string database, params string[] args) => CliAsync(database, args, null);

    static async Task<string> CliAsync(string database, string[] args, string? folder)
    {
        var cli = Path.GetFullPath(typeof(RunningApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliPath").Value!);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder ?? "" };
        start.ArgumentList.Add(cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--db");
        start.ArgumentList.Add(database);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"gradebench {string.Join(' ', args)} failed: {await error}");
        return (await output).Trim();
    }

    /// <summary>SIGTERM, as a service manager stops the app: it shuts down in order and closes the database.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would: no shutdown code runs, open transactions are cut off.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>Runs a browser journey against this app; a browser step that fails is reported with the app's log,
    /// which usually says why.</summary>
    public async Task JourneyAsync(Func<Task> journey)
    {
        try
        {
            await journey();
        }
        catch (Exception e) when (e is Microsoft.Playwright.PlaywrightException or TimeoutException)
        {
            // The inner exception keeps the failing step's line, which a bare Playwright timeout does not name.
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- app log ---\n{Log}", e);
        }
    }

    /// <summary>Runs a browser journey (as <see cref="JourneyAsync"/>) in a Chromium of its own.</summary>
    public Task BrowserJourneyAsync(Func<Microsoft.Playwright.IBrowser, Task> journey) => JourneyAsync(async () =>
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await journey(browser);
    });

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
        if (_postgresName is not null) await TestPostgres.DropAsync(_postgresName);
    }
}
