using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Invites and accounts managed from the browser, at 1280×720: a coordinator's invite made, copied, listed with
/// its expiry and revoked; an administrator's new account and password reset used once by its owner.</summary>
public sealed class AccountsAdminTests
{
    static BrowserNewContextOptions Screen => new()
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
        Permissions = ["clipboard-read", "clipboard-write"],
    };

    [Fact]
    public async Task ACoordinatorRevokesACopiedInviteAndAnAdministratorsResetLinkWorksOnce()
    {
        await using var app = await RunningApp.StartAsync();
        await app.BrowserJourneyAsync(async browser =>
        {
            await RevokeAnInviteAsync(app, browser);
            await ResetAPasswordAsync(app, browser);
        });
    }

    static async Task<IPage> NewPageAsync(IBrowser browser) => await (await browser.NewContextAsync(Screen)).NewPageAsync();

    static async Task RevokeAnInviteAsync(RunningApp app, IBrowser browser)
    {
        // A coordinator of the demo study, invited on the command line, opens its set-up page.
        var coordinatorInvite = await app.CliAsync("invite", "--study", TestPaths.DemoStudyId, "--role", "coordinator", "--base-url", app.BaseAddress);
        var coordinator = await NewPageAsync(browser);
        await Journeys.AcceptInviteAsync(coordinator, coordinatorInvite, "dr-lead", "Dr Lead");
        await Journeys.FollowAsync(coordinator, "Dashboard", "**/dashboard");
        await Journeys.FollowAsync(coordinator, "Set-up", "**/setup");

        // A rater invite: its link, copied.
        await coordinator.GetByLabel("Role").SelectOptionAsync("rater");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Create invite" }).ClickAsync();
        var linkField = coordinator.GetByRole(AriaRole.Textbox, new() { Name = "Invite link for a rater: give it to one person" });
        await Expect(linkField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/invite/"));
        var link = await linkField.InputValueAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Copy result" })).ToHaveTextAsync("Copied");
        Assert.Equal(link, await coordinator.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // Pending, with its expiry (7 days on); then revoked after confirming.
        var pending = coordinator.GetByRole(AriaRole.Table, new() { Name = "Pending invites" });
        var row = pending.GetByRole(AriaRole.Row, new() { Name = "rater Dr Lead" });
        // Times are written by the browser in the reader's zone; the moment itself is the element's datetime.
        await Expect(row.Locator("time").Last).ToHaveAttributeAsync("datetime",
            new System.Text.RegularExpressions.Regex("^" + DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        await Journeys.ScreenshotAsync(coordinator, "setup-invites", fullPage: false);
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        var confirm = coordinator.GetByRole(AriaRole.Alertdialog);
        await Expect(confirm).ToContainTextAsync("Revoke the rater invite made");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke the invite" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Invite changes" })).ToContainTextAsync("The rater invite is revoked");
        await Expect(pending).ToHaveCountAsync(0);

        // The revoked link, opened by the person it was for, is refused and says why.
        var invitee = await NewPageAsync(browser);
        await invitee.GotoAsync(link);
        await Expect(invitee.GetByRole(AriaRole.Heading, new() { Name = "This invite cannot be used" })).ToBeVisibleAsync();
        await Expect(invitee.GetByRole(AriaRole.Alert)).ToContainTextAsync("This invite was revoked");
        await Expect(invitee.GetByRole(AriaRole.Button, new() { Name = "Create account" })).ToHaveCountAsync(0);
    }

    static async Task ResetAPasswordAsync(RunningApp app, IBrowser browser)
    {
        // The administrator creates an account, then resets its password: the newest link is the one to give.
        var admin = await NewPageAsync(browser);
        await Journeys.SignInAsAdministratorAsync(admin, app);
        await Journeys.FollowAsync(admin, "Accounts", "**/accounts");
        await admin.GetByLabel("User name").FillAsync("dr-new");
        await admin.GetByLabel("Display name").FillAsync("Dr New");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status, new() { Name = "Account change" })).ToContainTextAsync("The account dr-new is created.");
        var accounts = admin.GetByRole(AriaRole.Table, new() { Name = "Accounts" });
        var row = accounts.GetByRole(AriaRole.Row, new() { Name = "dr-new" });
        await Expect(row).ToContainTextAsync("never");
        await row.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status, new() { Name = "Account change" })).ToContainTextAsync("give it to dr-new");
        var linkField = admin.GetByRole(AriaRole.Textbox, new() { Name = "Set-password link for dr-new: give it to them only" });
        await Expect(linkField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/account/set-password/"));
        var link = await linkField.InputValueAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status, new() { Name = "Copy result" })).ToHaveTextAsync("Copied");

        // The person opens it in their own browser, chooses a password, and signs in with it.
        var user = await NewPageAsync(browser);
        await user.GotoAsync(link);
        await Expect(user.GetByRole(AriaRole.Heading, new() { Name = "Choose a password" })).ToBeVisibleAsync();
        await user.GetByLabel("New password").FillAsync(Journeys.Password);
        await user.GetByLabel("Repeat the password").FillAsync(Journeys.Password);
        await user.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await Expect(user.GetByRole(AriaRole.Status)).ToContainTextAsync("Your new password is saved. Sign in with it.");
        await Expect(user.GetByLabel("User name")).ToHaveValueAsync("dr-new");
        await user.GetByLabel("Password", new() { Exact = true }).FillAsync(Journeys.Password);
        await user.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(user.GetByRole(AriaRole.Heading, new() { Name = "Studies" })).ToBeVisibleAsync();

        // The link a second time is refused.
        await user.GotoAsync(link);
        await Expect(user.GetByRole(AriaRole.Heading, new() { Name = "This link cannot be used" })).ToBeVisibleAsync();
        await Expect(user.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link was already used");

        // The account list shows the sign-in.
        await admin.ReloadAsync();
        await Expect(row).Not.ToContainTextAsync("never");
        await Expect(row.Locator("time").First).ToHaveAttributeAsync("datetime",
            new System.Text.RegularExpressions.Regex("^" + DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        await Journeys.ScreenshotAsync(admin, "accounts", fullPage: false);
    }
}
