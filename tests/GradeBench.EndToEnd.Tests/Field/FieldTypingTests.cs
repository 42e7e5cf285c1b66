using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Field;

/// <summary>A rater far from the server (a 150 ms round trip through <see cref="LatencyProxy"/>) types comments at
/// several speeds, submits right after typing, and composes Chinese with an input method: what is stored is exactly
/// what was typed. One app, one browser, one rater; each case on its own item, and every figure is reported at once.</summary>
public sealed class FieldTypingTests(ITestOutputHelper output)
{
    const string Rater = "dr-far";
    // 99 characters, as a physician's comment.
    const string Sentence = "The dose of alteplase is wrong: 0.9 mg/kg, max 90 mg, 10% as a bolus; check BP first, then recheck.";
    const string Composed = "急性缺血性卒中";
    static readonly int[] KeyDelaysMs = [0, 30, 90, 150];

    [Fact]
    public async Task TextTypedBehindARoundTripOf150MsIsStoredExactly()
    {
        Assert.Equal(99, Sentence.Length);
        await using var app = await RunningApp.StartAsync();
        await using var proxy = new LatencyProxy(new Uri(app.BaseAddress).Port);
        await app.BrowserJourneyAsync(async browser =>
        {
            var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", proxy.BaseAddress);
            var page = await (await browser.NewContextAsync(Journeys.Laptop)).NewPageAsync();
            await Journeys.AcceptInviteAsync(page, invite, Rater, "Dr Far");
            await Journeys.FollowAsync(page, "Start grading", "**/grade");
            var studyId = page.Url.Split('/')[^2];
            var queue = await StoredRatings.QueueAsync(app.Database, Rater);
            Assert.True(queue.Count >= KeyDelaysMs.Length + 2, $"the demo assigns {queue.Count} items");
            var comment = page.GetByLabel("Comment");
            var found = new List<string>();

            async Task OpenAsync(long item)
            {
                await page.GotoAsync($"{proxy.BaseAddress}/studies/{studyId}/grade/{await StoredRatings.HandleAsync(app.Database, item)}");
                await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
            }

            // Typed at each speed, then the field is left: the stored draft is the sentence, byte for byte.
            for (var i = 0; i < KeyDelaysMs.Length; i++)
            {
                await OpenAsync(queue[i]);
                await comment.PressSequentiallyAsync(Sentence, new() { Delay = KeyDelaysMs[i] });
                await comment.BlurAsync();
                var stored = await StoredCommentAsync(app, queue[i], Sentence);
                found.Add($"{KeyDelaysMs[i]} ms a key: {Kept(stored, Sentence)}");
            }

            // Ctrl+Enter at once after the last key: the submitted comment is whole.
            var submitted = queue[KeyDelaysMs.Length];
            await OpenAsync(submitted);
            foreach (var name in Journeys.DemoChoiceCriteria)
                await page.GetByRole(AriaRole.Radiogroup, new() { Name = name }).GetByRole(AriaRole.Radio).First.CheckAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Draft saved");
            await comment.PressSequentiallyAsync(Sentence);
            await page.Keyboard.PressAsync("Control+Enter");
            await Expect(page).Not.ToHaveURLAsync(new Regex($"/grade/{await StoredRatings.HandleAsync(app.Database, submitted)}$"));
            var current = (await StoredRatings.CurrentAsync(app.Database, Rater, submitted)).GetValueOrDefault("comment");
            found.Add($"Ctrl+Enter: {current.Status ?? "not"} submitted, {Kept(current.Value, Sentence)}");
            if (current.Status != "submitted") found[^1] += " FAILED";

            // Chinese through an input method: pinyin, then candidates, then the committed text; nothing provisional is saved.
            var composedOn = queue[KeyDelaysMs.Length + 1];
            await OpenAsync(composedOn);
            await comment.FocusAsync();
            var cdp = await page.Context.NewCDPSessionAsync(page);
            foreach (var provisional in new[] { "ji", "jixing", "急性", "急性que", "急性缺血", "急性缺血xing" })
            {
                await cdp.SendAsync("Input.imeSetComposition", new Dictionary<string, object>
                {
                    ["text"] = provisional, ["selectionStart"] = provisional.Length, ["selectionEnd"] = provisional.Length,
                });
                // A rater reads the candidates for longer than the typing pause.
                await Task.Delay(800);
            }
            await cdp.SendAsync("Input.insertText", new Dictionary<string, object> { ["text"] = Composed });
            await comment.BlurAsync();
            var composed = await StoredCommentAsync(app, composedOn, Composed);
            var versions = (await StoredRatings.HistoryAsync(app.Database, Rater, composedOn)).Of("comment").Select(v => v.Value).ToList();
            found.Add($"IME: {Kept(composed, Composed)}, versions saved {JsonSerializer.Serialize(versions, Unescaped)}");
            if (versions is not [Composed]) found[^1] += " FAILED";

            // Every typed item submitted, then exported: each comment cell is the typed text, byte for byte.
            List<(long Item, string Text)> typed = [.. queue.Take(KeyDelaysMs.Length).Select(item => (item, Sentence)), (submitted, Sentence), (composedOn, Composed)];
            foreach (var item in typed.Select(t => t.Item).Where(item => item != submitted))
            {
                await OpenAsync(item);
                foreach (var name in Journeys.DemoChoiceCriteria)
                    await page.GetByRole(AriaRole.Radiogroup, new() { Name = name }).GetByRole(AriaRole.Radio).First.CheckAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
                await Expect(page).Not.ToHaveURLAsync(new Regex($"/grade/{await StoredRatings.HandleAsync(app.Database, item)}$"));
            }
            found.AddRange(await ExportedCommentsAsync(app, browser, studyId, typed));

            var report = string.Join("\n", found);
            output.WriteLine(report);
            Assert.False(report.Contains("FAILED"), report);
        });
    }

    /// <summary>ratings-wide.csv and history.csv as a coordinator downloads them: for each typed item, whether the comment
    /// cell (the last version, in history.csv) holds exactly the typed text's UTF-8 bytes, and every exported version of
    /// the composed comment is the committed text.</summary>
    static async Task<List<string>> ExportedCommentsAsync(RunningApp app, IBrowser browser, string studyId, List<(long Item, string Text)> typed)
    {
        var coordinator = await (await browser.NewContextAsync(Journeys.Laptop)).NewPageAsync();
        await Journeys.SignInAsAdministratorAsync(coordinator, app);
        var found = new List<string>();
        foreach (var kind in new[] { "ratings-wide.csv", "history.csv" })
        {
            var answer = await coordinator.Context.APIRequest.GetAsync($"{app.BaseAddress}/api/studies/{studyId}/export/{kind}");
            Assert.Equal(200, answer.Status);
            var bytes = await answer.BodyAsync();
            var rows = CommentCells(bytes, kind == "history.csv");
            var kept = 0;
            foreach (var (item, text) in typed)
            {
                var slug = await Typist.ReadAsync(app.Database, "SELECT slug FROM responses WHERE id = @Item", new { Item = item });
                var cells = rows.Where(r => r.Response == slug).Select(r => r.Comment).ToList();
                var same = cells.Count > 0 && Encoding.UTF8.GetBytes(cells[^1]).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(text))
                    && (text != Composed || cells.All(c => c == Composed));
                if (same) kept++;
                else found.Add($"{kind}: response {slug} exports {JsonSerializer.Serialize(cells, Unescaped)} FAILED");
            }
            found.Add($"{kind}: {kept} of {typed.Count} typed comments exported byte for byte");
        }
        return found;
    }

    /// <summary>(response, comment) of the rater's rows: the comment column of ratings-wide.csv, or the value of the
    /// comment criterion's versions in history.csv.</summary>
    static List<(string Response, string Comment)> CommentCells(byte[] csv, bool history)
    {
        using var reader = Sylvan.Data.Csv.CsvDataReader.Create(new StreamReader(new MemoryStream(csv), Encoding.UTF8));
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            if (reader.GetString(reader.GetOrdinal("rater")) != Rater) continue;
            if (history && reader.GetString(reader.GetOrdinal("criterion")) != "comment") continue;
            rows.Add((reader.GetString(reader.GetOrdinal("response_id")), reader.GetString(reader.GetOrdinal(history ? "value" : "comment"))));
        }
        return rows;
    }

    static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static string Kept(string? stored, string typed) =>
        stored == typed ? $"kept {typed.Length}/{typed.Length}" : $"kept {stored?.Length ?? 0}/{typed.Length} \"{stored}\" FAILED";

    /// <summary>The stored comment once it is <paramref name="expected"/>, or as it is after 10 s.</summary>
    static async Task<string?> StoredCommentAsync(RunningApp app, long responseId, string expected)
    {
        string? stored = null;
        for (var waited = 0; waited < 100; waited++)
        {
            stored = (await StoredRatings.CurrentAsync(app.Database, Rater, responseId)).GetValueOrDefault("comment").Value;
            if (stored == expected) break;
            await Task.Delay(100);
        }
        return stored;
    }
}
