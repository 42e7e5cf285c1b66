using System.CommandLine;

namespace GradeBench.LoadTest;

/// <summary>The command line: every number of <see cref="LoadSettings"/> as an option. Exit code 0 when every submit
/// was stored and announced, 1 when any failed or went unannounced (or the run could not start), 2 for bad options.</summary>
public static class LoadTestCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var defaults = new LoadSettings();
        var raters = new Option<int>("--raters") { Description = "Simulated raters, each signed in with a hub connection", DefaultValueFactory = _ => defaults.Raters };
        var rate = new Option<double>("--rate") { Description = "Submits per second, all raters together", DefaultValueFactory = _ => defaults.Rate };
        var duration = new Option<double>("--duration") { Description = "Measured seconds", DefaultValueFactory = _ => defaults.Duration.TotalSeconds };
        var warmUp = new Option<double>("--warmup") { Description = "Seconds of submits before measuring", DefaultValueFactory = _ => defaults.WarmUp.TotalSeconds };
        var grace = new Option<double>("--grace") { Description = "Seconds to wait for late events before counting them missing", DefaultValueFactory = _ => defaults.Grace.TotalSeconds };
        var responses = new Option<int?>("--responses") { Description = "Responses in the generated study (default: enough for the run, at least 400)" };
        var ratersPerResponse = new Option<int>("--raters-per-response") { Description = "Raters assigned to each response", DefaultValueFactory = _ => defaults.RatersPerResponse };
        var seed = new Option<int>("--seed") { Description = "Seed of the rating values", DefaultValueFactory = _ => defaults.Seed };
        var serverDll = new Option<FileInfo?>("--server-dll") { Description = "GradeBench.Web.dll to start (default: the one built with this tool)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table" };
        var root = new RootCommand("Load test of live updates: raters submit ratings at a steady rate; reports the time from submit to the coordinator's hub event.")
        {
            raters, rate, duration, warmUp, grace, responses, ratersPerResponse, seed, serverDll, json,
        };
        root.SetAction(async (parse, token) =>
        {
            var settings = new LoadSettings
            {
                Raters = parse.GetValue(raters),
                Rate = parse.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                WarmUp = TimeSpan.FromSeconds(parse.GetValue(warmUp)),
                Grace = TimeSpan.FromSeconds(parse.GetValue(grace)),
                Responses = parse.GetValue(responses),
                RatersPerResponse = parse.GetValue(ratersPerResponse),
                Seed = parse.GetValue(seed),
                ServerDll = parse.GetValue(serverDll)?.FullName,
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
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TimeoutException)
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
        { Rate: <= 0 } => "--rate must be positive",
        _ when s.Duration <= TimeSpan.Zero => "--duration must be positive",
        _ when s.WarmUp < TimeSpan.Zero || s.Grace < TimeSpan.Zero => "--warmup and --grace cannot be negative",
        { RatersPerResponse: < 1 } => "--raters-per-response must be at least 1",
        _ when s.RatersPerResponse > s.Raters => "--raters-per-response cannot exceed --raters",
        { Responses: < 1 } => "--responses must be at least 1",
        _ => null,
    };
}
