using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Issue 19's walk: an LLM judge rated every response of the demo, beside the three physicians of each of its
/// pilot responses. The coordinator reads whether the judge can stand in for them on the results page, counts it as a
/// rater and back, and downloads judges.csv and the report, which say the same.</summary>
public sealed partial class JudgesTests
{
    [GeneratedRegex(@"^-?\d\.\d{3} \(\d+%\)$")]
    private static partial Regex F1WithPercentile();

    [Fact]
    public async Task TheCoordinatorReadsWhetherAJudgeCanStandInForThePhysicians()
    {
        await using var app = await RunningApp.StartAsync();
        const string Study = TestPaths.DemoStudyId;
        var token = await app.CliAsync("judges", "add", "--study", Study, "--name", "gpt-judge", "--model", "gpt-4o", "--version", "2024-08-06", "--temperature", "0");
        Assert.Matches(@"^\S{20,}$", token);
        using var folder = new TempFolder();
        var ratings = Path.Combine(folder.Path, "judge-ratings.csv");
        await File.WriteAllTextAsync(ratings, DemoJudge.Csv());
        await app.CliAsync("judges", "import", "--study", Study, "--judge", "gpt-judge", ratings);

        await app.BrowserJourneyAsync(async browser =>
        {
            var context = await browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 720 }, AcceptDownloads = true });
            var page = await context.NewPageAsync();
            await Journeys.SignInAsAdministratorAsync(page, app);
            await Journeys.FollowAsync(page, "Dashboard", "**/dashboard");
            await page.GotoAsync(page.Url.Replace("/dashboard", "/results", StringComparison.Ordinal));
            await Expect(page.Locator("[aria-busy='true']")).ToHaveCountAsync(0);

            var judges = page.GetByRole(AriaRole.Region, new() { Name = "LLM judges" });
            var hallucination = judges.GetByRole(AriaRole.Table, new() { Name = "LLM judges on Contains fabricated content (hallucination)" });
            var row = hallucination.GetByRole(AriaRole.Row, new() { Name = "gpt-judge" });
            var cells = row.GetByRole(AriaRole.Cell);
            await Expect(cells.Nth(0)).ToHaveTextAsync("60");
            // Each physician rated 18 of the 24 pilot responses: too few for the alt-test, and the page says so.
            await Expect(cells.Nth(1)).ToContainTextAsync("no physician has 30 or more responses");
            var f1 = (await cells.Nth(2).InnerTextAsync()).Trim();
            Assert.Matches(F1WithPercentile(), f1);

            // The details of one criterion, by keyboard: the disclosure opens with Enter.
            var overall = judges.GetByRole(AriaRole.Region, new() { Name = "Overall quality" });
            await overall.GetByText("Details: gpt-judge").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            var perPhysician = overall.GetByRole(AriaRole.Table, new() { Name = "Alternative annotator test of gpt-judge on Overall quality, per physician" });
            await Expect(perPhysician.GetByRole(AriaRole.Row)).ToHaveCountAsync(5);
            await Expect(overall.GetByRole(AriaRole.Table, new() { Name = "gpt-judge against the physicians' majority on Overall quality" })).ToBeVisibleAsync();
            var models = overall.GetByRole(AriaRole.Table, new() { Name = "Each model's mean on Overall quality: physicians alone and prediction-powered with gpt-judge" });
            await Expect(models.GetByRole(AriaRole.Row, new() { Name = "model-a" })).ToContainTextAsync("8 / 12");
            Assert.Empty(await Accessibility.AxeAudit.AuditAsync(page));
            await judges.GetByRole(AriaRole.Heading, new() { Name = "LLM judges" }).ScrollIntoViewIfNeededAsync();
            await page.EvaluateAsync("window.scrollBy(0, document.querySelector('#judges-heading').getBoundingClientRect().top - 56)");
            await Journeys.ScreenshotAsync(page, "results-judges-1280x720", fullPage: false);

            // Counting the judge as a rater puts it in the raters table; back to physicians only takes it out.
            var raters = page.GetByRole(AriaRole.Table, new() { Name = "Raters", Exact = true });
            await Expect(raters.GetByRole(AriaRole.Rowheader, new() { Name = "gpt-judge" })).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Radio, new() { Name = "Physicians and LLM judges" }).CheckAsync();
            await Expect(raters.GetByRole(AriaRole.Rowheader, new() { Name = "gpt-judge" })).ToHaveCountAsync(1);
            await page.GetByRole(AriaRole.Radio, new() { Name = "Physicians only" }).CheckAsync();
            await Expect(raters.GetByRole(AriaRole.Rowheader, new() { Name = "gpt-judge" })).ToHaveCountAsync(0);

            // judges.csv gives the balanced F1 the page rounded, in full.
            await Journeys.FollowAsync(page, "Downloads", "**/downloads");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download judges.csv", Exact = true }).ClickAsync());
            var csv = await File.ReadAllLinesAsync(await download.PathAsync());
            var header = csv[0].TrimStart('\uFEFF').Split(',');
            var f1Row = csv.Select(line => line.Split(',')).Single(f => f[0] == "hallucination" && f[Array.IndexOf(header, "statistic")] == "balanced_f1"
                && f[Array.IndexOf(header, "physician")] == "");
            var value = double.Parse(f1Row[Array.IndexOf(header, "value")], CultureInfo.InvariantCulture);
            Assert.StartsWith(value.ToString("0.000", CultureInfo.InvariantCulture) + " (", f1);

            // The report's judge table says the same, beside the alt-test authors' checklist.
            var report = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download report.md", Exact = true }).ClickAsync());
            var markdown = await File.ReadAllTextAsync(await report.PathAsync());
            Assert.Contains(markdown.Split('\n'), line => line.StartsWith("| gpt-judge | 60 |", StringComparison.Ordinal) && line.Contains(f1, StringComparison.Ordinal));
            Assert.Contains("Reporting checklist (alt-test)", markdown, StringComparison.Ordinal);
            await context.CloseAsync();
        });
    }
}
