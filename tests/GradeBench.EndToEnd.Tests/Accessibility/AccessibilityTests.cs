using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests.Accessibility;

/// <summary>Every page of the app, as the user who sees it, at 1280×720: no serious or critical axe-core violation, one
/// main landmark reached by a skip link that is the first thing Tab reaches, headings in order from h1, a visible focus
/// indicator on every control Tab reaches, and links in running text underlined. See docs/accessibility.md.</summary>
public sealed class AccessibilityTests(ITestOutputHelper output)
{
    static BrowserNewContextOptions Screen => new() { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } };

    readonly List<string> _problems = [];

    [Fact]
    public async Task EveryPageHasOneMainASkipLinkOrderedHeadingsVisibleFocusUnderlinedLinksAndNoSeriousAxeViolation()
    {
        await using var app = await RunningApp.StartAsync();
        await app.JourneyAsync(async () =>
        {
            var (playwright, browser) = await Browser.LaunchAsync(audited: false);
            using var _ = playwright;
            await using var __ = browser;
            var anonymous = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await CheckAsync(anonymous, "sign-in", app.BaseAddress + "/signin", anonymous.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true }));

            var admin = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await CheckAsync(admin, "set password", app.SignInLink, admin.GetByRole(AriaRole.Heading, new() { Name = "Choose a password", Exact = true }));
            await Journeys.ChoosePasswordAsync(admin);
            await CheckAsync(admin, "home", app.BaseAddress + "/", admin.GetByRole(AriaRole.Button, new() { Name = "Invite a rater", Exact = true }).First);
            var dashboardLink = await admin.GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true }).GetAttributeAsync("href") ?? "";
            var study = app.BaseAddress + dashboardLink[..dashboardLink.LastIndexOf('/')];
            await CheckAsync(admin, "new study", app.BaseAddress + "/studies/new", admin.GetByRole(AriaRole.Heading, new() { Name = "New study", Exact = true }));
            await CheckAsync(admin, "set-up", study + "/setup", admin.GetByRole(AriaRole.Heading, new() { Name = "Raters", Exact = true }));
            await CheckAsync(admin, "calibration", study + "/calibration", admin.GetByRole(AriaRole.Heading, new() { Name = "Calibration", Exact = true }));
            await CheckAsync(admin, "accounts", app.BaseAddress + "/accounts", admin.GetByRole(AriaRole.Heading, new() { Name = "Accounts", Exact = true }));

            var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", app.BaseAddress);
            var rater = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await CheckAsync(rater, "invite", invite, rater.GetByRole(AriaRole.Heading, new() { Level = 1 }));
            await Journeys.AcceptInviteAsync(rater, invite, "a11y-rater", "Dr Keyboard");
            await CheckAsync(rater, "grading", study + "/grade", rater.GetByText("Keyboard:"));

            await CheckAsync(admin, "results", study + "/results", admin.GetByRole(AriaRole.Heading, new() { Name = "Agreement", Exact = true }));
            await CheckAsync(admin, "dashboard", study + "/dashboard", admin.GetByRole(AriaRole.Heading, new() { Name = "Progress", Exact = true }));
            await Journeys.StartAdjudicationAsync(admin);
            await Expect(admin.GetByRole(AriaRole.Status, new() { Name = "Study state", Exact = true })).ToContainTextAsync("Adjudication");
            var items = admin.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link);
            await CheckAsync(admin, "adjudication queue", study + "/adjudication", items.First);
            var item = await items.First.GetAttributeAsync("href");
            await CheckAsync(admin, "adjudication item", app.BaseAddress + item, admin.GetByRole(AriaRole.Heading, new() { Name = "Discussion", Exact = true }));
        });
        Assert.True(_problems.Count == 0, $"{_problems.Count} accessibility problems:\n{string.Join('\n', _problems)}");
    }

    async Task CheckAsync(IPage page, string name, string url, ILocator ready)
    {
        await page.GotoAsync(url);
        await Expect(ready).ToBeVisibleAsync();
        await Journeys.SettleAsync(page);
        _problems.AddRange(await PageChecks.AllAsync(page, name, output.WriteLine));
    }
}
