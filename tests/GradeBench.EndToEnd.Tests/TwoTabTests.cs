using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>One rater, one browser, the same item open in two tabs.</summary>
public sealed class TwoTabTests
{
    const string Rater = "dr-tabs";

    /// <summary>
    /// The later write wins, and visibly: the other tab shows it at once (its form changes, its status says why) instead
    /// of keeping a stale value that looks saved, and a tab never takes its own write for another tab's. Every version is
    /// in rating_history. A rating submitted in one tab stays editable in the other (as it is until the study closes),
    /// and a change there keeps it submitted.
    /// </summary>
    [Fact]
    public async Task TheLaterWriteOfTwoTabsWinsVisiblyAndBothVersionsAreInTheHistory()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(browser => RunAsync(app, browser));
    }

    static async Task RunAsync(RunningApp app, IBrowser browser)
    {
        var a = await Journeys.JoinAsync(app, browser, TestPaths.DemoStudyId, "rater", Rater, "Dr Tabs");
        await Journeys.FollowAsync(a, "Start grading", "**/grade");
        await Expect(a.GetByText("Keyboard:")).ToBeVisibleAsync();
        var queue = await StoredRatings.QueueAsync(app.Database, Rater);
        var item = queue[0];
        var b = await a.Context.NewPageAsync();
        await b.GotoAsync(a.Url + "/" + await StoredRatings.HandleAsync(app.Database, item));
        await Expect(b.GetByText("Keyboard:")).ToBeVisibleAsync();

        // Tab A chooses 4; tab B shows it, and A does not hear its own write as another tab's.
        await Overall(a, 4).CheckAsync();
        await Expect(a.GetByRole(AriaRole.Status)).ToHaveTextAsync("Draft saved");
        await Expect(Overall(b, 4)).ToBeCheckedAsync();
        await Expect(b.GetByRole(AriaRole.Status)).ToHaveTextAsync("Changed in another tab: this form now shows the version saved there.");
        // B heard of the write from the same event A would have: an echo would show by now.
        Assert.Equal("Draft saved", await a.GetByRole(AriaRole.Status).TextContentAsync());

        // Later, tab B chooses 2: it wins, and A's form moves to it.
        await Overall(b, 2).CheckAsync();
        await Expect(b.GetByRole(AriaRole.Status)).ToHaveTextAsync("Draft saved");
        await Expect(Overall(a, 2)).ToBeCheckedAsync();
        await Expect(Overall(a, 4)).Not.ToBeCheckedAsync();
        await Expect(a.GetByRole(AriaRole.Status)).ToHaveTextAsync("Changed in another tab: this form now shows the version saved there.");

        // Free text travels too.
        await b.GetByLabel("Comment").FillAsync("Typed in tab B.");
        await Expect(a.GetByLabel("Comment")).ToHaveValueAsync("Typed in tab B.");

        // Tab A completes and submits what it shows (B's 2, not its own stale 4); B learns the item is submitted.
        foreach (var name in Journeys.DemoChoiceCriteria.Where(n => n != "Overall quality"))
            await a.GetByRole(AriaRole.Radiogroup, new() { Name = name }).GetByRole(AriaRole.Radio).First.CheckAsync();
        await Expect(a.GetByRole(AriaRole.Status)).ToHaveTextAsync("Draft saved");
        await a.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(a.GetByLabel("Progress")).ToHaveTextAsync($"1 / {queue.Count}");
        var heading = b.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex(@"^Response 1 of") });
        await Expect(heading).ToHaveTextAsync($"Response 1 of {queue.Count} (submitted)");
        await Expect(b.GetByLabel("Progress")).ToHaveTextAsync($"1 / {queue.Count}");
        await Expect(b.GetByRole(AriaRole.Status)).ToHaveTextAsync("Submitted in another tab. Changes made here still update the submitted rating.");

        // B changes the submitted rating: it stays submitted, with the new value.
        await Overall(b, 5).CheckAsync();
        await Expect(b.GetByRole(AriaRole.Status)).ToHaveTextAsync("Change saved (the rating stays submitted)");

        var current = await StoredRatings.CurrentAsync(app.Database, Rater, item);
        Assert.Equal(("5", "submitted"), current["overall"]);
        Assert.Equal(("Typed in tab B.", "submitted"), current["comment"]);
        var history = await StoredRatings.HistoryAsync(app.Database, Rater, item);
        Assert.Equal([("4", "draft"), ("2", "draft"), ("2", "submitted"), ("5", "submitted")], history.Of("overall"));
        Assert.Equal([("Typed in tab B.", "draft"), ("Typed in tab B.", "submitted")], history.Of("comment"));
        // Nothing written twice: each other criterion has its draft and its submitted version.
        foreach (var criterion in current.Keys.Except(["overall", "comment"]))
            Assert.Equal(["draft", "submitted"], history.Of(criterion).Select(v => v.Status));
    }

    /// <summary>The "Overall quality" radio of a likert point, by its accessible name ("4 · Good: minor issues only").</summary>
    static ILocator Overall(IPage page, int point) =>
        page.GetByRole(AriaRole.Radiogroup, new() { Name = "Overall quality" }).GetByRole(AriaRole.Radio, new() { NameRegex = new Regex($"^{point} ·") });
}
