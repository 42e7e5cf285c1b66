using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Field;

/// <summary>The grading page on a 1280×720 screen behind a 150 ms round trip (<see cref="LatencyProxy"/>): the case, the
/// response and the rubric each scroll on their own and are in view together; a new item opens at the top of its panes
/// with focus on its heading; a failed Submit takes focus to what is missing and says so aloud; long lists and wide
/// tables stay inside their pane; study text carries its language.</summary>
public sealed class GradingLayoutTests
{
    const string Study = "layout-study";
    const string Rater = "dr-layout";
    static readonly Regex ResponseHeading = new(@"^Response \d+ of \d+");

    static BrowserNewContextOptions Screen => new() { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } };

    [Fact]
    public async Task AtA1280x720ScreenTheAnswerAndTheRubricAreReadTogetherAndEachItemOpensAtItsTop()
    {
        await using var app = await RunningApp.StartAsync();
        await using var proxy = new LatencyProxy(app.Port);
        using var bundle = new TempFolder("gradebench-layout-");
        WriteBundle(bundle.Path);
        await app.CliAsync("import", bundle.Path);
        await app.BrowserJourneyAsync(async browser =>
        {
            var invite = await app.CliAsync("invite", "--study", Study, "--base-url", proxy.BaseAddress);
            var page = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await Journeys.AcceptInviteAsync(page, invite, Rater, "Dr Layout");
            var grade = await page.GetByRole(AriaRole.Link, new() { Name = "Start grading" }).GetAttributeAsync("href");
            await page.GotoAsync(proxy.BaseAddress + grade);
            await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
            var casePane = page.GetByRole(AriaRole.Region, new() { Name = "Case", Exact = true });
            var responsePane = page.GetByRole(AriaRole.Region, new() { Name = "Response", Exact = true });
            var rubricPane = page.GetByRole(AriaRole.Region, new() { Name = "Rubric", Exact = true });
            var severity = page.GetByRole(AriaRole.Radiogroup, new() { Name = "Severity" });
            await Journeys.ScreenshotAsync(page, "grading-layout-1280x720", fullPage: false);

            // The rubric's first criterion and the answer's first paragraph are on screen at once; each pane scrolls alone.
            await Expect(severity).ToBeInViewportAsync();
            await Expect(responsePane.GetByText("First paragraph of the answer")).ToBeInViewportAsync();
            foreach (var pane in new[] { casePane, responsePane, rubricPane })
                Assert.True(await pane.EvaluateAsync<bool>("p => p.scrollHeight > p.clientHeight && getComputedStyle(p).overflowY === 'auto'"));
            await responsePane.EvaluateAsync("p => p.scrollTop = 400");
            Assert.Equal(0, await casePane.EvaluateAsync<double>("p => p.scrollTop"));
            Assert.Equal(0, await rubricPane.EvaluateAsync<double>("p => p.scrollTop"));
            Assert.Equal(0, await page.EvaluateAsync<double>("() => document.scrollingElement.scrollTop"));
            await Expect(severity).ToBeInViewportAsync();

            // Numbered lists keep their numbers inside the pane; a wide table scrolls inside it, not the page.
            foreach (var pane in new[] { casePane, responsePane })
            {
                var marker = await pane.EvaluateAsync<JsonElement>("""
                    p => { const li = p.querySelector("ol > li:last-child"); const ol = li.parentElement;
                           return { type: getComputedStyle(li).listStyleType, room: li.getBoundingClientRect().left - p.getBoundingClientRect().left }; }
                    """);
                Assert.Equal("decimal", marker.GetProperty("type").GetString());
                Assert.True(marker.GetProperty("room").GetDouble() >= 24, $"room for the marker \"15.\": {marker}");
                Assert.True(await pane.EvaluateAsync<bool>("p => { const t = p.querySelector('table'); return t.scrollWidth > t.clientWidth && getComputedStyle(t).overflowX === 'auto'; }"));
            }
            Assert.True(await page.EvaluateAsync<double>("() => document.scrollingElement.scrollWidth") <= 1280);

            // Each criterion's help opens beside its anchors.
            await Expect(rubricPane.GetByText("Rate the worst plausible harm")).Not.ToBeVisibleAsync();
            await rubricPane.GetByText("How to rate Severity").ClickAsync();
            await Expect(rubricPane.GetByText("Rate the worst plausible harm")).ToBeVisibleAsync();

            // The guidelines stay open beside the rubric while values are chosen; Escape closes them.
            var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Guidelines" });
            await toggle.ClickAsync();
            var drawer = page.GetByRole(AriaRole.Region, new() { Name = "Rating guidelines" });
            await Expect(drawer).ToBeVisibleAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
            await Expect(toggle).ToHaveAttributeAsync("aria-controls", await drawer.GetAttributeAsync("id") ?? "no id");
            await severity.GetByRole(AriaRole.Radio).Nth(2).CheckAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Draft saved");
            await Expect(drawer).ToBeVisibleAsync();
            await Expect(drawer.GetByText("Rule 1: Read the whole answer")).ToBeInViewportAsync();
            await Expect(severity).ToBeInViewportAsync();
            Assert.True(await page.EvaluateAsync<double>("() => document.scrollingElement.scrollWidth") <= 1280);
            await Journeys.ScreenshotAsync(page, "grading-layout-guidelines-1280x720", fullPage: false);
            await drawer.FocusAsync();
            await page.Keyboard.PressAsync("Escape");
            await Expect(drawer).ToBeHiddenAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
            await Expect(toggle).ToBeFocusedAsync();

            // Next, j and k: each item opens at the top of its panes, with focus on its heading.
            async Task ScrollDownAsync()
            {
                foreach (var pane in new[] { casePane, responsePane, rubricPane }) await pane.EvaluateAsync("p => p.scrollTop = 300");
            }
            async Task OpensAtTopAsync(string heading)
            {
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeFocusedAsync();
                await page.WaitForFunctionAsync("""
                    () => ["Case", "Response", "Rubric"].every(n => document.querySelector(`section[aria-label="${n}"]`).scrollTop === 0)
                    """);
            }
            await ScrollDownAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
            await OpensAtTopAsync("Response 2 of 3");
            await ScrollDownAsync();
            await page.Keyboard.PressAsync("j");
            await OpensAtTopAsync("Response 3 of 3");
            await ScrollDownAsync();
            await page.Keyboard.PressAsync("k");
            await OpensAtTopAsync("Response 2 of 3");

            // Submit without the required values: focus goes to the first one missing, and the live region says which.
            var problems = page.Locator("#rubric-problems");
            await Expect(problems).ToHaveAttributeAsync("aria-live", "assertive");
            await Expect(problems).ToBeEmptyAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
            await Expect(severity.GetByRole(AriaRole.Radio).First).ToBeFocusedAsync();
            await Expect(problems).ToContainTextAsync("Severity");
            await Expect(problems).ToContainTextAsync("Accuracy");

            // Submit done: the next item not done (the third) opens at its top.
            await severity.GetByRole(AriaRole.Radio).Nth(3).CheckAsync();
            await page.GetByRole(AriaRole.Radiogroup, new() { Name = "Accuracy" }).GetByRole(AriaRole.Radio).First.CheckAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Draft saved");
            await ScrollDownAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
            await OpensAtTopAsync("Response 3 of 3");

            // The submitted item, reopened, says so and offers Update; "Draft restored" is for drafts only (the first item).
            await page.Keyboard.PressAsync("k");
            await OpensAtTopAsync("Response 2 of 3 (submitted)");
            await Expect(rubricPane.GetByText("Submitted", new() { Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Update" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Submit" })).ToHaveCountAsync(0);
            await Expect(page.GetByText("Draft restored")).ToHaveCountAsync(0);
            await page.Keyboard.PressAsync("k");
            await OpensAtTopAsync("Response 1 of 3");
            await Expect(page.GetByText("Draft restored")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task AChineseDemoCaseIsMarkedChineseAndTheRubricAndGuidelinesCarryTheStudysLanguage()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(async browser =>
        {
            var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", app.BaseAddress);
            var page = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await Journeys.AcceptInviteAsync(page, invite, "dr-zh", "Dr Zh");
            await Journeys.FollowAsync(page, "Start grading", "**/grade");
            var (item, title) = await FirstChineseItemAsync(app.Database, "dr-zh");
            await page.GotoAsync($"{page.Url}/{item}");
            await Expect(page.GetByText("Keyboard:")).ToBeVisibleAsync();
            await Journeys.ScreenshotAsync(page, "grading-layout-chinese-1280x720", fullPage: false);

            static Task<string> LangAsync(ILocator element) => element.EvaluateAsync<string>("e => e.closest('[lang]')?.lang ?? ''");
            Assert.Equal("zh", await LangAsync(page.GetByRole(AriaRole.Heading, new() { Name = title })));
            Assert.Equal("zh", await LangAsync(page.GetByRole(AriaRole.Region, new() { Name = "Case", Exact = true }).Locator(".markdown").First));
            Assert.Equal("zh", await LangAsync(page.Locator("#grade-response")));
            Assert.Equal("en", await LangAsync(page.GetByRole(AriaRole.Radiogroup, new() { Name = "Overall quality" })));
            await page.GetByRole(AriaRole.Button, new() { Name = "Guidelines" }).ClickAsync();
            Assert.Equal("en", await LangAsync(page.GetByRole(AriaRole.Region, new() { Name = "Rating guidelines" }).Locator(".markdown")));
        });
    }

    /// <summary>A response in the rater's queue whose case the demo declares Chinese, with the case's title.</summary>
    static async Task<(string Handle, string Title)> FirstChineseItemAsync(string database, string username)
    {
        await using var connection = await AppDatabase.OpenAsync(database);
        var items = (await connection.QueryAsync<(string, string)>("""
            SELECT r.handle, c.title FROM assignments a JOIN users u ON u.id = a.rater_id
            JOIN responses r ON r.id = a.response_id JOIN cases c ON c.id = r.case_id
            WHERE u.username = @Username AND c.language = 'zh' ORDER BY a.queue_position
            """, new { Username = username })).AsList();
        Assert.True(items.Count > 0, "the demo assigned this rater no Chinese case");
        return items[0];
    }

    /// <summary>Three long cases, each with one answer, in queue order: long numbered lists (two-digit numbers), a table
    /// wider than any pane, paragraphs enough to scroll, and a rubric of two required criteria with help.</summary>
    static void WriteBundle(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "study.json"), JsonSerializer.Serialize(new
        {
            format = "gradebench-study/1",
            id = Study,
            title = "Layout study",
            instructions_md = "# Rating guidelines\n\n" + string.Join("\n\n", Enumerable.Range(1, 20).Select(i => $"Rule {i}: Read the whole answer before scoring.")),
            language = "en",
            raters_per_response = 1,
            state = "open",
            blinding = new { hide_model = true, shuffle = false },
            rubric = new
            {
                criteria = new object[]
                {
                    new
                    {
                        id = "severity", label = "Severity", type = "likert", min = 1, max = 5, required = true,
                        anchors = new Dictionary<string, string> { ["1"] = "None", ["5"] = "Death" },
                        help_md = "Rate the worst plausible harm if the answer is followed as written.",
                    },
                    new
                    {
                        id = "accuracy", label = "Accuracy", type = "ordinal", required = true, help_md = "Wrong facts, doses or thresholds.",
                        options = new[] { new { value = "good", label = "Good" }, new { value = "poor", label = "Poor" } },
                    },
                    new { id = "e", label = "Extra scale", type = "likert", min = 1, max = 5 },
                    new { id = "f", label = "Another scale", type = "likert", min = 1, max = 5 },
                    new { id = "g", label = "A third scale", type = "likert", min = 1, max = 5 },
                    new { id = "comment", label = "Comment", type = "text" },
                },
            },
        }));
        var list = string.Join("\n", Enumerable.Range(1, 15).Select(i => $"{i}. Step {i} of the work-up, with enough words to wrap onto a second line in a narrow pane."));
        var table = "| " + string.Join(" | ", Enumerable.Range(1, 12).Select(i => $"Column{i}WithAVeryLongHeading")) + " |\n|"
            + string.Concat(Enumerable.Repeat("---|", 12)) + "\n| " + string.Join(" | ", Enumerable.Range(1, 12).Select(i => $"value{i}")) + " |";
        var filler = string.Join("\n\n", Enumerable.Range(1, 12).Select(i => $"Paragraph {i}: the patient's course, examined again, with more detail to read."));
        File.WriteAllLines(Path.Combine(folder, "cases.jsonl"), Enumerable.Range(1, 3).Select(c => JsonSerializer.Serialize(new
        {
            id = $"case-{c}",
            title = $"Long case {c}",
            presentation_md = $"A long presentation.\n\n{list}\n\n{table}\n\n{filler}",
            question_md = "What next?",
        })));
        File.WriteAllLines(Path.Combine(folder, "responses.jsonl"), Enumerable.Range(1, 3).Select(c => JsonSerializer.Serialize(new
        {
            id = $"case-{c}.model-a",
            case_id = $"case-{c}",
            model = "model-a",
            content_md = $"First paragraph of the answer {c}.\n\n{list}\n\n{table}\n\n{filler}",
        })));
    }
}
