using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

public sealed class CalibrationTests
{
    const string DraftTitle = "Calibration draft of the stroke demo";

    [Fact]
    public async Task ARoundRevealsItsSpreadToBothRatersOnlyAfterBothHaveSubmitted()
    {
        await using var app = await RunningApp.StartAsync();
        using var bundle = new TempFolder("gradebench-calibration-");
        WriteDraftBundle(bundle.Path);
        await app.BrowserJourneyAsync(browser => CalibrateAsync(app, browser, bundle.Path));
    }

    /// <summary>A copy of the demo bundle as a draft study of its own (the demo itself is open).</summary>
    static void WriteDraftBundle(string folder)
    {
        TestPaths.CopyDemoBundle(folder);
        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "study.json")))!;
        study["id"] = "calibration-draft";
        study["title"] = DraftTitle;
        study["state"] = "draft";
        File.WriteAllText(Path.Combine(folder, "study.json"), study.ToJsonString());
    }

    static async Task CalibrateAsync(RunningApp app, IBrowser browser, string bundle)
    {
        await app.CliAsync("import", bundle);
        var coordinator = await Journeys.JoinAsync(app, browser, "calibration-draft", "coordinator", "coord-e2e", "coord-e2e");
        var rater1 = await Journeys.JoinAsync(app, browser, "calibration-draft", "rater", "rater-one", "rater-one");
        var rater2 = await Journeys.JoinAsync(app, browser, "calibration-draft", "rater", "rater-two", "rater-two");
        // The demo study, imported on first start, is study 1; the draft copy is the second study of a fresh database.
        var calibration = $"{app.BaseAddress}/studies/2/calibration";

        await coordinator.GotoAsync(calibration);
        await Expect(coordinator.GetByText(DraftTitle)).ToBeVisibleAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Start a calibration session" }).ClickAsync();
        await coordinator.GetByLabel("Response to add").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Add item" }).ClickAsync();
        var items = coordinator.GetByRole(AriaRole.Region, new() { Name = "Calibration items" });
        await Expect(items.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Gold reference of item 1" }).ClickAsync();
        await coordinator.GetByLabel("Agreement with guideline consensus").SelectOptionAsync("4");
        await Expect(items).ToContainTextAsync("Agreement with guideline consensus: 4");

        foreach (var rater in new[] { rater1, rater2 })
        {
            await rater.GotoAsync(calibration);
            await Expect(rater.GetByRole(AriaRole.Status)).ToHaveTextAsync("Waiting for the coordinator to start a round.");
        }
        // Both raters' pages are live (connected) before the round starts, so the round waits for both.
        await Expect(coordinator.GetByText("Raters connected: 2")).ToBeVisibleAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Start round on item 1" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status)).ToHaveTextAsync("0 of 2 submitted");

        await RateAsync(rater1, choice: 0);
        await Expect(rater1.GetByRole(AriaRole.Status)).ToHaveTextAsync("Waiting for others (1 of 2 submitted)");
        await Expect(coordinator.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 of 2 submitted");
        await Expect(rater1.GetByRole(AriaRole.Heading, new() { Name = "Spread of ratings" })).ToHaveCountAsync(0);
        await Expect(rater2.GetByRole(AriaRole.Heading, new() { Name = "Spread of ratings" })).ToHaveCountAsync(0);

        await RateAsync(rater2, choice: 1);
        foreach (var rater in new[] { rater1, rater2 })
        {
            await Expect(rater.GetByRole(AriaRole.Heading, new() { Name = "Spread of ratings" })).ToBeVisibleAsync();
            await Expect(rater.GetByRole(AriaRole.Heading, new() { Name = "Your distance from the reference" })).ToBeVisibleAsync();
            await Expect(rater.Locator("body")).Not.ToContainTextAsync("model-");
        }
        var consensus = rater1.GetByRole(AriaRole.Table, new() { Name = "Agreement with guideline consensus" });
        await Expect(consensus.GetByRole(AriaRole.Row, new() { Name = "(you)" })).ToContainTextAsync("1");
        await Expect(rater1.GetByRole(AriaRole.Row, new() { Name = "Agreement with guideline consensus" })).ToContainTextAsync("off by 3");
        await Expect(coordinator.GetByRole(AriaRole.Heading, new() { Name = "Distance from the reference" })).ToBeVisibleAsync();
        var results = coordinator.GetByRole(AriaRole.Region, new() { Name = "Calibration results" });
        await Expect(results.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);
        await Journeys.ScreenshotAsync(rater1, "calibration-rater");
        await Journeys.ScreenshotAsync(coordinator, "calibration-coordinator");
    }

    /// <summary>Chooses the same option in every choice criterion, once the round's form is live, and submits.</summary>
    static async Task RateAsync(IPage page, int choice)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Item 1 of 1" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Submit" })).ToBeVisibleAsync();
        foreach (var name in Journeys.DemoChoiceCriteria)
            await page.GetByRole(AriaRole.Radiogroup, new() { Name = name }).GetByRole(AriaRole.Radio).Nth(choice).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
    }
}
