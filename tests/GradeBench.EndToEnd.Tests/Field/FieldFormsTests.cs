using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static GradeBench.EndToEnd.Tests.Field.Typist;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Field;

/// <summary>The text fields beyond the rubric, typed behind a 150 ms round trip (<see cref="LatencyProxy"/>) at 1280×720:
/// a rater's flag note, the set-up instructions, a consensus reason and a discussion message, each typed with no gap
/// between keys, with 90 ms between keys, and composed in Chinese with an input method. What is stored is exactly
/// what was typed. One app and one browser; every figure is reported at once.</summary>
public sealed class FieldFormsTests(ITestOutputHelper output)
{
    const string Rater = "dr-far-forms", DraftSlug = "field-draft";
    // Each way types its own text: a case must not find what the case before it stored.
    static readonly (string Name, int? DelayMs)[] Ways = [("0 ms a key", 0), ("90 ms a key", 90), ("IME", null)];

    [Fact]
    public async Task NotesInstructionsReasonsAndMessagesTypedBehindARoundTripOf150MsAreStoredExactly()
    {
        Assert.Equal([99, 99], new[] { Sentence.Length, OtherSentence.Length });
        await using var app = await RunningApp.StartAsync();
        using var bundle = new TempFolder("gradebench-field-forms-");
        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.CopyDemoBundle(bundle.Path), "study.json")))!;
        (study["id"], study["state"]) = (DraftSlug, "draft");
        File.WriteAllText(Path.Combine(bundle.Path, "study.json"), study.ToJsonString());
        await app.CliAsync("import", bundle.Path);
        await using var proxy = new LatencyProxy(app.Port);
        await app.BrowserJourneyAsync(async browser =>
        {
            var found = new List<string>();
            var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", proxy.BaseAddress);
            var rater = await (await browser.NewContextAsync(SmallLaptop)).NewPageAsync();
            await Journeys.AcceptInviteAsync(rater, invite, Rater, "Dr Far");
            await Journeys.FollowAsync(rater, "Start grading", "**/grade");
            var demoUrl = rater.Url[..rater.Url.LastIndexOf('/')];
            await FlagNotesAsync(app, rater, demoUrl, found);

            var coordinator = await (await browser.NewContextAsync(SmallLaptop)).NewPageAsync();
            await SignInAsync(coordinator, app.SignInLink.Replace(app.BaseAddress, proxy.BaseAddress));
            await InstructionsAsync(app, coordinator, demoUrl, found);
            await AdjudicationAsync(app, coordinator, demoUrl, found);

            var report = string.Join("\n", found);
            output.WriteLine(report);
            Assert.False(report.Contains("FAILED"), report);
        });
    }

    static async Task TypeAsync(IPage page, ILocator field, int? delayMs)
    {
        if (delayMs is { } delay) await field.PressSequentiallyAsync(Typed(delay), new() { Delay = delay });
        else await ComposeAsync(page, field);
    }

    static string Typed(int? delayMs) => delayMs switch { null => Composed, 0 => Sentence, _ => OtherSentence };

    static async Task FlagNotesAsync(RunningApp app, IPage rater, string demoUrl, List<string> found)
    {
        var queue = await StoredRatings.QueueAsync(app.Database, Rater);
        for (var i = 0; i < Ways.Length; i++)
        {
            await rater.GotoAsync($"{demoUrl}/grade/{await StoredRatings.HandleAsync(app.Database, queue[i])}");
            await Expect(rater.GetByText("Keyboard:")).ToBeVisibleAsync();
            await rater.GetByRole(AriaRole.Button, new() { Name = "Flag for coordinator" }).ClickAsync();
            await TypeAsync(rater, rater.GetByLabel("What should the coordinator know about this item?"), Ways[i].DelayMs);
            await rater.GetByRole(AriaRole.Button, new() { Name = "Send flag" }).ClickAsync();
            await Expect(rater.GetByText("You flagged this item")).ToBeVisibleAsync();
            var stored = await StoredAsync(app.Database, """
                SELECT f.note FROM flags f JOIN users u ON u.id = f.rater_id
                WHERE u.username = @Rater AND f.response_id = @Item ORDER BY f.id DESC LIMIT 1
                """, new { Rater, Item = queue[i] }, Typed(Ways[i].DelayMs));
            found.Add($"flag note, {Ways[i].Name}: {Kept(stored, Typed(Ways[i].DelayMs))}");
        }
    }

    static async Task SignInAsync(IPage page, string link)
    {
        await page.GotoAsync(link);
        await page.GetByLabel("New password").FillAsync(Journeys.Password);
        await page.GetByLabel("Repeat the password").FillAsync(Journeys.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Studies" })).ToBeVisibleAsync();
    }

    /// <summary>The draft copy of the demo: its instructions replaced and saved, then read again after a reload.</summary>
    static async Task InstructionsAsync(RunningApp app, IPage coordinator, string demoUrl, List<string> found)
    {
        var draftId = await ReadAsync(app.Database, "SELECT CAST(id AS TEXT) FROM studies WHERE slug = @DraftSlug", new { DraftSlug });
        var setupUrl = $"{demoUrl[..demoUrl.LastIndexOf('/')]}/{draftId}/setup";
        var instructions = coordinator.GetByLabel("Instructions (Markdown)");
        foreach (var (name, delayMs) in Ways)
        {
            await coordinator.GotoAsync(setupUrl);
            await Expect(instructions).ToBeVisibleAsync();
            await Journeys.SettleAsync(coordinator);
            await instructions.FillAsync("");
            await TypeAsync(coordinator, instructions, delayMs);
            await coordinator.GetByRole(AriaRole.Button, new() { Name = "Save the rubric" }).ClickAsync();
            var stored = await StoredAsync(app.Database, "SELECT instructions_md FROM studies WHERE slug = @DraftSlug", new { DraftSlug }, Typed(delayMs));
            // Saved, the page no longer asks before a reload.
            await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Rubric changes" })).ToContainTextAsync("Saved");
            await coordinator.ReloadAsync();
            var shown = await instructions.InputValueAsync();
            found.Add($"set-up instructions, {name}: {Kept(stored, Typed(delayMs))}; after a reload the field shows {Kept(shown, Typed(delayMs))}");
        }
    }

    /// <summary>The demo in adjudication: on its first item, a consensus reason per way of typing, then a message per way.</summary>
    static async Task AdjudicationAsync(RunningApp app, IPage coordinator, string demoUrl, List<string> found)
    {
        await coordinator.GotoAsync($"{demoUrl}/dashboard");
        await Journeys.StartAdjudicationAsync(coordinator);
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Adjudication");
        await coordinator.GotoAsync($"{demoUrl}/adjudication");
        var first = coordinator.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link).First;
        await Expect(first).ToBeVisibleAsync();
        var itemUrl = new Uri(new Uri(demoUrl), await first.GetAttributeAsync("href")).AbsoluteUri;
        var itemId = long.Parse((await Typist.ReadAsync(app.Database, """
            SELECT i.id FROM adjudication_items i JOIN responses r ON r.id = i.response_id WHERE r.handle = @Handle
            """, new { Handle = itemUrl.Split('/')[^1].Split('?')[0] }))!);
        await coordinator.GotoAsync(itemUrl);
        var message = coordinator.GetByLabel("Message", new() { Exact = true });
        await Expect(message).ToBeVisibleAsync();
        await Journeys.SettleAsync(coordinator);

        // One Save records every criterion: the others take the shared reason, the criterion under test its own typed one.
        await coordinator.GetByLabel("Shared reason (for every value without its own reason)").FillAsync("shared");
        for (var i = 0; i < Ways.Length; i++)
        {
            var form = coordinator.GetByRole(AriaRole.Form, new() { Name = "Record consensus" }).GetByRole(AriaRole.Group).Nth(i);
            await form.GetByRole(AriaRole.Combobox).SelectOptionAsync(new SelectOptionValue { Index = 1 });
            var reason = form.GetByRole(AriaRole.Textbox);
            var slug = (await reason.GetAttributeAsync("id"))!["reason-".Length..];
            await TypeAsync(coordinator, reason, Ways[i].DelayMs);
            await coordinator.GetByRole(AriaRole.Button, new() { Name = "Save consensus" }).ClickAsync();
            var stored = await StoredAsync(app.Database, """
                SELECT v.reason FROM consensus_values v JOIN criteria c ON c.id = v.criterion_id
                WHERE v.item_id = @ItemId AND c.slug = @Slug
                """, new { ItemId = itemId, Slug = slug }, Typed(Ways[i].DelayMs));
            found.Add($"consensus reason, {Ways[i].Name}: {Kept(stored, Typed(Ways[i].DelayMs))}");
        }

        foreach (var (name, delayMs) in Ways)
        {
            await TypeAsync(coordinator, message, delayMs);
            await coordinator.GetByRole(AriaRole.Button, new() { Name = "Post message" }).ClickAsync();
            var stored = await StoredAsync(app.Database, "SELECT body FROM adjudication_messages WHERE item_id = @ItemId ORDER BY id DESC LIMIT 1",
                new { ItemId = itemId }, Typed(delayMs));
            // The next message starts in an empty field once this one is posted.
            await Expect(message).ToHaveValueAsync("");
            found.Add($"discussion message, {name}: {Kept(stored, Typed(delayMs))}");
        }
    }
}
