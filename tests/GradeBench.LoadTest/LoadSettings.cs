namespace GradeBench.LoadTest;

/// <summary>The shape of one load run: how many raters, how fast they submit in total, for how long.</summary>
public sealed record LoadSettings
{
    public int Raters { get; init; } = 200;

    /// <summary>Submits per second across all raters, on a fixed schedule whatever the server's answers take.</summary>
    public double Rate { get; init; } = 20;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Submits before the measured window (the server's JIT, pools and caches warming up): sent, checked, not timed.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after the last answer an event may still arrive before it counts as missing.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Responses in the generated study; null: enough that no rater submits the same response twice.</summary>
    public int? Responses { get; init; }

    public int RatersPerResponse { get; init; } = 3;

    public int Seed { get; init; } = 1;

    /// <summary>The built GradeBench.Web.dll to start; null: the one built beside this tool.</summary>
    public string? ServerDll { get; init; }

    public int WarmUpSubmits => (int)Math.Round(Rate * WarmUp.TotalSeconds);

    public int MeasuredSubmits => (int)Math.Round(Rate * Duration.TotalSeconds);

    // A quarter more than the submits: the planner balances, but a rater's share can still be a few items short of the average.
    public int ResponseCount => Responses ?? Math.Max(400, (int)Math.Ceiling((WarmUpSubmits + MeasuredSubmits) * 1.25 / RatersPerResponse));
}
