using System.Diagnostics;
using System.Net.Http.Json;
using GradeBench.Storage;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;

namespace GradeBench.LoadTest;

/// <summary>One load run from nothing: a fresh database and study, the real server as a process, every rater and
/// the coordinator signed in with a hub connection, then submits on a fixed schedule, timed to the coordinator's event.</summary>
public static class LoadRun
{
    /// <summary>Sign-ins and hub connections opened at once while setting up (not part of the measurement).</summary>
    const int SetupParallelism = 8;

    public static async Task<LoadReport> RunAsync(LoadSettings settings, TextWriter progress, CancellationToken ct = default)
    {
        var folder = Directory.CreateTempSubdirectory("gradebench-load-").FullName;
        try
        {
            var database = new Database(Path.Combine(folder, "load.db"));
            var clock = Stopwatch.StartNew();
            var study = await StudySetup.PrepareAsync(database, folder, settings, ct);
            progress.WriteLine($"Prepared a study of {settings.ResponseCount} responses × {settings.RatersPerResponse} raters over {settings.Raters} raters in {clock.Elapsed.TotalSeconds:0.0} s.");

            await using var server = await ServerProcess.StartAsync(settings.ServerDll ?? ServerProcess.BuiltWebAppPath, database.FilePath, folder, ct);
            progress.WriteLine($"Server (pid {server.ProcessId}) listening on {server.Address}.");
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
            {
                BaseAddress = server.Address,
                Timeout = TimeSpan.FromSeconds(30),
            };
            var submits = new SubmitLog();
            var coordinator = new SimulatedUser(study.Coordinator, server.Address, http);
            var raters = study.Raters.Select(account => new SimulatedUser(account, server.Address, http)).ToList();
            try
            {
                clock.Restart();
                await coordinator.SignInAsync(study.Password, ct);
                await coordinator.ConnectAsync(study.StudyId,
                    hub =>
                    {
                        hub.On<RatingSubmittedMessage>("RatingSubmitted", e => submits.EventArrived(e.RaterId, e.ResponseId));
                        hub.On<AgreementUpdatedMessage>("AgreementUpdated", e => submits.AgreementArrived(e.AsOf));
                    }, ct);
                await Parallel.ForEachAsync(raters, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = ct }, async (rater, token) =>
                {
                    await rater.SignInAsync(study.Password, token);
                    await rater.LoadAssignmentsAsync(study.StudyId, token);
                    await rater.ConnectAsync(study.StudyId, null, token);
                });
                progress.WriteLine($"Signed in {raters.Count} raters and the coordinator, all joined to the hub, in {clock.Elapsed.TotalSeconds:0.0} s.");
                progress.WriteLine($"Submitting {settings.Rate:0.#}/s: {settings.WarmUp.TotalSeconds:0.#} s warm-up, then {settings.Duration.TotalSeconds:0.#} s measured.");
                return await DriveAsync(settings, study.StudyId, server, raters, submits, ct);
            }
            finally
            {
                foreach (var user in raters.Append(coordinator)) await user.DisposeAsync();
            }
        }
        finally
        {
            // The pool would keep the file open, and the folder could not be deleted.
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Open loop: submit i leaves at start + i/rate whatever earlier submits are doing, so a slow server
    /// shows as latency, not as a lower rate.</summary>
    static async Task<LoadReport> DriveAsync(LoadSettings settings, long studyId, ServerProcess server, List<SimulatedUser> raters,
        SubmitLog submits, CancellationToken ct)
    {
        var random = new Random(settings.Seed);
        var warmUp = settings.WarmUpSubmits;
        var total = warmUp + settings.MeasuredSubmits;
        var tasks = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        long Due(int i) => start + (long)(i * Stopwatch.Frequency / settings.Rate);
        var maxLag = 0.0;
        var (serverCpu, toolCpu) = (TimeSpan.Zero, TimeSpan.Zero);
        for (var i = 0; i <= total; i++)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Due(i));
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            if (i == warmUp)
            {
                serverCpu = server.ProcessorTime();
                toolCpu = Process.GetCurrentProcess().TotalProcessorTime;
            }
            if (i == total) break;
            if (i >= warmUp) maxLag = Math.Max(maxLag, Stopwatch.GetElapsedTime(Due(i)).TotalMilliseconds);
            var rater = raters[i % raters.Count];
            tasks.Add(SubmitAsync(studyId, rater, rater.NextItem(), StudySetup.RatingValues(random), i >= warmUp, submits, ct));
        }
        var window = Stopwatch.GetElapsedTime(Due(warmUp), Due(total)).TotalSeconds;
        serverCpu = server.ProcessorTime() - serverCpu;
        toolCpu = Process.GetCurrentProcess().TotalProcessorTime - toolCpu;

        await Task.WhenAll(tasks);
        await submits.WaitForEventsAsync(settings.Grace, ct);
        var memory = server.Memory();

        var all = submits.All.ToList();
        var measured = all.Where(s => s.Measured).ToList();
        var sendTimes = measured.Select(s => s.Started).Order().ToList();
        var achieved = sendTimes.Count > 1 ? (sendTimes.Count - 1) / Stopwatch.GetElapsedTime(sendTimes[0], sendTimes[^1]).TotalSeconds : 0;
        var errors = all.Where(s => !s.Stored).ToList();
        var missing = all.Count(s => s.Stored && s.EventAt == 0);
        return new LoadReport(
            raters.Count, settings.Rate, settings.Duration.TotalSeconds,
            Sent: all.Count, Measured: measured.Count, HttpErrors: errors.Count, MissingEvents: missing, UnmatchedEvents: submits.UnexpectedEvents,
            AchievedRate: achieved, MaxScheduleLagMs: maxLag,
            SubmitToEvent: Latency.Of(measured.Where(s => s.Stored && s.EventAt != 0).Select(s => s.EventMilliseconds)),
            Put: Latency.Of(measured.Where(s => s.Stored).Select(s => s.PutMilliseconds)),
            SubmitToAgreement: Latency.Of(measured.Where(s => s.Stored && s.AgreementAt != 0).Select(s => s.AgreementMilliseconds)),
            ServerPeakMemoryBytes: memory?.Peak, ServerMemoryBytes: memory?.Current,
            ServerCpuCores: serverCpu.TotalSeconds / window, ToolCpuCores: toolCpu.TotalSeconds / window,
            ErrorSamples: errors.Select(s => s.Error ?? "unanswered").Distinct().Take(5).ToList());
    }

    static async Task SubmitAsync(long studyId, SimulatedUser rater, long responseId, Dictionary<string, object> values, bool measured,
        SubmitLog submits, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/studies/{studyId}/responses/{responseId}/rating")
        {
            Content = JsonContent.Create(new { values }),
        };
        var submit = submits.Start(rater.Account.Id, responseId, measured);
        try
        {
            using var answer = await rater.SendAsync(request, ct);
            if (!answer.IsSuccessStatusCode)
                submit.Error = $"PUT rating: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(ct)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            submit.Error = $"PUT rating: {e.Message}";
        }
        submit.Answered = Stopwatch.GetTimestamp();
        submit.AnsweredUtc = DateTimeOffset.UtcNow;
    }
}
