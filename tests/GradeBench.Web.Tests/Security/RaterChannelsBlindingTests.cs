using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Calibration;
using GradeBench.Storage.Grading;
using GradeBench.Web.Features.Adjudication;
using GradeBench.Web.Features.Calibration;
using GradeBench.Web.Features.Flags;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Tests.Features.Live;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Security;

/// <summary>Blinding over every channel (issue 16): one rater of the blinded demo study goes through its whole life on a
/// real server (grading, a flag and its reply, a calibration round and its reveal, adjudication with a discussion and a
/// consensus), keeping every page, API answer, hub answer and live event they receive. None of it names a model, holds
/// a response's database id or slug, or a hash of one; every response it names is named by its handle.</summary>
public sealed partial class RaterChannelsBlindingTests(LiveServer server) : IClassFixture<LiveServer>
{
    IServiceProvider Services => server.Services;

    [Fact]
    public async Task NothingARaterReceivesInTheStudysWholeLifeNamesAModelOrADatabaseId()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var (responses, slug) = await ResponsesAsync(studyId);
        var coordinator = await server.UserAsync(studyId, "channels-coord", "coordinator");
        var rater = await PilotRaterAsync(slug, "rater-1");
        var received = new StringBuilder();
        var pages = new List<string>();
        await using var listener = await server.ListenerAsync(rater);
        await listener.Connection.StartAsync();
        received.AppendLine((await listener.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId)).GetRawText());
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = await server.SignInAsync(rater) }) { BaseAddress = server.Address };
        using var api = await server.BearerClientAsync(rater);
        async Task PageAsync(string path) => pages.Add(await browser.GetStringAsync(path));

        // Grading: home, queue, every assigned item's page, the API's list, a flag with the coordinator's reply.
        var assignments = await api.GetStringAsync($"/api/studies/{studyId}/assignments");
        received.AppendLine(assignments);
        var mine = JsonDocument.Parse(assignments).RootElement.GetProperty("assignments").EnumerateArray()
            .Select(a => a.GetProperty("response").GetString()!).ToList();
        Assert.NotEmpty(mine);
        await PageAsync("/");
        await PageAsync($"/studies/{studyId}/grade");
        foreach (var handle in mine) await PageAsync($"/studies/{studyId}/grade/{handle}");
        var flagged = responses.Single(r => r.Handle == mine[0]).Id;
        Assert.True(await Services.GetRequiredService<FlagRecorder>().AddAsync(studyId, rater.Id, flagged, "Is this dose right?"));
        var flagId = (await listener.NextAsync("FlagChanged")).GetProperty("flagId").GetInt64();
        Assert.True((await Services.GetRequiredService<FlagRecorder>().ReplyAsync(studyId, flagId, coordinator.Id, "Yes, see the label.")).Outcome == FlagOutcome.Done);
        await listener.NextAsync("FlagChanged", e => e.GetProperty("change").GetString() == "replied");
        await PageAsync($"/studies/{studyId}/grade/{mine[0]}");

        // Calibration in the draft study: the round's page before and after the reveal, the hub's answer to a submission.
        await using (var connection = await Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'draft' WHERE id = @StudyId", new { StudyId = studyId });
        var calibration = Services.GetRequiredService<CalibrationRecorder>();
        Assert.True((await calibration.CreateSessionAsync(studyId, coordinator.Id)).Succeeded);
        Assert.True((await calibration.AddItemAsync(studyId, coordinator.Id, responses.First(r => !mine.Contains(r.Handle)).Id)).Succeeded);
        var item = (await Services.GetRequiredService<CalibrationQuery>().ViewAsync(studyId, coordinator.Id))!.Session!.Items[0].Id;
        Assert.True((await calibration.StartRoundAsync(studyId, coordinator.Id, item)).Succeeded);
        await PageAsync($"/studies/{studyId}/calibration");
        received.AppendLine((await listener.Connection.InvokeAsync<JsonElement>("SubmitCalibration", studyId, item, DemoRatings.Complete())).GetRawText());
        await listener.NextAsync("CalibrationChanged", e => e.GetProperty("phase").GetString() == CalibrationPhase.Revealed);
        await PageAsync($"/studies/{studyId}/calibration");
        Assert.True((await calibration.EndSessionAsync(studyId, coordinator.Id)).Succeeded);

        // Adjudication: the queue, each of the rater's items, a message through the hub, the coordinator's consensus.
        var lifecycle = Services.GetRequiredService<StudyRecorder>();
        Assert.NotNull((await lifecycle.ChangeStateAsync(studyId, coordinator.Id, StudyState.Open)).Changed);
        Assert.NotNull((await lifecycle.ChangeStateAsync(studyId, coordinator.Id, StudyState.Adjudication)).Changed);
        await listener.NextAsync("StudyStateChanged", e => e.GetProperty("state").GetString() == "adjudication");
        await PageAsync($"/studies/{studyId}/adjudication");
        var items = new HtmlParser().ParseDocument(pages[^1]).QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!)
            .Where(h => h.StartsWith($"/studies/{studyId}/adjudication/", StringComparison.Ordinal)).Distinct().ToList();
        Assert.NotEmpty(items);
        foreach (var path in items) await PageAsync(path);
        var discussed = items[0].Split('/')[^1];
        received.AppendLine((await listener.Connection.InvokeAsync<JsonElement>("PostAdjudicationMessage", studyId, discussed, "I read the CT again.")).GetRawText());
        var itemId = (await Services.GetRequiredService<AdjudicationRecorder>().ItemIdAsync(studyId, discussed))!.Value;
        Assert.Equal(AdjudicationOutcome.Done, (await Services.GetRequiredService<AdjudicationRecorder>()
            .SaveConsensusAsync(studyId, itemId, coordinator.Id, [new ConsensusEntry("overall", "4", "Discussed.")])).Outcome);
        await listener.NextAsync("AdjudicationChanged");
        await PageAsync(items[0]);

        foreach (var (method, argument) in listener.Received) received.Append(method).Append(' ').AppendLine(argument.GetRawText());
        var text = received + string.Join('\n', pages);
        foreach (var model in responses.Select(r => r.Model).Distinct()) Assert.DoesNotContain(model, text, StringComparison.OrdinalIgnoreCase);
        foreach (var response in responses)
        {
            Assert.DoesNotContain(response.Slug, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{slug}/{response.Slug}")))[..16], text);
        }
        var handles = responses.Select(r => r.Handle).ToHashSet();
        var named = ResponseAddress().Matches(string.Join('\n', pages)).Select(m => m.Groups["response"].Value).ToList();
        foreach (var (method, argument) in listener.Received) named.AddRange(ResponseValues(argument));
        named.AddRange(ResponseValues(JsonDocument.Parse(assignments).RootElement));
        Assert.Contains(mine[0], named);
        Assert.All(named, n => Assert.Contains(n, handles));
        Assert.Contains(listener.Received, r => r.Method == "AdjudicationMessagePosted");
        Assert.Contains(listener.Received, r => r.Method == "CalibrationChanged");
    }

    /// <summary>The values of every property whose name mentions a response, at any depth: each must be a handle, so a
    /// database id sent under such a name (<c>responseId</c>) fails the test.</summary>
    static IEnumerable<string> ResponseValues(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.Contains("response", StringComparison.OrdinalIgnoreCase))
                        yield return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    foreach (var inner in ResponseValues(property.Value)) yield return inner;
                }
                break;
            case JsonValueKind.Array:
                foreach (var inner in element.EnumerateArray().SelectMany(ResponseValues)) yield return inner;
                break;
        }
    }

    sealed record StoredResponse(long Id, string Slug, string Model, string Handle);

    async Task<(IReadOnlyList<StoredResponse> Responses, string Slug)> ResponsesAsync(long studyId)
    {
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        var slug = await connection.ExecuteScalarAsync<string>("SELECT slug FROM studies WHERE id = @StudyId", new { StudyId = studyId });
        var responses = await connection.QueryAsync<StoredResponse>(
            "SELECT id AS Id, slug AS Slug, model AS Model, handle AS Handle FROM responses WHERE study_id = @StudyId ORDER BY id", new { StudyId = studyId });
        return (responses.AsList(), slug!);
    }

    /// <summary>The study's pilot rater (an account of that study only), given a password to sign in with.</summary>
    async Task<User> PilotRaterAsync(string slug, string name)
    {
        var users = Services.GetRequiredService<UserStore>();
        var user = (await users.FindByUsernameAsync(PilotRaters.AccountName(slug, name)))!;
        await users.SetPasswordHashAsync(user.Id, Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, LiveServer.Password));
        return user;
    }

    /// <summary>A response named in an address a page links to or posts to.</summary>
    [GeneratedRegex(@"/(?:grade|adjudication|review)/(?<response>[^/?#""'\s]+)")]
    private static partial Regex ResponseAddress();
}
