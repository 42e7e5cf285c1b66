using System.Text.Json;
using GradeBench.Storage.Adjudication;
using GradeBench.Web.Features.Adjudication;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>The hub method <see cref="StudyHub.PostAdjudicationMessage"/>, called on a hub built from the app's own
/// services with a caller context for the chosen user.</summary>
public sealed class PostAdjudicationMessageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    readonly AdjudicationScene _scene = new(factory);
    IServiceProvider Services => factory.Services;

    async Task<StudyHub> HubForAsync(string username) => HubCaller.HubAs(Services, await _scene.UserAsync(username));

    AdjudicationRecorder Recorder => Services.GetRequiredService<AdjudicationRecorder>();

    [Fact]
    public async Task ARaterOfTheResponsePostsAndTheMessageIsStored()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var itemId = (await _scene.ItemsAsync(studyId, "rater-1", rated: true))[0];
        var hub = await HubForAsync("rater-1");

        var posted = await hub.PostAdjudicationMessage(studyId, await _scene.HandleAsync(itemId), "  I read the dose as 0.9 mg/kg.  ", Recorder);

        Assert.Equal("I read the dose as 0.9 mg/kg.", posted.Body);
        Assert.Equal(await _scene.UserIdAsync("rater-1"), posted.AuthorId);
        var view = await Services.GetRequiredService<AdjudicationStore>().LoadAsync(studyId, itemId, posted.AuthorId);
        Assert.Contains(view!.Messages, m => m.Id > 0 && m.Body == "I read the dose as 0.9 mg/kg.");
    }

    [Fact]
    public async Task TheCoordinatorMayPostOnAnyItem()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var itemId = (await _scene.ItemsAsync(studyId, "rater-1", rated: false))[0];
        var hub = await HubForAsync("admin");

        var posted = await hub.PostAdjudicationMessage(studyId, await _scene.HandleAsync(itemId), "Please both look at the second paragraph.", Recorder);

        Assert.Equal(itemId, posted.ItemId);
    }

    [Fact]
    public async Task ARaterWhoDidNotRateTheResponseIsRefused()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var itemId = (await _scene.ItemsAsync(studyId, "rater-2", rated: false))[0];
        var hub = await HubForAsync("rater-2");

        await Assert.ThrowsAsync<HubException>(async () => await hub.PostAdjudicationMessage(studyId, await _scene.HandleAsync(itemId), "Let me in", Recorder));
    }

    [Fact]
    public async Task SomeoneWhoIsNotAMemberIsRefused()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var nobody = await factory.MemberAsync(null, "dr-nobody");
        var itemId = (await _scene.ItemsAsync(studyId, "rater-1", rated: true))[0];
        var hub = await HubForAsync(nobody.Username);

        var refused = await Assert.ThrowsAsync<HubException>(async () => await hub.PostAdjudicationMessage(studyId, await _scene.HandleAsync(itemId), "Hello", Recorder));
        Assert.Contains("not a member", refused.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task AnEmptyMessageIsRefused(string? body)
    {
        var studyId = await _scene.InAdjudicationAsync();
        var itemId = (await _scene.ItemsAsync(studyId, "rater-1", rated: true))[0];
        var hub = await HubForAsync("rater-1");

        await Assert.ThrowsAsync<HubException>(async () => await hub.PostAdjudicationMessage(studyId, await _scene.HandleAsync(itemId), body!, Recorder));
    }

    [Fact]
    public async Task AMessageOfMoreThan4000CharactersIsRefusedAndOneOf4000Accepted()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var itemId = (await _scene.ItemsAsync(studyId, "rater-1", rated: true))[0];
        var hub = await HubForAsync("rater-1");

        await Assert.ThrowsAsync<HubException>(async () => await hub.PostAdjudicationMessage(studyId, await _scene.HandleAsync(itemId), new string('x', 4001), Recorder));
        var posted = await hub.PostAdjudicationMessage(studyId, await _scene.HandleAsync(itemId), new string('y', 4000), Recorder);
        Assert.Equal(4000, posted.Body.Length);
    }

    [Fact]
    public async Task AnItemOfAnotherStudyIsNotFound()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var hub = await HubForAsync("admin");

        await Assert.ThrowsAsync<HubException>(() => hub.PostAdjudicationMessage(studyId, "0000000000000000", "Hello", Recorder));
    }

    [Fact]
    public async Task TheMessageReachesTheRatersOfTheResponseAndNoOtherRaterAndCarriesNoModelName()
    {
        var studyId = await _scene.InAdjudicationAsync();
        var itemId = (await _scene.ItemsAsync(studyId, "rater-1", rated: true))[0];
        var events = Services.GetRequiredService<StudyEvents>();
        var participant = await _scene.UserIdAsync("rater-1");
        // Each demo response has three of the four pilot raters: the fourth did not rate this one.
        var raters = (await Services.GetRequiredService<AdjudicationStore>().LoadAsync(studyId, itemId, (await factory.AdministratorAsync()).Id))!
            .Raters.Select(r => r.RaterId).ToHashSet();
        var bystander = (await Task.WhenAll(new[] { "rater-1", "rater-2", "rater-3", "rater-4" }.Select(_scene.UserIdAsync))).First(id => !raters.Contains(id));
        var heard = new TaskCompletionSource<StudyEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bystanderHeard = new List<StudyEvent>();
        var sentinel = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = events.Subscribe(studyId, participant, isCoordinator: false, e =>
        {
            if (e is AdjudicationMessagePosted) heard.TrySetResult(e);
            return Task.CompletedTask;
        });
        using var notListening = events.Subscribe(studyId, bystander, isCoordinator: false, e =>
        {
            lock (bystanderHeard) bystanderHeard.Add(e);
            if (e is StudyStateChanged { State: "sentinel" }) sentinel.TrySetResult();
            return Task.CompletedTask;
        });

        await (await HubForAsync("rater-1")).PostAdjudicationMessage(studyId, await _scene.HandleAsync(itemId), "Seen from here", Recorder);
        // An event for everyone after the message: once the bystander has it, they would have had the message too.
        events.Publish(new StudyStateChanged(studyId, "sentinel", false, DateTimeOffset.UtcNow));

        var message = Assert.IsType<AdjudicationMessagePosted>(await heard.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await sentinel.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(bystanderHeard, e => e is AdjudicationMessagePosted);
        var json = JsonSerializer.Serialize(message);
        Assert.DoesNotContain("model-", json);
        Assert.DoesNotContain("Participants", json);
    }
}
