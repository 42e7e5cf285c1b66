using System.Security.Claims;
using Bunit;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradeBench.Web.Tests.Features.Live;

/// <summary>The live-page protocol every live component inherits from <see cref="LiveComponent"/>, tested once over a
/// probe component with the real notifier and presence tracker.</summary>
public sealed class LiveComponentTests : BunitContext
{
    const long Study = 5, OtherStudy = 6, UserId = 42;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    readonly StudyEvents _events = new(NullLogger<StudyEvents>.Instance);
    readonly PresenceTracker _presence;
    readonly LiveStatus _status = new() { Shared = true };

    public LiveComponentTests()
    {
        _presence = new PresenceTracker(_events, TimeProvider.System);
        Services.AddSingleton(_events);
        Services.AddSingleton(_presence);
        Services.AddScoped<CircuitPresence>();
        Services.AddSingleton(_status);
        Services.AddLocalization();
        var auth = AddAuthorization();
        auth.SetAuthorized("dr-probe");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, UserId.ToString()), new Claim("display_name", "Dr Probe"));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    static StudyStateChanged Paused(long studyId = Study) => new(studyId, "open", true, DateTimeOffset.UnixEpoch);

    static MemberRemoved Removed(long studyId = Study) => new(studyId, 7, "Dr Gone", DateTimeOffset.UnixEpoch);

    [Fact]
    public void APrerenderedComponentReadsOnceAndNeitherListensNorEntersPresence()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<LiveProbe>(p => p.Add(c => c.StudyId, Study).Add(c => c.PresenceRole, "coordinator"));

        Assert.Equal(1, cut.Instance.Reads);
        Assert.Empty(_presence.Online(Study));
    }

    [Fact]
    public void OnlyWantedEventsOfTheStudyReachTheComponentInOrder()
    {
        var cut = Render<LiveProbe>(p => p.Add(c => c.StudyId, Study).Add(c => c.Coordinator, true));

        _events.Publish(Removed());
        _events.Publish(Paused(OtherStudy));
        _events.Publish(Paused());

        // One subscription delivers in order: once the last event is heard, the others were filtered out.
        cut.WaitForAssertion(() =>
        {
            Assert.Equal([Paused()], cut.Instance.Heard);
            Assert.Equal("heard 1", cut.Find("p").TextContent);
        }, Patience);
    }

    [Fact]
    public void TheComponentReadsAgainAfterSubscribingSoAChangeMadeMeanwhileIsNotLost()
    {
        // The probe publishes this during its second read: it is heard only if the subscription came first.
        var cut = Render<LiveProbe>(p => p.Add(c => c.StudyId, Study).Add(c => c.PublishWhileReading, Paused()));

        Assert.Equal(2, cut.Instance.Reads);
        cut.WaitForAssertion(() => Assert.Equal([Paused()], cut.Instance.Heard), Patience);
    }

    [Fact]
    public async Task AConnectionThatComesBackMakesTheComponentReadAgain()
    {
        var cut = Render<LiveProbe>(p => p.Add(c => c.StudyId, Study));
        var connection = new PresenceCircuitHandler(Services.GetRequiredService<CircuitPresence>());

        await connection.OnConnectionDownAsync(null!, default);
        await connection.OnConnectionUpAsync(null!, default);

        cut.WaitForAssertion(() => Assert.Equal(3, cut.Instance.Reads), Patience);
    }

    [Fact]
    public void LiveUpdatesThatResumeAfterARedisOutageMakeTheComponentReadAgainAndThePauseIsSaidMeanwhile()
    {
        var cut = Render<LiveProbe>(p => p.Add(c => c.StudyId, Study));
        var notice = Render<LiveUpdatesNotice>();
        Assert.Equal("", notice.Find("[role=status]").TextContent.Trim());

        _status.Set(true);
        notice.WaitForAssertion(() => Assert.Contains("Live updates are paused", notice.Find("[role=status]").TextContent), Patience);
        Assert.Equal(2, cut.Instance.Reads);
        _status.Set(false);

        cut.WaitForAssertion(() => Assert.Equal(3, cut.Instance.Reads), Patience);
        notice.WaitForAssertion(() => Assert.Equal("", notice.Find("[role=status]").TextContent.Trim()), Patience);
    }

    [Fact]
    public void ThePauseIsNotSaidOnAPageWithoutLiveData()
    {
        var notice = Render<LiveUpdatesNotice>();

        _status.Set(true);

        Assert.Equal("", notice.Find("[role=status]").TextContent.Trim());
    }

    [Fact]
    public void TheComponentEntersPresenceWhenAskedMovesWithItsStudyAndLeavesWhenRefused()
    {
        var cut = Render<LiveProbe>(p => p.Add(c => c.StudyId, Study).Add(c => c.PresenceRole, "coordinator"));
        var entry = Assert.Single(_presence.Online(Study));
        Assert.Equal((UserId, "Dr Probe", "coordinator"), (entry.UserId, entry.Name, entry.Role));

        cut.Render(p => p.Add(c => c.StudyId, OtherStudy));
        Assert.Empty(_presence.Online(Study));
        Assert.Single(_presence.Online(OtherStudy));

        cut.Render(p => p.Add(c => c.Refused, true));
        Assert.Empty(_presence.Online(OtherStudy));
    }

    [Fact]
    public void AComponentNotAskedForPresenceStaysOffTheList()
    {
        Render<LiveProbe>(p => p.Add(c => c.StudyId, Study));

        Assert.Empty(_presence.Online(Study));
    }

    [Fact]
    public void AFailingEventHandlerReachesTheErrorBoundary()
    {
        var cut = Render<ErrorBoundary>(p => p
            .AddChildContent<LiveProbe>(probe => probe.Add(c => c.StudyId, Study).Add(c => c.Coordinator, true).Add(c => c.FailOn, typeof(StudyStateChanged)))
            .Add(b => b.ErrorContent, e => $"<p role=\"alert\">{e.Message}</p>"));

        _events.Publish(Paused());

        cut.WaitForAssertion(() => Assert.Equal(LiveProbe.Failure, cut.Find("p[role=alert]").TextContent), Patience);
    }

    [Fact]
    public async Task ADisposedComponentHearsNothingMoreAndLeavesPresence()
    {
        var cut = Render<LiveProbe>(p => p.Add(c => c.StudyId, Study).Add(c => c.Coordinator, true).Add(c => c.PresenceRole, "coordinator"));
        var probe = cut.Instance;
        _events.Publish(Paused());
        cut.WaitForAssertion(() => Assert.Single(probe.Heard), Patience);
        var offered = probe.Offered;

        await DisposeComponentsAsync();
        Assert.Empty(_presence.Online(Study));
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var witness = _events.Subscribe(Study, 1, isCoordinator: true, _ => Task.Run(later.SetResult));
        _events.Publish(Paused());
        await later.Task.WaitAsync(Patience);
        await Task.Delay(100);

        // Not offered at all: the subscription itself is gone, not only its handler muted.
        Assert.Equal(offered, probe.Offered);
        Assert.Single(probe.Heard);
    }
}

/// <summary>A minimal live component: counts its reads, records what it hears, and can fail or publish on demand.</summary>
public sealed class LiveProbe : LiveComponent
{
    public const string Failure = "The probe failed on purpose.";

    [Inject] StudyEvents Bus { get; set; } = default!;
    [Parameter] public long StudyId { get; set; }
    [Parameter] public bool Coordinator { get; set; }
    [Parameter] public string? PresenceRole { get; set; }
    [Parameter] public bool Refused { get; set; }
    [Parameter] public Type? FailOn { get; set; }
    /// <summary>Published by the read that follows the subscription.</summary>
    [Parameter] public StudyEvent? PublishWhileReading { get; set; }

    int _offered;
    public int Reads { get; private set; }
    public List<StudyEvent> Heard { get; } = [];
    public int Offered => Volatile.Read(ref _offered);

    protected override async Task OnParametersSetAsync()
    {
        await ResolveUserAsync();
        Reads++;
        await ListenAsync(Refused ? null : new LiveStudy(StudyId, Coordinator, PresenceRole));
    }

    protected override Task ReloadAsync()
    {
        Reads++;
        if (PublishWhileReading is { } e) Bus.Publish(e);
        return Task.CompletedTask;
    }

    protected override bool Wants(StudyEvent studyEvent)
    {
        Interlocked.Increment(ref _offered);
        return studyEvent is StudyStateChanged;
    }

    protected override Task OnStudyEventAsync(StudyEvent studyEvent)
    {
        if (studyEvent.GetType() == FailOn) throw new InvalidOperationException(Failure);
        Heard.Add(studyEvent);
        return Task.CompletedTask;
    }

    protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "p");
        builder.AddContent(1, $"heard {Heard.Count}");
        builder.CloseElement();
    }
}
