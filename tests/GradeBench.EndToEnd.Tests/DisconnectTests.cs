using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>
/// A rater's connection drops in the middle of a draft and comes back. Either the network goes away and returns to the
/// same circuit, or the circuit is lost with the server and the page reloads onto a new one. Either way the draft is whole
/// on the page and in the database; what the rater changed while the server could not hear it is saved once it can (the
/// page says so meanwhile, and after); and Submit pressed around the drop, even several times, records one submission.
/// </summary>
public sealed class DisconnectTests
{
    const string Study = TestPaths.DemoStudyId;

    /// <summary>
    /// The network drops (<see cref="LossyNetwork"/>): Blazor's WebSocket stays open but nothing passes, as with a dead
    /// Wi-Fi. Blazor notices only when its 30 s server timeout runs out, and shows the reconnect dialog then; until that
    /// moment the rater keeps typing and clicking into a page whose server hears nothing. Back online, Blazor rejoins the
    /// same circuit.
    /// </summary>
    [Fact]
    public async Task AfterTheNetworkDropsAndReturnsTheDraftIsWholeWhatChangedOfflineIsSavedAndOneSubmitIsRecorded()
    {
        await using var app = await RunningApp.StartAsync();
        await app.JourneyAsync(async () =>
        {
            const string Rater = "dr-offline";
            var (playwright, browser) = await Browser.LaunchAsync();
            using var _ = playwright;
            await using var __ = browser;
            var page = await Journeys.JoinAsync(app, browser, Study, "rater", Rater, "Dr Offline");
            var grading = await page.GetByRole(AriaRole.Link, new() { Name = "Start grading" }).GetAttributeAsync("href");
            // A page load of its own, so that its WebSocket is the first one routed.
            var network = await LossyNetwork.RouteAsync(page.Context);
            await page.GotoAsync(app.BaseAddress + grading);
            await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
            var queue = await StoredRatings.QueueAsync(app.Database, Rater);
            var item = queue[0];
            var comment = page.GetByLabel("Comment");
            var status = page.GetByRole(AriaRole.Status);

            // Mid-draft: two values chosen and a comment typed, all acknowledged.
            await Point(page, "Agreement with guideline consensus", 3).CheckAsync();
            await Point(page, "Reading comprehension and reasoning", 4).CheckAsync();
            await comment.FillAsync("Before the drop.");
            await WaitStoredAsync(app, Rater, item, "comment", "Before the drop.");
            await Expect(status).ToHaveTextAsync("Draft saved");

            await network.DownAsync();
            await comment.FillAsync("Before the drop. Typed while offline.");
            await Point(page, "Overall quality", 2).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
            // The status still says "Draft saved" from before; the page must not let that stand.
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not submitted yet: the server has not received your Submit.");
            await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Rejoining the server", new() { Timeout = 45_000 });
            Assert.Equal(("Before the drop.", "draft"), (await StoredRatings.CurrentAsync(app.Database, Rater, item))["comment"]);

            await network.UpAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).Not.ToBeVisibleAsync(new() { Timeout = 30_000 });
            await WaitStoredAsync(app, Rater, item, "comment", "Before the drop. Typed while offline.");
            await Expect(status).ToHaveTextAsync("Saved 2 changes that had not reached the server when the connection dropped.");
            // The Submit never arrived, and the page still says so.
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("press Submit again");
            await Expect(comment).ToHaveValueAsync("Before the drop. Typed while offline.");
            await Expect(Point(page, "Agreement with guideline consensus", 3)).ToBeCheckedAsync();
            await Expect(Point(page, "Reading comprehension and reasoning", 4)).ToBeCheckedAsync();
            await Expect(Point(page, "Overall quality", 2)).ToBeCheckedAsync();
            var draft = await StoredRatings.CurrentAsync(app.Database, Rater, item);
            Assert.Equal(("3", "draft"), draft["consensus"]);
            Assert.Equal(("4", "draft"), draft["reasoning"]);
            Assert.Equal(("2", "draft"), draft["overall"]);
            Assert.Equal(("Before the drop. Typed while offline.", "draft"), draft["comment"]);

            // Complete it and press Submit twice at once, then Ctrl+Enter: one submission, of this item only.
            await CompleteAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).EvaluateAsync("button => { button.click(); button.click(); }");
            await page.Keyboard.PressAsync("Control+Enter");
            await Expect(page.GetByLabel("Progress")).ToHaveTextAsync($"1 / {queue.Count}");
            await Expect(page.GetByRole(AriaRole.Alert)).Not.ToBeVisibleAsync();
            await AssertSubmittedOnceAsync(app, Rater, queue, new()
            {
                ["consensus"] = ["3"], ["reasoning"] = ["4"], ["overall"] = ["2"],
                ["comment"] = ["Before the drop.", "Before the drop. Typed while offline."],
            });
        });
    }

    /// <summary>
    /// The server is killed (SIGKILL) while the rater types, and a new one starts on the same database and port. The
    /// page's circuit is gone with the old process: Blazor's reconnection is refused and the page reloads itself, signed
    /// in still (the keys are kept beside the database). What was saved is there; the text typed within the last typing
    /// pause, which the killed server never saved, comes back from the tab and is saved.
    /// </summary>
    [Fact]
    public async Task AfterTheServerRestartsThePageReloadsOntoTheWholeDraftAndOneSubmitIsRecorded()
    {
        await using var first = await RunningApp.StartAsync();
        RunningApp? second = null;
        try
        {
            await first.JourneyAsync(async () =>
            {
                const string Rater = "dr-restart";
                var (playwright, browser) = await Browser.LaunchAsync();
                using var _ = playwright;
                await using var __ = browser;
                var page = await Journeys.JoinAsync(first, browser, Study, "rater", Rater, "Dr Restart");
                await Journeys.FollowAsync(page, "Start grading", "**/grade");
                await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
                var queue = await StoredRatings.QueueAsync(first.Database, Rater);
                var item = queue[0];
                var comment = page.GetByLabel("Comment");

                await Point(page, "Agreement with guideline consensus", 3).CheckAsync();
                await comment.FillAsync("Saved before the restart.");
                await WaitStoredAsync(first, Rater, item, "comment", "Saved before the restart.");
                await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Draft saved");

                // Typed, and the server killed within the typing pause: it never saves this text.
                await comment.FillAsync("Saved before the restart. Typed just before it.");
                await first.KillAsync();
                await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
                Assert.Equal(("Saved before the restart.", "draft"), (await StoredRatings.CurrentAsync(first.Database, Rater, item))["comment"]);

                second = await RunningApp.StartAsync(database: first.Database, port: first.Port);
                await second.JourneyAsync(async () =>
                {
                    // Blazor retries every 5 s by now; the new server refuses the old circuit and the page reloads.
                    await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync(new() { Timeout = 45_000 });
                    await WaitStoredAsync(first, Rater, item, "comment", "Saved before the restart. Typed just before it.");
                    await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved a change that had not reached the server when the connection dropped.");
                    await Expect(comment).ToHaveValueAsync("Saved before the restart. Typed just before it.");
                    await Expect(Point(page, "Agreement with guideline consensus", 3)).ToBeCheckedAsync();
                    var draft = await StoredRatings.CurrentAsync(first.Database, Rater, item);
                    Assert.Equal(("3", "draft"), draft["consensus"]);
                    Assert.Equal(("Saved before the restart. Typed just before it.", "draft"), draft["comment"]);

                    await CompleteAsync(page);
                    await page.Keyboard.PressAsync("Control+Enter");
                    await page.Keyboard.PressAsync("Control+Enter");
                    await Expect(page.GetByLabel("Progress")).ToHaveTextAsync($"1 / {queue.Count}");
                    await AssertSubmittedOnceAsync(first, Rater, queue, new()
                    {
                        ["consensus"] = ["3"],
                        ["comment"] = ["Saved before the restart.", "Saved before the restart. Typed just before it."],
                    });
                });
            });
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
        }
    }

    /// <summary>
    /// Blazor's WebSocket passed through Playwright, so that the test can lose its frames. While down, nothing passes
    /// either way, Blazor's keep-alive pings included, and the browser is offline, so reconnection attempts fail at once.
    /// Chromium's offline mode alone would not do: it holds an open WebSocket's frames back rather than losing them, and
    /// sends them when the network returns if the server has not given up on the connection by then, so whether changes
    /// made offline were lost or merely late would be left to timing.
    /// </summary>
    sealed class LossyNetwork(IBrowserContext context)
    {
        volatile bool _down;

        public static async Task<LossyNetwork> RouteAsync(IBrowserContext context)
        {
            var network = new LossyNetwork(context);
            await context.RouteWebSocketAsync(new Regex("/_blazor"), network.Route);
            return network;
        }

        void Route(IWebSocketRoute page)
        {
            var server = page.ConnectToServer();
            page.OnMessage(frame => Pass(frame, server));
            server.OnMessage(frame => Pass(frame, page));
        }

        void Pass(IWebSocketFrame frame, IWebSocketRoute to)
        {
            if (_down) return;
            if (frame.Binary is { } bytes) to.Send(bytes);
            else to.Send(frame.Text!);
        }

        public async Task DownAsync()
        {
            _down = true;
            await context.SetOfflineAsync(true);
        }

        public async Task UpAsync()
        {
            await context.SetOfflineAsync(false);
            _down = false;
        }
    }

    /// <summary>A likert point's radio by its accessible name ("3 · Partly aligned").</summary>
    static ILocator Point(IPage page, string criterion, int point) =>
        page.GetByRole(AriaRole.Radiogroup, new() { Name = criterion }).GetByRole(AriaRole.Radio, new() { NameRegex = new Regex($"^{point} ·") });

    /// <summary>The first option of every choice criterion not answered yet, each saved before the next.</summary>
    static async Task CompleteAsync(IPage page)
    {
        foreach (var name in Journeys.DemoChoiceCriteria)
        {
            var group = page.GetByRole(AriaRole.Radiogroup, new() { Name = name });
            if (await group.GetByRole(AriaRole.Radio, new() { Checked = true }).CountAsync() > 0) continue;
            await group.GetByRole(AriaRole.Radio).First.CheckAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Draft saved");
        }
    }

    static async Task WaitStoredAsync(RunningApp app, string rater, long responseId, string criterion, string value)
    {
        for (var waited = 0; waited < 200; waited++)
        {
            if ((await StoredRatings.CurrentAsync(app.Database, rater, responseId)).GetValueOrDefault(criterion).Value == value) return;
            await Task.Delay(100);
        }
        Assert.Fail($"{criterion} = \"{value}\" was not saved within 20 s");
    }

    /// <summary>
    /// The item is submitted once, the next one untouched. Each criterion's history is its draft versions, in order
    /// (<paramref name="drafts"/>; the other choice criteria one each), then exactly one submitted version of the last:
    /// no version twice, none lost.
    /// </summary>
    static async Task AssertSubmittedOnceAsync(RunningApp app, string rater, List<long> queue, Dictionary<string, string[]> drafts)
    {
        var current = await StoredRatings.CurrentAsync(app.Database, rater, queue[0]);
        var history = await StoredRatings.HistoryAsync(app.Database, rater, queue[0]);
        Assert.Equal(9, current.Count);
        foreach (var (criterion, (value, state)) in current)
        {
            Assert.Equal("submitted", state);
            var expected = drafts.GetValueOrDefault(criterion) ?? [value!];
            Assert.Equal([.. expected.Select(v => (v, "draft")), (value, "submitted")], history.Of(criterion));
            Assert.Equal(expected[^1], value);
        }
        Assert.Empty(await StoredRatings.CurrentAsync(app.Database, rater, queue[1]));
    }
}
