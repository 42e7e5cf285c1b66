using System.Text.Json;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Calibration;
using GradeBench.Web.Features.Calibration;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Calibration;

/// <summary>The calibration page and hub methods over the real app, each test with a database of its own in which
/// the demo study is a draft again, with a coordinator and two raters.</summary>
public sealed class CalibrationTests : IAsyncLifetime
{
    readonly GradeBenchFactory _factory = new();
    long _studyId;
    User _coordinator = default!, _rater1 = default!, _rater2 = default!;

    IServiceProvider Services => _factory.Services;

    public async Task InitializeAsync()
    {
        _studyId = await _factory.DemoStudyIdAsync();
        _coordinator = await MemberAsync("coord", "coordinator");
        _rater1 = await MemberAsync("dr-one", "rater");
        _rater2 = await MemberAsync("dr-two", "rater");
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        await connection.ExecuteAsync("UPDATE studies SET state = 'draft' WHERE id = @StudyId", new { StudyId = _studyId });
    }

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    Task<User> MemberAsync(string name, string role) => _factory.MemberAsync(_studyId, name, role, withPassword: true);

    /// <summary>A session with one item whose round waits for both raters.</summary>
    async Task<long> OpenRoundAsync()
    {
        var store = Services.GetRequiredService<CalibrationStore>();
        var query = Services.GetRequiredService<CalibrationQuery>();
        await store.CreateSessionAsync(_studyId, _coordinator.Id);
        var response = (await query.ResponsesAsync(_studyId, _coordinator.Id))![0].Id;
        await store.AddItemAsync(_studyId, _coordinator.Id, response);
        var item = (await query.ViewAsync(_studyId, _coordinator.Id))!.Session!.Items[0].Id;
        Assert.True((await store.StartRoundAsync(_studyId, _coordinator.Id, item, [_rater1.Id, _rater2.Id])).Succeeded);
        return item;
    }

    StudyHub HubFor(User user) => HubCaller.HubAs(Services, user);

    Task<HttpClient> SignedInAsync(User user) => _factory.SignedInClientAsync(user);

    [Fact]
    public async Task OnlyACoordinatorRevealsThroughTheHub()
    {
        await OpenRoundAsync();
        var calibration = Services.GetRequiredService<CalibrationRecorder>();

        await Assert.ThrowsAsync<HubException>(() => HubFor(_rater1).RevealCalibration(_studyId, calibration));
        Assert.Equal(CalibrationPhase.Rating, (await Services.GetRequiredService<CalibrationQuery>().ViewAsync(_studyId, _coordinator.Id))!.Session!.Phase);

        var revealed = await HubFor(_coordinator).RevealCalibration(_studyId, calibration);

        Assert.Equal(CalibrationPhase.Revealed, revealed.Phase);
    }

    [Fact]
    public async Task OnlyRatersOfTheStudySubmitThroughTheHubAndTheLastSubmissionReveals()
    {
        var item = await OpenRoundAsync();
        var calibration = Services.GetRequiredService<CalibrationRecorder>();
        var outsider = (await Services.GetRequiredService<UserStore>().CreateAsync("outsider", "Outsider", isAdmin: false))!;

        await Assert.ThrowsAsync<HubException>(() => HubFor(_coordinator).SubmitCalibration(_studyId, item, DemoRatings.Complete(), calibration));
        await Assert.ThrowsAsync<HubException>(() => HubFor(outsider).SubmitCalibration(_studyId, item, DemoRatings.Complete(), calibration));
        var invalid = await Assert.ThrowsAsync<HubException>(() => HubFor(_rater1).SubmitCalibration(_studyId, item, new() { ["consensus"] = "9" }, calibration));
        Assert.Contains("consensus", invalid.Message);

        var first = await HubFor(_rater1).SubmitCalibration(_studyId, item, DemoRatings.Complete(), calibration);
        var last = await HubFor(_rater2).SubmitCalibration(_studyId, item, DemoRatings.Complete(), calibration);

        Assert.Equal((CalibrationPhase.Rating, 1L, 2L), (first.Phase, first.Submitted, first.Expected));
        Assert.Equal(CalibrationPhase.Revealed, last.Phase);
    }

    [Fact]
    public async Task RatersHearOfASubmissionAsCountsOnly()
    {
        var item = await OpenRoundAsync();
        var heard = new TaskCompletionSource<StudyEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = Services.GetRequiredService<StudyEvents>().Subscribe(_studyId, _rater2.Id, isCoordinator: false, e =>
        {
            if (e is CalibrationChanged) heard.TrySetResult(e);
            return Task.CompletedTask;
        });

        await Services.GetRequiredService<CalibrationRecorder>().SubmitAsync(_studyId, _rater1.Id, item, DemoRatings.Complete());

        var message = JsonSerializer.SerializeToElement((CalibrationChanged)await heard.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["Expected", "ItemId", "Phase", "SessionId", "StudyId", "Submitted"], message.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal((1, 2), (message.GetProperty("Submitted").GetInt32(), message.GetProperty("Expected").GetInt32()));
    }

    [Fact]
    public async Task ARaterWaitsForTheCoordinatorAndThenSeesTheItemWithoutItsModel()
    {
        var client = await SignedInAsync(_rater1);
        Assert.Contains("Waiting for the coordinator to start a round.", await client.GetStringAsync($"/studies/{_studyId}/calibration"));

        await OpenRoundAsync();
        var html = await client.GetStringAsync($"/studies/{_studyId}/calibration");

        Assert.Contains("Item 1 of 1", html);
        Assert.Contains("role=\"radiogroup\" aria-label=\"Agreement with guideline consensus\"", html);
        Assert.DoesNotContain("model-", html);
        Assert.DoesNotContain("Start round", html);
    }

    [Fact]
    public async Task ARaterOfAnOpenStudyIsToldCalibrationComesBeforeItOpens()
    {
        await using (var connection = await Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'open' WHERE id = @StudyId", new { StudyId = _studyId });
        var client = await SignedInAsync(_rater1);

        var html = await client.GetStringAsync($"/studies/{_studyId}/calibration");

        Assert.Contains("Calibration happens before a study opens; this study is open.", html);
    }

    [Fact]
    public async Task SomeoneWhoIsNotAMemberSeesNothingOfTheCalibration()
    {
        await OpenRoundAsync();
        var stranger = await MemberAsync("stranger", "rater");
        await using (var connection = await Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("DELETE FROM study_members WHERE user_id = @Id", new { stranger.Id });
        var client = await SignedInAsync(stranger);

        var html = await client.GetStringAsync($"/studies/{_studyId}/calibration");

        Assert.Contains("You are not a member of this study.", html);
        Assert.DoesNotContain("radiogroup", html);
        Assert.DoesNotContain("Calibration results", html);
    }

    [Fact]
    public async Task TheCoordinatorSeesHowManyHaveSubmittedButNotWhat()
    {
        var item = await OpenRoundAsync();
        await Services.GetRequiredService<CalibrationRecorder>().SubmitAsync(_studyId, _rater1.Id, item, DemoRatings.Complete());
        var client = await SignedInAsync(_coordinator);

        var html = await client.GetStringAsync($"/studies/{_studyId}/calibration");

        Assert.Contains("1 of 2 submitted", html);
        Assert.Contains("Submitted: Dr dr-one", html);
        Assert.DoesNotContain("Spread of ratings", html);
        Assert.Contains("Calibration results", html);
    }
}
