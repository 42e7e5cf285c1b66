using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Designs;

/// <summary>A note-only study (<c>"design": "annotation"</c>) in Chromium at 1280×720: two raters mark the same passage of
/// the same case and mark it done; the coordinator's dashboard counts the cases done and shows the raters' agreement on
/// the passages move without a reload. The rater's page passes the accessibility sweep's checks.</summary>
public sealed class AnnotationStudyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RatersMarkANoteAndMarkItDoneAndTheDashboardFollows()
    {
        await using var app = await RunningApp.StartAsync();
        using var folder = new TempFolder("gradebench-annotation-");
        await app.CliAsync("import", DemoAnnotation.Write(Path.Combine(folder.Path, "bundle")));

        await app.BrowserJourneyAsync(async browser =>
        {
            var first = await JoinAsync(app, browser, "dr-notes-only", "Dr Notes Only");
            var studyPath = new Uri(first.Url).AbsolutePath;
            var studyUrl = app.BaseAddress + studyPath[..studyPath.IndexOf("/grade", StringComparison.Ordinal)];
            var heading = first.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Case \\d+ of \\d+") });
            await Expect(heading).ToBeVisibleAsync();
            Assert.Empty(await Accessibility.PageChecks.AllAsync(first, "note-only rater's page", output.WriteLine));
            await Journeys.ScreenshotAsync(first, "note-only-1280x720", fullPage: false);
            var note = await first.Locator("#case-note").InnerTextAsync();
            var word = await MarkAsync(first);

            var coordinator = await (await browser.NewContextAsync(Field.Typist.SmallLaptop)).NewPageAsync();
            await Journeys.SignInAsAdministratorAsync(coordinator, app);
            await coordinator.GotoAsync(studyUrl + "/dashboard");
            await Expect(coordinator.GetByText("assigned cases done")).ToBeVisibleAsync();
            var agreement = coordinator.GetByRole(AriaRole.Region, new() { Name = "Agreement on note passages" });
            await Expect(agreement).ToBeVisibleAsync();
            var before = await agreement.TextContentAsync();
            await DoneAsync(first);

            // The second rater opens the same case in their own order and marks the same word.
            var second = await JoinAsync(app, browser, "dr-notes-only-two", "Dr Notes Only Two");
            var secondHeading = second.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Case \\d+ of \\d+") });
            await Expect(secondHeading).ToBeVisibleAsync();
            for (var step = 0; step < 25 && await second.Locator("#case-note").InnerTextAsync() != note; step++)
            {
                var shown = await secondHeading.TextContentAsync();
                await second.GetByRole(AriaRole.Button, new() { Name = "Next", Exact = true }).ClickAsync();
                await Expect(secondHeading).Not.ToHaveTextAsync(shown!);
            }
            Assert.Equal(note, await second.Locator("#case-note").InnerTextAsync());
            Assert.Equal(word, await MarkAsync(second));
            await DoneAsync(second);

            await Expect(agreement).Not.ToHaveTextAsync(before!);
            await Expect(agreement.GetByRole(AriaRole.Table)).ToContainTextAsync("α");
            output.WriteLine($"dashboard note agreement: \"{before}\" became \"{await agreement.TextContentAsync()}\"");
            var marked = await Field.Typist.ReadAsync(app.Database, "SELECT count(DISTINCT rater_id) || '/' || count(*) FROM note_spans", new { });
            Assert.Equal("2/2", marked);
        });
    }

    static async Task<IPage> JoinAsync(RunningApp app, IBrowser browser, string username, string name)
    {
        var invite = await app.CliAsync("invite", "--study", DemoAnnotation.StudyId, "--role", "rater", "--base-url", app.BaseAddress);
        var page = await (await browser.NewContextAsync(Field.Typist.SmallLaptop)).NewPageAsync();
        await Journeys.AcceptInviteAsync(page, invite, username, name);
        await Journeys.FollowAsync(page, "Start grading", "**/grade");
        return page;
    }

    /// <summary>Double-clicks the first bold word of the note and labels it a symptom; returns the word.</summary>
    static async Task<string> MarkAsync(IPage rater)
    {
        var panel = rater.GetByRole(AriaRole.Region, new() { Name = "Annotations of the clinical note" });
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Symptom" })).ToBeEnabledAsync();
        await rater.Locator("#case-note strong").First.DblClickAsync();
        var word = (await rater.EvaluateAsync<string>("() => getSelection().toString()")).Trim();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Symptom" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Status).Filter(new() { HasText = "Note passage" })).ToHaveTextAsync("Note passage marked as Symptom.");
        return word;
    }

    static async Task DoneAsync(IPage rater)
    {
        var progress = await rater.GetByLabel("Progress").TextContentAsync();
        await rater.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        await Expect(rater.GetByLabel("Progress")).Not.ToHaveTextAsync(progress!);
    }
}
