using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>A physician whose browser asks for another language never meets interface text that did not come through
/// a localizer (issue 18). The app offers the pseudo-locale, in which every localized string is wrapped in ⟦…⟧; the
/// browser asks for it; every page is walked as each role that sees it, in its live states, and any visible text or
/// accessible name outside the markers is a hard-coded string (see docs/localization.md).</summary>
public sealed class LanguageWalkTests(ITestOutputHelper output)
{
    const string Pseudo = "qps-Ploc";
    static BrowserNewContextOptions Screen => new() { ViewportSize = new ViewportSize { Width = 1280, Height = 720 }, Locale = Pseudo };
    /// <summary>The brand, not a string of the interface.</summary>
    static readonly string[] Allowed = ["GradeBench"];

    readonly List<string> _problems = [];

    [Fact]
    public async Task EveryPageAsEveryRoleShowsOnlyLocalizedInterfaceText()
    {
        await using var app = await RunningApp.StartAsync(languages: ["en", Pseudo]);
        await app.JourneyAsync(async () =>
        {
            var (playwright, browser) = await Browser.LaunchAsync(audited: false);
            using var _ = playwright;
            await using var __ = browser;
            var anonymous = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await CheckAsync(anonymous, "sign-in", app.BaseAddress + "/signin", anonymous.GetByRole(AriaRole.Heading, new() { Level = 1 }).First);
            Assert.Equal(Pseudo, await anonymous.GetAttributeAsync("html", "lang"));
            await anonymous.GetByLabel("User name").FillAsync("nobody");
            await anonymous.GetByLabel("Password").FillAsync("wrong password!");
            await anonymous.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await CheckAsync(anonymous, "sign-in refused", null, anonymous.GetByRole(AriaRole.Alert).First);
            await CheckAsync(anonymous, "not found", app.BaseAddress + "/no-such-page", anonymous.GetByRole(AriaRole.Heading, new() { Level = 1 }).First);

            var admin = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await CheckAsync(admin, "set password", app.SignInLink, admin.GetByRole(AriaRole.Heading, new() { Name = "Choose a password" }).First);
            await Journeys.ChoosePasswordAsync(admin);
            await CheckAsync(admin, "home", app.BaseAddress + "/", admin.GetByRole(AriaRole.Button, new() { Name = "Invite a rater" }).First);
            var dashboardLink = await admin.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).First.GetAttributeAsync("href") ?? "";
            var study = app.BaseAddress + dashboardLink[..dashboardLink.LastIndexOf('/')];
            await CheckAsync(admin, "account", app.BaseAddress + "/account/password", admin.GetByRole(AriaRole.Heading, new() { Level = 1 }).First);
            await CheckAsync(admin, "new study", app.BaseAddress + "/studies/new", admin.GetByRole(AriaRole.Heading, new() { Name = "New study" }).First);
            await CheckAsync(admin, "set-up", study + "/setup", admin.GetByRole(AriaRole.Heading, new() { Name = "Raters" }).First);
            await CheckAsync(admin, "calibration", study + "/calibration", admin.GetByRole(AriaRole.Heading, new() { Name = "Calibration" }).First);
            await CheckAsync(admin, "accounts", app.BaseAddress + "/accounts", admin.GetByRole(AriaRole.Heading, new() { Name = "Accounts" }).First);
            await CheckAsync(admin, "downloads", study + "/downloads", admin.GetByRole(AriaRole.Heading, new() { Level = 1 }).First);

            var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", app.BaseAddress);
            var rater = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await CheckAsync(rater, "invite", invite, rater.GetByRole(AriaRole.Heading, new() { Level = 1 }).First);
            // By the fields' ids: their labels are the pseudo-locale's.
            await rater.Locator("#username").FillAsync("walk-rater");
            await rater.Locator("#displayName").FillAsync("Dr Walker");
            await rater.Locator("#password").FillAsync(Journeys.Password);
            await rater.Locator("#confirmation").FillAsync(Journeys.Password);
            await rater.Locator("#confirmation").PressAsync("Enter");
            await CheckAsync(rater, "rater home", app.BaseAddress + "/", rater.GetByRole(AriaRole.Heading, new() { Name = "Studies" }).First);
            await CheckAsync(rater, "grading", study + "/grade", rater.GetByText("Keyboard:"));
            await rater.GetByRole(AriaRole.Radiogroup).First.GetByRole(AriaRole.Radio).First.CheckAsync();
            await CheckAsync(rater, "grading, a choice saved", null, rater.GetByRole(AriaRole.Radiogroup).First);

            await CheckAsync(admin, "results", study + "/results", admin.GetByRole(AriaRole.Heading, new() { Name = "Agreement" }).First);
            await CheckAsync(admin, "dashboard", study + "/dashboard", admin.GetByRole(AriaRole.Heading, new() { Name = "Progress" }).First);
            await CheckAsync(admin, "flags and alerts", study + "/alerts", admin.GetByRole(AriaRole.Heading, new() { Level = 1 }).First);
            await admin.GotoAsync(study + "/dashboard");
            await admin.GetByRole(AriaRole.Group, new() { Name = "Study lifecycle" }).GetByRole(AriaRole.Button, new() { Name = "Start adjudication" }).ClickAsync();
            var confirm = admin.GetByRole(AriaRole.Region, new() { Name = "Start adjudication?" });
            await CheckAsync(admin, "start adjudication, confirming", null, confirm);
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, start adjudication" }).ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Adjudication");
            await CheckAsync(admin, "dashboard in adjudication", null, admin.GetByRole(AriaRole.Heading, new() { Name = "Progress" }).First);
            var items = admin.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link);
            await CheckAsync(admin, "adjudication queue", study + "/adjudication", items.First);
            var item = await items.First.GetAttributeAsync("href");
            // The message box appears once the page is live: the page's interactive state is the one checked.
            await CheckAsync(admin, "adjudication item", app.BaseAddress + item, admin.Locator("#adjudication-message"));
            await CheckAsync(rater, "adjudication queue, rater", study + "/adjudication", rater.GetByRole(AriaRole.Heading, new() { Level = 1 }).First);
        });
        Assert.True(_problems.Count == 0, $"{_problems.Count} strings outside a localizer:\n{string.Join('\n', _problems)}");
    }

    [Fact]
    public async Task TheSideBySideAndChecklistPagesShowOnlyLocalizedInterfaceText()
    {
        await using var app = await RunningApp.StartAsync(languages: ["en", Pseudo]);
        using var folder = new TempFolder("gradebench-walk-designs-");
        await app.CliAsync("import", DemoPairwise.Write(Path.Combine(folder.Path, "pairwise"), votes: true));
        var checklist = DemoChecklist.Write(Path.Combine(folder.Path, "checklist"));
        var studyJson = Path.Combine(checklist, "study.json");
        File.WriteAllText(studyJson, File.ReadAllText(studyJson).Replace($"\"id\": \"{TestPaths.DemoStudyId}\"", "\"id\": \"checklist-walk\"", StringComparison.Ordinal));
        await app.CliAsync("import", checklist);
        await app.JourneyAsync(async () =>
        {
            var (playwright, browser) = await Browser.LaunchAsync(audited: false);
            using var _ = playwright;
            await using var __ = browser;
            var admin = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await admin.GotoAsync(app.SignInLink);
            await Journeys.ChoosePasswordAsync(admin);

            var rater = await (await browser.NewContextAsync(Screen)).NewPageAsync();
            await rater.GotoAsync(await app.CliAsync("invite", "--study", DemoPairwise.StudyId, "--base-url", app.BaseAddress));
            await rater.Locator("#username").FillAsync("walk-rater");
            await rater.Locator("#displayName").FillAsync("Dr Walker");
            await rater.Locator("#password").FillAsync(Journeys.Password);
            await rater.Locator("#confirmation").FillAsync(Journeys.Password);
            await rater.Locator("#confirmation").PressAsync("Enter");
            await Expect(rater.GetByRole(AriaRole.Heading, new() { Name = "Studies" }).First).ToBeVisibleAsync();
            await rater.GotoAsync(await app.CliAsync("invite", "--study", "checklist-walk", "--base-url", app.BaseAddress));
            await rater.GetByRole(AriaRole.Button, new() { Name = "Join the study" }).ClickAsync();
            await Expect(rater).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/invite"));

            // The rater's pages of each design: a pair and a case's checklist, untouched and with a choice saved.
            await CheckAsync(rater, "rater home, two designs", app.BaseAddress + "/", rater.GetByRole(AriaRole.Heading, new() { Name = "Studies" }).First);
            var pairwise = app.BaseAddress + await rater.Locator("a[href$='/compare']").First.GetAttributeAsync("href");
            var study = pairwise[..pairwise.LastIndexOf('/')];
            var graded = app.BaseAddress + await rater.Locator("a[href$='/grade']").First.GetAttributeAsync("href");
            await CheckAsync(rater, "side by side", pairwise, rater.Locator("p.shortcuts"));
            await rater.Locator("form.pair-form input[type=radio]").First.CheckAsync();
            await CheckAsync(rater, "side by side, a choice saved", null, rater.Locator("#pair-comment"));
            await rater.GotoAsync(graded);
            await Expect(rater.Locator("p.shortcuts, .shortcuts").First).ToBeVisibleAsync();
            var checklistStudy = graded[..graded.LastIndexOf('/')];
            for (var i = 0; i < 8 && await rater.Locator("[id^=criterion-] input").CountAsync() == 0; i++)
                await rater.Keyboard.PressAsync("j");
            await CheckAsync(rater, "grading with a checklist", null, rater.Locator("[id^=criterion-] input").First);

            // The coordinator's pages of each design.
            foreach (var (design, url) in new[] { ("side by side", study), ("checklist", checklistStudy) })
            {
                await CheckAsync(admin, $"{design} set-up", url + "/setup", admin.GetByRole(AriaRole.Heading, new() { Level = 1 }).First);
                await CheckAsync(admin, $"{design} dashboard", url + "/dashboard", admin.GetByRole(AriaRole.Heading, new() { Name = "Progress" }).First);
                await CheckAsync(admin, $"{design} results", url + "/results", admin.GetByRole(AriaRole.Heading, new() { Level = 1 }).First);
            }

            // Adjudication of pairs: the confirmation that counts pairs, the queue, and a pair's item page.
            await admin.GotoAsync(study + "/dashboard");
            await admin.GetByRole(AriaRole.Group, new() { Name = "Study lifecycle" }).GetByRole(AriaRole.Button, new() { Name = "Start adjudication" }).ClickAsync();
            var confirm = admin.GetByRole(AriaRole.Region, new() { Name = "Start adjudication?" });
            await CheckAsync(admin, "side by side, start adjudication, confirming", null, confirm);
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, start adjudication" }).ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Adjudication");
            var items = admin.Locator("a[href*='/adjudication/pairs/']");
            await CheckAsync(admin, "side by side, adjudication queue", study + "/adjudication", items.First);
            await CheckAsync(admin, "side by side, adjudication of a pair", app.BaseAddress + await items.First.GetAttributeAsync("href"),
                admin.Locator("#pair-consensus-shared-reason"));
        });
        Assert.True(_problems.Count == 0, $"{_problems.Count} strings outside a localizer:\n{string.Join('\n', _problems)}");
    }

    async Task CheckAsync(IPage page, string name, string? url, ILocator ready)
    {
        if (url is not null) await page.GotoAsync(url);
        await Expect(ready).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Journeys.SettleAsync(page);
        // Nothing may still be computing: a page that is busy shows its waiting text, which is checked too, but its
        // finished state must be checked as well.
        await page.WaitForFunctionAsync("() => !document.querySelector('section[aria-busy=true]')", null, new() { Timeout = 30_000 });
        foreach (var text in GradeBench.Testing.PseudoLocaleText.Unmarked(await page.ContentAsync(), Allowed))
        {
            output.WriteLine($"{name}: {text}");
            _problems.Add($"{name}: {text}");
        }
    }
}
