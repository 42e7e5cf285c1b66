using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

public sealed class GradingTests
{
    [Fact]
    public async Task InvitedRaterGradesByKeyboardAndADraftSurvivesAReload()
    {
        await using var app = await RunningApp.StartAsync();
        await app.JourneyAsync(() => GradeAsync(app));
    }

    [Fact]
    public async Task SubmittingTheLastItemSaysAllIsDone()
    {
        await using var app = await RunningApp.StartAsync();
        await app.JourneyAsync(() => LastItemAsync(app));
    }

    // The queue's own address (/grade) shows the last open item; submitting it must not leave the page stuck on it.
    static async Task LastItemAsync(RunningApp app)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await Journeys.JoinAsync(app, browser, TestPaths.DemoStudyId, "rater", "dr-last", "Dr Last");
        await Journeys.FollowAsync(page, "Start grading", "**/grade");
        var studyId = page.Url.Split('/')[^2];

        // All but one item submitted through the API, as another tab or tool might.
        using var api = RatingApi.Client(app.BaseAddress, await app.CliAsync("token", "create", "--user", "dr-last"));
        var assignments = await RatingApi.AssignedAsync(api, long.Parse(studyId));
        foreach (var responseId in assignments.SkipLast(1))
            await RatingApi.SubmitDemoRatingAsync(api, long.Parse(studyId), responseId, consensus: 4);

        await page.ReloadAsync();
        var progress = page.GetByLabel("Progress");
        await Expect(progress).ToHaveTextAsync($"{assignments.Count - 1} / {assignments.Count}");
        await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
        foreach (var name in Journeys.DemoChoiceCriteria)
            await page.GetByRole(AriaRole.Radiogroup, new() { Name = name }).GetByRole(AriaRole.Radio).First.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync();

        await Expect(page.GetByText("All your assigned responses are done. Thank you!")).ToBeVisibleAsync();
        await Expect(progress).ToHaveTextAsync($"{assignments.Count} / {assignments.Count}");
    }

    static async Task GradeAsync(RunningApp app)
    {
        var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", app.BaseAddress);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await (await browser.NewContextAsync(Journeys.Laptop)).NewPageAsync();

        await Journeys.AcceptInviteAsync(page, invite, "dr-e2e", "Dr End-to-End");
        await Journeys.FollowAsync(page, "Start grading", "**/grade");

        var progress = page.GetByLabel("Progress");
        await Expect(progress).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^0 / \d+$"));
        var assigned = (await progress.TextContentAsync())!.Split(" / ")[1];
        await Expect(page.Locator("body")).Not.ToContainTextAsync("model-");

        // Only the keyboard: a digit in each focused criterion, then Ctrl+Enter (once the shortcuts are live).
        await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
        var itemHeading = page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^Response \d+ of") });
        for (var graded = 1; graded <= 3; graded++)
        {
            foreach (var name in Journeys.DemoChoiceCriteria)
            {
                await page.GetByRole(AriaRole.Radiogroup, new() { Name = name }).GetByRole(AriaRole.Radio).First.FocusAsync();
                await page.Keyboard.PressAsync(name.StartsWith("Contains") ? "2" : "1");
            }
            if (graded == 1) await HighlightAsync(page);
            if (graded == 2)
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Flag for coordinator" }).ClickAsync();
                await page.GetByLabel("What should the coordinator know about this item?").FillAsync("The question asks two things at once.");
                await page.GetByRole(AriaRole.Button, new() { Name = "Send flag" }).ClickAsync();
                await Expect(page.GetByText("You flagged this item")).ToBeVisibleAsync();
            }
            await page.Keyboard.PressAsync("Control+Enter");
            await Expect(progress).ToHaveTextAsync($"{graded} / {assigned}");
            // The count moves before the next item replaces the one just submitted; keys pressed in between land on that
            // one (and Ctrl+Enter submits it again), as a rater sees it.
            await Expect(itemHeading).ToContainTextAsync($"Response {graded + 1} of {assigned}");
        }

        // A draft on the next item comes back after a reload.
        var consensus = page.GetByRole(AriaRole.Radiogroup, new() { Name = "Agreement with guideline consensus" });
        await consensus.GetByRole(AriaRole.Radio).First.FocusAsync();
        await page.Keyboard.PressAsync("3");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Draft saved");
        await page.ReloadAsync();
        await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
        await Expect(consensus.GetByRole(AriaRole.Radio, new() { Name = "3 · Partly aligned" })).ToBeCheckedAsync();

        // The first item's highlight is still there, and can be removed from the keyboard.
        var highlights = page.GetByRole(AriaRole.List, new() { Name = "Your highlights" });
        await Expect(itemHeading).ToContainTextAsync($"Response 4 of {assigned}");
        for (var target = 3; target >= 1; target--)
        {
            await page.Keyboard.PressAsync("k");
            await Expect(itemHeading).ToContainTextAsync($"Response {target} of {assigned}");
        }
        await Expect(highlights.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await highlights.GetByRole(AriaRole.Button).First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(highlights).Not.ToBeVisibleAsync();
        await Expect(progress).ToHaveTextAsync($"3 / {assigned}");
    }

    [Fact]
    public async Task ACommentTypedJustBeforeMovingToTheNextItemIsSavedOnItsOwnItem()
    {
        await using var app = await RunningApp.StartAsync();
        await app.JourneyAsync(async () =>
        {
            var (playwright, browser) = await Browser.LaunchAsync();
            using var _ = playwright;
            await using var __ = browser;
            var page = await Journeys.JoinAsync(app, browser, TestPaths.DemoStudyId, "rater", "dr-quick", "Dr Quick");
            await Journeys.FollowAsync(page, "Start grading", "**/grade");
            await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
            var queue = await StoredRatings.QueueAsync(app.Database, "dr-quick");
            var comment = page.GetByLabel("Comment");
            const string Text = "About the first response only.";

            // Typed and Next clicked in one go, well within the typing pause: the text is not saved yet when the next item opens.
            await page.EvaluateAsync("""
                ([area, next, text]) => {
                  area.value = text;
                  area.dispatchEvent(new Event("input", { bubbles: true }));
                  next.click();
                }
                """, new object[] { await comment.ElementHandleAsync(), await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ElementHandleAsync(), Text });
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/grade/{await StoredRatings.HandleAsync(app.Database, queue[1])}$"));
            await Expect(comment).ToHaveValueAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "Previous" }).ClickAsync();
            await Expect(comment).ToHaveValueAsync(Text);

            Assert.Equal((Text, "draft"), (await StoredRatings.CurrentAsync(app.Database, "dr-quick", queue[0]))["comment"]);
            Assert.Empty(await StoredRatings.CurrentAsync(app.Database, "dr-quick", queue[1]));
        });
    }

    /// <summary>Selects the first words of the response and labels them "Factual error".</summary>
    static async Task HighlightAsync(IPage page)
    {
        await Journeys.SelectInResponseAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Factual error" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Your highlights" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Journeys.ScreenshotAsync(page, "grading", fullPage: false);
    }

}
