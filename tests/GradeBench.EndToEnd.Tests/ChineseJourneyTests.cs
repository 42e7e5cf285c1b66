using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>A physician whose browser asks for Chinese, in Shanghai (issue 18): the administrator chooses a password and
/// signs in again, a rater accepts an invite and grades by keyboard on the demo's Chinese rubric, the coordinator
/// watches the dashboard, starts adjudication, opens an item and reads the results, all in Chinese, with times in
/// the reader's zone. Names are read from the resources, so the test follows the wording and fails on English.</summary>
public sealed class ChineseJourneyTests
{
    static BrowserNewContextOptions Shanghai => new()
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 720 }, Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
    };

    /// <summary>The Chinese of the interface string whose English is <paramref name="english"/>, in Feature/FeatureText.</summary>
    static string Zh(string feature, string english)
    {
        var folder = feature == "Shared" ? Path.Combine("Components", "SharedText") : Path.Combine("Features", feature, feature + "Text");
        var path = Path.Combine(TestPaths.RepositoryRoot, "src", "GradeBench.Web", folder);
        var key = XDocument.Load(path + ".resx").Root!.Elements("data").First(d => d.Element("value")!.Value == english).Attribute("name")!.Value;
        return XDocument.Load(path + ".zh-CN.resx").Root!.Elements("data").Single(d => d.Attribute("name")!.Value == key).Element("value")!.Value;
    }

    [Fact]
    public async Task SignInInviteKeyboardGradingDashboardAdjudicationAndResultsInChinese()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(async browser =>
        {
            var admin = await (await browser.NewContextAsync(Shanghai)).NewPageAsync();
            await admin.GotoAsync(app.SignInLink);
            Assert.Equal("zh-CN", await admin.GetAttributeAsync("html", "lang"));
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = Zh("Accounts", "Choose a password") })).ToBeVisibleAsync();
            await admin.Locator("#password").FillAsync(Journeys.Password);
            await admin.Locator("#confirmation").FillAsync(Journeys.Password);
            await admin.GetByRole(AriaRole.Button, new() { Name = Zh("Accounts", "Save password") }).ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = Zh("Studies", "Studies"), Exact = true })).ToBeVisibleAsync();

            // Signing out and in again through the sign-in form.
            await admin.GetByRole(AriaRole.Button, new() { Name = Zh("Shared", "Sign out") }).ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = Zh("Accounts", "Sign in"), Exact = true })).ToBeVisibleAsync();
            await admin.Locator("#username").FillAsync("admin");
            await admin.Locator("#password").FillAsync(Journeys.Password);
            await admin.GetByRole(AriaRole.Button, new() { Name = Zh("Accounts", "Sign in"), Exact = true }).ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Button, new() { Name = Zh("Studies", "Invite a rater") }).First).ToBeVisibleAsync();
            var dashboardLink = await admin.GetByRole(AriaRole.Link, new() { Name = Zh("Studies", "Dashboard"), Exact = true }).First.GetAttributeAsync("href") ?? "";
            var study = app.BaseAddress + dashboardLink[..dashboardLink.LastIndexOf('/')];

            // The rater joins by invite and grades three answers with the keyboard only, on the Chinese rubric.
            var invite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", app.BaseAddress);
            var rater = await (await browser.NewContextAsync(Shanghai)).NewPageAsync();
            await rater.GotoAsync(invite);
            await rater.Locator("#username").FillAsync("dr-zhang");
            await rater.Locator("#displayName").FillAsync("张医生");
            await rater.Locator("#password").FillAsync(Journeys.Password);
            await rater.Locator("#confirmation").FillAsync(Journeys.Password);
            await rater.GetByRole(AriaRole.Button, new() { Name = Zh("Accounts", "Create account") }).ClickAsync();
            await rater.GotoAsync(study + "/grade");
            await Expect(rater.GetByText(Zh("Grading", "Keyboard:"))).ToBeVisibleAsync();
            await Journeys.SettleAsync(rater);
            var groups = rater.GetByRole(AriaRole.Radiogroup);
            Assert.Equal("zh-CN", await groups.First.GetAttributeAsync("lang"));
            await Expect(rater.Locator("form.rubric")).ToContainTextAsync("与指南共识的一致性");
            var progress = rater.GetByLabel(Zh("Grading", "Progress"));
            for (var graded = 1; graded <= 3; graded++)
            {
                for (var i = 0; i < await groups.CountAsync(); i++)
                {
                    await groups.Nth(i).GetByRole(AriaRole.Radio).First.FocusAsync();
                    await rater.Keyboard.PressAsync("1");
                }
                await rater.Keyboard.PressAsync("Control+Enter");
                await Expect(progress).ToHaveTextAsync(new Regex($"^{graded} / \\d+$"));
            }

            // The coordinator's dashboard, adjudication and results.
            await admin.GotoAsync(study + "/dashboard");
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = Zh("Dashboard", "Progress"), Exact = true })).ToBeVisibleAsync();
            await Expect(admin.Locator("main")).ToContainTextAsync("张医生");
            await Journeys.SettleAsync(admin);
            await admin.GetByRole(AriaRole.Group, new() { Name = Zh("Dashboard", "Study lifecycle") })
                .GetByRole(AriaRole.Button, new() { Name = Zh("Dashboard", "Start adjudication"), Exact = true }).ClickAsync();
            await admin.GetByRole(AriaRole.Region, new() { Name = Zh("Dashboard", "Start adjudication?") }).GetByRole(AriaRole.Button).First.ClickAsync();
            await admin.GotoAsync(study + "/adjudication");
            var items = admin.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link);
            await items.First.ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = Zh("Adjudication", "Discussion"), Exact = true })).ToBeVisibleAsync();
            await admin.GotoAsync(study + "/results");
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(new Regex(Regex.Escape(Zh("Results", "Results"))));
            await admin.WaitForFunctionAsync("() => !document.querySelector('section[aria-busy=true]')", null, new() { Timeout = 60_000 });
            await Expect(admin.Locator("main")).ToContainTextAsync("Krippendorff α");

            // A time stands in the reader's zone, named: a pending invite on the set-up page.
            await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--base-url", app.BaseAddress);
            await admin.GotoAsync(study + "/setup");
            await Expect(admin.Locator("time[data-local]").First).ToContainTextAsync("GMT+8");
        });
    }
}
