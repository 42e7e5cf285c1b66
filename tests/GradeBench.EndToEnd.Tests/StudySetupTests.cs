using System.IO.Compression;
using Dapper;
using Microsoft.Playwright;
using Sylvan.Data.Csv;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

public sealed class StudySetupTests
{
    const string StudySlug = "stroke-uploaded-copy";
    const string PlantedError = "responses.jsonl:1: case_id: unknown case \"case-999\"";

    [Fact]
    public async Task ACoordinatorUploadsABundleSeesItsErrorFixesItLandsOnTheDashboardAndAddsAResponseLater()
    {
        await using var app = await RunningApp.StartAsync();
        using var bundles = new Bundles();
        await app.BrowserJourneyAsync(async browser =>
        {
            var page = await UploadedAsync(app, browser, bundles);
            await AddAResponseFromAnotherModelAsync(page, bundles);
        });
    }

    [Fact]
    public async Task TheUploadedStudysResultsShowAndItsRatingsCsvMatchesTheDatabase()
    {
        await using var app = await RunningApp.StartAsync();
        using var bundles = new Bundles();
        await app.BrowserJourneyAsync(async browser =>
        {
            var page = await UploadedAsync(app, browser, bundles);
            var studyId = page.Url.Split('/')[^2];

            await page.GotoAsync($"{app.BaseAddress}/studies/{studyId}/results");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Results", Exact = true })).ToBeVisibleAsync();
            await page.GotoAsync($"{app.BaseAddress}/studies/{studyId}/downloads");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download ratings.csv", Exact = true }).ClickAsync());
            var csvPath = Path.Combine(bundles.Folder, "downloaded-ratings.csv");
            await download.SaveAsAsync(csvPath);

            Assert.Equal(await DatabaseRatingsAsync(app.Database), DownloadedRatings(csvPath));
        });
    }

    /// <summary>The administrator, signed in, uploads the broken bundle, sees its error, then the fixed one.</summary>
    static async Task<IPage> UploadedAsync(RunningApp app, IBrowser browser, Bundles bundles)
    {
        var page = await SignInAsync(browser, app);
        await UploadWithAnErrorThenFixedAsync(page, bundles);
        return page;
    }

    static async Task<IPage> SignInAsync(IBrowser browser, RunningApp app)
    {
        var options = Journeys.Laptop;
        options.AcceptDownloads = true;
        var page = await (await browser.NewContextAsync(options)).NewPageAsync();
        await Journeys.SignInAsAdministratorAsync(page, app);
        // A link clicked before the circuit is up can be overtaken by Blazor's start; wait as the other tests do.
        await Journeys.SettleAsync(page);
        return page;
    }

    static async Task UploadWithAnErrorThenFixedAsync(IPage page, Bundles bundles)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "New study" }).ClickAsync();
        await page.WaitForURLAsync("**/studies/new");
        var input = page.GetByLabel("Study bundle (.zip, at most 100 MB)");
        await Expect(input).ToBeEnabledAsync();

        // One response names a case the bundle does not have: the exact error is listed and nothing is imported.
        await input.SetInputFilesAsync(bundles.Broken);
        var errors = page.GetByRole(AriaRole.List, new() { Name = "Import errors" });
        await Expect(errors.GetByRole(AriaRole.Listitem)).ToHaveTextAsync([PlantedError]);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/studies/new$"));

        await Expect(input).ToBeEnabledAsync();
        await input.SetInputFilesAsync(bundles.Fixed);
        await page.WaitForURLAsync("**/studies/*/dashboard");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "LLM answers to stroke care questions (uploaded copy)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Open"); // the demo bundle says "state": "open"
    }

    static async Task AddAResponseFromAnotherModelAsync(IPage page, Bundles bundles)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Set-up" }).ClickAsync();
        await page.WaitForURLAsync("**/setup");
        var input = page.GetByLabel("Responses (responses.jsonl)");
        await Expect(input).ToBeEnabledAsync();
        var file = Path.Combine(bundles.Folder, "responses.jsonl");
        File.WriteAllText(file, """{"id": "case-001.model-d", "case_id": "case-001", "model": "model-d", "content_md": "A later model's answer."}""" + "\n");

        await input.SetInputFilesAsync(file);

        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Added responses" })).ToHaveTextAsync("Added 1 response and topped up the assignments.");
    }

    /// <summary>Submitted ratings of the uploaded study as (response, rater, criterion, value), read straight from the database.</summary>
    static async Task<List<string>> DatabaseRatingsAsync(string database)
    {
        await using var connection = await AppDatabase.OpenAsync(database, readOnly: true);
        var rows = await connection.QueryAsync<string>("""
            SELECT r.slug || '|' || u.username || '|' || k.slug || '|' || COALESCE(g.value, '')
            FROM ratings g JOIN responses r ON r.id = g.response_id JOIN studies s ON s.id = r.study_id
            JOIN users u ON u.id = g.rater_id JOIN criteria k ON k.id = g.criterion_id
            WHERE s.slug = @Slug AND g.status = 'submitted'
            """, new { Slug = StudySlug });
        return rows.Order(StringComparer.Ordinal).ToList();
    }

    static List<string> DownloadedRatings(string csvPath)
    {
        using var csv = CsvDataReader.Create(csvPath);
        var rows = new List<string>();
        while (csv.Read())
            rows.Add($"{csv.GetString(csv.GetOrdinal("response_id"))}|{csv.GetString(csv.GetOrdinal("rater"))}|{csv.GetString(csv.GetOrdinal("criterion"))}|{csv.GetString(csv.GetOrdinal("value"))}");
        return rows.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Two .zip copies of the demo bundle under another study id: one with an unknown case planted on the first
    /// line of responses.jsonl, one as it should be.</summary>
    sealed class Bundles : IDisposable
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("gradebench-bundles-").FullName;
        public string Broken { get; }
        public string Fixed { get; }

        public Bundles()
        {
            Fixed = Make("stroke-copy.zip", plantError: false);
            Broken = Make("stroke-copy-broken.zip", plantError: true);
        }

        string Make(string name, bool plantError)
        {
            var copy = TestPaths.CopyDemoBundle(Path.Combine(Folder, Path.GetFileNameWithoutExtension(name)));
            var study = Path.Combine(copy, "study.json");
            var json = File.ReadAllText(study)
                .Replace("\"id\": \"stroke-llm-synthetic-demo\"", $"\"id\": \"{StudySlug}\"", StringComparison.Ordinal)
                .Replace("(synthetic demo)\"", "(uploaded copy)\"", StringComparison.Ordinal);
            File.WriteAllText(study, json);
            if (plantError)
            {
                var responses = Path.Combine(copy, "responses.jsonl");
                var lines = File.ReadAllLines(responses);
                lines[0] = lines[0].Replace("\"case_id\": \"case-001\"", "\"case_id\": \"case-999\"", StringComparison.Ordinal);
                File.WriteAllLines(responses, lines);
            }
            var zip = Path.Combine(Folder, name);
            ZipFile.CreateFromDirectory(copy, zip);
            return zip;
        }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
