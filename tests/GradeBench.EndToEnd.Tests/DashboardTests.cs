using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

public sealed class DashboardTests
{
    [Fact]
    public async Task ARatersSubmitMovesTheCoordinatorsDashboardAndAPauseStopsTheRatersPageWithoutAReload()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(browser => RunAsync(app, browser));
    }

    static async Task RunAsync(RunningApp app, IBrowser browser)
    {
        // The administrator (a coordinator of every study) opens the dashboard.
        var coordinator = await Journeys.AdministratorOnTheDashboardAsync(app, browser);
        var lifecycle = coordinator.GetByRole(AriaRole.Group, new() { Name = "Study lifecycle" });
        await Expect(lifecycle.GetByRole(AriaRole.Button, new() { Name = "Pause the study" })).ToBeVisibleAsync();
        // The agreement is computed off the request path: its region is busy until it shows.
        await Expect(coordinator.Locator("[aria-busy='true']")).ToHaveCountAsync(0);
        var agreement = coordinator.GetByRole(AriaRole.Table, new() { Name = "Agreement per criterion" });
        await Expect(agreement.GetByRole(AriaRole.Row, new() { Name = "Agreement with guideline consensus" })).ToContainTextAsync("ordinal");

        // A new rater joins through an invite and opens their queue.
        var rater = await Journeys.JoinAsync(app, browser, TestPaths.DemoStudyId, "rater", "dr-live", "Dr Live");
        await Journeys.FollowAsync(rater, "Start grading", "**/grade");
        await Expect(rater.GetByText("Keyboard:")).ToBeVisibleAsync();
        var assigned = (await rater.GetByLabel("Progress").TextContentAsync())!.Split(" / ")[1];

        // The dashboard learns of the rater without a reload: online, on an item, with their queue.
        var raterRow = coordinator.GetByRole(AriaRole.Table, new() { Name = "Progress per rater" }).GetByRole(AriaRole.Row, new() { Name = "Dr Live" });
        await Expect(raterRow).ToContainTextAsync($"0 / {assigned}");
        await Expect(raterRow).ToContainTextAsync("online, on ");
        var before = await coordinator.GetByRole(AriaRole.Status, new() { Name = "Study progress" }).TextContentAsync();

        foreach (var name in Journeys.DemoChoiceCriteria)
            await rater.GetByRole(AriaRole.Radiogroup, new() { Name = name }).GetByRole(AriaRole.Radio).First.CheckAsync();
        await rater.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(rater.GetByLabel("Progress")).ToHaveTextAsync($"1 / {assigned}");

        await Expect(raterRow).ToContainTextAsync($"1 / {assigned}");
        await Expect(coordinator.GetByRole(AriaRole.List, new() { Name = "Recent activity" })).ToContainTextAsync("Dr Live submitted");
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study progress" })).Not.ToHaveTextAsync(before!);

        // A pause reaches the rater's open page at once, and the form stops taking changes.
        await lifecycle.GetByRole(AriaRole.Button, new() { Name = "Pause the study" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("paused");
        await Expect(rater.GetByRole(AriaRole.Alert)).ToContainTextAsync("paused the study");
        await Expect(rater.GetByRole(AriaRole.Button, new() { Name = "Submit" })).ToBeDisabledAsync();
        await Expect(rater.GetByRole(AriaRole.Radiogroup, new() { Name = "Overall quality" }).GetByRole(AriaRole.Radio).First).ToBeDisabledAsync();

        await lifecycle.GetByRole(AriaRole.Button, new() { Name = "Resume the study" }).ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Alert)).Not.ToBeVisibleAsync();
        await Expect(rater.GetByRole(AriaRole.Button, new() { Name = "Submit" })).ToBeEnabledAsync();
        await Expect(coordinator.GetByRole(AriaRole.List, new() { Name = "Recent activity" })).ToContainTextAsync(new Regex("The study is now open"));
        await Journeys.ScreenshotAsync(coordinator, "dashboard");
    }
}
