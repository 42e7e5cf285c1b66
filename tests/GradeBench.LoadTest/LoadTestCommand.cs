using System.CommandLine;

namespace GradeBench.LoadTest;

/// <summary>The command line: every number of <see cref="LoadSettings"/> as an option; with none, issue 8's run. Exit code 0
/// when every target was met, 1 when any was missed (the report names which) or the run could not start, 2 for bad options.</summary>
public static class LoadTestCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var defaults = new LoadSettings();
        var raters = new Option<int>("--raters") { Description = "Simulated raters, each signed in with a hub connection", DefaultValueFactory = _ => defaults.Raters };
        var rate = new Option<double>("--rate") { Description = "Submits per second, all raters together", DefaultValueFactory = _ => defaults.Rate };
        var pageRate = new Option<double>("--page-rate") { Description = "Server-rendered page loads per second (grading page and home in turn), all raters together; 0 for none", DefaultValueFactory = _ => defaults.PageRate };
        var circuits = new Option<int?>("--circuits") { Description = "Raters who hold their grading page open in Chromium as an interactive circuit (default: every rater; 0 for no browser)" };
        var chromium = new Option<string>("--chromium") { Description = "Chromium to drive (default: $GRADEBENCH_CHROMIUM, else /usr/bin/chromium)", DefaultValueFactory = _ => defaults.ChromiumPath };
        var rendererLimit = new Option<int>("--renderer-process-limit") { Description = "Chromium's renderer process limit (0: Chromium's own)", DefaultValueFactory = _ => defaults.RendererProcessLimit };
        var maxEventP95 = new Option<double>("--max-event-p95") { Description = "Target: p95 ms from submit to the coordinator's event", DefaultValueFactory = _ => defaults.MaxEventP95Ms };
        var maxPageP95 = new Option<double>("--max-page-p95") { Description = "Target: p95 ms of a page load", DefaultValueFactory = _ => defaults.MaxPageP95Ms };
        var maxMemory = new Option<double>("--max-memory-mb") { Description = "Target: the server's peak working set, MB", DefaultValueFactory = _ => defaults.MaxServerMemoryMB };
        var duration = new Option<double>("--duration") { Description = "Measured seconds", DefaultValueFactory = _ => defaults.Duration.TotalSeconds };
        var warmUp = new Option<double>("--warmup") { Description = "Seconds of submits before measuring", DefaultValueFactory = _ => defaults.WarmUp.TotalSeconds };
        var grace = new Option<double>("--grace") { Description = "Seconds to wait for late events before counting them missing", DefaultValueFactory = _ => defaults.Grace.TotalSeconds };
        var responses = new Option<int?>("--responses") { Description = "Responses in the generated study (default: enough for the run, at least 400)" };
        var ratersPerResponse = new Option<int>("--raters-per-response") { Description = "Raters assigned to each response", DefaultValueFactory = _ => defaults.RatersPerResponse };
        var seed = new Option<int>("--seed") { Description = "Seed of the rating values", DefaultValueFactory = _ => defaults.Seed };
        var serverDll = new Option<FileInfo?>("--server-dll") { Description = "GradeBench.Web.dll to start (default: the one built with this tool)" };
        var nodes = new Option<int>("--nodes") { Description = "Web nodes on the one database; with more than one, raters use all but the last and the coordinator listens on the last", DefaultValueFactory = _ => defaults.Nodes };
        var postgres = new Option<string?>("--postgres") { Description = "An administrator's connection string to a PostgreSQL server, where the run's database is made (default: an SQLite file)" };
        var redis = new Option<string?>("--redis") { Description = "Redis HOST:PORT for the nodes' live events (needed for more than one node)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table" };
        var root = new RootCommand("Load test: raters with open grading pages submit ratings and load pages at steady rates; reports latencies (submit to the coordinator's hub event, page loads), errors, lost ratings and the server's memory, against targets.")
        {
            raters, rate, pageRate, circuits, chromium, rendererLimit, maxEventP95, maxPageP95, maxMemory, duration, warmUp, grace, responses, ratersPerResponse, seed, serverDll, nodes, postgres, redis, json,
        };
        root.SetAction(async (parse, token) =>
        {
            var settings = new LoadSettings
            {
                Raters = parse.GetValue(raters),
                Rate = parse.GetValue(rate),
                PageRate = parse.GetValue(pageRate),
                Circuits = parse.GetValue(circuits),
                ChromiumPath = parse.GetValue(chromium)!,
                RendererProcessLimit = parse.GetValue(rendererLimit),
                MaxEventP95Ms = parse.GetValue(maxEventP95),
                MaxPageP95Ms = parse.GetValue(maxPageP95),
                MaxServerMemoryMB = parse.GetValue(maxMemory),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                WarmUp = TimeSpan.FromSeconds(parse.GetValue(warmUp)),
                Grace = TimeSpan.FromSeconds(parse.GetValue(grace)),
                Responses = parse.GetValue(responses),
                RatersPerResponse = parse.GetValue(ratersPerResponse),
                Seed = parse.GetValue(seed),
                ServerDll = parse.GetValue(serverDll)?.FullName,
                Nodes = parse.GetValue(nodes),
                Postgres = parse.GetValue(postgres),
                Redis = parse.GetValue(redis),
            };
            if (Problem(settings) is { } problem)
            {
                error.WriteLine($"error: {problem}");
                return 2;
            }
            LoadReport report;
            try
            {
                // Progress goes to standard error, so that --json leaves standard output pure JSON.
                report = await LoadRun.RunAsync(settings, error, token);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TimeoutException or Microsoft.Playwright.PlaywrightException)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
            if (parse.GetValue(json)) output.WriteLine(report.ToJson());
            else report.WriteTable(output);
            return report.Succeeded ? 0 : 1;
        });
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
    }

    static string? Problem(LoadSettings s) => s switch
    {
        { Raters: < 1 } => "--raters must be at least 1",
        { Nodes: < 1 } => "--nodes must be at least 1",
        { Nodes: > 1, Redis: null } => "--nodes above 1 needs --redis: live events cross nodes through it",
        { Rate: <= 0 } => "--rate must be positive",
        { PageRate: < 0 } => "--page-rate cannot be negative",
        { Circuits: < 0 } => "--circuits cannot be negative",
        _ when s.CircuitCount > s.Raters => "--circuits cannot exceed --raters (one grading page per rater)",
        { RendererProcessLimit: < 0 } => "--renderer-process-limit cannot be negative",
        _ when s.Duration <= TimeSpan.Zero => "--duration must be positive",
        _ when s.WarmUp < TimeSpan.Zero || s.Grace < TimeSpan.Zero => "--warmup and --grace cannot be negative",
        { RatersPerResponse: < 1 } => "--raters-per-response must be at least 1",
        _ when s.RatersPerResponse > s.Raters => "--raters-per-response cannot exceed --raters",
        { Responses: < 1 } => "--responses must be at least 1",
        _ => null,
    };
}
