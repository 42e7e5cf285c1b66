using Dapper;
using GradeBench.LoadTest;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Issue 22's deployment on loopback: PostgreSQL, Redis and two web nodes of one installation. A cookie from
/// node A works on node B; a rater grading on A moves the coordinator's dashboard on B within a second; with Redis
/// stopped ratings still save, B says its live updates are paused, and once Redis is back B shows them all.</summary>
[Trait("Provider", "PostgresOnly")]
public sealed class TwoNodesTests
{
    static readonly string Admin = TestPostgres.AdminConnectionString
        ?? throw new InvalidOperationException("Set GRADEBENCH_TEST_POSTGRES (test.sh does): these tests need a PostgreSQL server.");

    [Fact]
    public async Task ARaterOnNodeAMovesTheDashboardOnNodeBAndStoppingRedisLosesNothing()
    {
        // Without a server RunningApp would give A an SQLite file: this says why instead.
        _ = Admin;
        using var redis = new TestRedis();
        // A sets up a new PostgreSQL database of its own (RunningApp), which B serves too.
        await using var a = await RunningApp.StartAsync(arguments: ["--redis", redis.Configuration]);
        await using var b = await RunningApp.StartAsync(database: a.Database, arguments: ["--redis", redis.Configuration], setsUp: false);
        try
        {
            await a.BrowserJourneyAsync(browser => JourneyAsync(a, b, redis, browser));
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- node B's log ---\n{b.Log}", e);
        }

        await using var connection = await AppDatabase.OpenAsync(a.Database);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(DISTINCT r.response_id) FROM ratings r JOIN users u ON u.id = r.rater_id
            WHERE u.username = 'dr-far' AND r.status = 'submitted'
            """));
    }

    static async Task JourneyAsync(RunningApp a, RunningApp b, TestRedis redis, IBrowser browser)
    {
        // The administrator signs in on A; the cookie A issued opens B (cookies do not depend on the port).
        var coordinator = await (await browser.NewContextAsync(Journeys.Laptop)).NewPageAsync();
        await Journeys.SignInAsAdministratorAsync(coordinator, a);
        await coordinator.GotoAsync(b.BaseAddress + "/");
        await Expect(coordinator.GetByRole(AriaRole.Heading, new() { Name = "Studies" })).ToBeVisibleAsync();
        Assert.StartsWith(b.BaseAddress, coordinator.Url);
        await Journeys.FollowAsync(coordinator, "Dashboard", "**/dashboard");
        await Expect(coordinator.Locator("[aria-busy='true']")).ToHaveCountAsync(0);

        // A rater joins and grades on A.
        var rater = await Journeys.JoinAsync(a, browser, TestPaths.DemoStudyId, "rater", "dr-far", "Dr Far");
        await Journeys.FollowAsync(rater, "Start grading", "**/grade");
        await Expect(rater.GetByText("Keyboard:")).ToBeVisibleAsync();
        var assigned = (await rater.GetByLabel("Progress").TextContentAsync())!.Split(" / ")[1];
        var itemHeading = rater.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^Response \d+ of") });

        // B's dashboard shows the rater online on A, and their submit within a second.
        var raterRow = coordinator.GetByRole(AriaRole.Table, new() { Name = "Progress per rater" }).GetByRole(AriaRole.Row, new() { Name = "Dr Far" });
        await Expect(raterRow).ToContainTextAsync($"0 / {assigned}");
        await Expect(raterRow).ToContainTextAsync("online, on ");
        await SubmitAsync(rater, 1, assigned);
        await Expect(raterRow).ToContainTextAsync($"1 / {assigned}", new() { Timeout = 1000 });
        await Expect(coordinator.GetByRole(AriaRole.List, new() { Name = "Recent activity" })).ToContainTextAsync("Dr Far submitted");

        // Redis stops: the rating still saves on A, and B says its live updates are paused.
        redis.Stop();
        await Expect(itemHeading).ToContainTextAsync($"Response 2 of {assigned}");
        await SubmitAsync(rater, 2, assigned);
        await Expect(coordinator.GetByText("Live updates are paused")).ToBeVisibleAsync();
        await Expect(raterRow).ToContainTextAsync($"1 / {assigned}");

        // Redis is back: B reads its state again and the notice goes.
        redis.Start();
        await Expect(coordinator.GetByText("Live updates are paused")).Not.ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(raterRow).ToContainTextAsync($"2 / {assigned}");
    }

    static async Task SubmitAsync(IPage rater, int done, string assigned)
    {
        foreach (var criterion in Journeys.DemoChoiceCriteria)
            await rater.GetByRole(AriaRole.Radiogroup, new() { Name = criterion }).GetByRole(AriaRole.Radio).First.CheckAsync();
        await rater.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(rater.GetByLabel("Progress")).ToHaveTextAsync($"{done} / {assigned}");
    }

    /// <summary>The load tool across the two nodes: raters on A, the coordinator's hub connection on B, every event timed
    /// across them. Checked for completeness, not timings (those are docs/benchmarks.md's, "Two nodes").</summary>
    [Fact]
    public async Task TheLoadToolRunsAcrossTwoNodesAndEveryEventArrivesOnTheOther()
    {
        using var redis = new TestRedis();
        var progress = new StringWriter();
        var report = await LoadRun.RunAsync(new LoadSettings
        {
            Raters = 5,
            Rate = 5,
            PageRate = 2,
            Duration = TimeSpan.FromSeconds(3),
            WarmUp = TimeSpan.FromSeconds(1),
            Responses = 30,
            Circuits = 2,
            Nodes = 2,
            Postgres = Admin,
            Redis = redis.Configuration,
            ChromiumPath = Browser.ExecutablePath,
            ServerDll = RunningApp.BuiltAppPath,
        }, progress);

        var details = $"{progress}\n{report.ToJson()}";
        Assert.True(report is { Sent: 20, HttpErrors: 0, MissingEvents: 0, LostRatings: 0, ServerErrorLogs: 0 }, details);
        Assert.True(report.SubmitToEvent.Count == 15, details);
        // Presence crosses too: the coordinator's node shows the raters whose pages are open on the other.
        Assert.True(report.Circuits is { Requested: 2, Interactive: 2, SeenByServer: 2, AliveAtEnd: 2 }, details);
    }
}
