using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

public sealed class FirstRunTests
{
    [Fact]
    public async Task PrintedLinkSignsTheAdministratorInAndTheHomePageShowsTheDemoStudy()
    {
        await using var app = await RunningApp.StartAsync();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await (await browser.NewContextAsync(Journeys.Laptop)).NewPageAsync();

        await Journeys.SignInAsAdministratorAsync(page, app);
        var study = page.GetByRole(AriaRole.Region, new() { Name = "LLM answers to stroke care questions (synthetic demo)" });
        await Expect(study).ToBeVisibleAsync();
        // A rating is one response × rater: the demo's 72 pilot ratings hold 576 criterion values.
        await Expect(study).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Ratings\s*72\b"));
        await Journeys.ScreenshotAsync(page, "home");

        // The administrator can invite a rater from the study card (the button appears once the page is interactive).
        await study.GetByRole(AriaRole.Button, new() { Name = "Invite a rater" }).ClickAsync();
        await Expect(page.GetByLabel("Invite link (single use, valid 7 days)")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"^{app.BaseAddress}/invite/[A-Za-z0-9_-]{{43}}$"));

        // The link was single use; the password now works instead.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync(app.SignInLink);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("already used or has expired");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(Journeys.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(study).ToBeVisibleAsync();
    }

}
