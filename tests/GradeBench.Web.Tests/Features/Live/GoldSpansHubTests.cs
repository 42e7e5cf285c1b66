using System.Text.Json;
using GradeBench.Core.Notes;
using GradeBench.Storage.Notes;
using GradeBench.Web.Features.Adjudication;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Live;

/// <summary>The gold set's changes over the real hub (Kestrel, real <see cref="HubConnection"/>s): a coordinator's decision
/// on a note and an upload of gold-spans.csv reach every coordinator of the study, and no rater.</summary>
public sealed class GoldSpansHubTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task GoldDecisionsAndImportsReachTheStudysCoordinatorsAndNoRater()
    {
        var scene = await server.NoteSceneAsync();
        var second = await server.UserAsync(scene.StudyId, "coord-two", "coordinator");
        await using var coordinator = await server.ListenerAsync(scene.Coordinator);
        await using var other = await server.ListenerAsync(second);
        await using var rater = await server.ListenerAsync(scene.Li);
        foreach (var listener in new[] { coordinator, other, rater })
        {
            await listener.Connection.StartAsync();
            await listener.Connection.InvokeAsync<JsonElement>("JoinStudy", scene.StudyId);
        }
        var recorder = server.Services.GetRequiredService<GoldSpanRecorder>();
        var document = (await server.Services.GetRequiredService<GoldSpanStore>().DocumentAsync(scene.StudyId, DemoNotes.AstralCase, scene.Coordinator.Id))!;
        var agreed = document.Groups.Single(g => g.Kind == SpanGroupKind.Agreed);

        Assert.Equal(GoldSpanOutcome.Done, await recorder.AcceptAsync(scene.StudyId, DemoNotes.AstralCase, scene.Coordinator.Id, agreed.Key, null));

        foreach (var listener in new[] { coordinator, other })
        {
            var decided = await listener.NextAsync("GoldSpansChanged");
            Assert.Equal((scene.StudyId, DemoNotes.AstralCase, "decided", scene.Coordinator.Id),
                (decided.GetProperty("studyId").GetInt64(), decided.GetProperty("case").GetString(), decided.GetProperty("change").GetString(),
                 decided.GetProperty("byUserId").GetInt64()));
        }

        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "gold-spans.csv");
        await File.WriteAllTextAsync(path, string.Join(',', GoldSpansCsv.Columns) + "\n");
        var upload = await recorder.ImportAsync(scene.StudyId, second.Id, path, "gold-spans.csv");

        Assert.Equal(new GoldUpload(0, null), upload);
        var imported = await coordinator.NextAsync("GoldSpansChanged", e => e.GetProperty("change").GetString() == "imported");
        Assert.Equal(JsonValueKind.Null, imported.GetProperty("case").ValueKind);
        // Events reach each connection in the order they were published: once the rater hears of a later event meant for
        // everyone, anything about the gold set would have arrived already.
        server.Services.GetRequiredService<StudyEvents>().Publish(new StudyStateChanged(scene.StudyId, "adjudication", false, DateTimeOffset.UtcNow));
        await rater.NextAsync("StudyStateChanged");
        Assert.DoesNotContain(rater.Received, m => m.Method == "GoldSpansChanged");
    }
}
