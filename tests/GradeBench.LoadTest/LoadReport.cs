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

/// <summary>What one run saw. Errors and missing events count every submit, warm-up included; the latencies and the
/// achieved rate only the measured window. CPU is in cores (processor time over wall time of the measured window).</summary>
public sealed record LoadReport(
    int Raters,
    double TargetRate,
    double DurationSeconds,
    int Sent,
    int Measured,
    int HttpErrors,
    int MissingEvents,
    int UnmatchedEvents,
    double AchievedRate,
    double MaxScheduleLagMs,
    Latency SubmitToEvent,
    Latency Put,
    Latency SubmitToAgreement,
    long? ServerPeakMemoryBytes,
    long? ServerMemoryBytes,
    double ServerCpuCores,
    double ToolCpuCores,
    IReadOnlyList<string> ErrorSamples)
{
    public bool Succeeded => HttpErrors == 0 && MissingEvents == 0 && Sent > 0;

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void WriteTable(TextWriter output)
    {
        static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);
        static string MiB(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("0", CultureInfo.InvariantCulture) + " MiB" : "-";
        var i = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(i, $"{Raters} raters, target {TargetRate:0.#}/s for {DurationSeconds:0.#} s"));
        output.WriteLine(string.Create(i, $"submits sent       {Sent} ({Measured} measured)"));
        output.WriteLine(string.Create(i, $"achieved rate      {AchievedRate:0.00}/s (largest schedule lag {MaxScheduleLagMs:0.0} ms)"));
        output.WriteLine($"HTTP errors        {HttpErrors}");
        output.WriteLine($"missing events     {MissingEvents}{(UnmatchedEvents > 0 ? $" ({UnmatchedEvents} events matched no submit)" : "")}");
        output.WriteLine();
        output.WriteLine("latency (ms)          count      p50      p95      p99      max");
        foreach (var (name, l) in new[] { ("submit -> event", SubmitToEvent), ("PUT answered", Put), ("submit -> alpha", SubmitToAgreement) })
            output.WriteLine($"{name,-18}{l.Count,9}{Ms(l.P50),9}{Ms(l.P95),9}{Ms(l.P99),9}{Ms(l.Max),9}");
        output.WriteLine();
        output.WriteLine($"server memory      peak {MiB(ServerPeakMemoryBytes)}, at the end {MiB(ServerMemoryBytes)}");
        output.WriteLine(string.Create(i, $"CPU (cores)        server {ServerCpuCores:0.00}, this tool {ToolCpuCores:0.00} (of {Environment.ProcessorCount})"));
        foreach (var sample in ErrorSamples) output.WriteLine($"error: {sample}");
    }
}
