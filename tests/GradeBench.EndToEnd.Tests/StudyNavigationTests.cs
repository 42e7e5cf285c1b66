using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>The coordinator's console at 1280x720: the dashboard's first screen, the study navigation to every page,
/// and the downloads.</summary>
public sealed class StudyNavigationTests
{
    [Fact]
    public async Task TheDashboardsFirstScreenShowsTheDailyChecksAndTheStudyNavigationReachesEveryPageAndTheDownloads()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(async browser =>
        {
            var context = await browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 720 }, AcceptDownloads = true });
            var page = await context.NewPageAsync();
            await Journeys.SignInAsAdministratorAsync(page, app);
            await Journeys.FollowAsync(page, "Dashboard", "**/dashboard");

            // What a coordinator checks daily is on the first screen, without scrolling.
            var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Study", Exact = true });
            await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Agreement per criterion" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Study progress" })).ToBeInViewportAsync(new() { Ratio = 1 });
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Progress per rater" })).ToBeInViewportAsync(new() { Ratio = 1 });
            // The alerts and flags scroll in a column beside the progress: their headings show, the lists may scroll.
            await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Open flags") })).ToBeInViewportAsync(new() { Ratio = 1 });
            await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Safety alerts") })).ToBeInViewportAsync(new() { Ratio = 1 });
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Safety alerts", Exact = true })).ToBeInViewportAsync();
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Agreement per criterion" })).ToBeInViewportAsync(new() { Ratio = 1 });
            await Journeys.ScreenshotAsync(page, "dashboard-1280x720", fullPage: false);

            // Every tab leads to its page and is then the one marked current.
            foreach (var (tab, url) in new[] { ("Results", "**/results"), ("Adjudication", "**/adjudication"), ("Calibration", "**/calibration"),
                         ("Set-up", "**/setup"), ("Dashboard", "**/dashboard"), ("Downloads", "**/downloads") })
            {
                await Journeys.SettleAsync(page);
                await nav.GetByRole(AriaRole.Link, new() { Name = tab, Exact = true }).ClickAsync();
                await page.WaitForURLAsync(url);
                await Expect(nav.GetByRole(AriaRole.Link, new() { Name = tab, Exact = true })).ToHaveAttributeAsync("aria-current", "page");
                await Expect(nav.Locator("[aria-current=page]")).ToHaveCountAsync(1);
            }

            // The plain and the Excel CSV side by side, saved under different names.
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Downloads", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download ratings.csv", Exact = true })).ToBeVisibleAsync();
            var excel = page.GetByRole(AriaRole.Link, new() { Name = "Download ratings.csv for Excel", Exact = true });
            var download = await page.RunAndWaitForDownloadAsync(() => excel.ClickAsync());
            Assert.Equal($"{TestPaths.DemoStudyId}-ratings-excel.csv", download.SuggestedFilename);
            Assert.Null(await download.FailureAsync());
            await Journeys.ScreenshotAsync(page, "downloads-1280x720", fullPage: false);
        });
    }
}
