using System.Net;
using System.Text.Json;
using Dapper;
using GradeBench.Storage;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Live;

/// <summary>The hub at /hubs/study over real sockets: real Kestrel, real <see cref="HubConnection"/>s, each test on
/// its own copy of the demo study (open, blinded, with pilot ratings) with two new raters and a coordinator.</summary>
public sealed class StudyHubTests(LiveServer server) : IClassFixture<LiveServer>
{
    /// <summary>A study of its own with a coordinator and two raters, each listening on the hub and joined.</summary>
    sealed record World(long StudyId, User Coordinator, User RaterA, User RaterB, Listener Coordinating, Listener A, Listener B) : IAsyncDisposable
    {
        public IEnumerable<Listener> Raters => [A, B];

        public async ValueTask DisposeAsync()
        {
            foreach (var listener in new[] { Coordinating, A, B }) await listener.DisposeAsync();
        }
    }

    async Task<World> WorldAsync()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var coordinator = await server.UserAsync(studyId, "coordinator", "coordinator");
        // Both raters exist before anyone grades: adding a rater rebalances unstarted work.
        var raterA = await server.UserAsync(studyId, "ada");
        var raterB = await server.UserAsync(studyId, "bo");
        var world = new World(studyId, coordinator, raterA, raterB,
            await server.ListenerAsync(coordinator), await server.ListenerAsync(raterA), await server.ListenerAsync(raterB));
        foreach (var listener in new[] { world.Coordinating, world.A, world.B })
        {
            await listener.Connection.StartAsync();
            await listener.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        }
        return world;
    }

    static bool Names(JsonElement presence, long userId) =>
        presence.GetProperty("online").EnumerateArray().Any(e => e.GetProperty("userId").GetInt64() == userId);

    static JsonElement Entry(JsonElement presence, long userId) =>
        presence.GetProperty("online").EnumerateArray().Single(e => e.GetProperty("userId").GetInt64() == userId);

    static Func<JsonElement, bool> State(string state, bool paused) =>
        e => e.GetProperty("state").GetString() == state && e.GetProperty("paused").GetBoolean() == paused;

    [Fact]
    public async Task NegotiatingWithoutSigningInIsRefused()
    {
        await using var anonymous = new HubConnectionBuilder().WithUrl(server.HubUrl).Build();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task NegotiatingWithAnUnknownTokenIsRefused()
    {
        await using var forged = new HubConnectionBuilder()
            .WithUrl(server.HubUrl, options => options.AccessTokenProvider = () => Task.FromResult<string?>("not-a-token"))
            .Build();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => forged.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task JoinStudyAnswersTheCallersRoleAndTheStudyState()
    {
        var studyId = await server.ImportDemoCopyAsync();
        await using var coordinator = await server.ListenerAsync(await server.UserAsync(studyId, "coordinator", "coordinator"));
        await using var rater = await server.ListenerAsync(await server.UserAsync(studyId, "rater"));
        await coordinator.Connection.StartAsync();
        await rater.Connection.StartAsync();

        var asCoordinator = await coordinator.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        var asRater = await rater.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);

        Assert.Equal("coordinator", asCoordinator.GetProperty("role").GetString());
        Assert.Equal("rater", asRater.GetProperty("role").GetString());
        foreach (var joined in new[] { asCoordinator, asRater })
        {
            Assert.Equal(studyId, joined.GetProperty("studyId").GetInt64());
            Assert.Equal("open", joined.GetProperty("state").GetString());
            Assert.False(joined.GetProperty("paused").GetBoolean());
        }
    }

    [Fact]
    public async Task ABrowserSignedInByCookieConnectsAndJoins()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var rater = await server.UserAsync(studyId, "cookie", withPassword: true);
        var cookies = await server.SignInAsync(rater);
        await using var connection = new HubConnectionBuilder().WithUrl(server.HubUrl, options => options.Cookies = cookies).Build();

        await connection.StartAsync();
        var joined = await connection.InvokeAsync<JsonElement>("JoinStudy", studyId);

        Assert.Equal("rater", joined.GetProperty("role").GetString());
    }

    [Fact]
    public async Task ARatersSubmitReachesTheCoordinatorAsRatingProgressAndAgreementAndNoRater()
    {
        await using var world = await WorldAsync();
        var responseId = await server.OpenAssignmentAsync(world.StudyId, world.RaterA);
        using var client = await server.BearerClientAsync(world.RaterA);

        var answer = await LiveServer.PutRatingAsync(client, world.StudyId, await server.Services.HandleOfAsync(responseId), DemoRatings.Json("clear"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var submitted = await world.Coordinating.NextAsync("RatingSubmitted");
        Assert.Equal(world.RaterA.Id, submitted.GetProperty("raterId").GetInt64());
        Assert.Equal(responseId, submitted.GetProperty("responseId").GetInt64());
        Assert.Equal("Dr ada", submitted.GetProperty("raterName").GetString());
        var progress = await world.Coordinating.NextAsync("ProgressChanged", e => e.GetProperty("raterId").GetInt64() == world.RaterA.Id);
        Assert.Equal(1, progress.GetProperty("raterDone").GetInt64());
        Assert.True(progress.GetProperty("raterAssigned").GetInt64() >= 1);
        Assert.False(progress.TryGetProperty("studyDone", out _), "study totals are the dashboard's sum, not counted per submit");
        var agreement = await world.Coordinating.NextAsync("AgreementUpdated");
        var criteria = agreement.GetProperty("criteria").EnumerateArray().ToList();
        // Every criterion but the free-text comment, at its level, with its interval and n.
        Assert.Equal(["consensus", "reasoning", "completeness", "incorrect_content", "harm_extent", "harm_likelihood", "hallucination", "overall"],
            criteria.Select(c => c.GetProperty("criterion").GetString()));
        Assert.Equal("nominal", criteria.Single(c => c.GetProperty("criterion").GetString() == "hallucination").GetProperty("level").GetString());
        foreach (var criterion in criteria)
        {
            Assert.Equal(JsonValueKind.Number, criterion.GetProperty("alpha").ValueKind);
            Assert.True(criterion.GetProperty("lower").GetDouble() <= criterion.GetProperty("alpha").GetDouble());
            Assert.True(criterion.GetProperty("upper").GetDouble() >= criterion.GetProperty("alpha").GetDouble());
            Assert.True(criterion.GetProperty("units").GetInt32() > 0);
        }
        var asked = await world.Coordinating.Connection.InvokeAsync<JsonElement>("GetAgreement", world.StudyId);
        Assert.Equal(criteria.Count, asked.GetProperty("criteria").GetArrayLength());

        // Events reach each connection in the order they were published: once the raters hear of a later change,
        // anything meant for them about the submit would have arrived already.
        await world.Coordinating.Connection.InvokeAsync<JsonElement>("SetPaused", world.StudyId, true);
        foreach (var rater in world.Raters)
        {
            await rater.NextAsync("StudyStateChanged", State("open", paused: true));
            Assert.Equal(["StudyStateChanged"], rater.Received.Select(m => m.Method).Distinct());
        }
    }

    [Fact]
    public async Task RepeatingASubmitUnchangedIsNotAnnouncedAgainButChangingItIs()
    {
        await using var world = await WorldAsync();
        var responseId = await server.OpenAssignmentAsync(world.StudyId, world.RaterA);
        using var client = await server.BearerClientAsync(world.RaterA);

        var first = await LiveServer.PutRatingAsync(client, world.StudyId, await server.Services.HandleOfAsync(responseId), DemoRatings.Json("once"));
        var again = await LiveServer.PutRatingAsync(client, world.StudyId, await server.Services.HandleOfAsync(responseId), DemoRatings.Json("once"));
        var changed = await LiveServer.PutRatingAsync(client, world.StudyId, await server.Services.HandleOfAsync(responseId), DemoRatings.Json("on second thought"));

        Assert.All([first, again, changed], answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        // Events reach the coordinator in the order they were published: a later change closes the list.
        await world.Coordinating.Connection.InvokeAsync<JsonElement>("SetPaused", world.StudyId, true);
        await world.Coordinating.NextAsync("StudyStateChanged");
        Assert.Equal(2, world.Coordinating.Received.Count(m => m.Method == "RatingSubmitted"));
        Assert.Equal(2, world.Coordinating.Received.Count(m => m.Method == "ProgressChanged"));
    }

    [Fact]
    public async Task PauseResumeAndStateChangesReachBothRatersAtOnce()
    {
        await using var world = await WorldAsync();
        var coordinator = world.Coordinating.Connection;

        await coordinator.InvokeAsync<JsonElement>("SetPaused", world.StudyId, true);
        foreach (var rater in world.Raters) await rater.NextAsync("StudyStateChanged", State("open", paused: true));
        await coordinator.InvokeAsync<JsonElement>("SetPaused", world.StudyId, false);
        foreach (var rater in world.Raters) await rater.NextAsync("StudyStateChanged", State("open", paused: false));
        var changed = await coordinator.InvokeAsync<JsonElement>("SetStudyState", world.StudyId, "adjudication");
        foreach (var rater in world.Raters) await rater.NextAsync("StudyStateChanged", State("adjudication", paused: false));
        await coordinator.InvokeAsync<JsonElement>("CloseStudy", world.StudyId, await SlugAsync(world.StudyId));
        foreach (var rater in world.Raters) await rater.NextAsync("StudyStateChanged", State("closed", paused: false));

        Assert.Equal("adjudication", changed.GetProperty("state").GetString());
        var rejoined = await world.A.Connection.InvokeAsync<JsonElement>("JoinStudy", world.StudyId);
        Assert.Equal("closed", rejoined.GetProperty("state").GetString());
    }

    [Fact]
    public async Task AStateChangeTheLifecycleForbidsIsRefusedWithTheReason()
    {
        await using var world = await WorldAsync();

        var refused = await Assert.ThrowsAsync<HubException>(() => world.Coordinating.Connection.InvokeAsync<JsonElement>("SetStudyState", world.StudyId, "draft"));
        var unknown = await Assert.ThrowsAsync<HubException>(() => world.Coordinating.Connection.InvokeAsync<JsonElement>("SetStudyState", world.StudyId, "archived"));

        Assert.Contains("cannot become draft", refused.Message);
        Assert.Contains("Unknown study state", unknown.Message);
    }

    [Fact]
    public async Task ClosingThroughTheHubNeedsTheStudysIdTyped()
    {
        await using var world = await WorldAsync();
        var coordinator = world.Coordinating.Connection;

        var bare = await Assert.ThrowsAsync<HubException>(() => coordinator.InvokeAsync<JsonElement>("SetStudyState", world.StudyId, "closed"));
        var mistyped = await Assert.ThrowsAsync<HubException>(() => coordinator.InvokeAsync<JsonElement>("CloseStudy", world.StudyId, "stroke"));

        Assert.Contains("typing the study's id", bare.Message);
        Assert.Contains("type its id", mistyped.Message);
        var status = await server.Services.GetRequiredService<StudyLifecycleStore>().StatusAsync(world.StudyId);
        Assert.Equal(StudyState.Open, status!.State);
    }

    async Task<string> SlugAsync(long studyId)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT slug FROM studies WHERE id = @StudyId", new { StudyId = studyId }) ?? "";
    }

    [Fact]
    public async Task APausedStudyAnswers409ToASubmitAndStoresNothing()
    {
        await using var world = await WorldAsync();
        var responseId = await server.OpenAssignmentAsync(world.StudyId, world.RaterA);
        using var client = await server.BearerClientAsync(world.RaterA);
        await world.Coordinating.Connection.InvokeAsync<JsonElement>("SetPaused", world.StudyId, true);

        var answer = await LiveServer.PutRatingAsync(client, world.StudyId, await server.Services.HandleOfAsync(responseId), DemoRatings.Json("while paused"));

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("paused", await answer.Content.ReadAsStringAsync());
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ratings WHERE rater_id = @RaterId", new { RaterId = world.RaterA.Id }));
        Assert.Null(await connection.ExecuteScalarAsync<string?>(
            "SELECT completed_at FROM assignments WHERE rater_id = @RaterId AND response_id = @ResponseId", new { RaterId = world.RaterA.Id, ResponseId = responseId }));
    }

    [Fact]
    public async Task ARaterCannotJoinAStudyTheyAreNotAMemberOf()
    {
        await using var world = await WorldAsync();
        var otherStudy = await server.ImportDemoCopyAsync();

        var refused = await Assert.ThrowsAsync<HubException>(() => world.A.Connection.InvokeAsync<JsonElement>("JoinStudy", otherStudy));
        await Assert.ThrowsAsync<HubException>(() => world.A.Connection.InvokeAsync("OpenItem", otherStudy, (string?)null));

        Assert.Contains("not a member", refused.Message);
    }

    [Fact]
    public async Task ARaterCannotInvokeCoordinatorMethods()
    {
        await using var world = await WorldAsync();
        var rater = world.A.Connection;

        var refusals = new[]
        {
            await Assert.ThrowsAsync<HubException>(() => rater.InvokeAsync<JsonElement>("SetStudyState", world.StudyId, "closed")),
            await Assert.ThrowsAsync<HubException>(() => rater.InvokeAsync<JsonElement>("CloseStudy", world.StudyId, "x")),
            await Assert.ThrowsAsync<HubException>(() => rater.InvokeAsync<JsonElement>("SetPaused", world.StudyId, true)),
            await Assert.ThrowsAsync<HubException>(() => rater.InvokeAsync<JsonElement>("GetPresence", world.StudyId)),
            await Assert.ThrowsAsync<HubException>(() => rater.InvokeAsync<JsonElement>("GetAgreement", world.StudyId)),
        };

        Assert.All(refusals, refusal => Assert.Contains("Only a coordinator", refusal.Message));
        var joined = await rater.InvokeAsync<JsonElement>("JoinStudy", world.StudyId);
        Assert.Equal("open", joined.GetProperty("state").GetString());
        Assert.False(joined.GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task AMemberRemovedFromTheStudyIsRefusedAtTheNextHubCall()
    {
        await using var world = await WorldAsync();
        await using (var connection = await server.Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("DELETE FROM study_members WHERE study_id = @StudyId AND user_id = @UserId",
                new { world.StudyId, UserId = world.RaterA.Id });

        await Assert.ThrowsAsync<HubException>(() => world.A.Connection.InvokeAsync("OpenItem", world.StudyId, (string?)null));
        await Assert.ThrowsAsync<HubException>(() => world.A.Connection.InvokeAsync<JsonElement>("JoinStudy", world.StudyId));
    }

    [Fact]
    public async Task PresenceShowsARaterWhoJoinsAndOpensAnItemAndDropsThemWhenTheirConnectionStops()
    {
        await using var world = await WorldAsync();
        var responseId = await server.OpenAssignmentAsync(world.StudyId, world.RaterA);

        await world.Coordinating.NextAsync("PresenceChanged", p => Names(p, world.RaterA.Id) && Names(p, world.RaterB.Id));
        await world.A.Connection.InvokeAsync("OpenItem", world.StudyId, await server.Services.HandleOfAsync(responseId));
        var opened = await world.Coordinating.NextAsync("PresenceChanged",
            p => Names(p, world.RaterA.Id) && Entry(p, world.RaterA.Id).GetProperty("responseId").ValueKind == JsonValueKind.Number);
        var asked = await world.Coordinating.Connection.InvokeAsync<JsonElement>("GetPresence", world.StudyId);
        // Lists from before the raters joined lack them too: only what comes after the stop counts.
        world.Coordinating.Mark();
        await world.A.Connection.StopAsync();
        await world.Coordinating.NextAsync("PresenceChanged", p => !Names(p, world.RaterA.Id));

        Assert.Equal(responseId, Entry(opened, world.RaterA.Id).GetProperty("responseId").GetInt64());
        Assert.Equal("rater", Entry(opened, world.RaterA.Id).GetProperty("role").GetString());
        Assert.Contains(asked.EnumerateArray(), e => e.GetProperty("userId").GetInt64() == world.RaterA.Id);
        var now = await world.Coordinating.Connection.InvokeAsync<JsonElement>("GetPresence", world.StudyId);
        Assert.DoesNotContain(now.EnumerateArray(), e => e.GetProperty("userId").GetInt64() == world.RaterA.Id);
        Assert.Contains(now.EnumerateArray(), e => e.GetProperty("userId").GetInt64() == world.RaterB.Id);
    }

    [Fact]
    public async Task ARaterWhoReconnectsAndRejoinsIsShownAgain()
    {
        await using var world = await WorldAsync();
        world.Coordinating.Mark();
        await world.A.Connection.StopAsync();
        await world.Coordinating.NextAsync("PresenceChanged", p => !Names(p, world.RaterA.Id));
        world.Coordinating.Mark();

        await world.A.Connection.StartAsync();
        var joined = await world.A.Connection.InvokeAsync<JsonElement>("JoinStudy", world.StudyId);

        Assert.Equal("open", joined.GetProperty("state").GetString());
        var presence = await world.Coordinating.NextAsync("PresenceChanged", p => Names(p, world.RaterA.Id));
        Assert.True(Entry(presence, world.RaterA.Id).GetProperty("connected").GetBoolean());
        // The rejoined connection hears the study's events again.
        await world.Coordinating.Connection.InvokeAsync<JsonElement>("SetPaused", world.StudyId, true);
        await world.A.NextAsync("StudyStateChanged", State("open", paused: true));
    }

    [Fact]
    public async Task NoMessageToARaterNamesAModelAResponseOrAnotherRatersValues()
    {
        await using var world = await WorldAsync();
        var coordinator = world.Coordinating.Connection;
        var responseA = await server.OpenAssignmentAsync(world.StudyId, world.RaterA);
        var responseB = await server.OpenAssignmentAsync(world.StudyId, world.RaterB);
        using var clientA = await server.BearerClientAsync(world.RaterA);
        using var clientB = await server.BearerClientAsync(world.RaterB);
        string[] comments = ["Ada's secret remark 7261", "Bo's secret remark 9153"];

        // A whole session: items opened, submits by both raters, a pause and resume, adjudication and back.
        await world.A.Connection.InvokeAsync("OpenItem", world.StudyId, await server.Services.HandleOfAsync(responseA));
        await world.B.Connection.InvokeAsync("OpenItem", world.StudyId, await server.Services.HandleOfAsync(responseB));
        Assert.Equal(HttpStatusCode.OK, (await LiveServer.PutRatingAsync(clientA, world.StudyId, await server.Services.HandleOfAsync(responseA), DemoRatings.Json(comments[0]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LiveServer.PutRatingAsync(clientB, world.StudyId, await server.Services.HandleOfAsync(responseB), DemoRatings.Json(comments[1]))).StatusCode);
        await world.Coordinating.NextAsync("AgreementUpdated");
        await coordinator.InvokeAsync<JsonElement>("SetPaused", world.StudyId, true);
        await coordinator.InvokeAsync<JsonElement>("SetPaused", world.StudyId, false);
        await coordinator.InvokeAsync<JsonElement>("SetStudyState", world.StudyId, "adjudication");
        await coordinator.InvokeAsync<JsonElement>("SetStudyState", world.StudyId, "open");
        // Submits after the state changes: their events are published after the ones the raters wait for below.
        var secondA = await server.OpenAssignmentAsync(world.StudyId, world.RaterA, except: responseA);
        Assert.Equal(HttpStatusCode.OK, (await LiveServer.PutRatingAsync(clientA, world.StudyId, await server.Services.HandleOfAsync(secondA), DemoRatings.Json(comments[0]))).StatusCode);
        await world.Coordinating.NextAsync("RatingSubmitted", e => e.GetProperty("responseId").GetInt64() == secondA);
        foreach (var rater in world.Raters) rater.Mark();
        await coordinator.InvokeAsync<JsonElement>("SetPaused", world.StudyId, true);
        foreach (var rater in world.Raters) await rater.NextAsync("StudyStateChanged", State("open", paused: true));

        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync();
        var slugs = (await connection.QueryAsync<string>("SELECT slug FROM responses WHERE study_id = @StudyId", new { world.StudyId })).ToList();
        string[] models = ["model-a", "model-b", "model-c"];
        // The coordinator's messages do name models (in response slugs), so the words searched for are the right ones.
        var toCoordinator = string.Join('\n', world.Coordinating.Received.Select(m => m.Argument.GetRawText()));
        Assert.Contains(models, toCoordinator.Contains);
        Assert.Contains(slugs, toCoordinator.Contains);
        foreach (var (rater, other) in new[] { (world.A, comments[1]), (world.B, comments[0]) })
        {
            Assert.Equal(5, rater.Received.Count);
            foreach (var (method, argument) in rater.Received)
            {
                var json = argument.GetRawText();
                Assert.DoesNotContain(models, json.Contains);
                Assert.DoesNotContain(slugs, json.Contains);
                Assert.DoesNotContain(other, json);
                Assert.DoesNotContain("raterId", json);
                Assert.Equal("StudyStateChanged", method);
            }
        }
    }
}
