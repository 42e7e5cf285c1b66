using Microsoft.Playwright;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Debian's headless Chromium driven by Playwright; no browser is ever downloaded.</summary>
public static class Browser
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("GRADEBENCH_CHROMIUM") ?? "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}. Install Debian's chromium package (./test.sh does when run as root) or set GRADEBENCH_CHROMIUM.");
        // Two cores shared by the app, Chromium and the test (two browser tests at a time): more time than Playwright's 5 s.
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }
}
