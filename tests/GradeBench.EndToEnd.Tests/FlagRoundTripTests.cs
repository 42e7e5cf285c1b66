using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Issue 15's flags and safety alerts at 1280×720: a rater's flag reaches the coordinator's open dashboard
/// live, the coordinator replies and resolves it on the read-only item view, and the rater reads the reply on the item;
/// a harmful rating raises an alert named by its trigger, which opens the item view and is acknowledged with a note.</summary>
public sealed class FlagRoundTripTests
{
    const string Note = "The onset time differs between the history and the question.";
    const string Reply = "Rate it with the history's time, 08:10.";

    static BrowserNewContextOptions Screen => new() { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } };

    [Fact]
    public async Task AFlagGoesRaterToCoordinatorAndBackAndASafetyAlertIsAcknowledgedWithANote()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(browser => RunAsync(app, browser));
    }

    static async Task RunAsync(RunningApp app, IBrowser browser)
    {
        var coordinator = await (await browser.NewContextAsync(Screen)).NewPageAsync();
        await Journeys.SignInAsAdministratorAsync(coordinator, app);
        await Journeys.FollowAsync(coordinator, "Dashboard", "**/dashboard");
        var dashboard = coordinator.Url;
        var openFlags = coordinator.GetByRole(AriaRole.Region, new() { Name = "Open flags" });
        await Expect(openFlags).ToContainTextAsync("No open flags.");

        var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--role", "rater", "--base-url", app.BaseAddress);
        var rater = await (await browser.NewContextAsync(Screen)).NewPageAsync();
        await Journeys.AcceptInviteAsync(rater, invite, "dr-flag", "Dr Flag");
        await Journeys.FollowAsync(rater, "Start grading", "**/grade");
        await Expect(rater.GetByText("Keyboard:")).ToBeVisibleAsync();

        // The rater flags the item; the coordinator's open dashboard shows it at once, with the rater and the note.
        await rater.GetByRole(AriaRole.Button, new() { Name = "Flag for coordinator" }).ClickAsync();
        await rater.GetByLabel("What should the coordinator know about this item?").FillAsync(Note);
        await rater.GetByRole(AriaRole.Button, new() { Name = "Send flag" }).ClickAsync();
        var raterFlags = rater.GetByRole(AriaRole.List, new() { Name = "Your flags on this item" });
        await Expect(raterFlags).ToContainTextAsync(Note);
        var flagRow = openFlags.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Dr Flag" });
        await Expect(flagRow).ToContainTextAsync(Note);
        await Journeys.ScreenshotAsync(coordinator, "flags-dashboard", fullPage: false);

        // The coordinator opens the item, replies and resolves.
        await flagRow.GetByRole(AriaRole.Link).ClickAsync();
        await coordinator.WaitForURLAsync("**/review/**");
        await Expect(coordinator.GetByRole(AriaRole.Heading, new() { Name = "Submitted ratings" })).ToBeVisibleAsync();
        var thread = coordinator.GetByRole(AriaRole.Article, new() { Name = "Flag from Dr Flag" });
        await Expect(thread).ToContainTextAsync(Note);
        await thread.GetByLabel("Reply to Dr Flag (they see it on the item)").FillAsync(Reply);
        await thread.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(thread.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reply sent.");
        await thread.GetByRole(AriaRole.Button, new() { Name = "Resolve the flag from Dr Flag" }).ClickAsync();
        await Expect(thread).ToContainTextAsync("Resolved by");
        await Journeys.ScreenshotAsync(coordinator, "flags-review");

        // The rater reads the reply on the item, live, and again when they come back to it.
        await Expect(raterFlags).ToContainTextAsync(Reply);
        await Expect(raterFlags).ToContainTextAsync("(resolved)");
        await rater.ReloadAsync();
        await Expect(rater.GetByRole(AriaRole.List, new() { Name = "Your flags on this item" })).ToContainTextAsync(Reply);

        // Back on the dashboard, the rater's harmful rating raises an alert that names its trigger.
        await coordinator.GotoAsync(dashboard);
        await Expect(openFlags).ToContainTextAsync("No open flags.");
        var alerts = coordinator.GetByRole(AriaRole.Region, new() { Name = "Safety alerts" });
        await Expect(alerts).ToContainTextAsync("came with the study's imported ratings");
        foreach (var name in Journeys.DemoChoiceCriteria)
        {
            var group = rater.GetByRole(AriaRole.Radiogroup, new() { Name = name });
            await (name == "Extent of possible harm" ? group.GetByRole(AriaRole.Radio, new() { Name = "Death or severe harm" }) : group.GetByRole(AriaRole.Radio).First).CheckAsync();
        }
        await rater.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        var alertRow = alerts.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Dr Flag" });
        await Expect(alertRow).ToContainTextAsync("Extent of possible harm: Death or severe harm");
        await Journeys.ScreenshotAsync(coordinator, "alerts-dashboard", fullPage: false);

        // The alert opens the item view.
        await alertRow.GetByRole(AriaRole.Link).ClickAsync();
        await coordinator.WaitForURLAsync("**/review/**");
        await Expect(coordinator.GetByRole(AriaRole.List, new() { Name = "Safety alerts on this item" }))
            .ToContainTextAsync("Extent of possible harm: Death or severe harm · Dr Flag");

        // Acknowledged from the dashboard, selected, with a note of what was done.
        await coordinator.GotoAsync(dashboard);
        await alerts.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^Select alert: Extent of possible harm: Death or severe harm, Dr Flag") }).CheckAsync();
        await alerts.GetByLabel("What was done (kept in the audit trail)").FillAsync("Called Dr Flag; the answer is withdrawn from the leaflet.");
        await alerts.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Acknowledge selected") }).ClickAsync();
        await Expect(alerts.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 alert acknowledged.");
        await Expect(alertRow).ToHaveCountAsync(0);
    }
}
