using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

public sealed class RevocationTests
{
    [Fact]
    public async Task ARaterRemovedWhileGradingIsStoppedAtOnceAndADisabledAccountIsSignedOutWithoutAReload()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(browser => RunAsync(app, browser));
    }

    static async Task RunAsync(RunningApp app, IBrowser browser)
    {
        // The administrator (a coordinator of every study) opens the study's set-up page.
        var coordinator = await Journeys.AdministratorOnTheDashboardAsync(app, browser);
        await Journeys.FollowAsync(coordinator, "Set-up", "**/setup");

        // A rater joins, opens their queue and saves a draft: the grading page is live.
        var rater = await Journeys.JoinAsync(app, browser, TestPaths.DemoStudyId, "rater", "dr-gone", "Dr Gone");
        await Journeys.FollowAsync(rater, "Start grading", "**/grade");
        await Expect(rater.GetByText("Keyboard:")).ToBeVisibleAsync();
        await rater.GetByRole(AriaRole.Radiogroup, new() { Name = "Overall quality" }).GetByRole(AriaRole.Radio).First.CheckAsync();
        await Expect(rater.GetByText("Draft saved")).ToBeVisibleAsync();
        var stored = await RatingHistoryAsync(app, "dr-gone");
        Assert.Equal(1, stored);
        var gradingUrl = rater.Url;

        // The coordinator removes them, after confirming.
        // The set-up page was opened before the rater joined: a fresh load lists them.
        await coordinator.ReloadAsync();
        var raters = coordinator.GetByRole(AriaRole.Table, new() { Name = "Raters of the study" });
        await raters.GetByRole(AriaRole.Row, new() { Name = "Dr Gone" }).GetByRole(AriaRole.Button, new() { Name = "Remove from study" }).ClickAsync();
        var confirm = coordinator.GetByRole(AriaRole.Alertdialog);
        await Expect(confirm).ToContainTextAsync("Remove Dr Gone from this study?");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Remove Dr Gone" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Removal" })).ToContainTextAsync("Dr Gone was removed from the study.");
        await Expect(raters.GetByRole(AriaRole.Row, new() { Name = "Dr Gone" })).ToHaveCountAsync(0);

        // Without a reload, the rater's page stops showing the study and says why.
        await Expect(rater.GetByRole(AriaRole.Heading, new() { Name = "Removed from the study" })).ToBeVisibleAsync();
        await Expect(rater.GetByRole(AriaRole.Alert)).ToContainTextAsync("You have been removed from this study.");
        await Expect(rater.GetByRole(AriaRole.Region, new() { Name = "Response" })).ToHaveCountAsync(0);
        await Expect(rater.GetByRole(AriaRole.Radiogroup, new() { Name = "Overall quality" })).ToHaveCountAsync(0);
        Assert.Equal(gradingUrl, rater.Url);
        await Journeys.ScreenshotAsync(rater, "removed-rater");

        // Going back to the grading page (a fresh load) is refused; their study list no longer has the study.
        await rater.GotoAsync(gradingUrl);
        await Expect(rater.GetByText("You are not a rater in this study.")).ToBeVisibleAsync();
        await Journeys.FollowAsync(rater, "GradeBench", "**/");
        await Expect(rater.GetByText("You are not part of any study yet.")).ToBeVisibleAsync();

        // The administrator disables the account: the rater's open page goes to the sign-in page, which says why.
        await coordinator.GotoAsync(app.BaseAddress + "/");
        await Journeys.FollowAsync(coordinator, "Accounts", "**/accounts");
        var accounts = coordinator.GetByRole(AriaRole.Table, new() { Name = "Accounts" });
        await accounts.GetByRole(AriaRole.Row, new() { Name = "dr-gone" }).GetByRole(AriaRole.Button, new() { Name = "Disable account" }).ClickAsync();
        await coordinator.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Disable dr-gone" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Account change" })).ToContainTextAsync("dr-gone is disabled");

        await rater.WaitForURLAsync("**/signin?error=disabled");
        await Expect(rater.GetByRole(AriaRole.Alert)).ToContainTextAsync("This account has been disabled.");
        await rater.GotoAsync(gradingUrl);
        await Expect(rater.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await rater.GetByLabel("User name").FillAsync("dr-gone");
        await rater.GetByLabel("Password").FillAsync(Journeys.Password);
        await rater.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Alert)).ToContainTextAsync("This account has been disabled.");

        // Nothing the rater did after the removal was stored.
        Assert.Equal(stored, await RatingHistoryAsync(app, "dr-gone"));
    }

    static async Task<long> RatingHistoryAsync(RunningApp app, string username)
    {
        await using var connection = await AppDatabase.OpenAsync(app.Database, readOnly: true);
        return await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rating_history h JOIN users u ON u.id = h.recorded_by WHERE u.username = @Username
            """, new { Username = username });
    }
}
