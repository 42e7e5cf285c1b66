using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Nothing ends a study by a misclick, a new study can be calibrated, and invites name the real address: one
/// coordinator's journey at 1280×720 on a server listening on a random port.</summary>
public sealed class LifecycleTests
{
    const string DraftCopy = "stroke-draft-copy";
    static readonly BrowserNewContextOptions Screen = new() { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } };

    [Fact]
    public async Task ClosingNeedsTheTypedIdAdjudicationAConfirmationNewStudiesAreDraftsAndInvitesNameTheRealPort()
    {
        await using var app = await RunningApp.StartAsync();
        using var bundle = new TempFolder("gradebench-lifecycle-");
        await app.BrowserJourneyAsync(async browser =>
        {
            // The server records where it listens; an invite without --base-url names that port.
            Assert.StartsWith($"{app.BaseAddress}/invite/", await app.CliAsync("invite", "--study", TestPaths.DemoStudyId));

            var page = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await Journeys.SignInAsAdministratorAsync(page, app);
            await Journeys.FollowAsync(page, "Dashboard", "**/dashboard");
            var demo = page.Url[..page.Url.LastIndexOf('/')];

            await CalibrationOfAnOpenStudyExplainsWhatToDoAsync(page, demo);
            await StartAdjudicationAsksWithTheCountsAndCancelChangesNothingAsync(page);
            await CloseNeedsTheStudysIdTypedAsync(page);
            await AnUploadChosenAsADraftCanBeCalibratedAsync(page, bundle.Path);
        });
    }

    static async Task CalibrationOfAnOpenStudyExplainsWhatToDoAsync(IPage page, string demo)
    {
        await page.GotoAsync($"{demo}/calibration");
        var guidance = page.GetByRole(AriaRole.Region, new() { Name = "How to run a calibration" });
        await Expect(guidance).ToContainTextAsync("Calibration runs while a study is a draft");
        await Expect(guidance.GetByRole(AriaRole.Link, new() { Name = "Download this study's bundle" })).ToBeVisibleAsync();
        await Expect(guidance.GetByRole(AriaRole.Link, new() { Name = "New study" })).ToBeVisibleAsync();
        await page.GotoAsync($"{demo}/dashboard");
    }

    static async Task StartAdjudicationAsksWithTheCountsAndCancelChangesNothingAsync(IPage page)
    {
        var lifecycle = page.GetByRole(AriaRole.Group, new() { Name = "Study lifecycle", Exact = true });
        await lifecycle.GetByRole(AriaRole.Button, new() { Name = "Start adjudication", Exact = true }).ClickAsync();
        var question = page.GetByRole(AriaRole.Region, new() { Name = "Start adjudication?" });
        await Expect(question.GetByRole(AriaRole.Status, new() { Name = "Not done yet" }))
            .ToHaveTextAsync("108 of 180 ratings missing; no rater has an unsubmitted draft.");
        await question.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(question).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Open: raters are grading");
    }

    static async Task CloseNeedsTheStudysIdTypedAsync(IPage page)
    {
        // Close stands apart from Pause: not its neighbour, with a clear gap between them.
        var lifecycle = page.GetByRole(AriaRole.Group, new() { Name = "Study lifecycle", Exact = true });
        var pause = (await lifecycle.GetByRole(AriaRole.Button, new() { Name = "Pause the study" }).BoundingBoxAsync())!;
        var close = lifecycle.GetByRole(AriaRole.Button, new() { Name = "Close the study" });
        Assert.True((await close.BoundingBoxAsync())!.X - (pause.X + pause.Width) >= 48, "Close sits right next to Pause");

        await close.ClickAsync();
        var question = page.GetByRole(AriaRole.Region, new() { Name = "Close the study for good?" });
        await Expect(question.GetByRole(AriaRole.Status, new() { Name = "Not done yet" }))
            .ToHaveTextAsync("108 of 180 ratings missing; no rater has an unsubmitted draft.");
        var confirm = question.GetByRole(AriaRole.Button, new() { Name = "Close the study for good" });
        var typed = question.GetByLabel("Type the study's id");
        await Expect(typed).ToBeFocusedAsync();
        await Expect(confirm).ToBeDisabledAsync();
        await typed.FillAsync("stroke-llm-synthetic");
        await Expect(confirm).ToBeDisabledAsync();
        await Journeys.ScreenshotAsync(page, "lifecycle-close-confirmation", fullPage: false);
        await typed.FillAsync(TestPaths.DemoStudyId);
        await Expect(confirm).ToBeEnabledAsync();
        await confirm.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToHaveTextAsync("Closed");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Study lifecycle", Exact = true }).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    static async Task AnUploadChosenAsADraftCanBeCalibratedAsync(IPage page, string folder)
    {
        // A copy of the demo, whose study.json says "state": "open": the upload page's choice wins.
        var copy = TestPaths.CopyDemoBundle(Path.Combine(folder, "bundle"));
        var studyJson = Path.Combine(copy, "study.json");
        File.WriteAllText(studyJson, File.ReadAllText(studyJson).Replace($"\"{TestPaths.DemoStudyId}\"", $"\"{DraftCopy}\""));
        var zip = Path.Combine(folder, "draft-copy.zip");
        ZipFile.CreateFromDirectory(copy, zip);

        await page.GotoAsync(page.Url.Split("/studies/")[0] + "/studies/new");
        var input = page.GetByLabel("Study bundle (.zip, at most 100 MB)");
        await Expect(input).ToBeEnabledAsync();
        var choice = page.GetByRole(AriaRole.Group, new() { Name = "The new study starts as" });
        await Expect(choice.GetByRole(AriaRole.Radio, new() { Name = "What study.json says" })).ToBeCheckedAsync();
        await choice.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^A draft") }).CheckAsync();
        await input.SetInputFilesAsync(zip);
        await page.WaitForURLAsync("**/studies/*/dashboard");
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Draft");

        await Journeys.SettleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Calibration", Exact = true }).First.ClickAsync();
        await page.WaitForURLAsync("**/calibration");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start a calibration session" })).ToBeVisibleAsync();
    }
}
