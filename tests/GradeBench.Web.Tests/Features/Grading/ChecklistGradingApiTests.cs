using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>A response whose case has a checklist, through the JSON API and the grading page's session: the item carries
/// the checklist, and a rating is submitted with a mark of each of its criteria beside the rubric's values.</summary>
public sealed class ChecklistGradingApiTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>, IDisposable
{
    readonly TempFolder _temp = new();
    readonly GradingSessionScene _scene = new(factory);

    public void Dispose() => _temp.Dispose();

    /// <summary>A copy of the demo with checklists (<see cref="DemoChecklist"/>) under an id of its own, a new rater of it,
    /// and a response of case-009 (which has a checklist) assigned to them.</summary>
    async Task<(long StudyId, User Rater, string Handle)> WorldAsync()
    {
        var bundle = BundleReader.Read(DemoChecklist.Write(Path.Combine(_temp.Path, "bundle"))).Bundle!;
        var copy = bundle with { Study = bundle.Study with { Id = "checklist-" + Guid.NewGuid().ToString("N") } };
        var studyId = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(copy, [])).StudyId!.Value;
        var rater = await factory.MemberAsync(studyId, GradeBenchFactory.UniqueName("marker"), withPassword: true);
        await using var connection = await factory.Services.GetRequiredService<Database>().OpenAsync();
        var handle = await connection.ExecuteScalarAsync<string>("""
            SELECT r.handle FROM assignments a JOIN responses r ON r.id = a.response_id JOIN cases c ON c.id = r.case_id
            WHERE a.rater_id = @Rater AND c.slug = 'case-009' ORDER BY r.id LIMIT 1
            """, new { Rater = rater.Id });
        return (studyId, rater, handle!);
    }

    async Task<HttpClient> BearerClientAsync(User user)
    {
        var client = factory.CreateBrowserClient();
        var token = await factory.Services.GetRequiredService<ApiTokenStore>().CreateAsync(user.Id, "test");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static Task<HttpResponseMessage> PutAsync(HttpClient client, long studyId, string handle, string marks) =>
        client.PutAsync($"/api/studies/{studyId}/responses/{handle}/rating", new StringContent($$$"""
            {"values": {"consensus": 4, "reasoning": 4, "completeness": "none", "incorrect_content": "none",
                        "harm_extent": "none", "harm_likelihood": "low", "hallucination": false, "overall": 4{{{marks}}}}}
            """, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task AnAssignmentCarriesItsCasesChecklistAndOnlyThoseWithOne()
    {
        var (studyId, rater, handle) = await WorldAsync();
        var client = await BearerClientAsync(rater);

        var list = await client.GetFromJsonAsync<JsonElement>($"/api/studies/{studyId}/assignments");

        var assignments = list.GetProperty("assignments").EnumerateArray().ToList();
        var checklist = assignments.Single(a => a.GetProperty("response").GetString() == handle).GetProperty("checklist");
        Assert.Equal(["abcd2-score", "urgent-imaging", "dual-antiplatelet", "home-untreated"], checklist.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("Starts aspirin and clopidogrel for 21 days", checklist[2].GetProperty("textMd").GetString());
        Assert.Equal(-6, checklist[3].GetProperty("points").GetInt32());
        Assert.Equal("axis:safety", checklist[3].GetProperty("tags")[0].GetString());
        Assert.Contains(assignments, a => !a.TryGetProperty("checklist", out _));
    }

    [Fact]
    public async Task ARatingIsSubmittedWithAMarkOfEveryCriterionOfItsCaseAndNoOtherCases()
    {
        var (studyId, rater, handle) = await WorldAsync();
        var client = await BearerClientAsync(rater);

        var withoutMarks = await PutAsync(client, studyId, handle, "");
        var otherCase = await PutAsync(client, studyId, handle, """, "abcd2-score": true, "urgent-imaging": true, "dual-antiplatelet": "false", "home-untreated": false, "bp-below-185": true""");
        var marked = await PutAsync(client, studyId, handle, """, "abcd2-score": true, "urgent-imaging": true, "dual-antiplatelet": "false", "home-untreated": false""");

        Assert.Equal(HttpStatusCode.BadRequest, withoutMarks.StatusCode);
        var errors = (await withoutMarks.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["abcd2-score", "dual-antiplatelet", "home-untreated", "urgent-imaging"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("required", errors.GetProperty("abcd2-score")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, otherCase.StatusCode);
        Assert.Equal("unknown criterion", (await otherCase.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("bp-below-185")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        var saved = await marked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(saved.GetProperty("done").GetBoolean());
        Assert.Equal(("true", "false"), (saved.GetProperty("values").GetProperty("abcd2-score").GetString(), saved.GetProperty("values").GetProperty("home-untreated").GetString()));
    }

    [Fact]
    public async Task TheGradingPageShowsTheChecklistBesideTheRubricAndSubmitsItsMarks()
    {
        var (studyId, rater, handle) = await WorldAsync();
        var (session, _) = await _scene.OpenAsync(new World(studyId, rater.Id), handle);

        var checklist = session.Criteria.Skip(9).ToList();
        await GradingSessionScene.ChooseAllAsync(session);
        foreach (var criterion in checklist) await session.ChooseAsync(criterion, "true");
        await session.SubmitAsync(handle);

        Assert.Equal(["abcd2-score", "urgent-imaging", "dual-antiplatelet", "home-untreated"], checklist.Select(c => c.Id));
        Assert.Equal(session.Criteria.Take(9), session.Rubric);
        Assert.Equal(["abcd2-score", "urgent-imaging", "dual-antiplatelet", "home-untreated"], session.Item!.Checklist.Select(c => c.Id));
        Assert.Equal("Starts aspirin and clopidogrel for 21 days", checklist[2].Label);
        Assert.True((await _scene.StoredAsync(new World(studyId, rater.Id), handle))!.Done);
    }
}
