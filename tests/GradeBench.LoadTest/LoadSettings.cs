namespace GradeBench.LoadTest;

/// <summary>The shape of one load run: how many raters, how fast they submit and load pages in total, for how long,
/// how many of them hold a grading page open in a browser, and the targets the run must meet. The defaults are issue 8's run.</summary>
public sealed record LoadSettings
{
    public int Raters { get; init; } = 200;

    /// <summary>Submits per second across all raters, on a fixed schedule whatever the server's answers take.</summary>
    public double Rate { get; init; } = 20;

    /// <summary>Server-rendered page loads per second across all raters (the grading page and home, in turn), on a
    /// fixed schedule of their own beside the submits.</summary>
    public double PageRate { get; init; } = 10;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Raters who also hold an interactive grading page open in Chromium for the whole run; null: every rater.</summary>
    public int? Circuits { get; init; }

    public string ChromiumPath { get; init; } = Environment.GetEnvironmentVariable("GRADEBENCH_CHROMIUM") ?? "/usr/bin/chromium";

    /// <summary>Chromium's --renderer-process-limit; 0 leaves Chromium's own choice.</summary>
    public int RendererProcessLimit { get; init; } = 4;

    /// <summary>Target: p95 from submit to the coordinator's event, in ms (docs/benchmarks.md, issue 6).</summary>
    public double MaxEventP95Ms { get; init; } = 50;

    /// <summary>Target: p95 of a server-rendered page load, in ms.</summary>
    public double MaxPageP95Ms { get; init; } = 200;

    /// <summary>Target: the server's peak working set (VmHWM), in MB of 1,000,000 bytes (issue 8).</summary>
    public double MaxServerMemoryMB { get; init; } = 600;

    /// <summary>Submits before the measured window (the server's JIT, pools and caches warming up): sent, checked, not timed.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after the last answer an event may still arrive before it counts as missing.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Responses in the generated study; null: enough that no rater submits the same response twice.</summary>
    public int? Responses { get; init; }

    public int RatersPerResponse { get; init; } = 3;

    public int Seed { get; init; } = 1;

    /// <summary>Web nodes serving one database. With more than one, raters submit to every node but the last, and the
    /// coordinator listens on the last: every timed event crosses from one node to another (issue 22).</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>An administrator's connection string to a PostgreSQL server: the run's database is made there, and dropped
    /// at the end; null: an SQLite file.</summary>
    public string? Postgres { get; init; }

    /// <summary>The nodes' Redis (GradeBench:Redis), which carries live events between them; needed for more than one node.</summary>
    public string? Redis { get; init; }

    /// <summary>The built GradeBench.Web.dll to start; null: the one built beside this tool.</summary>
    public string? ServerDll { get; init; }

    public int WarmUpSubmits => (int)Math.Round(Rate * WarmUp.TotalSeconds);

    public int MeasuredSubmits => (int)Math.Round(Rate * Duration.TotalSeconds);

    public int WarmUpPages => (int)Math.Round(PageRate * WarmUp.TotalSeconds);

    public int MeasuredPages => (int)Math.Round(PageRate * Duration.TotalSeconds);

    public int CircuitCount => Circuits ?? Raters;

    // A quarter more than the submits: the planner balances, but a rater's share can still be a few items short of the average.
    public int ResponseCount => Responses ?? Math.Max(400, (int)Math.Ceiling((WarmUpSubmits + MeasuredSubmits) * 1.25 / RatersPerResponse));
}
