using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static GradeBench.EndToEnd.Tests.Field.Typist;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Field;

/// <summary>A rater far from the server (a 150 ms round trip) types the comment of a side-by-side judgement on /compare
/// at two speeds and through a Chinese input method, and submits with Ctrl+Enter right after the last key: what is
/// stored is exactly what was typed. Every figure is reported at once.</summary>
public sealed class FieldPairTypingTests(ITestOutputHelper output)
{
    const string Rater = "dr-far-pairs";
    const string CommentSql = """
        SELECT a.comment FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id JOIN users u ON u.id = a.rater_id
        WHERE p.handle = @Pair AND u.username = @Rater
        """;

    [Fact]
    public async Task APairsCommentTypedBehindARoundTripOf150MsIsStoredExactly()
    {
        await using var app = await RunningApp.StartAsync();
        using var folder = new TempFolder("gradebench-field-pairs-");
        await app.CliAsync("import", DemoPairwise.Write(Path.Combine(folder.Path, "bundle"), pairsPerCase: 1));
        await using var proxy = new LatencyProxy(new Uri(app.BaseAddress).Port);
        await app.BrowserJourneyAsync(async browser =>
        {
            var invite = await app.CliAsync("invite", "--study", DemoPairwise.StudyId, "--base-url", proxy.BaseAddress);
            var page = await (await browser.NewContextAsync(SmallLaptop)).NewPageAsync();
            await Journeys.AcceptInviteAsync(page, invite, Rater, "Dr Far");
            await Journeys.FollowAsync(page, "Start grading", "**/compare");
            var compareUrl = page.Url;
            var comment = page.Locator("#pair-comment");
            var found = new List<string>();

            async Task<string> OpenAsync(int position)
            {
                var pair = await ReadAsync(app.Database, """
                    SELECT p.handle FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id JOIN users u ON u.id = a.rater_id
                    WHERE u.username = @Rater ORDER BY a.queue_position LIMIT 1 OFFSET @Position
                    """, new { Rater, Position = position });
                await page.GotoAsync($"{compareUrl}/{pair}");
                await Expect(page.Locator("p.shortcuts")).ToBeVisibleAsync();
                return pair!;
            }

            // Typed at each speed or composed, then the field is left: the stored draft is the text, byte for byte.
            (string Name, int? DelayMs)[] ways = [("0 ms a key", 0), ("90 ms a key", 90), ("IME", null)];
            for (var i = 0; i < ways.Length; i++)
            {
                var pair = await OpenAsync(i);
                var typed = ways[i].DelayMs is null ? Composed : i == 0 ? Sentence : OtherSentence;
                if (ways[i].DelayMs is { } delay) await comment.PressSequentiallyAsync(typed, new() { Delay = delay });
                else await ComposeAsync(page, comment);
                await comment.BlurAsync();
                var stored = await StoredAsync(app.Database, CommentSql, new { Pair = pair, Rater }, typed);
                found.Add($"{ways[i].Name}: {Kept(stored, typed)}");
            }

            // Every axis by keyboard, the comment typed, and Ctrl+Enter at once after the last key: submitted whole.
            var submitted = await OpenAsync(ways.Length);
            foreach (var (axis, key) in new[] { ("consensus", "a"), ("harm", "t") })
            {
                await page.Locator($"#axis-{axis}-left").FocusAsync();
                await page.Keyboard.PressAsync(key);
            }
            await comment.PressSequentiallyAsync(Sentence);
            await page.Keyboard.PressAsync("Control+Enter");
            await Expect(page.Locator("form.pair-form")).Not.ToHaveAttributeAsync("data-pair", submitted);
            var submittedComment = await ReadAsync(app.Database, CommentSql, new { Pair = submitted, Rater });
            var done = await ReadAsync(app.Database, """
                SELECT CASE WHEN a.completed_at IS NULL THEN '0' ELSE '1' END FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id JOIN users u ON u.id = a.rater_id
                WHERE p.handle = @Pair AND u.username = @Rater
                """, new { Pair = submitted, Rater });
            found.Add($"Ctrl+Enter: {(done == "1" ? "submitted" : "not submitted FAILED")}, {Kept(submittedComment, Sentence)}");

            var report = string.Join("\n", found);
            output.WriteLine(report);
            Assert.DoesNotMatch(new Regex("FAILED"), report);
        });
    }
}
