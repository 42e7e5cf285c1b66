using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace GradeBench.LoadTest;

/// <summary>The real web app as its own process on a free loopback port, over the prepared database; killed on dispose.</summary>
sealed partial class ServerProcess : IAsyncDisposable
{
    readonly Process _process;

    ServerProcess(Process process, Uri address, StringBuilder log)
    {
        _process = process;
        _log = log;
        Address = address;
    }

    public Uri Address { get; }

    readonly StringBuilder _log;

    /// <summary>Lines the server has written so far (standard output and error).</summary>
    public IReadOnlyList<string> LogLines()
    {
        lock (_log) return _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public int ProcessId => _process.Id;

    /// <summary>GradeBench.Web.dll as built beside this tool, in the same configuration.</summary>
    public static string BuiltWebAppPath => Path.GetFullPath(typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "WebAppPath").Value!);

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();

    /// <param name="redis">GradeBench:Redis, for a node among several; null: a single node.</param>
    public static async Task<ServerProcess> StartAsync(string appPath, string databasePath, string folder, CancellationToken ct, string? redis = null)
    {
        if (!File.Exists(appPath)) throw new FileNotFoundException($"No web app at {appPath}: build src/GradeBench.Web or pass --server-dll.");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        // Hundreds of raters sign in from this one address within a minute: the per-address limit would refuse them.
        foreach (var arg in new[] { appPath, "--db", databasePath, "--urls", "http://127.0.0.1:0", "--GradeBench:SignInAttemptsPerMinute", "0" })
            start.ArgumentList.Add(arg);
        if (redis is not null) foreach (var arg in new[] { "--redis", redis }) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start)!;

        var log = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (ListeningPattern().Match(e.Data) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The web app exited with code {process.ExitCode}:\n{log}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new ServerProcess(process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), ct), log);
        }
        catch (Exception e)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
            if (e is TimeoutException) lock (log) throw new TimeoutException($"The web app said nowhere that it listens within 60 s:\n{log}");
            throw;
        }
    }

    /// <summary>Peak and current resident memory in bytes (VmHWM, VmRSS); null where /proc is not there.</summary>
    public (long Peak, long Current)? Memory()
    {
        var status = $"/proc/{_process.Id}/status";
        return MachineStats.Field(status, "VmHWM") is { } peak && MachineStats.Field(status, "VmRSS") is { } current ? (peak, current) : null;
    }

    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
