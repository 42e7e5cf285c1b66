using System.Net;
using Microsoft.Playwright;

namespace GradeBench.LoadTest;

/// <summary>Real interactive Blazor circuits: one headless Chromium (Debian's, driven by Playwright; never downloaded)
/// with one tab per rater on the grading page, each tab carrying that rater's sign-in cookie. A tab counts as open once
/// the page shows its keyboard shortcuts, which it does only after the circuit has rendered and its JavaScript interop
/// has run, never in the prerendered HTML.</summary>
sealed class CircuitBrowser : IAsyncDisposable
{
    readonly IPlaywright _playwright;
    readonly IBrowser _browser;
    readonly IBrowserContext _context;

    /// <summary>Each rater's tab is on a host name of its own (<c>load-rater-001.test</c>), all resolved to the loopback:
    /// cookies are per site, so one browser context holds every rater's session, and its tabs can share renderer
    /// processes (tabs of different contexts never do). One site per rater, not hosts under one site: with all raters under
    /// one site some lost their sign-in cookies (Chromium keeps at most 180 cookies per site). The server answers any host name.</summary>
    const string HostSuffix = "test";

    /// <summary>What the browser's processes are called (chromium, chrome), to find them among this tool's descendants.</summary>
    public const string ProcessName = "chrom";

    CircuitBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context)
    {
        _playwright = playwright;
        _browser = browser;
        _context = context;
    }

    public static async Task<CircuitBrowser> LaunchAsync(string executablePath, int rendererProcessLimit)
    {
        if (!File.Exists(executablePath))
            throw new InvalidOperationException($"Chromium is not at {executablePath}: install Debian's chromium, set GRADEBENCH_CHROMIUM or pass --chromium (or --circuits 0).");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var args = new List<string> { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                $"--host-resolver-rules=MAP *.{HostSuffix} 127.0.0.1",
                // Site isolation gives every site a process of its own whatever the limit; it protects sites from each
                // other, which these tabs of one server do not need.
                "--disable-site-isolation-trials" };
            // Without a limit every context gets renderer processes of its own; with one, tabs share them.
            if (rendererProcessLimit > 0) args.Add($"--renderer-process-limit={rendererProcessLimit}");
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executablePath, Headless = true, Args = args });
            return new CircuitBrowser(playwright, browser, await browser.NewContextAsync());
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Opens the grading page for <paramref name="user"/> and waits until it is interactive; throws with what
    /// the page showed if it does not become so.</summary>
    public async Task OpenGradingPageAsync(SimulatedUser user, Uri server, long studyId, TimeSpan timeout)
    {
        var origin = new UriBuilder(server) { Host = $"{user.Account.Username}.{HostSuffix}" }.Uri.GetLeftPart(UriPartial.Authority);
        await _context.AddCookiesAsync(user.Cookies.Cast<System.Net.Cookie>().Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Url = origin,
        }));
        var page = await _context.NewPageAsync();
        page.SetDefaultTimeout((float)timeout.TotalMilliseconds);
        var answer = await page.GotoAsync($"{origin}/studies/{studyId}/grade");
        if (answer is not { Status: (int)HttpStatusCode.OK })
            throw new InvalidOperationException($"{user.Account.Username}: the grading page answered {answer?.Status} at {page.Url}.");
        try
        {
            await page.GetByText("Keyboard:").WaitForAsync();
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"{user.Account.Username}: the grading page did not become interactive within {timeout.TotalSeconds:0} s; it shows: {Shorten(await page.InnerTextAsync("body"))}");
        }
    }

    static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
