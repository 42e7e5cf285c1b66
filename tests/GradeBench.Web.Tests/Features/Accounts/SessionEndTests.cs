using System.Net;
using System.Text.Json;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Tests.Features.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Accounts;

/// <summary>Sign-ins and API tokens that really end (issue 16), over real Kestrel, cookies and hub connections: a copied
/// cookie dies with a sign-out or a password change, a revoked or expired token's hub connection closes.</summary>
public sealed class SessionEndTests(LiveServer server) : IClassFixture<LiveServer>
{
    const string NewPassword = "another long password";

    HttpClient Browser(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Address };

    /// <summary>The same cookies in a jar of their own: what someone who copied them holds.</summary>
    static CookieContainer Copy(CookieContainer cookies)
    {
        var copy = new CookieContainer();
        copy.Add(cookies.GetAllCookies());
        return copy;
    }

    async Task<HttpStatusCode> HomeAsync(CookieContainer cookies)
    {
        using var browser = Browser(Copy(cookies));
        return (await browser.GetAsync("/")).StatusCode;
    }

    async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await GradeBenchFactory.AntiforgeryTokenAsync(browser, "/account/password");
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    async Task<(User User, long StudyId)> RaterAsync(string name)
    {
        var studyId = await server.ImportDemoCopyAsync();
        return (await server.UserAsync(studyId, name, withPassword: true), studyId);
    }

    [Fact]
    public async Task ACookieCopiedBeforeSignOutIsRefusedAfterIt()
    {
        var (user, _) = await RaterAsync("leaving");
        var cookies = await server.SignInAsync(user);
        var copied = Copy(cookies);
        Assert.Equal(HttpStatusCode.OK, await HomeAsync(copied));

        using var browser = Browser(cookies);
        var signedOut = await PostFormAsync(browser, "/account/signout", []);

        Assert.Equal("/signin", signedOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, await HomeAsync(copied));
    }

    [Fact]
    public async Task SignOutByGetOrWithoutAnAntiforgeryTokenDoesNothing()
    {
        var (user, _) = await RaterAsync("staying");
        var cookies = await server.SignInAsync(user);
        using var browser = Browser(cookies);

        var byGet = await browser.GetAsync("/account/signout");
        var withoutToken = await browser.PostAsync("/account/signout", new FormUrlEncodedContent([]));

        Assert.NotEqual(HttpStatusCode.Redirect, byGet.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await HomeAsync(cookies));
    }

    [Fact]
    public async Task APasswordChangeEndsEveryOtherSignInAndKeepsThisBrowserSignedIn()
    {
        var (user, _) = await RaterAsync("changing");
        var here = await server.SignInAsync(user);
        var elsewhere = await server.SignInAsync(user);
        var copiedHere = Copy(here);
        using var browser = Browser(here);

        var changed = await PostFormAsync(browser, "/account/password",
            new() { ["current"] = LiveServer.Password, ["password"] = NewPassword, ["confirmation"] = NewPassword });

        Assert.Equal("/?password=set", changed.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (await HomeAsync(elsewhere), await HomeAsync(copiedHere)));
    }

    [Fact]
    public async Task APasswordChangeWithoutTheRightCurrentPasswordIsRefused()
    {
        var (user, _) = await RaterAsync("borrowed");
        using var browser = Browser(await server.SignInAsync(user));

        var wrong = await PostFormAsync(browser, "/account/password",
            new() { ["current"] = "not the password", ["password"] = NewPassword, ["confirmation"] = NewPassword });
        var missing = await PostFormAsync(browser, "/account/password", new() { ["password"] = NewPassword, ["confirmation"] = NewPassword });

        Assert.Equal(("/account/password?error=current", "/account/password?error=current"),
            (wrong.Headers.Location?.OriginalString, missing.Headers.Location?.OriginalString));
        Assert.Contains("Your current password is not right.", await browser.GetStringAsync("/account/password?error=current"));
        using var fresh = Browser(new CookieContainer());
        Assert.Equal("/", (await SignInTests.PostSignInAsync(fresh, user.Username, LiveServer.Password)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignOutEverywhereFromAnotherBrowserEndsThisOnesCookieAndHubConnection()
    {
        var (user, studyId) = await RaterAsync("two-browsers");
        var ward = await server.SignInAsync(user);
        var home = await server.SignInAsync(user);
        await using var wardLive = new Listener(new HubConnectionBuilder().WithUrl(server.HubUrl, o => o.Cookies = Copy(ward)).Build());
        await wardLive.Connection.StartAsync();
        await wardLive.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        wardLive.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        using var browser = Browser(home);
        Assert.Contains("Sign out everywhere", await browser.GetStringAsync("/account/password"));

        await PostFormAsync(browser, "/account/signout", []);

        Assert.Equal(HttpStatusCode.Redirect, await HomeAsync(ward));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The review's finding: a revoked coordinator token's connection kept hearing the study and could close it.
    /// Revoked as `gradebench token revoke` does, straight in the database: its next call is refused at once, and the
    /// server closes the connection within seconds.</summary>
    [Fact]
    public async Task ARevokedCoordinatorTokensConnectionIsClosedAndCannotCloseTheStudy()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var coordinator = await server.UserAsync(studyId, "revoked-chief", "coordinator");
        var other = await server.UserAsync(studyId, "other-chief", "coordinator");
        await using var revoked = await server.ListenerAsync(coordinator);
        await using var staying = await server.ListenerAsync(other);
        await revoked.Connection.StartAsync();
        await staying.Connection.StartAsync();
        await revoked.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        await staying.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        await revoked.Connection.InvokeAsync<JsonElement>("SetStudyState", studyId, "adjudication");
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        revoked.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        var slug = await SlugAsync(studyId);
        await server.Services.GetRequiredService<ApiTokenStore>().RevokeAsync(coordinator.Id, label: null);

        var refused = await Assert.ThrowsAsync<HubException>(() => revoked.Connection.InvokeAsync<JsonElement>("CloseStudy", studyId, slug));
        Assert.Contains(HubSignIns.EndedMessage, refused.Message);
        await closed.Task.WaitAsync(RevocationFeed.PollInterval * 5);
        var heard = revoked.Received.Count;
        staying.Mark();
        await staying.Connection.InvokeAsync<JsonElement>("SetStudyState", studyId, "open");
        await staying.NextAsync("StudyStateChanged");
        Assert.Equal("open", (await server.Services.GetRequiredService<StudyQuery>().AccessAsync(studyId, other.Id))!.State);
        Assert.DoesNotContain(revoked.Received.Skip(heard), m => m.Method == "StudyStateChanged");
    }

    [Fact]
    public async Task AnExpiredTokensConnectionIsClosedAndTheTokenRefused()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var rater = await server.UserAsync(studyId, "expiring");
        var token = await server.Services.GetRequiredService<ApiTokenStore>().CreateAsync(rater.Id, "short", DateTimeOffset.UtcNow.AddSeconds(3));
        await using var listener = new Listener(new HubConnectionBuilder()
            .WithUrl(server.HubUrl, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build());
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await listener.Connection.StartAsync();
        await listener.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        using var api = new HttpClient { BaseAddress = server.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"/api/studies/{studyId}/assignments")).StatusCode);
    }

    async Task<string> SlugAsync(long studyId)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT slug FROM studies WHERE id = @studyId", new { studyId }) ?? "";
    }
}
