using GradeBench.EndToEnd.Tests.Accessibility;
using Microsoft.Playwright;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Debian's headless Chromium driven by Playwright; no browser is ever downloaded. Every page it shows is
/// audited by axe-core (<see cref="AuditedBrowser"/>).</summary>
public static class Browser
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("GRADEBENCH_CHROMIUM") ?? "/usr/bin/chromium";

    /// <param name="audited">False for a test that runs axe itself (<see cref="AccessibilityTests"/>).</param>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(bool audited = true)
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
        return (playwright, audited ? new AuditedBrowser(browser) : browser);
    }
}
