using AngleSharp.Html.Parser;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Calibration;
using GradeBench.Web.Features.Calibration;
using GradeBench.Web.Hosting;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Calibration;

/// <summary>The calibration page in the pseudo-locale holds no interface text that did not come through a localizer,
/// for the coordinator and a rater in every phase of a session and after the study has left draft; and it speaks
/// Chinese. Set up as in <see cref="CalibrationTests"/>: the demo study a draft again, a coordinator and two raters.</summary>
public sealed class CalibrationLanguageTests : IAsyncLifetime
{
    readonly GradeBenchFactory _factory = new() { Languages = [Languages.English, Languages.Pseudo, Languages.Chinese] };
    long _studyId;
    User _coordinator = default!, _rater1 = default!, _rater2 = default!;

    IServiceProvider Services => _factory.Services;

    public async Task InitializeAsync()
    {
        _studyId = await _factory.DemoStudyIdAsync();
        _coordinator = await _factory.MemberAsync(_studyId, "coord", "coordinator", withPassword: true);
        _rater1 = await _factory.MemberAsync(_studyId, "dr-one", "rater", withPassword: true);
        _rater2 = await _factory.MemberAsync(_studyId, "dr-two", "rater", withPassword: true);
        await SetStateAsync("draft");
    }

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    async Task SetStateAsync(string state)
    {
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        await connection.ExecuteAsync("UPDATE studies SET state = @State WHERE id = @StudyId", new { State = state, StudyId = _studyId });
    }

    async Task<HttpClient> ClientAsync(User user, string language)
    {
        var client = await _factory.SignedInClientAsync(user);
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        return client;
    }

    async Task AssertLocalizedAsync(HttpClient client, string phase)
    {
        var html = await client.GetStringAsync($"/studies/{_studyId}/calibration");
        // The rater's rubric is the grading page's RubricForm, localized and tested with it.
        var unmarked = AdjudicationLanguageTests.UnmarkedOnPage(html, "form.rubric fieldset");
        Assert.True(unmarked.Count == 0, $"{phase}: {string.Join(" | ", unmarked)}");
    }

    [Fact]
    public async Task TheCalibrationPageIsLocalizedForTheCoordinatorAndARaterInEveryPhase()
    {
        var coordinator = await ClientAsync(_coordinator, Languages.Pseudo);
        var rater = await ClientAsync(_rater1, Languages.Pseudo);
        var store = Services.GetRequiredService<CalibrationStore>();
        var query = Services.GetRequiredService<CalibrationQuery>();
        await AssertLocalizedAsync(coordinator, "no session");
        await AssertLocalizedAsync(rater, "no session");

        await store.CreateSessionAsync(_studyId, _coordinator.Id);
        var response = (await query.ResponsesAsync(_studyId, _coordinator.Id))![0].Id;
        await store.AddItemAsync(_studyId, _coordinator.Id, response);
        var item = (await query.ViewAsync(_studyId, _coordinator.Id))!.Session!.Items[0].Id;
        await store.SetGoldAsync(_studyId, _coordinator.Id, item, new Dictionary<string, string?> { ["consensus"] = "4", ["harm_extent"] = "none" });
        await AssertLocalizedAsync(coordinator, "setup");
        await AssertLocalizedAsync(rater, "setup");

        Assert.True((await store.StartRoundAsync(_studyId, _coordinator.Id, item, [_rater1.Id, _rater2.Id])).Succeeded);
        await Services.GetRequiredService<CalibrationRecorder>().SubmitAsync(_studyId, _rater2.Id, item, DemoRatings.Complete(("consensus", "3")));
        await AssertLocalizedAsync(coordinator, "rating");
        await AssertLocalizedAsync(rater, "rating");

        await Services.GetRequiredService<CalibrationRecorder>().SubmitAsync(_studyId, _rater1.Id, item, DemoRatings.Complete());
        Assert.Equal(CalibrationPhase.Revealed, (await query.ViewAsync(_studyId, _coordinator.Id))!.Session!.Phase);
        await AssertLocalizedAsync(coordinator, "revealed");
        await AssertLocalizedAsync(rater, "revealed");

        await store.EndSessionAsync(_studyId, _coordinator.Id);
        await AssertLocalizedAsync(coordinator, "ended");
        await AssertLocalizedAsync(rater, "ended");

        await SetStateAsync("open");
        await AssertLocalizedAsync(coordinator, "open study");
        await AssertLocalizedAsync(rater, "open study");
    }

    [Fact]
    public async Task TheCalibrationPageSpeaksChinese()
    {
        var rater = await ClientAsync(_rater1, Languages.Chinese);

        var page = new HtmlParser().ParseDocument(await rater.GetStringAsync($"/studies/{_studyId}/calibration"));

        Assert.Equal("正在等待研究协调员开始一个校准轮次。", page.QuerySelector("p.calibration-waiting")!.TextContent.Trim());
        Assert.Equal("校准", page.QuerySelector("main h1")!.TextContent.Trim());
    }

    /// <summary>In a revealed round a Chinese rater reads the rubric's Chinese (the demo gives it), as on their form, and
    /// a yes/no criterion's values are words of the interface, not the rubric's English.</summary>
    [Fact]
    public async Task YesAndNoInARevealedRoundAreChinese()
    {
        var store = Services.GetRequiredService<CalibrationStore>();
        var query = Services.GetRequiredService<CalibrationQuery>();
        await store.CreateSessionAsync(_studyId, _coordinator.Id);
        await store.AddItemAsync(_studyId, _coordinator.Id, (await query.ResponsesAsync(_studyId, _coordinator.Id))![0].Id);
        var item = (await query.ViewAsync(_studyId, _coordinator.Id))!.Session!.Items[0].Id;
        await store.SetGoldAsync(_studyId, _coordinator.Id, item, new Dictionary<string, string?> { ["hallucination"] = "true" });
        Assert.True((await store.StartRoundAsync(_studyId, _coordinator.Id, item, [_rater1.Id, _rater2.Id])).Succeeded);
        var recorder = Services.GetRequiredService<CalibrationRecorder>();
        await recorder.SubmitAsync(_studyId, _rater1.Id, item, DemoRatings.Complete());
        await recorder.SubmitAsync(_studyId, _rater2.Id, item, DemoRatings.Complete());

        var page = new HtmlParser().ParseDocument(await (await ClientAsync(_rater1, Languages.Chinese)).GetStringAsync($"/studies/{_studyId}/calibration"));

        var spread = page.QuerySelectorAll("table.calibration-table").Single(t => t.QuerySelector("caption")?.TextContent.Contains("幻觉") == true);
        Assert.Equal(["是", "否"], spread.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent.Trim()[..1]));
        Assert.Null(spread.QuerySelector("tbody [lang]"));
        Assert.Equal("zh-CN", spread.QuerySelector("caption span")!.GetAttribute("lang"));
        var distance = page.QuerySelectorAll("table.calibration-table").Last().QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("幻觉"));
        Assert.Equal(["否", "是"], distance.QuerySelectorAll("td").Take(2).Select(td => td.TextContent.Trim()));
    }
}
