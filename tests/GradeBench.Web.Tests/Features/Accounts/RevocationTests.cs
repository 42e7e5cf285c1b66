using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Tests.Features.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Accounts;

/// <summary>Removing a rater from a study and disabling an account take effect at the user's very next request, and
/// reach what they hold open (hub connections) at once: real Kestrel, real cookies, tokens and HubConnections.</summary>
public sealed class RevocationTests(LiveServer server) : IClassFixture<LiveServer>
{
    static Func<JsonElement, bool> Paused => e => e.GetProperty("paused").GetBoolean();

    StudyRecorder Control => server.Services.GetRequiredService<StudyRecorder>();

    async Task DisableAsync(User user)
    {
        var admin = (await server.Services.GetRequiredService<UserStore>().CreateAsync($"boss-{Guid.NewGuid():N}"[..20], "Administrator", isAdmin: true))!;
        Assert.Equal(AccountStatusOutcome.Changed, await server.Services.GetRequiredService<AccountRecorder>().SetDisabledAsync(admin.Id, user.Id, disabled: true));
    }

    async Task<Listener> JoinedAsync(User user, long studyId)
    {
        var listener = await server.ListenerAsync(user);
        await listener.Connection.StartAsync();
        await listener.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        return listener;
    }

    async Task<long> HistoryOfAsync(User rater)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rating_history WHERE recorded_by = @Id", new { rater.Id });
    }

    static HttpClient Browser(LiveServer server, CookieContainer signedIn)
    {
        var jar = new CookieContainer();
        jar.Add(signedIn.GetAllCookies());
        return new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = server.Address };
    }

    [Fact]
    public async Task ARemovedRatersNextSubmitIsRefusedAndNothingIsStored()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var coordinator = await server.UserAsync(studyId, "coordinator", "coordinator");
        var rater = await server.UserAsync(studyId, "leaving");
        using var api = await server.BearerClientAsync(rater);
        var submitted = await server.OpenAssignmentAsync(studyId, rater);
        var unstarted = await server.OpenAssignmentAsync(studyId, rater, except: submitted);
        Assert.Equal(HttpStatusCode.OK, (await LiveServer.PutRatingAsync(api, studyId, await server.Services.HandleOfAsync(submitted), DemoRatings.Json("before"))).StatusCode);
        var history = await HistoryOfAsync(rater);

        Assert.Null((await Control.RemoveMemberAsync(studyId, coordinator.Id, rater.Id)).Refusal);
        var change = await LiveServer.PutRatingAsync(api, studyId, await server.Services.HandleOfAsync(submitted), DemoRatings.Json("after"));
        var another = await LiveServer.PutRatingAsync(api, studyId, await server.Services.HandleOfAsync(unstarted), DemoRatings.Json("another"));
        var list = await api.GetAsync($"/api/studies/{studyId}/assignments");

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], new[] { change.StatusCode, another.StatusCode, list.StatusCode });
        Assert.Contains("You are not a rater in this study.", await change.Content.ReadAsStringAsync());
        Assert.Equal(history, await HistoryOfAsync(rater));
    }

    [Fact]
    public async Task ADisabledUsersCookieAndTokenAreRefusedAtTheirNextRequest()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var rater = await server.UserAsync(studyId, "suspended", withPassword: true);
        var cookies = await server.SignInAsync(rater);
        using var api = await server.BearerClientAsync(rater);
        using (var before = Browser(server, cookies))
        {
            Assert.Equal(HttpStatusCode.OK, (await before.GetAsync($"/studies/{studyId}/grade")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await before.GetAsync($"/api/studies/{studyId}/assignments")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/studies/{studyId}/assignments")).StatusCode);

        await DisableAsync(rater);
        using var page = Browser(server, cookies);
        using var apiByCookie = Browser(server, cookies);
        var grade = await page.GetAsync($"/studies/{studyId}/grade");
        var byCookie = await apiByCookie.GetAsync($"/api/studies/{studyId}/assignments");
        var byToken = await api.GetAsync($"/api/studies/{studyId}/assignments");

        Assert.Equal(HttpStatusCode.Redirect, grade.StatusCode);
        Assert.StartsWith("/signin", grade.Headers.Location!.PathAndQuery);
        // The refused cookie is also deleted, so the browser stops sending it.
        Assert.Contains(grade.Headers.GetValues("Set-Cookie"), c => c.StartsWith("gradebench.auth=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970"));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (byCookie.StatusCode, byToken.StatusCode));
    }

    [Fact]
    public async Task ADisabledAccountCannotSignInWithTheRightPasswordNorWithAOneTimeLink()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var rater = await server.UserAsync(studyId, "locked-out", withPassword: true);
        var users = server.Services.GetRequiredService<UserStore>();
        var link = await users.CreateSignInTokenAsync(rater.Id, TimeSpan.FromMinutes(5));
        await DisableAsync(rater);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        var wrong = await SignInTests.PostSignInAsync(client, rater.Username, "not the password");
        var right = await SignInTests.PostSignInAsync(client, rater.Username, LiveServer.Password);
        var linked = await client.GetAsync($"/account/link?token={link}");
        var home = await client.GetAsync("/");

        Assert.StartsWith("/signin?error=1", wrong.Headers.Location!.OriginalString);
        Assert.StartsWith("/signin?error=disabled", right.Headers.Location!.OriginalString);
        Assert.Equal("/signin?error=disabled", linked.Headers.Location!.OriginalString);
        Assert.False(right.Headers.Contains("Set-Cookie") && right.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("gradebench.auth=", StringComparison.Ordinal)));
        Assert.False(linked.Headers.Contains("Set-Cookie") && linked.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("gradebench.auth=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("This account has been disabled.", await client.GetStringAsync("/signin?error=disabled"));
    }

    [Fact]
    public async Task ARemovedRatersHubConnectionHearsNothingMoreOfTheStudyAndItsNextCallIsRefused()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var coordinator = await server.UserAsync(studyId, "coordinator", "coordinator");
        var leaving = await server.UserAsync(studyId, "leaving");
        var staying = await server.UserAsync(studyId, "staying");
        await using var coordinating = await JoinedAsync(coordinator, studyId);
        await using var left = await JoinedAsync(leaving, studyId);
        await using var stays = await JoinedAsync(staying, studyId);

        Assert.Null((await Control.RemoveMemberAsync(studyId, coordinator.Id, leaving.Id)).Refusal);
        // At once: the study's very next event, sent as soon as the removal returns, no longer reaches them.
        await coordinating.Connection.InvokeAsync<JsonElement>("SetPaused", studyId, true);
        await stays.NextAsync("StudyStateChanged", Paused);
        // The group send reaches every member connection at about the same time; give a stray one time to arrive.
        await Task.Delay(500);
        var notice = await left.NextAsync("AccessRevoked");
        await coordinating.NextAsync("MemberRemoved", e => e.GetProperty("userId").GetInt64() == leaving.Id);

        Assert.Equal((studyId, RevocationFeed.RemovedMessage), (notice.GetProperty("studyId").GetInt64(), notice.GetProperty("reason").GetString()));
        Assert.DoesNotContain(left.Received, m => m.Method == "StudyStateChanged");
        var refused = await Assert.ThrowsAsync<HubException>(() => left.Connection.InvokeAsync("OpenItem", studyId, (string?)null));
        Assert.Contains("not a member", refused.Message);
        await Assert.ThrowsAsync<HubException>(() => left.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId));
        var online = await coordinating.Connection.InvokeAsync<JsonElement>("GetPresence", studyId);
        Assert.DoesNotContain(online.EnumerateArray(), e => e.GetProperty("userId").GetInt64() == leaving.Id);
    }

    [Fact]
    public async Task ARemovedRatersOpenPagesAreToldAndHearNothingMoreOfTheStudy()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var coordinator = await server.UserAsync(studyId, "coordinator", "coordinator");
        var leaving = await server.UserAsync(studyId, "leaving");
        var staying = await server.UserAsync(studyId, "staying");
        var events = server.Services.GetRequiredService<StudyEvents>();
        var presence = server.Services.GetRequiredService<PresenceTracker>();
        // What a circuit's grading page holds: a subscription to the study, a place in presence, and the layout's watch.
        var heardByLeaving = new ConcurrentQueue<StudyEvent>();
        var heardByStaying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var leavingPage = events.Subscribe(studyId, leaving.Id, isCoordinator: false, e => { heardByLeaving.Enqueue(e); return Task.CompletedTask; });
        using var stayingPage = events.Subscribe(studyId, staying.Id, isCoordinator: false, e =>
        {
            if (e is StudyStateChanged) heardByStaying.TrySetResult();
            return Task.CompletedTask;
        });
        presence.Enter("circuit:" + Guid.NewGuid().ToString("N"), studyId, leaving.Id, "Dr leaving", "rater");
        var told = new TaskCompletionSource<Revocation>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = server.Services.GetRequiredService<RevocationFeed>().Watch(leaving.Id, r => { told.TrySetResult(r); return Task.CompletedTask; });

        Assert.Null((await Control.RemoveMemberAsync(studyId, coordinator.Id, leaving.Id)).Refusal);

        Assert.DoesNotContain(presence.Online(studyId), e => e.UserId == leaving.Id);
        await Control.SetPausedAsync(studyId, coordinator.Id, paused: true);
        await heardByStaying.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new Revocation(leaving.Id, studyId), await told.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.Delay(200);
        Assert.DoesNotContain(heardByLeaving, e => e is StudyStateChanged);
    }

    [Fact]
    public async Task ADisabledUsersHubConnectionIsClosedAndCannotReconnect()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var rater = await server.UserAsync(studyId, "closed");
        await using var listener = await JoinedAsync(rater, studyId);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        var presence = server.Services.GetRequiredService<PresenceTracker>();
        Assert.Contains(presence.Online(studyId), e => e.UserId == rater.Id);

        await DisableAsync(rater);

        // At once: by the time the disabling returns they are gone from the study's presence, and the connection closes.
        Assert.DoesNotContain(presence.Online(studyId), e => e.UserId == rater.Id);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await using var again = await server.ListenerAsync(rater);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => again.Connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>`gradebench users add --role rater` on a coordinator, from another process: within seconds their hub
    /// connection leaves the study's groups and is told; joining again, it is given what a rater may hear.</summary>
    [Fact]
    public async Task ACoordinatorMadeARaterByAnotherProcessStopsHearingCoordinatorEventsWithinSeconds()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var chief = await server.UserAsync(studyId, "chief", "coordinator");
        var other = await server.UserAsync(studyId, "other", "coordinator");
        await using var demoted = await JoinedAsync(chief, studyId);
        await using var staying = await JoinedAsync(other, studyId);
        var presence = server.Services.GetRequiredService<PresenceTracker>();

        // Straight to the database, as the command line does: this server is not told.
        await server.Services.GetRequiredService<UserStore>().AddMembershipAsync(studyId, chief.Id, "rater");

        var notice = await demoted.NextAsync("AccessRevoked");
        Assert.Equal((studyId, RevocationFeed.CoordinatorRoleLostMessage), (notice.GetProperty("studyId").GetInt64(), notice.GetProperty("reason").GetString()));
        Assert.DoesNotContain(presence.Online(studyId), e => e.UserId == chief.Id && e.Role == "coordinator");
        var refused = await Assert.ThrowsAsync<HubException>(() => demoted.Connection.InvokeAsync<JsonElement>("GetPresence", studyId));
        Assert.Contains("Only a coordinator", refused.Message);

        await demoted.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        var rater = await server.UserAsync(studyId, "grading");
        using var api = await server.BearerClientAsync(rater);
        var response = await server.OpenAssignmentAsync(studyId, rater);
        Assert.Equal(HttpStatusCode.OK, (await LiveServer.PutRatingAsync(api, studyId, await server.Services.HandleOfAsync(response), DemoRatings.Json("after the demotion"))).StatusCode);
        await staying.NextAsync("RatingSubmitted", e => e.GetProperty("responseId").GetInt64() == response);
        await Control.SetPausedAsync(studyId, other.Id, paused: true);
        await demoted.NextAsync("StudyStateChanged", Paused);
        Assert.DoesNotContain(demoted.Received, m => m.Method == "RatingSubmitted" && m.Argument.GetProperty("responseId").GetInt64() == response);
    }

    [Fact]
    public async Task AnAccountDisabledByAnotherProcessLosesItsHubConnectionWithinSeconds()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var rater = await server.UserAsync(studyId, "elsewhere");
        await using var listener = await JoinedAsync(rater, studyId);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        // Straight to the database, as `gradebench users disable` does: this server is not told.
        Assert.Equal(AccountStatusOutcome.Changed, await server.Services.GetRequiredService<UserStore>().SetDisabledAsync(rater.Id, disabled: true, actorId: null));

        await closed.Task.WaitAsync(RevocationFeed.PollInterval * 5);
    }
}
