using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

public sealed partial class ResultsPageTests
{
    // Raw values a results page must never show where a label exists: binary codes and the demo's option and span ids.
    [GeneratedRegex(@"\b(true|false|factual_error|missing_context|good_point|mild-moderate|severe-death)\b")]
    private static partial Regex RawCode();

    [Fact]
    public async Task TheCoordinatorReadsAgreementAtAGlanceWithLabelsNotCodes()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(browser => RunAsync(app, browser));
    }

    static async Task RunAsync(RunningApp app, IBrowser browser)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        await Journeys.SignInAsAdministratorAsync(page, app);
        await Journeys.FollowAsync(page, "Dashboard", "**/dashboard");
        // The demo study comes with imported ratings: its results have numbers at once.
        await page.GotoAsync(page.Url.Replace("/dashboard", "/results", StringComparison.Ordinal));
        // Computed off the request path: the page is complete when no region is busy any more.
        await Expect(page.Locator("[aria-busy='true']")).ToHaveCountAsync(0);

        // The matrix: one row per rated criterion, each with its headline coefficient.
        var matrix = page.GetByRole(AriaRole.Table, new() { Name = "Agreement per criterion" });
        await Expect(matrix.GetByRole(AriaRole.Columnheader, new() { Name = "Krippendorff's α at the criterion's level" })).ToBeVisibleAsync();
        foreach (var criterion in Journeys.DemoChoiceCriteria)
            await Expect(matrix.GetByRole(AriaRole.Row, new() { Name = criterion })).ToContainTextAsync(new Regex(@"α (nominal|ordinal)\s*-?\d\.\d{3}"));

        // The forest plot names what it shows; every criterion's full label is in it.
        var forest = page.GetByRole(AriaRole.Img, new() { Name = "Krippendorff's α per criterion with 95% intervals" });
        await Expect(forest).ToBeVisibleAsync();
        foreach (var criterion in Journeys.DemoChoiceCriteria)
            await Expect(forest).ToContainTextAsync(criterion.Split(' ')[^1]);
        await Journeys.ScreenshotAsync(page, "results-1280x720", fullPage: false);

        // The full table of every coefficient is one click away (once the page is live: its first render is replaced).
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Independent ratings" })).ToBeVisibleAsync();
        var all = page.GetByRole(AriaRole.Table, new() { Name = "All agreement coefficients" });
        await Expect(all).Not.ToBeVisibleAsync();
        await page.GetByText("All coefficients", new() { Exact = true }).ClickAsync();
        await Expect(all.GetByRole(AriaRole.Row, new() { Name = "Likelihood of possible harm" }).First).ToBeVisibleAsync();

        // Values read as their labels: the hallucination criterion's Yes/No, span labels by name.
        var models = page.GetByRole(AriaRole.Region, new() { Name = "Models" });
        var hallucination = models.GetByRole(AriaRole.Table, new() { Name = "Models on Contains fabricated content (hallucination)" });
        await Expect(hallucination.GetByRole(AriaRole.Columnheader, new() { Name = "Yes", Exact = true })).ToBeVisibleAsync();
        await Expect(hallucination.GetByRole(AriaRole.Columnheader, new() { Name = "No", Exact = true })).ToBeVisibleAsync();
        await Expect(models.GetByRole(AriaRole.Table, new() { Name = "Span labels per model" })
            .GetByRole(AriaRole.Columnheader, new() { Name = "Factual error" })).ToBeVisibleAsync();
        var main = await page.GetByRole(AriaRole.Main).InnerTextAsync();
        Assert.DoesNotMatch(RawCode(), main);
        await Journeys.ScreenshotAsync(page, "results-full");
    }
}
