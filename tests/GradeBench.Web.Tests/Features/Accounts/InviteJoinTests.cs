using System.Net;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Accounts;

/// <summary>Joining a study from an invite with an account one already has: signed in, or signing in on the invite page.</summary>
public sealed class InviteJoinTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    const string Title = "LLM answers to stroke care questions (synthetic demo)";

    InviteStore Invites => factory.Services.GetRequiredService<InviteStore>();

    async Task<(long StudyId, string Token)> InviteAsync(string role = "rater", long? createdBy = null)
    {
        var studyId = await factory.ImportDemoCopyAsync();
        return (studyId, await Invites.CreateAsync(studyId, role, createdBy, TimeSpan.FromDays(1)));
    }

    async Task<long> UserCountAsync()
    {
        await using var connection = await factory.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");
    }

    async Task<string?> RoleAsync(long studyId, User user) =>
        (await factory.Services.GetRequiredService<StudyQuery>().MembershipAsync(studyId, user.Id))?.Role;

    static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string action, params (string Key, string Value)[] fields)
    {
        var antiforgery = await GradeBenchFactory.AntiforgeryTokenAsync(client, page);
        return await client.PostAsync(action, new FormUrlEncodedContent(
            fields.Append((Key: "__RequestVerificationToken", Value: antiforgery)).Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));
    }

    static Task<HttpResponseMessage> JoinAsync(HttpClient client, string token) =>
        PostAsync(client, $"/invite/{token}", "/account/invite/join", ("token", token));

    static Task<HttpResponseMessage> SignInAndJoinAsync(HttpClient client, string token, string username, string password) =>
        PostAsync(client, $"/invite/{token}?account=existing", "/account/invite/signin", ("token", token), ("username", username), ("password", password));

    [Fact]
    public async Task ASignedInUserJoinsWithTheirAccountAndLandsOnTheStudy()
    {
        var (studyId, token) = await InviteAsync();
        var user = await factory.MemberAsync(null, "dr-ma", withPassword: true);
        var client = await factory.SignedInClientAsync(user);
        var users = await UserCountAsync();

        var page = await client.GetStringAsync($"/invite/{token}");
        var joined = await JoinAsync(client, token);

        Assert.Contains($"<h1>Join <span lang=\"en\">{Title}</span> as a rater</h1>", page);
        Assert.Contains("no new account is made", page);
        Assert.DoesNotContain("Create account", page);
        Assert.Equal($"/studies/{studyId}/grade", joined.Headers.Location?.OriginalString);
        Assert.Equal("rater", await RoleAsync(studyId, user));
        Assert.Equal(users, await UserCountAsync());
        Assert.Null(await Invites.FindAsync(token));
    }

    [Fact]
    public async Task ASignedOutUserWithAnAccountSignsInFromTheInviteAndJoins()
    {
        var (studyId, token) = await InviteAsync();
        var user = await factory.MemberAsync(null, "dr-zhou", withPassword: true);
        var client = factory.CreateBrowserClient();
        var users = await UserCountAsync();

        var invitePage = await client.GetStringAsync($"/invite/{token}");
        var signInPage = await client.GetStringAsync($"/invite/{token}?account=existing");
        var joined = await SignInAndJoinAsync(client, token, user.Username.ToUpperInvariant(), GradeBenchFactory.MemberPassword);
        var home = await client.GetStringAsync("/");

        Assert.Contains($"href=\"/invite/{token}?account=existing\">I already have an account: sign in</a>", invitePage);
        Assert.Contains("Sign in and join", signInPage);
        Assert.Equal($"/studies/{studyId}/grade", joined.Headers.Location?.OriginalString);
        Assert.Contains($"/studies/{studyId}/grade", home);
        Assert.Equal("rater", await RoleAsync(studyId, user));
        Assert.Equal(users, await UserCountAsync());
    }

    [Fact]
    public async Task AWrongPasswordJoinsNothingAndCountsTowardsTheLockout()
    {
        var (studyId, token) = await InviteAsync();
        var user = await factory.MemberAsync(null, "dr-guess", withPassword: true);
        var client = factory.CreateBrowserClient();

        var wrong = await SignInAndJoinAsync(client, token, user.Username, "not the password");
        for (var i = 1; i < SignInThrottle.MaxFailures; i++) await SignInAndJoinAsync(client, token, user.Username, "not the password");
        var locked = await SignInAndJoinAsync(client, token, user.Username, GradeBenchFactory.MemberPassword);

        Assert.Equal($"/invite/{token}?account=existing&error=1", wrong.Headers.Location?.OriginalString);
        Assert.StartsWith($"/invite/{token}?account=existing&error=locked&minutes=", locked.Headers.Location?.OriginalString);
        Assert.Null(await RoleAsync(studyId, user));
        Assert.NotNull(await Invites.FindAsync(token));
    }

    [Fact]
    public async Task AUsedInviteJoinsNobodyElseAndSaysSo()
    {
        var (studyId, token) = await InviteAsync();
        await Invites.AcceptAsync(token, GradeBenchFactory.UniqueName("dr-first"), "Dr First", _ => "hash");
        var user = await factory.MemberAsync(null, "dr-second", withPassword: true);
        var signedIn = await factory.SignedInClientAsync(user);

        var joined = await PostAsync(signedIn, "/signin", "/account/invite/join", ("token", token));
        var signedOut = await PostAsync(factory.CreateBrowserClient(), "/signin", "/account/invite/signin",
            ("token", token), ("username", user.Username), ("password", GradeBenchFactory.MemberPassword));
        var page = await signedIn.GetStringAsync($"/invite/{token}");

        Assert.Equal($"/invite/{token}", joined.Headers.Location?.OriginalString);
        Assert.Equal($"/invite/{token}", signedOut.Headers.Location?.OriginalString);
        Assert.Contains("This invite was already used: each invite link works once.", page);
        Assert.Null(await RoleAsync(studyId, user));
    }

    [Fact]
    public async Task AMemberInTheSameRoleIsToldSoAndTheInviteStaysUsable()
    {
        var (studyId, token) = await InviteAsync();
        var user = await factory.MemberAsync(studyId, "dr-again", withPassword: true);
        var client = await factory.SignedInClientAsync(user);

        var page = await client.GetStringAsync($"/invite/{token}");
        var joined = await JoinAsync(client, token);

        Assert.Contains("You are already a rater of this study, so there is nothing to join.", page);
        Assert.DoesNotContain("Join the study</button>", page);
        Assert.Equal($"/invite/{token}", joined.Headers.Location?.OriginalString);
        Assert.NotNull(await Invites.FindAsync(token));
    }

    [Fact]
    public async Task ACoordinatorOpeningARaterInviteKeepsTheirRole()
    {
        var (studyId, token) = await InviteAsync();
        var user = await factory.MemberAsync(studyId, "dr-lead", role: "coordinator", withPassword: true);
        var client = await factory.SignedInClientAsync(user);

        var page = await client.GetStringAsync($"/invite/{token}");
        var joined = await JoinAsync(client, token);

        Assert.Contains("You already coordinate this study, and an invite never takes a role away.", page);
        Assert.Equal($"/invite/{token}", joined.Headers.Location?.OriginalString);
        Assert.Equal("coordinator", await RoleAsync(studyId, user));
        Assert.NotNull(await Invites.FindAsync(token));
    }

    [Fact]
    public async Task ARaterOpeningACoordinatorInviteBecomesItsCoordinator()
    {
        var (studyId, token) = await InviteAsync(role: "coordinator");
        var user = await factory.MemberAsync(studyId, "dr-promoted", withPassword: true);
        var client = await factory.SignedInClientAsync(user);

        var joined = await JoinAsync(client, token);

        Assert.Equal($"/studies/{studyId}/dashboard", joined.Headers.Location?.OriginalString);
        Assert.Equal("coordinator", await RoleAsync(studyId, user));
    }

    [Fact]
    public async Task TheInvitePageNamesTheInviterAndSaysWhenTheyWithdrewIt()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var coordinator = await factory.MemberAsync(studyId, "lead", role: "coordinator");
        var token = await Invites.CreateAsync(studyId, "rater", coordinator.Id, TimeSpan.FromDays(1));
        var client = factory.CreateBrowserClient();

        var page = await client.GetStringAsync($"/invite/{token}");
        await factory.Services.GetRequiredService<UserStore>().SetDisabledAsync(coordinator.Id, disabled: true, actorId: null);
        var withdrawn = await client.GetStringAsync($"/invite/{token}");

        Assert.Contains($"<p><span translate=\"no\">Dr lead</span> invited you to take part in <strong lang=\"en\">{Title}</strong> as a rater.</p>", page);
        Assert.Contains("This invite was withdrawn: the person who sent it no longer coordinates the study.", withdrawn);
    }

    [Fact]
    public async Task NotYouSignsOutBackToTheInviteAndNowhereElse()
    {
        var (_, token) = await InviteAsync();
        var client = await factory.SignedInClientAsync(await factory.MemberAsync(null, "dr-shared", withPassword: true));

        var page = await client.GetStringAsync($"/invite/{token}");
        var back = await PostAsync(client, "/signin", $"/account/signout?returnUrl=%2Finvite%2F{token}");
        var elsewhere = await PostAsync(await factory.SignedInClientAsync(await factory.MemberAsync(null, "dr-other", withPassword: true)),
            "/signin", "/account/signout?returnUrl=%2F%2Fevil.example");

        Assert.Contains($"action=\"/account/signout?returnUrl=%2Finvite%2F{token}\"", page);
        Assert.Equal($"/invite/{token}", back.Headers.Location?.OriginalString);
        Assert.Equal("/", elsewhere.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }
}
