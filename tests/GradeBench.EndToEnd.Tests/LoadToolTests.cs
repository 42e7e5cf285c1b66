using GradeBench.LoadTest;
using Microsoft.Data.Sqlite;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Keeps the load tool (tests/GradeBench.LoadTest) working: a tiny run with a few interactive circuits, checked
/// for errors and counts, never for timings (issue 8's two-minute run is a command of its own, docs/reliability.md).</summary>
public sealed class LoadToolTests
{
    [Fact]
    public async Task AFewRatersWithOpenGradingPagesSubmitAndLoadPagesWithoutErrorsAndNothingIsLost()
    {
        var progress = new StringWriter();
        var report = await LoadRun.RunAsync(new LoadSettings
        {
            Raters = 5,
            Rate = 5,
            PageRate = 5,
            Duration = TimeSpan.FromSeconds(3),
            WarmUp = TimeSpan.FromSeconds(1),
            Responses = 30,
            Circuits = 3,
            ChromiumPath = Browser.ExecutablePath,
            ServerDll = RunningApp.BuiltAppPath,
        }, progress);

        var details = $"{progress}\n{report.ToJson()}";
        Assert.True(report.Sent == 20, details);
        Assert.True(report.HttpErrors == 0, details);
        Assert.True(report.MissingEvents == 0, details);
        Assert.True(report.LostRatings == 0, details);
        Assert.True(report.SubmitToEvent.Count == 15, details);
        Assert.True(report is { PagesSent: 20, PageErrors: 0, Pages.Count: 15 }, details);
        Assert.True(report is { BusyInServerLog: 0, BusyAnswers: 0, ServerErrorLogs: 0 }, details);
        Assert.True(report.Circuits is { Requested: 3, Interactive: 3, SeenByServer: 3, AliveAtEnd: 3 }, details);
        Assert.True(report.Circuits.ServerKBPerCircuit is not null, details);
    }

    /// <summary>The busy count must recognize SQLite's real message, not a guess of it.</summary>
    [Fact, Trait("Provider", "SqliteOnly")]
    public async Task ARealSqliteBusyErrorIsCountedAsBusy()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("gradebench-busy-").FullName, "busy.db");
        try
        {
            await using var holder = new SqliteConnection($"Data Source={file};Pooling=False");
            await holder.OpenAsync();
            await new SqliteCommand("CREATE TABLE t (x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);", holder).ExecuteNonQueryAsync();
            // Microsoft.Data.Sqlite retries a busy statement until its command timeout (0 would be forever): one second.
            await using var writer = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=1");
            await writer.OpenAsync();
            await new SqliteCommand("PRAGMA busy_timeout = 0;", writer).ExecuteNonQueryAsync();

            var error = await Assert.ThrowsAsync<SqliteException>(() => new SqliteCommand("INSERT INTO t VALUES (2);", writer).ExecuteNonQueryAsync());

            Assert.Equal(5, error.SqliteErrorCode);
            Assert.True(LoadRun.IsBusyFailure($"fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1] {error.Message}"), error.Message);
            Assert.False(LoadRun.IsBusyFailure("info: rating saved"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
