using GradeBench.Storage.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Accounts;

/// <summary>Set-password links (password reset, new account) over HTTP, the last sign-in, and a revoked invite's page.</summary>
public sealed class SetPasswordLinkTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    const string NewPassword = "a brand new password";

    UserStore Users => factory.Services.GetRequiredService<UserStore>();

    static async Task<HttpResponseMessage> SetPasswordAsync(HttpClient client, string token, string antiforgeryPage) =>
        await client.PostAsync("/account/set-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["password"] = NewPassword, ["confirmation"] = NewPassword,
            ["__RequestVerificationToken"] = await GradeBenchFactory.AntiforgeryTokenAsync(client, antiforgeryPage),
        }));

    [Fact]
    public async Task AResetLinkSetsTheNewPasswordOnceAndTheOldOneStopsWorking()
    {
        var member = await factory.MemberAsync(null, "dr-forgot", withPassword: true);
        var token = (await Users.CreateSetPasswordLinkAsync(member.Id, (await factory.AdministratorAsync()).Id))!;
        var client = factory.CreateBrowserClient();

        var page = await client.GetStringAsync($"/account/set-password/{token}");
        var set = await SetPasswordAsync(client, token, $"/account/set-password/{token}");
        var oldSignIn = await SignInTests.PostSignInAsync(factory.CreateBrowserClient(), member.Username, GradeBenchFactory.MemberPassword);
        var newSignIn = await SignInTests.PostSignInAsync(factory.CreateBrowserClient(), member.Username, NewPassword);
        var replay = await SetPasswordAsync(factory.CreateBrowserClient(), token, "/signin");
        var spent = await client.GetStringAsync($"/account/set-password/{token}");

        Assert.Contains(member.Username, page);
        Assert.Equal($"/signin?saved=password&username={member.Username}", set.Headers.Location?.OriginalString);
        Assert.StartsWith("/signin?error=1", oldSignIn.Headers.Location?.OriginalString);
        Assert.Equal("/", newSignIn.Headers.Location?.OriginalString);
        Assert.Equal($"/account/set-password/{token}", replay.Headers.Location?.OriginalString);
        Assert.Contains("This link was already used: each set-password link works once.", spent);
    }

    [Fact]
    public async Task ASetPasswordLinkDoesNotSignInThroughTheFirstRunLinkAddress()
    {
        var member = await factory.MemberAsync(null, "dr-sneaky");
        var token = (await Users.CreateSetPasswordLinkAsync(member.Id, (await factory.AdministratorAsync()).Id))!;

        var opened = await factory.CreateBrowserClient().GetAsync($"/account/link?token={token}");

        Assert.Equal("/signin?error=link", opened.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SigningInIsRecordedAsTheLastSignIn()
    {
        var member = await factory.MemberAsync(null, "dr-recorded", withPassword: true);
        Assert.Null((await Users.ListAsync()).Single(a => a.Id == member.Id).LastSignInAt);

        await factory.SignedInClientAsync(member);

        Assert.NotNull((await Users.ListAsync()).Single(a => a.Id == member.Id).LastSignInAt);
    }

    [Fact]
    public async Task ARevokedInviteLinkIsRefusedSayingSo()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var admin = (await factory.AdministratorAsync()).Id;
        var invites = factory.Services.GetRequiredService<InviteStore>();
        var token = (await invites.CreateAsCoordinatorAsync(studyId, "rater", admin))!;
        await invites.RevokeAsync(studyId, (await invites.ListPendingAsync(studyId, admin))!.Single().Key, admin);

        var page = await factory.CreateBrowserClient().GetStringAsync($"/invite/{token}");

        Assert.Contains("This invite was revoked by the study&#x27;s coordinators", page);
        Assert.DoesNotContain("Create account", page);
    }
}
