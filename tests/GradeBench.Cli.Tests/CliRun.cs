using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace GradeBench.Cli.Tests;

sealed record CliOutcome(int ExitCode, string Output, string Error);

/// <summary>A temp folder for databases and bundles, and two ways to run <c>gradebench</c>: in-process and as a real process.</summary>
sealed class CliWorkspace : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("gradebench-cli-").FullName;

    public string PathOf(string name) => Path.Combine(Folder, name);

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

    /// <summary>A copy of the demo bundle that a test may break.</summary>
    public string CopyDemoBundle(string name) => TestPaths.CopyDemoBundle(PathOf(name));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
