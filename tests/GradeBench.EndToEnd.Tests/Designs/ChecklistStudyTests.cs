using System.IO.Compression;
using System.Text.Json;
using GradeBench.EndToEnd.Tests.Field;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Designs;

/// <summary>A study whose cases carry their own checklists (HealthBench's design), end to end in Chromium: import, a
/// rater planned in by their invite marks a case's checklist by keyboard beside the rubric, the coordinator sees it
/// on the dashboard, in the results and in adjudication, and the marks leave in ratings.csv and in bundle.zip, which imports again.</summary>
public sealed class ChecklistStudyTests
{
    const string Study = "checklist-walk";

    [Fact]
    public async Task ARaterMarksACasesChecklistByKeyboardAndTheCoordinatorSeesAndExportsTheMarks()
    {
        await using var app = await RunningApp.StartAsync();
        using var folder = new TempFolder("gradebench-checklist-");
        var bundle = DemoChecklist.Write(Path.Combine(folder.Path, "bundle"));
        var studyJson = Path.Combine(bundle, "study.json");
        File.WriteAllText(studyJson, File.ReadAllText(studyJson).Replace($"\"id\": \"{TestPaths.DemoStudyId}\"", $"\"id\": \"{Study}\"", StringComparison.Ordinal));
        await app.CliAsync("import", bundle);

        await app.BrowserJourneyAsync(async browser =>
        {
            var rater = await Journeys.JoinAsync(app, browser, Study, "rater", "dr-checklist", "Dr Checklist");
            await Journeys.FollowAsync(rater, "Start grading", "**/grade");
            var studyUrl = rater.Url[..rater.Url.LastIndexOf('/')];
            var studyId = long.Parse(studyUrl.Split('/')[^1]);

            // A response of a case with a checklist, from the rater's own queue.
            using var api = RatingApi.Client(app.BaseAddress, await app.CliAsync("token", "create", "--user", "dr-checklist"));
            using var assignments = JsonDocument.Parse(await api.GetStringAsync($"/api/studies/{studyId}/assignments"));
            var item = assignments.RootElement.GetProperty("assignments").EnumerateArray().First(a => a.TryGetProperty("checklist", out _));
            var handle = item.GetProperty("response").GetString()!;
            // Met for the criteria worth points, not met for the penalties: y and n.
            var marks = item.GetProperty("checklist").EnumerateArray()
                .Select(c => (Id: c.GetProperty("id").GetString()!, Points: c.GetProperty("points").GetInt32())).ToList();
            await rater.GotoAsync($"{studyUrl}/grade/{handle}");

            var checklist = rater.GetByRole(AriaRole.Region, new() { Name = "Checklist for this case" });
            await Expect(checklist.GetByRole(AriaRole.Radiogroup)).ToHaveCountAsync(marks.Count);
            foreach (var (_, points) in marks)
                await Expect(checklist).ToContainTextAsync(points > 0 ? $"+{points} points" : $"\u2212{-points} points");
            await Expect(rater.GetByText("Keyboard:")).ToContainTextAsync("mark met / not met");

            // Only the keyboard: digits in the rubric, y and n in the checklist, Ctrl+Enter.
            foreach (var name in Journeys.DemoChoiceCriteria)
            {
                await rater.GetByRole(AriaRole.Radiogroup, new() { Name = name }).GetByRole(AriaRole.Radio).First.FocusAsync();
                await rater.Keyboard.PressAsync(name.StartsWith("Contains", StringComparison.Ordinal) ? "n" : "1");
            }
            foreach (var (criterion, points) in marks)
            {
                await rater.Locator($"#criterion-{criterion} input").First.FocusAsync();
                await rater.Keyboard.PressAsync(points > 0 ? "y" : "n");
                await Expect(rater.Locator($"#criterion-{criterion} input[value={(points > 0 ? "true" : "false")}]")).ToBeCheckedAsync();
            }
            await rater.Keyboard.PressAsync("Control+Enter");
            await Expect(rater.GetByLabel("Progress")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^1 / \d+$"));
            var stored = await Typist.ReadAsync(app.Database, """
                SELECT string_agg(k.slug || '=' || g.value, ',') FROM ratings g
                JOIN criteria k ON k.id = g.criterion_id JOIN responses r ON r.id = g.response_id JOIN users u ON u.id = g.rater_id
                WHERE u.username = 'dr-checklist' AND r.handle = @Handle AND g.status = 'submitted' AND k.case_id IS NOT NULL
                """, new { Handle = handle });
            Assert.Equal(marks.Select(m => $"{m.Id}={(m.Points > 0 ? "true" : "false")}").Order(), stored!.Split(',').Order());

            // The coordinator: the rater's progress on the dashboard, the marks in ratings.csv and in bundle.zip.
            var options = Journeys.Laptop;
            options.AcceptDownloads = true;
            var coordinator = await (await browser.NewContextAsync(options)).NewPageAsync();
            await Journeys.SignInAsAdministratorAsync(coordinator, app);
            await coordinator.GotoAsync($"{studyUrl}/dashboard");
            await Expect(coordinator.GetByRole(AriaRole.Table, new() { Name = "Progress per rater" })
                .GetByRole(AriaRole.Row, new() { Name = "Dr Checklist" })).ToContainTextAsync("1");
            await coordinator.GotoAsync($"{studyUrl}/downloads");
            var ratingsCsv = Path.Combine(folder.Path, "ratings.csv");
            await (await coordinator.RunAndWaitForDownloadAsync(() =>
                coordinator.GetByRole(AriaRole.Link, new() { Name = "Download ratings.csv", Exact = true }).ClickAsync())).SaveAsAsync(ratingsCsv);
            Assert.True(File.ReadLines(ratingsCsv).Count(line => line.Contains("dr-checklist", StringComparison.Ordinal) &&
                marks.Any(m => line.Contains($",{m.Id},", StringComparison.Ordinal))) == marks.Count);

            // Results: the checklist score per model beside the rubric's results.
            await coordinator.GotoAsync($"{studyUrl}/results");
            await Expect(coordinator.Locator("[aria-busy='true']")).ToHaveCountAsync(0);
            await Expect(coordinator.Locator("#checklist-scores tbody tr")).ToHaveCountAsync(3);

            // Adjudication: the pilot raters' differing marks are queued with the rubric's disagreements, named by their text.
            await coordinator.GotoAsync($"{studyUrl}/dashboard");
            await Journeys.StartAdjudicationAsync(coordinator);
            await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Adjudication");
            await coordinator.GotoAsync($"{studyUrl}/adjudication");
            var checklistTexts = DemoChecklist.Criteria["case-001"].Concat(DemoChecklist.Criteria["case-007"])
                .Select(c => c.Text is string text ? text : ((Dictionary<string, string>)c.Text)["en"]).ToList();
            await Expect(coordinator.Locator("table tbody").First).ToContainTextAsync(
                new System.Text.RegularExpressions.Regex(string.Join("|", checklistTexts.Select(System.Text.RegularExpressions.Regex.Escape))));
            await coordinator.GotoAsync($"{studyUrl}/downloads");

            var zip = Path.Combine(folder.Path, "bundle.zip");
            await (await coordinator.RunAndWaitForDownloadAsync(() =>
                coordinator.GetByRole(AriaRole.Link, new() { Name = "Download bundle.zip", Exact = true }).ClickAsync())).SaveAsAsync(zip);
            var again = Path.Combine(folder.Path, "again");
            ZipFile.ExtractToDirectory(zip, again);
            var againJson = Path.Combine(again, "study.json");
            File.WriteAllText(againJson, File.ReadAllText(againJson).Replace($"\"id\": \"{Study}\"", "\"id\": \"checklist-walk-again\"", StringComparison.Ordinal));
            await app.CliAsync("import", again);
            const string Marks = """
                SELECT COUNT(*) FROM ratings g JOIN criteria k ON k.id = g.criterion_id JOIN studies s ON s.id = k.study_id
                WHERE s.slug = @Slug AND k.case_id IS NOT NULL AND g.status = 'submitted'
                """;
            Assert.Equal(await Typist.ReadAsync(app.Database, Marks, new { Slug = Study }),
                await Typist.ReadAsync(app.Database, Marks, new { Slug = "checklist-walk-again" }));
        });
    }
}
