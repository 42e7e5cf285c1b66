using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace GradeBench.Benchmarks;

/// <summary>Issue 17's page figures (large-study-pages.sh): starts the web app (Production, loopback) on a database
/// holding the demo study and a large one, signs in through the printed one-time link in Debian's headless Chromium,
/// and times each coordinator page from navigation until it shows its heading and nothing on it is
/// <c>aria-busy="true"</c> (nor an indeterminate progress bar), on a first and a second visit; then reads the server's
/// resident memory (VmRSS).</summary>
public static partial class PageBenchmark
{
    const string Complete = """
        () => document.querySelector('h1') !== null
            && document.querySelector('[aria-busy="true"]') === null
            && document.querySelector('.mud-progress-linear') === null
        """;

    [GeneratedRegex(@"(http://127\.0\.0\.1:\d+/account/link\?token=[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    public static async Task RunAsync(string appPath, string databasePath, string largeSlug, string demoSlug)
    {
        var (large, demo) = (StudyId(databasePath, largeSlug), StudyId(databasePath, demoSlug));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { appPath, "--urls", "http://127.0.0.1:0", "--db", databasePath }) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var app = Process.Start(start)!;
        var link = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.OutputDataReceived += (_, e) => { if (e.Data is not null && LinkPattern().Match(e.Data) is { Success: true } m) link.TrySetResult(m.Groups[1].Value); };
        app.ErrorDataReceived += (_, _) => { };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            var signIn = await link.Task.WaitAsync(TimeSpan.FromSeconds(120));
            var origin = new Uri(signIn).GetLeftPart(UriPartial.Authority);
            Console.WriteLine($"server RSS after start: {RssMegabytes(app.Id)} MB");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("GRADEBENCH_CHROMIUM") ?? "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });
            context.SetDefaultTimeout(900_000);
            var page = await context.NewPageAsync();
            await page.GotoAsync(signIn);
            await page.GetByLabel("New password").FillAsync("a long enough password");
            await page.GetByLabel("Repeat the password").FillAsync("a long enough password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Studies" }).WaitForAsync();

            foreach (var kind in new[] { "dashboard", "results" })
                foreach (var visit in new[] { "first", "second" })
                {
                    var demoMs = await TimeAsync(page, $"{origin}/studies/{demo}/{kind}");
                    var largeMs = await TimeAsync(page, $"{origin}/studies/{large}/{kind}");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{kind}, {visit} visit: demo {demoMs} ms, large {largeMs} ms, ratio {(double)largeMs / Math.Max(demoMs, 1):F1}"));
                }
            Console.WriteLine($"server RSS after opening both studies' dashboards and results: {RssMegabytes(app.Id)} MB");
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    static async Task<long> TimeAsync(IPage page, string address)
    {
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(address, new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync(Complete, null, new() { PollingInterval = 20, Timeout = 900_000 });
        return clock.ElapsedMilliseconds;
    }

    static long StudyId(string databasePath, string slug)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM studies WHERE slug = $slug";
        command.Parameters.AddWithValue("$slug", slug);
        return (long)(command.ExecuteScalar() ?? throw new InvalidOperationException($"No study {slug} in {databasePath}"));
    }

    static long RssMegabytes(int processId) =>
        File.ReadLines($"/proc/{processId}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).Single();
}
