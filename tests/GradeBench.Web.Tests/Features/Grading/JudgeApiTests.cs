using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>An LLM judge rates through the same JSON API as a physician, with its own token, blinded at least as they are.</summary>
public sealed class JudgeApiTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    /// <summary>A copy of the demo study that shows raters the models (blinding.hide_model false), with a judge on every
    /// response: the study, the judge and a client sending its token.</summary>
    async Task<(long StudyId, Judge Judge, HttpClient Client)> StudyWithJudgeAsync()
    {
        var bundle = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var copy = bundle with { Study = bundle.Study with { Id = "judged-" + Guid.NewGuid().ToString("N"), HideModel = false } };
        var studyId = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(copy, [])).StudyId!.Value;
        var added = await factory.Services.GetRequiredService<JudgeStore>().AddAsync(studyId, new NewJudge("gpt-judge", "gpt-4o", "2024-08-06"));
        var client = factory.CreateBrowserClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", added.Token);
        return (studyId, added.Judge!, client);
    }

    static Task<HttpResponseMessage> PutRatingAsync(HttpClient client, long studyId, string handle, string json) =>
        client.PutAsync($"/api/studies/{studyId}/responses/{handle}/rating", new StringContent(json, Encoding.UTF8, "application/json"));

    static async Task<string> FirstHandleAsync(HttpClient client, long studyId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/studies/{studyId}/assignments")).GetProperty("assignments")[0].GetProperty("response").GetString()!;

    async Task<T> ScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = await factory.Services.GetRequiredService<Database>().OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    [Fact]
    public async Task AJudgeGetsEveryResponseByHandleWithoutTheModelThatRatersOfTheStudySee()
    {
        var (studyId, _, judge) = await StudyWithJudgeAsync();
        var rater = await factory.MemberAsync(studyId, "sighted");
        var raterClient = factory.CreateBrowserClient();
        raterClient.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", await factory.Services.GetRequiredService<ApiTokenStore>().CreateAsync(rater.Id, "test"));

        var json = await judge.GetStringAsync($"/api/studies/{studyId}/assignments");
        var raters = await raterClient.GetStringAsync($"/api/studies/{studyId}/assignments");

        Assert.Contains("\"model\":\"model-", raters);
        using var document = JsonDocument.Parse(json);
        var assignments = document.RootElement.GetProperty("assignments").EnumerateArray().ToList();
        Assert.Equal(60, assignments.Count);
        Assert.All(assignments, a =>
        {
            Assert.False(a.TryGetProperty("model", out _));
            Assert.True(ResponseHandle.TryParse(a.GetProperty("response").GetString(), out _));
        });
        Assert.DoesNotContain("model-", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("case-0", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJudgesRatingIsStoredWithItsExplanationsAndCountsInNoPhysicianFigure()
    {
        var (studyId, judgeAccount, judge) = await StudyWithJudgeAsync();
        var before = await factory.Services.GetRequiredService<DashboardQuery>().CountsAsync(studyId);
        var handle = await FirstHandleAsync(judge, studyId);

        var response = await PutRatingAsync(judge, studyId, handle, """
            {"values": {"consensus": 1, "reasoning": 2, "completeness": "major", "incorrect_content": "major", "harm_extent": "severe-death",
                        "harm_likelihood": "high", "hallucination": true, "overall": 1},
             "explanations": {"consensus": "Recommends alteplase beyond 4.5 h.", "harm_extent": "Thrombolysis despite a contraindication."}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var saved = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Recommends alteplase beyond 4.5 h.", saved.GetProperty("explanations").GetProperty("consensus").GetString());
        Assert.Equal("Thrombolysis despite a contraindication.", await ScalarAsync<string>("""
            SELECT g.comment FROM ratings g JOIN criteria c ON c.id = g.criterion_id JOIN responses r ON r.id = g.response_id
            WHERE g.rater_id = @Judge AND c.slug = 'harm_extent' AND r.handle = @Handle
            """, new { Judge = judgeAccount.UserId, Handle = handle }));
        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM safety_alerts WHERE rater_id = @Judge", new { Judge = judgeAccount.UserId }));
        var after = await factory.Services.GetRequiredService<DashboardQuery>().CountsAsync(studyId);
        Assert.Equal(before.Criteria.Select(c => c.Done), after.Criteria.Select(c => c.Done));
        Assert.Equal(before.Models.Sum(m => m.Done), after.Models.Sum(m => m.Done));
    }

    [Fact]
    public async Task AnExplanationOfNoCriterionOrTooLongIsRefusedAndNothingIsStored()
    {
        var (studyId, judgeAccount, judge) = await StudyWithJudgeAsync();
        var handle = await FirstHandleAsync(judge, studyId);

        var response = await PutRatingAsync(judge, studyId, handle, $$$"""
            {"values": {"consensus": 4, "reasoning": 4, "completeness": "none", "incorrect_content": "none", "harm_extent": "none",
                        "harm_likelihood": "low", "hallucination": false, "overall": 4},
             "explanations": {"nope": "?", "overall": "{{{new string('x', 10_001)}}}"}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("unknown criterion", errors.GetProperty("explanations.nope")[0].GetString());
        Assert.Equal("longer than 10000 characters", errors.GetProperty("explanations.overall")[0].GetString());
        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM ratings WHERE rater_id = @Judge", new { Judge = judgeAccount.UserId }));
    }
}
