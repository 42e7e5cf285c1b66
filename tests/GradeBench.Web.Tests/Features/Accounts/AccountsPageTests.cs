using Bunit;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Accounts;

/// <summary>The accounts page, interactive: what an administrator's open page shows once they are no longer one.</summary>
public sealed class AccountsPageTests(GradeBenchFactory factory) : LiveAdjudicationContext(factory), IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task AnAdministratorDisabledWhileTheirPageIsOpenIsRefusedAndShownNoAccounts()
    {
        UseAppServices(typeof(UserStore), typeof(AccountRecorder));
        Services.AddLocalization();
        var users = App.GetRequiredService<UserStore>();
        var adminName = GradeBenchFactory.UniqueName("second-admin");
        var admin = (await users.CreateAsync(adminName, "Second Admin", isAdmin: true))!.Id;
        var target = (await Factory.MemberAsync(null, "dr-target")).Username;
        SignInAs(admin, adminName);
        var cut = Render<AccountsPage>();
        cut.WaitForAssertion(() => Assert.Contains(target, cut.Markup));

        // Disabled straight in the database, as `gradebench users disable` does, before the page learns of it.
        await using (var connection = await App.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("UPDATE users SET disabled_at = '2026-12-01T00:00:00Z' WHERE id = @Admin", new { Admin = admin });
        cut.FindAll("tr").Single(row => row.TextContent.Contains(target)).QuerySelectorAll("button").Single(button => button.TextContent == "Disable account").Click();
        cut.FindAll("button").Single(button => button.TextContent == $"Disable {target}").Click();

        cut.WaitForAssertion(() => Assert.Contains("Only administrators can manage accounts.", cut.Markup));
        Assert.DoesNotContain(target, cut.Markup);
        Assert.Null((await users.FindByUsernameAsync(target))!.DisabledAt);
    }
}
