using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>A physician who already has an account opens an invite to a second study: signed in, one button joins it;
/// signed out, the invite page signs them in and joins. Neither makes a second account, and the home page then shows
/// each study's card with the rater's own progress.</summary>
public sealed class InviteTests
{
    const string SecondStudy = "ward-round", SecondTitle = "Ward round answers (synthetic)";
    const string DemoTitle = "LLM answers to stroke care questions (synthetic demo)";

    [Fact]
    public async Task ASignedInRaterJoinsASecondStudyWithOneButtonAndTheirCardsShowTheirOwnProgress()
    {
        await using var app = await StartWithSecondStudyAsync();
        await app.BrowserJourneyAsync(async browser =>
        {
            var page = await Journeys.JoinAsync(app, browser, TestPaths.DemoStudyId, "rater", "dr-li", "Dr Li");
            var invite = await app.CliAsync("invite", "--study", SecondStudy, "--base-url", app.BaseAddress);
            var accounts = await AccountsAsync(app);

            await page.GotoAsync(invite);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Join {SecondTitle} as a rater");
            await Expect(page.GetByText("You are signed in as Dr Li (dr-li).")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create account" })).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Join the study" }).ClickAsync();
            await page.WaitForURLAsync("**/grade");
            Assert.Equal(accounts, await AccountsAsync(app));

            // Three demo items submitted (through the API, as another tab might); the second study untouched.
            using var api = RatingApi.Client(app.BaseAddress, await app.CliAsync("token", "create", "--user", "dr-li"));
            var demoId = await StudyIdAsync(app, TestPaths.DemoStudyId);
            var assigned = await RatingApi.AssignedAsync(api, demoId);
            foreach (var responseId in assigned.Take(3)) await RatingApi.SubmitDemoRatingAsync(api, demoId, responseId, consensus: 4);

            await page.GotoAsync(app.BaseAddress);
            var demo = page.GetByRole(AriaRole.Region, new() { Name = DemoTitle });
            var second = page.GetByRole(AriaRole.Region, new() { Name = SecondTitle });
            await Expect(demo).ToContainTextAsync($"3 of {assigned.Count} done");
            await Expect(demo.GetByRole(AriaRole.Link, new() { Name = "Continue" })).ToHaveAttributeAsync("href", $"/studies/{demoId}/grade");
            await Expect(second).ToContainTextAsync("0 of 12 done");
            await Expect(second.GetByRole(AriaRole.Link, new() { Name = "Start grading" })).ToBeVisibleAsync();
            // The study-wide counts are the coordinators'.
            await Expect(demo.GetByText("Ratings", new() { Exact = true })).ToHaveCountAsync(0);
            await Journeys.ScreenshotAsync(page, "home-rater-progress");
        });
    }

    [Fact]
    public async Task ASignedOutRaterSignsInOnTheInvitePageAndJoinsWithoutASecondAccount()
    {
        await using var app = await StartWithSecondStudyAsync();
        await app.BrowserJourneyAsync(async browser =>
        {
            var page = await Journeys.JoinAsync(app, browser, TestPaths.DemoStudyId, "rater", "dr-wu", "Dr Wu");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
            var invite = await app.CliAsync("invite", "--study", SecondStudy, "--base-url", app.BaseAddress);
            var accounts = await AccountsAsync(app);

            await page.GotoAsync(invite);
            await Expect(page.GetByText($"The administrator of this GradeBench invited you to take part in {SecondTitle} as a rater.")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "I already have an account: sign in" }).ClickAsync();
            await page.GetByLabel("User name").FillAsync("dr-wu");
            await page.GetByLabel("Password").FillAsync("not my password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in and join" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Unknown user name or wrong password.");
            await page.GetByLabel("User name").FillAsync("dr-wu");
            await page.GetByLabel("Password").FillAsync(Journeys.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in and join" }).ClickAsync();
            await page.WaitForURLAsync("**/grade");
            Assert.Equal(accounts, await AccountsAsync(app));

            await page.GotoAsync(app.BaseAddress);
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = SecondTitle })).ToContainTextAsync("0 of 12 done");
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = DemoTitle })).ToBeVisibleAsync();

            // The invite is spent.
            await page.GotoAsync(invite);
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This invite was already used");
        });
    }

    static async Task<RunningApp> StartWithSecondStudyAsync()
    {
        var app = await RunningApp.StartAsync();
        using var bundle = new TempFolder("gradebench-invite-");
        await app.CliAsync("import", SyntheticBundle.Write(bundle.Path, SecondStudy, SecondTitle, responses: 12, ratersPerResponse: 1));
        return app;
    }

    static async Task<long> AccountsAsync(RunningApp app)
    {
        await using var connection = await OpenAsync(app);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");
    }

    static async Task<long> StudyIdAsync(RunningApp app, string slug)
    {
        await using var connection = await OpenAsync(app);
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM studies WHERE slug = @Slug", new { Slug = slug });
    }

    static Task<System.Data.Common.DbConnection> OpenAsync(RunningApp app) => AppDatabase.OpenAsync(app.Database);
}
