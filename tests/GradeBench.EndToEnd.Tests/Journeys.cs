using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Steps that many browser tests take on the way to what they test.</summary>
static class Journeys
{
    public const string Password = "a long enough password";

    /// <summary>The demo rubric's criteria that are answered by choosing (all but the free-text comment).</summary>
    public static readonly string[] DemoChoiceCriteria =
    [
        "Agreement with guideline consensus", "Reading comprehension and reasoning", "Missing important content",
        "Incorrect or inappropriate content", "Extent of possible harm", "Likelihood of possible harm",
        "Contains fabricated content (hallucination)", "Overall quality",
    ];

    /// <summary>A laptop screen.</summary>
    public static BrowserNewContextOptions Laptop => new() { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } };

    /// <summary>Opens the printed first-run link, chooses a password and lands on the study list, live.</summary>
    public static async Task SignInAsAdministratorAsync(IPage page, RunningApp app)
    {
        await page.GotoAsync(app.SignInLink);
        await ChoosePasswordAsync(page);
    }

    /// <summary>On the first-run link's page: chooses a password and lands on the study list, live.</summary>
    public static async Task ChoosePasswordAsync(IPage page)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a password" })).ToBeVisibleAsync();
        await page.GetByLabel("New password").FillAsync(Password);
        await page.GetByLabel("Repeat the password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Studies" })).ToBeVisibleAsync();
        // The invite button appears once the page is live: a link clicked before then can be undone by Blazor's start.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Invite a rater" }).First).ToBeVisibleAsync();
    }

    /// <summary>Creates an account through an invite link and lands on the study list, signed in.</summary>
    public static async Task AcceptInviteAsync(IPage page, string invite, string username, string displayName)
    {
        await page.GotoAsync(invite);
        await page.GetByLabel("User name").FillAsync(username);
        await page.GetByLabel("Display name").FillAsync(displayName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Repeat the password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Studies" })).ToBeVisibleAsync();
    }

    /// <summary>A person invited to a study by the CLI, in a browser context of their own, signed in.</summary>
    public static async Task<IPage> JoinAsync(RunningApp app, IBrowser browser, string study, string role, string username, string displayName)
    {
        var invite = await app.CliAsync("invite", "--study", study, "--role", role, "--base-url", app.BaseAddress);
        var context = await browser.NewContextAsync(Laptop);
        var page = await context.NewPageAsync();
        await AcceptInviteAsync(page, invite, username, displayName);
        return page;
    }

    /// <summary>The administrator, signed in in a browser context of their own, on the dashboard of the demo study.</summary>
    public static async Task<IPage> AdministratorOnTheDashboardAsync(RunningApp app, IBrowser browser)
    {
        var context = await browser.NewContextAsync(Laptop);
        var page = await context.NewPageAsync();
        await SignInAsAdministratorAsync(page, app);
        await FollowAsync(page, "Dashboard", "**/dashboard");
        return page;
    }

    /// <summary>Follows a link once the page is live: a click while Blazor is still starting the circuit can be swallowed.</summary>
    public static async Task FollowAsync(IPage page, string link, string urlGlob)
    {
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = link })).ToBeVisibleAsync();
        await SettleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = link }).ClickAsync();
        await page.WaitForURLAsync(urlGlob);
    }

    /// <summary>Waits until the page has made no request for half a second, the sign that Blazor's start is over, but at
    /// most 10 s: on a loaded machine a page may never go quiet (a request held open), and Playwright's wait for it then
    /// fails with a bare 30 s timeout. What a test does next waits for its own outcome anyway.</summary>
    public static async Task SettleAsync(IPage page)
    {
        try
        {
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Selects the first 10 characters (from the first non-space) of the first long text node of the
    /// response on the grading page, as a rater's mouse would before choosing a highlight label.</summary>
    public static Task SelectInResponseAsync(IPage page) => page.EvaluateAsync("""
        () => {
          const walker = document.createTreeWalker(document.getElementById("grade-response"), NodeFilter.SHOW_TEXT);
          let node = walker.nextNode();
          while (node && node.data.trim().length < 12) node = walker.nextNode();
          const start = node.data.search(/\S/);
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + 10);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }
        """);

    /// <summary>Starts adjudication from the dashboard, confirming as the coordinator must.</summary>
    public static async Task StartAdjudicationAsync(IPage coordinator)
    {
        await coordinator.GetByRole(AriaRole.Group, new() { Name = "Study lifecycle", Exact = true })
            .GetByRole(AriaRole.Button, new() { Name = "Start adjudication", Exact = true }).ClickAsync();
        await coordinator.GetByRole(AriaRole.Region, new() { Name = "Start adjudication?" })
            .GetByRole(AriaRole.Button, new() { Name = "Yes, start adjudication" }).ClickAsync();
    }

    /// <summary>Saves a screenshot when GRADEBENCH_SCREENSHOTS names a folder, for people to look at.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        if (Environment.GetEnvironmentVariable("GRADEBENCH_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = fullPage });
    }
}
