using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Tests.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

public sealed class GradingApiTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    const string Password = GradeBenchFactory.MemberPassword;

    /// <summary>A user with a password; a rater of the study unless <paramref name="member"/> is false.</summary>
    static Task<User> UserAsync(GradeBenchFactory app, long studyId, string name, bool member = true) =>
        app.MemberAsync(member ? studyId : null, name, withPassword: true);

    static async Task<HttpClient> BearerClientAsync(GradeBenchFactory app, User user)
    {
        var client = app.CreateBrowserClient();
        var token = await app.Services.GetRequiredService<ApiTokenStore>().CreateAsync(user.Id, "test");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static async Task<HttpClient> CookieClientAsync(GradeBenchFactory app, string username, string password)
    {
        var client = app.CreateBrowserClient();
        await SignInTests.PostSignInAsync(client, username, password);
        return client;
    }

    static async Task<long> ResponseAssignedAsync(GradeBenchFactory app, User to, User? notTo = null)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            SELECT MIN(response_id) FROM assignments WHERE rater_id = @To AND completed_at IS NULL
              AND response_id NOT IN (SELECT response_id FROM assignments WHERE rater_id = @NotTo)
            """, new { To = to.Id, NotTo = notTo?.Id ?? 0 });
    }

    static async Task<long> HistoryCountAsync(GradeBenchFactory app, User rater, long responseId)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rating_history h JOIN ratings r ON r.id = h.rating_id
            WHERE r.rater_id = @RaterId AND r.response_id = @ResponseId
            """, new { RaterId = rater.Id, ResponseId = responseId });
    }

    static Task<HttpResponseMessage> PutRatingAsync(HttpClient client, long studyId, string handle, string json) =>
        client.PutAsync($"/api/studies/{studyId}/responses/{handle}/rating", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task EveryCallerGetsTheStatusCodeOfTheAuthorizationMatrix()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var assigned = await UserAsync(factory, studyId, "assigned");
        var otherRater = await UserAsync(factory, studyId, "other");
        var outsider = await UserAsync(factory, studyId, "outsider", member: false);
        var revoked = await UserAsync(factory, studyId, "revoked");
        await factory.SetAdministratorPasswordAsync("correct horse battery");
        // Every account exists before the response is chosen: adding a rater rebalances unstarted work.
        var responseId = await ResponseAssignedAsync(factory, to: assigned, notTo: otherRater);
        var revokedClient = await BearerClientAsync(factory, revoked);
        await factory.Services.GetRequiredService<ApiTokenStore>().RevokeAsync(revoked.Id, label: null);
        var revokedBesideCookie = await CookieClientAsync(factory, assigned.Username, Password);
        revokedBesideCookie.DefaultRequestHeaders.Authorization = revokedClient.DefaultRequestHeaders.Authorization;
        var callers = new (string Name, HttpClient Client)[]
        {
            ("anonymous", factory.CreateBrowserClient()),
            ("bearer of the assigned rater", await BearerClientAsync(factory, assigned)),
            ("cookie of the assigned rater", await CookieClientAsync(factory, assigned.Username, Password)),
            ("bearer of a rater not assigned to it", await BearerClientAsync(factory, otherRater)),
            ("bearer of a non-member", await BearerClientAsync(factory, outsider)),
            ("cookie of the administrator, not a rater", await CookieClientAsync(factory, "admin", "correct horse battery")),
            ("revoked bearer token", revokedClient),
            ("revoked bearer token beside the assigned rater's cookie", revokedBesideCookie),
        };

        var seen = new List<string>();
        foreach (var (name, client) in callers)
        {
            var list = await client.GetAsync($"/api/studies/{studyId}/assignments");
            var put = await PutRatingAsync(client, studyId, await factory.Services.HandleOfAsync(responseId), DemoRatings.Json());
            seen.Add($"{name}: GET {(int)list.StatusCode}, PUT {(int)put.StatusCode}");
            foreach (var answer in new[] { list, put })
                Assert.NotEqual("text/html", answer.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(
        [
            "anonymous: GET 401, PUT 401",
            "bearer of the assigned rater: GET 200, PUT 200",
            "cookie of the assigned rater: GET 200, PUT 200",
            "bearer of a rater not assigned to it: GET 200, PUT 403",
            "bearer of a non-member: GET 403, PUT 403",
            "cookie of the administrator, not a rater: GET 403, PUT 403",
            "revoked bearer token: GET 401, PUT 401",
            "revoked bearer token beside the assigned rater's cookie: GET 401, PUT 401",
        ], seen);
    }

    [Fact]
    public async Task AnAnonymousCallIsToldToSendABearerTokenRatherThanRedirectedToSignIn()
    {
        var response = await factory.CreateBrowserClient().GetAsync($"/api/studies/{await factory.ImportDemoCopyAsync()}/assignments");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task AnApiTokenOpensTheApiButNotThePages()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var client = await BearerClientAsync(factory, await UserAsync(factory, studyId, "scripted"));

        var page = await client.GetAsync($"/studies/{studyId}/grade");
        var notJson = await client.PutAsync($"/api/studies/{studyId}/responses/1/rating", new StringContent("consensus=4"));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin", page.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
    }

    [Fact]
    public async Task AnUnknownStudyIsNotFound()
    {
        var client = await BearerClientAsync(factory, await UserAsync(factory, await factory.ImportDemoCopyAsync(), "lost"));

        var list = await client.GetAsync("/api/studies/999999/assignments");
        var put = await PutRatingAsync(client, 999999, "0000000000000001", DemoRatings.Json());

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (list.StatusCode, put.StatusCode));
        Assert.Equal("application/problem+json", list.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheAssignmentsOfABlindedStudyNameNoModel()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = await UserAsync(factory, studyId, "blind");
        var client = await BearerClientAsync(factory, rater);

        var json = await client.GetStringAsync($"/api/studies/{studyId}/assignments");

        Assert.DoesNotContain("model-", json, StringComparison.OrdinalIgnoreCase);
        using var document = JsonDocument.Parse(json);
        var assignments = document.RootElement.GetProperty("assignments");
        Assert.NotEqual(0, assignments.GetArrayLength());
        var first = assignments[0];
        Assert.False(first.TryGetProperty("model", out _));
        Assert.NotEmpty(first.GetProperty("contentMd").GetString()!);
        Assert.NotEmpty(first.GetProperty("case").GetProperty("questionMd").GetString()!);
        Assert.False(first.GetProperty("done").GetBoolean());
        Assert.Contains(document.RootElement.GetProperty("criteria").EnumerateArray(), c => c.GetProperty("id").GetString() == "consensus");
    }

    [Fact]
    public async Task BadValuesAreRefusedWithOneMessagePerFieldAndNothingIsStored()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = await UserAsync(factory, studyId, "sloppy");
        var responseId = await ResponseAssignedAsync(factory, rater);
        var client = await BearerClientAsync(factory, rater);

        var response = await PutRatingAsync(client, studyId, await factory.Services.HandleOfAsync(responseId), """
            {"values": {"consensus": 9, "reasoning": 3.5, "completeness": "maybe", "hallucination": "yes", "overall": [4], "nope": 1}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Single().GetString());
        Assert.Equal(
            ["completeness", "consensus", "hallucination", "harm_extent", "harm_likelihood", "incorrect_content", "nope", "overall", "reasoning"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("9 is outside the scale 1..5", errors["consensus"]);
        Assert.Equal("\"3.5\" is not an integer", errors["reasoning"]);
        Assert.Equal("required", errors["harm_extent"]);
        Assert.Equal("unknown criterion", errors["nope"]);
        Assert.Equal(0, await HistoryCountAsync(factory, rater, responseId));
    }

    [Fact]
    public async Task AnOversizedCommentIsRefusedAndNothingIsStored()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = await UserAsync(factory, studyId, "verbose");
        var responseId = await ResponseAssignedAsync(factory, rater);
        var client = await BearerClientAsync(factory, rater);

        var response = await PutRatingAsync(client, studyId, await factory.Services.HandleOfAsync(responseId), DemoRatings.Json(new string('x', 10_001)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("longer than 10000 characters", problem.GetProperty("errors").GetProperty("comment")[0].GetString());
        Assert.Equal(0, await HistoryCountAsync(factory, rater, responseId));
    }

    [Fact]
    public async Task ASubmittedRatingIsStoredInCanonicalFormWithTheCommentAndRepeatingItChangesNothing()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = await UserAsync(factory, studyId, "steady");
        var responseId = await ResponseAssignedAsync(factory, rater);
        var client = await BearerClientAsync(factory, rater);

        var first = await PutRatingAsync(client, studyId, await factory.Services.HandleOfAsync(responseId), DemoRatings.Json());
        var historyAfterFirst = await HistoryCountAsync(factory, rater, responseId);
        var second = await PutRatingAsync(client, studyId, await factory.Services.HandleOfAsync(responseId), DemoRatings.Json());

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(9, historyAfterFirst);
        Assert.Equal(historyAfterFirst, await HistoryCountAsync(factory, rater, responseId));
        var saved = await second.Content.ReadFromJsonAsync<JsonElement>();
        var values = saved.GetProperty("values");
        Assert.True(saved.GetProperty("done").GetBoolean());
        Assert.Equal(("4", "4", "false", "Clear and correct."), (values.GetProperty("consensus").GetString(), values.GetProperty("overall").GetString(),
            values.GetProperty("hallucination").GetString(), values.GetProperty("comment").GetString()));
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/studies/{studyId}/assignments");
        var handle = await factory.Services.HandleOfAsync(responseId);
        Assert.Contains(list.GetProperty("assignments").EnumerateArray(),
            a => a.GetProperty("response").GetString() == handle && a.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task RatingAClosedStudyIsAConflict()
    {
        // A database of its own: closing the shared study would change the other tests' answers.
        await using var app = new GradeBenchFactory();
        var studyId = await app.DemoStudyIdAsync();
        var rater = await UserAsync(app, studyId, "late");
        var responseId = await ResponseAssignedAsync(app, rater);
        var client = await BearerClientAsync(app, rater);
        await using (var connection = await app.Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'closed' WHERE id = @StudyId", new { StudyId = studyId });

        var response = await PutRatingAsync(client, studyId, await app.Services.HandleOfAsync(responseId), DemoRatings.Json());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(0, await HistoryCountAsync(app, rater, responseId));
    }

    [Fact]
    public async Task TheOpenApiDocumentIsPublicAndListsEveryApiEndpointWithItsSummary()
    {
        var response = await factory.CreateBrowserClient().GetAsync("/openapi/v1.json");
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(json).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["/api/studies/{id}/assignments", "/api/studies/{id}/export/{kind}", "/api/studies/{id}/pairs", "/api/studies/{id}/pairs/{pair}/vote",
            "/api/studies/{id}/responses/{response}/rating"], paths.Order(StringComparer.Ordinal));
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Name: $"{o.Name.ToUpperInvariant()} {p.Name}", Operation: o.Value))).ToList();
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null), o.Name));
        var vote = operations.Single(o => o.Name == "PUT /api/studies/{id}/pairs/{pair}/vote").Operation;
        Assert.Equal(["200", "400", "401", "403", "404", "409"], vote.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        // Reasons and comment may be left out of a vote (the stored ones stay); the votes may not.
        var voteRequest = document.GetProperty("components").GetProperty("schemas").GetProperty("ApiVoteRequest");
        Assert.Equal(["votes"], voteRequest.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }
}
