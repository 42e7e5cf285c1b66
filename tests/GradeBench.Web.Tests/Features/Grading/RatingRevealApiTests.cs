using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using AngleSharp.Html.Parser;
using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Calibration;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The field report of issue 16 through the real server: a rater who has been shown colleagues' scores for a
/// response (its adjudication page, a calibration reveal) cannot change their independent rating of it afterwards.</summary>
public sealed class RatingRevealApiTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    IServiceProvider Services => factory.Services;

    async Task<HttpClient> BearerClientAsync(long userId)
    {
        var client = factory.CreateBrowserClient();
        var token = await Services.GetRequiredService<ApiTokenStore>().CreateAsync(userId, "test");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static Task<HttpResponseMessage> PutAsync(HttpClient client, long studyId, string response, string json) =>
        client.PutAsync($"/api/studies/{studyId}/responses/{response}/rating", new StringContent(json, Encoding.UTF8, "application/json"));

    async Task<string?> StoredAsync(long studyId, string rater, string response, string criterion)
    {
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("""
            SELECT g.value FROM ratings g JOIN criteria c ON c.id = g.criterion_id JOIN study_members m ON m.user_id = g.rater_id AND m.study_id = @StudyId JOIN users u ON u.id = g.rater_id
            JOIN responses r ON r.id = g.response_id
            WHERE r.study_id = @StudyId AND c.study_id = @StudyId AND u.display_name = @Rater AND r.slug = @Response AND c.slug = @Criterion
            """, new { StudyId = studyId, Rater = rater, Response = response, Criterion = criterion });
    }

    /// <summary>The handle of the response, which names it in rater-facing addresses (its adjudication item included).</summary>
    async Task<string> HandleAsync(long studyId, string slug)
    {
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        return await connection.QuerySingleAsync<string>("""
            SELECT r.handle FROM adjudication_items i JOIN responses r ON r.id = i.response_id WHERE r.study_id = @StudyId AND r.slug = @Slug
            """, new { StudyId = studyId, Slug = slug });
    }

    async Task<long> ResponseIdAsync(long studyId, string handle)
    {
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        return await connection.QuerySingleAsync<long>(
            "SELECT id FROM responses WHERE study_id = @StudyId AND handle = @Handle", new { StudyId = studyId, Handle = handle });
    }

    async Task ChangeStateAsync(long studyId, StudyState to) =>
        Assert.NotNull((await Services.GetRequiredService<StudyRecorder>().ChangeStateAsync(studyId, (await factory.AdministratorAsync()).Id, to)).Changed);

    [Fact]
    public async Task ARaterWhoReadTheAdjudicationItemCannotTurnTheirFiveIntoAOneAfterTheStudyReopens()
    {
        var scene = new AdjudicationScene(factory);
        var studyId = await scene.InAdjudicationAsync();
        // case-003.model-a: overall 5 from rater-1 and rater-2, 4 from rater-4 (ratings.csv).
        var response = await HandleAsync(studyId, "case-003.model-a");
        var reader = await scene.SignInAsync("rater-1");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/studies/{studyId}/adjudication/{response}")).StatusCode);
        await ChangeStateAsync(studyId, StudyState.Open);

        var refused = await PutAsync(await BearerClientAsync(await scene.UserIdAsync("rater-1")), studyId, response, """{"values":{"overall":1}}""");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Contains("seen other raters' scores", problem.Detail);
        Assert.Equal("5", await StoredAsync(studyId, "rater-1", "case-003.model-a", "overall"));
        // rater-2 never opened the item: their rating is still theirs to change.
        var other = await PutAsync(await BearerClientAsync(await scene.UserIdAsync("rater-2")), studyId, response, """{"values":{"overall":1}}""");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("1", await StoredAsync(studyId, "rater-2", "case-003.model-a", "overall"));
    }

    [Fact]
    public async Task TheGradingPageShowsARevealedItemReadOnlyAndSaysWhy()
    {
        var scene = new AdjudicationScene(factory);
        var studyId = await scene.InAdjudicationAsync();
        var response = await HandleAsync(studyId, "case-003.model-a");
        var unread = await HandleAsync(studyId, "case-001.model-b"); // also rated by rater-1, its item never opened
        var rater = await scene.SignInAsync("rater-1");
        await rater.GetStringAsync($"/studies/{studyId}/adjudication/{response}");
        await ChangeStateAsync(studyId, StudyState.Open);

        var frozen = new HtmlParser().ParseDocument(await rater.GetStringAsync($"/studies/{studyId}/grade/{response}"));
        var free = new HtmlParser().ParseDocument(await rater.GetStringAsync($"/studies/{studyId}/grade/{unread}"));

        const string Note = "You have seen other raters' scores for this answer, so your independent rating is final.";
        Assert.Contains(Note, frozen.Body!.TextContent);
        Assert.True(frozen.QuerySelector("fieldset.rubric-fields")!.HasAttribute("disabled"));
        Assert.DoesNotContain(Note, free.Body!.TextContent);
        Assert.False(free.QuerySelector("fieldset.rubric-fields")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task ARaterWhoSawACalibrationRevealCannotRateThatResponseOnceTheStudyOpens()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var coordinator = await factory.MemberAsync(studyId, "coord", "coordinator");
        var rater = await factory.MemberAsync(studyId, "calibrated");
        await using (var connection = await Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'draft' WHERE id = @StudyId", new { StudyId = studyId });
        var store = Services.GetRequiredService<CalibrationStore>();
        var client = await BearerClientAsync(rater.Id);
        var queue = (await client.GetFromJsonAsync<AssignmentList>($"/api/studies/{studyId}/assignments"))!.Assignments;
        var (calibrated, other) = (queue[0].Response, queue[1].Response);
        await store.CreateSessionAsync(studyId, coordinator.Id);
        await store.AddItemAsync(studyId, coordinator.Id, await ResponseIdAsync(studyId, calibrated));
        var item = (await Services.GetRequiredService<CalibrationQuery>().ViewAsync(studyId, coordinator.Id))!.Session!.Items[0].Id;
        Assert.True((await store.StartRoundAsync(studyId, coordinator.Id, item, [rater.Id])).Succeeded);
        Assert.True((await store.SubmitAsync(studyId, rater.Id, item, DemoRatings.Complete())).Succeeded); // the last submission reveals
        await store.EndSessionAsync(studyId, coordinator.Id);
        await ChangeStateAsync(studyId, StudyState.Open);
        var rating = System.Text.Json.JsonSerializer.Serialize(new { values = DemoRatings.Complete() });

        var refused = await PutAsync(client, studyId, calibrated, rating);
        var allowed = await PutAsync(client, studyId, other, rating);

        // The calibrated response went to a rater who has not seen the spread: no longer this rater's to rate.
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.OK), (refused.StatusCode, allowed.StatusCode));
        var after = (await client.GetFromJsonAsync<AssignmentList>($"/api/studies/{studyId}/assignments"))!.Assignments;
        Assert.DoesNotContain(after, a => a.Response == calibrated);
    }

    sealed record AssignmentList(IReadOnlyList<AssignmentRow> Assignments);

    sealed record AssignmentRow(string Response);
}
