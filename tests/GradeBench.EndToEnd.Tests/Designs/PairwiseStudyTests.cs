using System.IO.Compression;
using System.Text.RegularExpressions;
using GradeBench.EndToEnd.Tests.Field;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Designs;

/// <summary>A side-by-side (pairwise) study end to end in Chromium: import, two raters planned in by their invites
/// judge the same pair by keyboard on /compare without learning a model, the coordinator sees pairs on the dashboard,
/// settles their disagreement in adjudication, reads Bradley–Terry ratings in the results, and the votes leave in pairwise.csv and in bundle.zip, which imports again.</summary>
public sealed class PairwiseStudyTests
{
    [Fact]
    public async Task TwoRatersJudgeAPairByKeyboardAndTheCoordinatorSeesAndExportsTheirVotes()
    {
        await using var app = await RunningApp.StartAsync();
        using var folder = new TempFolder("gradebench-pairwise-");
        await app.CliAsync("import", DemoPairwise.Write(Path.Combine(folder.Path, "bundle"), pairsPerCase: 1));

        await app.BrowserJourneyAsync(async browser =>
        {
            // The first rater: the invite's grading link opens the side-by-side page; nothing names a model.
            var first = await Journeys.JoinAsync(app, browser, DemoPairwise.StudyId, "rater", "dr-left", "Dr Left");
            await Journeys.FollowAsync(first, "Start grading", "**/compare");
            var studyUrl = first.Url[..first.Url.LastIndexOf('/')];
            await Expect(first.Locator("#pair-progress")).ToHaveTextAsync("0 / 20");
            await Expect(first.GetByRole(AriaRole.Region, new() { Name = "Answer on the left", Exact = true })).ToBeVisibleAsync();
            await Expect(first.GetByRole(AriaRole.Region, new() { Name = "Answer on the right", Exact = true })).ToBeVisibleAsync();
            await Expect(first.Locator("body")).Not.ToContainTextAsync("model-");
            await Expect(first.Locator("p.shortcuts")).ToBeVisibleAsync();
            var pair = await first.Locator("form.pair-form").GetAttributeAsync("data-pair");

            // Keyboard only: a (left) on consensus, x (both unacceptable) on harm, Ctrl+Enter; the next pair opens.
            await VoteAsync(first, ("consensus", "a", "left"), ("harm", "x", "both_bad"));
            await Expect(first.Locator("#pair-progress")).ToHaveTextAsync("1 / 20");
            Assert.NotEqual(pair, await first.Locator("form.pair-form").GetAttributeAsync("data-pair"));

            // The second rater judges the same pair: a tie on consensus (so the two disagree), both unacceptable on harm.
            var second = await Journeys.JoinAsync(app, browser, DemoPairwise.StudyId, "rater", "dr-right", "Dr Right");
            await second.GotoAsync($"{studyUrl}/compare/{pair}");
            await Expect(second.Locator("p.shortcuts")).ToBeVisibleAsync();
            await VoteAsync(second, ("consensus", "t", "tie"), ("harm", "x", "both_bad"));
            await Expect(second.Locator("#pair-progress")).ToHaveTextAsync("1 / 20");
            // Stored by model: the first rater's "left" is A or B as their side drew it.
            Assert.Matches("^(a|b)\\|both_bad\\|tie\\|both_bad$", await Typist.ReadAsync(app.Database, """
                SELECT string_agg(v.choice, '|' ORDER BY u.username, x.position) FROM pair_votes v JOIN pairs p ON p.id = v.pair_id
                JOIN users u ON u.id = v.rater_id JOIN pairwise_axes x ON x.id = v.axis_id
                WHERE p.handle = @Pair AND v.status = 'submitted'
                """, new { Pair = pair }));

            // The coordinator: pairs on the dashboard, ratings per axis in the results, the votes in the exports.
            var options = Journeys.Laptop;
            options.AcceptDownloads = true;
            var coordinator = await (await browser.NewContextAsync(options)).NewPageAsync();
            await Journeys.SignInAsAdministratorAsync(coordinator, app);
            await coordinator.GotoAsync($"{studyUrl}/dashboard");
            await Expect(coordinator.GetByRole(AriaRole.Table, new() { Name = "Progress per axis" })).ToBeVisibleAsync();
            await Expect(coordinator.GetByText(new Regex(@"^2 of \d+ assigned pairs done"))).ToBeVisibleAsync();

            // Adjudication: the raters disagree on consensus only; the coordinator's consensus (by answer, not by side) settles it.
            await Journeys.StartAdjudicationAsync(coordinator);
            await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Adjudication");
            await coordinator.GotoAsync($"{studyUrl}/adjudication");
            await Expect(coordinator.Locator($"a[href$='/adjudication/pairs/{pair}']")).ToHaveCountAsync(1);
            await coordinator.GotoAsync($"{studyUrl}/adjudication/pairs/{pair}");
            await Expect(coordinator.Locator("#pair-consensus-consensus")).ToBeVisibleAsync();
            await Expect(coordinator.Locator("#pair-consensus-harm")).ToHaveCountAsync(0);
            await Journeys.SettleAsync(coordinator);
            await coordinator.Locator("#pair-consensus-consensus-tie").CheckAsync();
            await coordinator.Locator("#pair-consensus-shared-reason").FillAsync("Discussed with both raters.");
            await coordinator.Locator("#pair-consensus-save").ClickAsync();
            await Expect(coordinator.Locator("#pair-consensus-state")).ToContainTextAsync("resolved");
            Assert.Equal("tie", await Typist.ReadAsync(app.Database, """
                SELECT c.choice FROM pair_consensus_votes c JOIN adjudication_items i ON i.id = c.item_id JOIN pairs p ON p.id = i.pair_id
                WHERE p.handle = @Pair ORDER BY c.id DESC LIMIT 1
                """, new { Pair = pair }));

            await coordinator.GotoAsync($"{studyUrl}/results");
            await Expect(coordinator.Locator("[aria-busy='true']")).ToHaveCountAsync(0);
            await Expect(coordinator.Locator("#axis-consensus")).ToBeVisibleAsync();
            await Expect(coordinator.Locator("#axis-harm")).ToBeVisibleAsync();

            await coordinator.GotoAsync($"{studyUrl}/downloads");
            var csv = Path.Combine(folder.Path, "pairwise.csv");
            await (await coordinator.RunAndWaitForDownloadAsync(() =>
                coordinator.GetByRole(AriaRole.Link, new() { Name = "Download pairwise.csv", Exact = true }).ClickAsync())).SaveAsAsync(csv);
            Assert.Equal(4, File.ReadLines(csv).Count(line => line.Contains("dr-left", StringComparison.Ordinal) || line.Contains("dr-right", StringComparison.Ordinal)));

            var zip = Path.Combine(folder.Path, "bundle.zip");
            await (await coordinator.RunAndWaitForDownloadAsync(() =>
                coordinator.GetByRole(AriaRole.Link, new() { Name = "Download bundle.zip", Exact = true }).ClickAsync())).SaveAsAsync(zip);
            var again = Path.Combine(folder.Path, "again");
            ZipFile.ExtractToDirectory(zip, again);
            var studyJson = Path.Combine(again, "study.json");
            File.WriteAllText(studyJson, Regex.Replace(File.ReadAllText(studyJson), $"\"id\": \"{DemoPairwise.StudyId}\"", "\"id\": \"side-by-side-again\""));
            await app.CliAsync("import", again);
            const string Votes = """
                SELECT COUNT(*) FROM pair_votes v JOIN pairs p ON p.id = v.pair_id
                JOIN studies s ON s.id = p.study_id WHERE s.slug = @Slug AND v.status = 'submitted'
                """;
            Assert.Equal("4", await Typist.ReadAsync(app.Database, Votes, new { Slug = "side-by-side-again" }));
        });
    }

    /// <summary>Focuses each question's first choice, presses its letter, sees the choice made, then submits with Ctrl+Enter.</summary>
    static async Task VoteAsync(IPage page, params (string Axis, string Key, string Value)[] votes)
    {
        foreach (var (axis, key, value) in votes)
        {
            await page.Locator($"#axis-{axis}-left").FocusAsync();
            await page.Keyboard.PressAsync(key);
            await Expect(page.Locator($"#axis-{axis} input[value={value}]")).ToBeCheckedAsync();
        }
        await page.Keyboard.PressAsync("Control+Enter");
    }
}
