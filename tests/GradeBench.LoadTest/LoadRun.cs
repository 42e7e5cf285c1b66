using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using GradeBench.Storage;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;

namespace GradeBench.LoadTest;

/// <summary>One load run from nothing: a fresh database and study, the real server as a process, every rater and
/// the coordinator signed in with a hub connection, raters' grading pages open as interactive circuits in Chromium,
/// then submits and page loads on fixed schedules, timed; at the end the database is checked against every
/// acknowledged submit and the server's log for failures.</summary>
public static partial class LoadRun
{
    /// <summary>Sign-ins, hub connections and browser tabs opened at once while setting up (not part of the measurement).</summary>
    const int SetupParallelism = 8;

    static readonly TimeSpan CircuitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long the server is left alone before its memory is read, so that what a burst allocated has settled.</summary>
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>SQLite's busy and locked errors (SQLITE_BUSY is "database is locked" in its message).</summary>
    [GeneratedRegex(@"database is (locked|busy)|database table is locked|SQLITE_(BUSY|LOCKED)|SQLite Error [56]\b", RegexOptions.IgnoreCase)]
    private static partial Regex BusyPattern();

    /// <summary>Whether a log line or an answer reports SQLite's busy or locked error.</summary>
    public static bool IsBusyFailure(string text) => BusyPattern().IsMatch(text);

    /// <summary>Error and critical entries of the console logger.</summary>
    [GeneratedRegex(@"^\s*(fail|crit):")]
    private static partial Regex ServerErrorPattern();

    public static async Task<LoadReport> RunAsync(LoadSettings settings, TextWriter progress, CancellationToken ct = default)
    {
        var folder = Directory.CreateTempSubdirectory("gradebench-load-").FullName;
        var postgresDatabase = settings.Postgres is { } admin ? await RunDatabase.CreatePostgresAsync(admin, ct) : null;
        var servers = new List<ServerProcess>();
        var clients = new List<HttpClient>();
        try
        {
            await using var database = new Database(postgresDatabase?.ConnectionString ?? Path.Combine(folder, "load.db"));
            var clock = Stopwatch.StartNew();
            var study = await StudySetup.PrepareAsync(database, folder, settings, ct);
            progress.WriteLine($"Prepared a study of {settings.ResponseCount} responses × {settings.RatersPerResponse} raters over {settings.Raters} raters in {clock.Elapsed.TotalSeconds:0.0} s ({database.DisplayName}).");

            // One after the other: the first migrates and settles the database before the next starts.
            for (var n = 0; n < settings.Nodes; n++)
            {
                var server = await ServerProcess.StartAsync(settings.ServerDll ?? ServerProcess.BuiltWebAppPath,
                    database.FilePath ?? postgresDatabase!.ConnectionString, folder, ct, settings.Redis);
                servers.Add(server);
                clients.Add(new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
                {
                    BaseAddress = server.Address,
                    Timeout = TimeSpan.FromSeconds(30),
                });
                progress.WriteLine($"Server {n + 1} of {settings.Nodes} (pid {server.ProcessId}) listening on {server.Address}.");
            }
            var submits = new SubmitLog();
            var responseIds = await ResponseIdsAsync(database, study.StudyId, ct);
            var coordinator = new SimulatedUser(study.Coordinator, servers[^1].Address, clients[^1]);
            // With several nodes, no rater is on the coordinator's: each event is timed across nodes.
            var raterNodes = Math.Max(1, servers.Count - 1);
            var raters = study.Raters.Select((account, i) => new SimulatedUser(account, servers[i % raterNodes].Address, clients[i % raterNodes])).ToList();
            var server0 = servers[0];
            CircuitBrowser? browser = null;
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
                    await rater.LoadAssignmentsAsync(study.StudyId, responseIds, token);
                    await rater.ConnectAsync(study.StudyId, null, token);
                });
                progress.WriteLine($"Signed in {raters.Count} raters and the coordinator, all joined to the hub, in {clock.Elapsed.TotalSeconds:0.0} s.");

                var circuits = new CircuitFigures();
                if (settings.CircuitCount > 0)
                {
                    clock.Restart();
                    browser = await CircuitBrowser.LaunchAsync(settings.ChromiumPath, settings.RendererProcessLimit);
                    circuits = await OpenCircuitsAsync(settings, study.StudyId, server0, browser, coordinator, raters, ct);
                    progress.WriteLine($"Opened {circuits.Interactive} of {circuits.Requested} grading pages as interactive circuits in {clock.Elapsed.TotalSeconds:0.0} s " +
                        $"({circuits.SeenByServer} seen by the server); the browser holds {circuits.BrowserMemoryBytes / 1048576.0:0} MiB in {circuits.BrowserProcesses} processes.");
                }
                progress.WriteLine($"Submitting {settings.Rate:0.#}/s and loading {settings.PageRate:0.#} pages/s: {settings.WarmUp.TotalSeconds:0.#} s warm-up, then {settings.Duration.TotalSeconds:0.#} s measured.");
                var drive = await DriveAsync(settings, study.StudyId, servers, raters, submits, ct);

                if (settings.CircuitCount > 0) circuits = circuits with { AliveAtEnd = await InteractiveRatersAsync(coordinator, study.StudyId, ct) };
                var lost = await LostRatingsAsync(database, study.StudyId, submits.All, ct);
                var log = servers.SelectMany(s => s.LogLines()).ToList();
                var answers = submits.All.Select(s => s.Error).Concat(drive.Pages.Select(p => p.Error)).OfType<string>().ToList();
                return LoadReport.Create(settings, raters.Count, submits, drive, circuits, lost,
                    busyInLog: log.Count(IsBusyFailure),
                    busyAnswers: answers.Count(IsBusyFailure),
                    serverErrors: log.Where(l => ServerErrorPattern().IsMatch(l)).ToList(),
                    memoryAtEnd: server0.Memory());
            }
            finally
            {
                if (browser is not null) await browser.DisposeAsync();
                foreach (var user in raters.Append(coordinator)) await user.DisposeAsync();
            }
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
            foreach (var client in clients) client.Dispose();
            // The pool would keep the file open, and the folder could not be deleted.
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            if (postgresDatabase is not null) await postgresDatabase.DropAsync();
        }
    }

    /// <summary>The server's memory before and after the circuits open, and two checks that they are interactive:
    /// each tab waits for what only a live circuit renders, and the server's presence list shows each rater on the
    /// response their page opened (which a page reports only once interactive).</summary>
    static async Task<CircuitFigures> OpenCircuitsAsync(LoadSettings settings, long studyId, ServerProcess server, CircuitBrowser browser,
        SimulatedUser coordinator, List<SimulatedUser> raters, CancellationToken ct)
    {
        // Render each page once first, so that the figure before the circuits already holds the pages' compiled code.
        foreach (var path in new[] { $"/studies/{studyId}/grade", "/" })
        {
            var warm = await LoadPageAsync(raters[0], path, studyId, measured: false, ct);
            if (warm.Error is not null) throw new InvalidOperationException($"Warming up: {warm.Error}");
        }
        await Task.Delay(Settle, ct);
        var before = server.Memory()?.Current;
        var availableBefore = MachineStats.MemoryAvailableBytes();

        var errors = new ConcurrentQueue<string>();
        var opened = 0;
        await Parallel.ForEachAsync(raters.Take(settings.CircuitCount), new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = ct }, async (rater, _) =>
        {
            try
            {
                await browser.OpenGradingPageAsync(rater, rater.Server, studyId, CircuitTimeout);
                Interlocked.Increment(ref opened);
            }
            catch (Exception e) when (e is InvalidOperationException or Microsoft.Playwright.PlaywrightException or TimeoutException)
            {
                errors.Enqueue(e.Message);
            }
        });
        await Task.Delay(Settle, ct);
        var browserMemory = MachineStats.DescendantsMemory(Environment.ProcessId, CircuitBrowser.ProcessName);
        return new CircuitFigures
        {
            Requested = settings.CircuitCount,
            Interactive = opened,
            SeenByServer = await InteractiveRatersAsync(coordinator, studyId, ct),
            ServerMemoryBeforeBytes = before,
            ServerMemoryWithBytes = server.Memory()?.Current,
            BrowserMemoryBytes = browserMemory?.Bytes,
            BrowserProcesses = browserMemory?.Processes ?? 0,
            MachineMemoryUsedBytes = availableBefore - MachineStats.MemoryAvailableBytes(),
            Errors = errors.ToList(),
        };
    }

    /// <summary>Raters the server shows on a response: only an interactive grading page reports one (hub connections join
    /// with none, and a rater's entry is the one touched last, so these joined first).</summary>
    static async Task<int> InteractiveRatersAsync(SimulatedUser coordinator, long studyId, CancellationToken ct) =>
        (await coordinator.GetPresenceAsync(studyId, ct)).Count(e => e is { Role: "rater", Connected: true, ResponseId: not null });

    /// <summary>Open loop: submit i leaves at start + i/rate and page load j at start + j/page rate, whatever earlier
    /// requests are doing, so a slow server shows as latency, not as a lower rate.</summary>
    static async Task<DriveFigures> DriveAsync(LoadSettings settings, long studyId, IReadOnlyList<ServerProcess> servers, List<SimulatedUser> raters,
        SubmitLog submits, CancellationToken ct)
    {
        var random = new Random(settings.Seed);
        var pages = new ConcurrentQueue<PageLoad>();
        var submitTasks = new List<Task>();
        var pageTasks = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(settings.WarmUp.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);

        var window = WatchWindowAsync(servers, windowStart, windowEnd, ct);
        var submitting = ScheduleAsync(settings.Rate, settings.WarmUpSubmits, settings.MeasuredSubmits, start, i =>
        {
            var rater = raters[i % raters.Count];
            submitTasks.Add(SubmitAsync(studyId, rater, rater.NextItem(), StudySetup.RatingValues(random), i >= settings.WarmUpSubmits, submits, ct));
        }, ct);
        var paging = ScheduleAsync(settings.PageRate, settings.WarmUpPages, settings.MeasuredPages, start, j =>
        {
            // Every rater in turn; each one's grading page and the home page alternately.
            var rater = raters[j % raters.Count];
            var path = (j / raters.Count + j) % 2 == 0 ? $"/studies/{studyId}/grade" : "/";
            pageTasks.Add(LoadPageAsync(rater, path, studyId, j >= settings.WarmUpPages, ct).ContinueWith(t => pages.Enqueue(t.Result), TaskContinuationOptions.OnlyOnRanToCompletion));
        }, ct);
        var (submitLag, pageLag) = (await submitting, await paging);
        var (serverCpu, toolCpu, browserCpu, loadStart, loadEnd) = await window;

        await Task.WhenAll(submitTasks.Concat(pageTasks));
        await submits.WaitForEventsAsync(settings.Grace, ct);
        return new DriveFigures(pages.ToList(), Math.Max(submitLag, pageLag), serverCpu, toolCpu, browserCpu, loadStart, loadEnd);
    }

    /// <summary>Calls <paramref name="send"/> for i = 0 … warm-up + measured − 1 at start + i/rate; returns the largest
    /// lag behind the schedule in the measured part, in ms.</summary>
    static async Task<double> ScheduleAsync(double rate, int warmUp, int measured, long start, Action<int> send, CancellationToken ct)
    {
        var maxLag = 0.0;
        if (rate <= 0) return maxLag;
        long Due(int i) => start + (long)(i * Stopwatch.Frequency / rate);
        for (var i = 0; i < warmUp + measured; i++)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Due(i));
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            if (i >= warmUp) maxLag = Math.Max(maxLag, Stopwatch.GetElapsedTime(Due(i)).TotalMilliseconds);
            send(i);
        }
        return maxLag;
    }

    /// <summary>Processor time of the servers (all nodes together), this tool and the browser over the measured window, in
    /// cores, and the load average at its start and end.</summary>
    static async Task<(double ServerCpu, double ToolCpu, double BrowserCpu, double LoadStart, double LoadEnd)> WatchWindowAsync(IReadOnlyList<ServerProcess> servers, long windowStart, long windowEnd, CancellationToken ct)
    {
        async Task Until(long timestamp)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        }
        await Until(windowStart);
        TimeSpan Browser() => MachineStats.DescendantsProcessorTime(Environment.ProcessId, CircuitBrowser.ProcessName);
        TimeSpan Servers() => servers.Aggregate(TimeSpan.Zero, (sum, server) => sum + server.ProcessorTime());
        var (server0, tool0, browser0, load0, at0) = (Servers(), Process.GetCurrentProcess().TotalProcessorTime, Browser(), MachineStats.LoadAverage(), Stopwatch.GetTimestamp());
        await Until(windowEnd);
        var seconds = Stopwatch.GetElapsedTime(at0).TotalSeconds;
        return ((Servers() - server0).TotalSeconds / seconds, (Process.GetCurrentProcess().TotalProcessorTime - tool0).TotalSeconds / seconds,
            (Browser() - browser0).TotalSeconds / seconds, load0, MachineStats.LoadAverage());
    }

    static async Task<IReadOnlyDictionary<string, long>> ResponseIdsAsync(Database database, long studyId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<(string Handle, long Id)>(new CommandDefinition(
            "SELECT handle, id FROM responses WHERE study_id = @studyId", new { studyId }, cancellationToken: ct))).ToDictionary(r => r.Handle, r => r.Id);
    }

    static async Task SubmitAsync(long studyId, SimulatedUser rater, AssignedItem item, Dictionary<string, object> values, bool measured,
        SubmitLog submits, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/studies/{studyId}/responses/{item.Handle}/rating")
        {
            Content = JsonContent.Create(new { values }),
        };
        var submit = submits.Start(rater.Account.Id, item.Id, measured);
        try
        {
            using var answer = await rater.SendAsync(request, ct);
            if (!answer.IsSuccessStatusCode)
                submit.Error = $"PUT rating: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(ct)}";
            else
                submit.StoredValues = (await answer.Content.ReadFromJsonAsync<RatingSavedMessage>(ct))?.Values;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            submit.Error = $"PUT rating: {e.Message}";
        }
        submit.Answered = Stopwatch.GetTimestamp();
        submit.AnsweredUtc = DateTimeOffset.UtcNow;
    }

    /// <summary>A server-rendered page as a browser first loads it (with the rater's cookie), timed to its last byte, and
    /// checked to show what it should: the rater's item (or that all are done), or the study on the home page.</summary>
    static async Task<PageLoad> LoadPageAsync(SimulatedUser rater, string path, long studyId, bool measured, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        string? error = null;
        try
        {
            using var answer = await rater.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);
            var body = await answer.Content.ReadAsStringAsync(ct);
            string[] expected = path == "/" ? [StudySetup.Title] : ["aria-label=\"Response\"", "All your assigned responses are done"];
            if (answer.StatusCode != System.Net.HttpStatusCode.OK) error = $"GET {path}: {(int)answer.StatusCode} {answer.Headers.Location}";
            else if (!expected.Any(body.Contains)) error = $"GET {path}: the page does not show \"{expected[0]}\"";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            error = $"GET {path}: {e.Message}";
        }
        return new PageLoad(path, measured, Stopwatch.GetElapsedTime(started).TotalMilliseconds, error);
    }

    /// <summary>Acknowledged submits whose rating the database does not hold as submitted with the values the server
    /// answered (any one of them, should a rater have submitted the same response twice).</summary>
    static async Task<int> LostRatingsAsync(Database database, long studyId, IEnumerable<Submit> submits, CancellationToken ct)
    {
        const string sql = """
            SELECT r.rater_id AS RaterId, r.response_id AS ResponseId, c.slug AS Criterion, r.value AS Value, r.status AS Status
            FROM ratings r JOIN criteria c ON c.id = r.criterion_id
            WHERE c.study_id = @studyId
            """;
        await using var connection = await database.OpenAsync(ct);
        var stored = (await connection.QueryAsync<(long RaterId, long ResponseId, string Criterion, string? Value, string Status)>(
                new CommandDefinition(sql, new { studyId }, cancellationToken: ct)))
            .ToLookup(r => (r.RaterId, r.ResponseId));
        var lost = 0;
        foreach (var pair in submits.Where(s => s.Stored).GroupBy(s => (s.RaterId, s.ResponseId)))
        {
            var rows = stored[pair.Key].ToDictionary(r => r.Criterion);
            bool Holds(IReadOnlyDictionary<string, string>? values) => values is { Count: > 0 } && values.All(v =>
                rows.TryGetValue(v.Key, out var row) && row.Status == "submitted" && row.Value == v.Value);
            if (!pair.Any(s => Holds(s.StoredValues))) lost++;
        }
        return lost;
    }
}

/// <summary>What the PUT answers: the rating as stored.</summary>
sealed record RatingSavedMessage(long ResponseId, bool Done, Dictionary<string, string> Values);

sealed record PageLoad(string Path, bool Measured, double Milliseconds, string? Error);

sealed record DriveFigures(IReadOnlyList<PageLoad> Pages, double MaxScheduleLagMs, double ServerCpuCores, double ToolCpuCores, double BrowserCpuCores,
    double LoadAverageStart, double LoadAverageEnd);

/// <summary>The interactive circuits of a run and what they cost. Memory in bytes; null where /proc is not there.</summary>
public sealed record CircuitFigures
{
    public int Requested { get; init; }

    /// <summary>Tabs whose grading page became interactive in the browser.</summary>
    public int Interactive { get; init; }

    /// <summary>Raters the server showed on a response once the tabs were open, and at the end of the run.</summary>
    public int SeenByServer { get; init; }
    public int AliveAtEnd { get; init; }

    public long? ServerMemoryBeforeBytes { get; init; }
    public long? ServerMemoryWithBytes { get; init; }
    public long? BrowserMemoryBytes { get; init; }
    public int BrowserProcesses { get; init; }

    /// <summary>How much the machine's available memory fell while the tabs opened (the browser, the server and anything else running).</summary>
    public long? MachineMemoryUsedBytes { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The server's resident memory per circuit: with the circuits minus before them, over the circuits open.</summary>
    public double? ServerKBPerCircuit => Interactive > 0 && ServerMemoryWithBytes is { } with && ServerMemoryBeforeBytes is { } before
        ? (with - before) / 1024.0 / Interactive : null;
}
