using System.Globalization;
using System.Text.Json;

namespace GradeBench.LoadTest;

/// <summary>Latencies in milliseconds; percentiles by nearest rank.</summary>
public sealed record Latency(int Count, double P50, double P95, double P99, double Max)
{
    public static Latency Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0) return new Latency(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Latency(sorted.Length, Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1]);
    }
}

/// <summary>What one run saw. Errors, missing events and lost ratings count every request, warm-up included; the
/// latencies and the achieved rate only the measured window. CPU is in cores (processor time over wall time of the
/// measured window); memory in bytes. <see cref="Failures"/> names every target missed; the run succeeded when there is none.</summary>
public sealed record LoadReport(
    int Raters,
    double TargetRate,
    double PageRate,
    double DurationSeconds,
    int Sent,
    int Measured,
    int HttpErrors,
    int MissingEvents,
    int UnmatchedEvents,
    int LostRatings,
    int PagesSent,
    int PageErrors,
    int BusyInServerLog,
    int BusyAnswers,
    int ServerErrorLogs,
    double AchievedRate,
    double MaxScheduleLagMs,
    Latency SubmitToEvent,
    Latency Put,
    Latency SubmitToAgreement,
    Latency Pages,
    Latency GradePage,
    Latency HomePage,
    CircuitFigures Circuits,
    long? ServerPeakMemoryBytes,
    long? ServerMemoryBytes,
    double ServerCpuCores,
    double ToolCpuCores,
    double BrowserCpuCores,
    double LoadAverageStart,
    double LoadAverageEnd,
    IReadOnlyList<string> Failures,
    IReadOnlyList<string> ErrorSamples)
{
    public bool Succeeded => Failures.Count == 0;

    internal static LoadReport Create(LoadSettings settings, int raters, SubmitLog submits, DriveFigures drive, CircuitFigures circuits,
        int lost, int busyInLog, int busyAnswers, IReadOnlyList<string> serverErrors, (long Peak, long Current)? memoryAtEnd)
    {
        var all = submits.All.ToList();
        var measured = all.Where(s => s.Measured).ToList();
        var sendTimes = measured.Select(s => s.Started).Order().ToList();
        var achieved = sendTimes.Count > 1 ? (sendTimes.Count - 1) / System.Diagnostics.Stopwatch.GetElapsedTime(sendTimes[0], sendTimes[^1]).TotalSeconds : 0;
        var errors = all.Where(s => !s.Stored).ToList();
        var pageErrors = drive.Pages.Where(p => p.Error is not null).ToList();
        var measuredPages = drive.Pages.Where(p => p.Measured && p.Error is null).ToList();
        var report = new LoadReport(
            raters, settings.Rate, settings.PageRate, settings.Duration.TotalSeconds,
            Sent: all.Count, Measured: measured.Count, HttpErrors: errors.Count,
            MissingEvents: all.Count(s => s.Stored && s.EventAt == 0), UnmatchedEvents: submits.UnexpectedEvents, LostRatings: lost,
            PagesSent: drive.Pages.Count, PageErrors: pageErrors.Count,
            BusyInServerLog: busyInLog, BusyAnswers: busyAnswers, ServerErrorLogs: serverErrors.Count,
            AchievedRate: achieved, MaxScheduleLagMs: drive.MaxScheduleLagMs,
            SubmitToEvent: Latency.Of(measured.Where(s => s.Stored && s.EventAt != 0).Select(s => s.EventMilliseconds)),
            Put: Latency.Of(measured.Where(s => s.Stored).Select(s => s.PutMilliseconds)),
            SubmitToAgreement: Latency.Of(measured.Where(s => s.Stored && s.AgreementAt != 0).Select(s => s.AgreementMilliseconds)),
            Pages: Latency.Of(measuredPages.Select(p => p.Milliseconds)),
            GradePage: Latency.Of(measuredPages.Where(p => p.Path != "/").Select(p => p.Milliseconds)),
            HomePage: Latency.Of(measuredPages.Where(p => p.Path == "/").Select(p => p.Milliseconds)),
            Circuits: circuits,
            ServerPeakMemoryBytes: memoryAtEnd?.Peak, ServerMemoryBytes: memoryAtEnd?.Current,
            ServerCpuCores: drive.ServerCpuCores, ToolCpuCores: drive.ToolCpuCores, BrowserCpuCores: drive.BrowserCpuCores,
            LoadAverageStart: drive.LoadAverageStart, LoadAverageEnd: drive.LoadAverageEnd,
            Failures: [],
            ErrorSamples: errors.Select(s => s.Error ?? "unanswered").Concat(pageErrors.Select(p => p.Error!)).Concat(circuits.Errors)
                .Concat(serverErrors.Select(l => "server log: " + l.Trim())).Distinct().Take(8).ToList());
        return report with { Failures = report.Check(settings) };
    }

    /// <summary>Every target the run missed, in words.</summary>
    List<string> Check(LoadSettings settings)
    {
        var i = CultureInfo.InvariantCulture;
        var failures = new List<string>();
        void Zero(int count, string what)
        {
            if (count > 0) failures.Add($"{count} {what}");
        }
        if (Sent == 0) failures.Add("no submit was sent");
        Zero(HttpErrors, "submits failed");
        Zero(MissingEvents, "submits never reached the coordinator");
        Zero(LostRatings, "acknowledged ratings are not in the database as answered");
        Zero(PageErrors, "page loads failed");
        Zero(BusyInServerLog + BusyAnswers, "'database is busy' failures");
        Zero(ServerErrorLogs, "errors in the server's log");
        if (Circuits.Requested > 0)
        {
            Zero(Circuits.Requested - Circuits.Interactive, "grading pages did not become interactive");
            Zero(Circuits.Requested - Circuits.SeenByServer, "circuits the server did not show once the pages were open");
            Zero(Circuits.Requested - Circuits.AliveAtEnd, "circuits the server no longer showed at the end");
        }
        if (!(SubmitToEvent.P95 <= settings.MaxEventP95Ms))
            failures.Add(string.Create(i, $"submit -> event p95 {SubmitToEvent.P95:0.0} ms, target under {settings.MaxEventP95Ms:0.#} ms"));
        if (PagesSent > 0 && !(Pages.P95 <= settings.MaxPageP95Ms))
            failures.Add(string.Create(i, $"page load p95 {Pages.P95:0.0} ms, target under {settings.MaxPageP95Ms:0.#} ms"));
        if (ServerPeakMemoryBytes is { } peak && peak >= settings.MaxServerMemoryMB * 1e6)
            failures.Add(string.Create(i, $"server peak working set {peak / 1e6:0} MB, target under {settings.MaxServerMemoryMB:0} MB"));
        return failures;
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void WriteTable(TextWriter output)
    {
        static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);
        // MB of 1,000,000 bytes, the unit of issue 8's target.
        static string MB(long? bytes) => bytes is { } b ? (b / 1e6).ToString("0", CultureInfo.InvariantCulture) + " MB" : "-";
        var i = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(i, $"{Raters} raters, {TargetRate:0.#} submits/s and {PageRate:0.#} page loads/s for {DurationSeconds:0.#} s, {Circuits.Requested} circuits"));
        output.WriteLine(string.Create(i, $"load average       {LoadAverageStart:0.0} at the start, {LoadAverageEnd:0.0} at the end ({Environment.ProcessorCount} cores)"));
        output.WriteLine(string.Create(i, $"submits sent       {Sent} ({Measured} measured)"));
        output.WriteLine(string.Create(i, $"achieved rate      {AchievedRate:0.00}/s (largest schedule lag {MaxScheduleLagMs:0.0} ms)"));
        output.WriteLine($"HTTP errors        {HttpErrors} submits, {PageErrors} of {PagesSent} page loads");
        output.WriteLine($"missing events     {MissingEvents}{(UnmatchedEvents > 0 ? $" ({UnmatchedEvents} events matched no submit)" : "")}");
        output.WriteLine($"lost ratings       {LostRatings}");
        output.WriteLine($"database busy      {BusyInServerLog} in the server's log, {BusyAnswers} in answers");
        output.WriteLine($"server log errors  {ServerErrorLogs}");
        if (Circuits.Requested > 0)
            output.WriteLine($"circuits           {Circuits.Interactive} of {Circuits.Requested} interactive in the browser; the server showed {Circuits.SeenByServer} once open, {Circuits.AliveAtEnd} at the end");
        output.WriteLine();
        output.WriteLine("latency (ms)          count      p50      p95      p99      max");
        foreach (var (name, l) in new[] { ("submit -> event", SubmitToEvent), ("PUT answered", Put), ("submit -> alpha", SubmitToAgreement),
                     ("page load", Pages), ("  grading page", GradePage), ("  home page", HomePage) })
            output.WriteLine($"{name,-18}{l.Count,9}{Ms(l.P50),9}{Ms(l.P95),9}{Ms(l.P99),9}{Ms(l.Max),9}");
        output.WriteLine();
        output.WriteLine($"server memory      {(Circuits.Requested > 0 ? $"before the circuits {MB(Circuits.ServerMemoryBeforeBytes)}, with them {MB(Circuits.ServerMemoryWithBytes)}, " : "")}peak {MB(ServerPeakMemoryBytes)}, at the end {MB(ServerMemoryBytes)}");
        if (Circuits.ServerKBPerCircuit is { } perCircuit)
            output.WriteLine(string.Create(i, $"per circuit        {perCircuit:0} KiB of server memory"));
        if (Circuits.Requested > 0)
            output.WriteLine($"browser            {MB(Circuits.BrowserMemoryBytes)} (PSS of {Circuits.BrowserProcesses} processes); the machine's available memory fell {MB(Circuits.MachineMemoryUsedBytes)} as the tabs opened");
        var browser = Circuits.Requested > 0 ? string.Create(i, $", the browser {BrowserCpuCores:0.00}") : "";
        output.WriteLine(string.Create(i, $"CPU (cores)        server {ServerCpuCores:0.00}, this tool {ToolCpuCores:0.00}{browser} (of {Environment.ProcessorCount})"));
        foreach (var sample in ErrorSamples) output.WriteLine($"error: {sample}");
        output.WriteLine(Succeeded ? "every target met" : "targets missed:");
        foreach (var failure in Failures) output.WriteLine($"  {failure}");
    }
}
