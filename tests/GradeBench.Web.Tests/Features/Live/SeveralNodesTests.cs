using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Nodes;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Live;

/// <summary>Two nodes of one installation (one SQLite file) on a private Redis, each on real Kestrel.</summary>
public sealed class SeveralNodes : IDisposable
{
    public TestRedis Redis { get; } = new();
    public LiveServer A { get; }
    public LiveServer B { get; }

    public SeveralNodes()
    {
        var first = new GradeBenchFactory { Redis = Redis.Configuration };
        A = new LiveServer(first);
        B = new LiveServer(first.SecondNode());
    }

    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
        Redis.Dispose();
    }

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience) Assert.Fail($"Not within {Patience.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>What a page of the study would hear on the node, as a coordinator.</summary>
    public static (ConcurrentQueue<StudyEvent> Heard, IDisposable Subscription) Page(LiveServer node, long studyId)
    {
        var heard = new ConcurrentQueue<StudyEvent>();
        var subscription = node.Services.GetRequiredService<StudyEvents>().Subscribe(studyId, 0, isCoordinator: true, e =>
        {
            heard.Enqueue(e);
            return Task.CompletedTask;
        });
        return (heard, subscription);
    }

    public static MemberRemoved Marker(long studyId) => new(studyId, 0, "marker " + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);
}

public sealed class SeveralNodesTests(SeveralNodes nodes) : IClassFixture<SeveralNodes>
{
    LiveServer A => nodes.A;
    LiveServer B => nodes.B;

    [Fact]
    public async Task AnEventPublishedOnOneNodeReachesAPageOnTheOtherExactlyOnceAndNeverComesBack()
    {
        var studyId = await A.ImportDemoCopyAsync();
        var (onA, a) = SeveralNodes.Page(A, studyId);
        var (onB, b) = SeveralNodes.Page(B, studyId);
        using var _ = a;
        using var __ = b;
        // With every routing field hub clients never see: the page on B routes and words it itself.
        var sent = new AdjudicationChanged(studyId, 11, 12, "r-abc", "resolved", [4, 5]);

        A.Services.GetRequiredService<StudyEvents>().Publish(sent);
        var marker = SeveralNodes.Marker(studyId);
        A.Services.GetRequiredService<StudyEvents>().Publish(marker);

        // Sent in order by one node, heard in order: once the marker is heard, any copy would have been too.
        await SeveralNodes.EventuallyAsync(() => onB.Contains(marker), "the marker reaches B");
        var received = Assert.Single(onB.OfType<AdjudicationChanged>());
        Assert.Equal((sent.ItemId, sent.ResponseId), (received.ItemId, received.ResponseId));
        Assert.Equal(sent.Participants, received.Participants);
        await Task.Delay(500);
        Assert.Single(onA.OfType<AdjudicationChanged>());
        Assert.Single(onB.OfType<AdjudicationChanged>());
    }

    [Fact]
    public async Task AHubClientOnOneNodeHearsASubmitMadeThroughTheOtherExactlyOnce()
    {
        var studyId = await A.ImportDemoCopyAsync();
        var coordinator = await A.UserAsync(studyId, "coordinator", "coordinator");
        var rater = await A.UserAsync(studyId, "ada");
        await using var listening = await B.ListenerAsync(coordinator);
        await listening.Connection.StartAsync();
        await listening.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        var responseId = await A.OpenAssignmentAsync(studyId, rater);
        using var client = await A.BearerClientAsync(rater);

        var answer = await LiveServer.PutRatingAsync(client, studyId, await A.Services.HandleOfAsync(responseId), DemoRatings.Json("across nodes"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var submitted = await listening.NextAsync("RatingSubmitted");
        Assert.Equal(responseId, submitted.GetProperty("responseId").GetInt64());
        // The agreement is computed after the submit, by the node that took it, and sent the same way.
        await listening.NextAsync("AgreementUpdated");
        await Task.Delay(500);
        Assert.Single(listening.Received, m => m.Method == "RatingSubmitted");
        Assert.Single(listening.Received, m => m.Method == "ProgressChanged");
        Assert.Single(listening.Received, m => m.Method == "AgreementUpdated");
    }

    /// <summary>Only the node holding the agreement monitor's lease computes: it must hear the submits the other node
    /// takes, and compute once.</summary>
    [Fact]
    public async Task ASubmitTakenByTheNodeWithoutTheMonitorsLeaseStillMovesTheAgreement()
    {
        var studyId = await A.ImportDemoCopyAsync();
        var coordinator = await A.UserAsync(studyId, "coordinator", "coordinator");
        var rater = await A.UserAsync(studyId, "grace");
        var (holder, other) = A.Services.GetRequiredService<NodeLeases>().Holds(AgreementMonitor.Lease) ? (A, B) : (B, A);
        Assert.True(holder.Services.GetRequiredService<NodeLeases>().Holds(AgreementMonitor.Lease), "one node holds the monitor's lease");
        await using var listening = await holder.ListenerAsync(coordinator);
        await listening.Connection.StartAsync();
        await listening.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        var responseId = await other.OpenAssignmentAsync(studyId, rater);
        using var client = await other.BearerClientAsync(rater);

        var answer = await LiveServer.PutRatingAsync(client, studyId, await other.Services.HandleOfAsync(responseId), DemoRatings.Json("on the other node"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await listening.NextAsync("RatingSubmitted");
        await listening.NextAsync("AgreementUpdated");
        await Task.Delay(500);
        Assert.Single(listening.Received, m => m.Method == "AgreementUpdated");
    }

    [Fact]
    public async Task WhoIsOnlineOnOneNodeIsInTheOthersListUntilTheyLeave()
    {
        var studyId = await A.ImportDemoCopyAsync();
        var rater = await A.UserAsync(studyId, "present");
        var (onB, b) = SeveralNodes.Page(B, studyId);
        using var _ = b;
        var listing = B.Services.GetRequiredService<PresenceTracker>();

        await using (var connected = await A.ListenerAsync(rater))
        {
            await connected.Connection.StartAsync();
            await connected.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);

            await SeveralNodes.EventuallyAsync(() => listing.Online(studyId).Any(e => e.UserId == rater.Id), "B lists the rater connected to A");
            await SeveralNodes.EventuallyAsync(() => onB.OfType<PresenceChanged>().Any(p => p.Online.Any(e => e.UserId == rater.Id)),
                "B's pages hear the rater is online");
        }

        await SeveralNodes.EventuallyAsync(() => listing.Online(studyId).All(e => e.UserId != rater.Id), "B drops the rater who left A");
    }

    [Fact]
    public async Task AnAccountDisabledOnOneNodeIsDisconnectedOnTheOtherAtOnce()
    {
        var studyId = await A.ImportDemoCopyAsync();
        var rater = await A.UserAsync(studyId, "disabled");
        await using var connected = await B.ListenerAsync(rater);
        await connected.Connection.StartAsync();
        await connected.Connection.InvokeAsync<JsonElement>("JoinStudy", studyId);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connected.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var admin = (await A.Services.GetRequiredService<UserStore>().CreateAsync($"boss-{Guid.NewGuid():N}"[..20], "Administrator", isAdmin: true))!;
        var clock = Stopwatch.StartNew();

        Assert.Equal(AccountStatusOutcome.Changed, await A.Services.GetRequiredService<AccountRecorder>().SetDisabledAsync(admin.Id, rater.Id, disabled: true));

        var notice = await connected.NextAsync("AccessRevoked");
        Assert.Equal(RevocationFeed.DisabledMessage, notice.GetProperty("reason").GetString());
        await closed.Task.WaitAsync(SeveralNodes.Patience);
        // Node A told node B to look at once, rather than at its next poll.
        Assert.True(clock.Elapsed < RevocationFeed.PollInterval / 2, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AnotherInstallationOnTheSameRedisIsNeverHeard()
    {
        using var elsewhere = new GradeBenchFactory { Redis = nodes.Redis.Configuration };
        var studyId = await A.ImportDemoCopyAsync();
        Assert.NotEqual(await A.Services.GetRequiredService<InstallationQuery>().IdAsync(),
            await elsewhere.Services.GetRequiredService<InstallationQuery>().IdAsync());
        var (onB, b) = SeveralNodes.Page(B, studyId);
        using var _ = b;

        // The same study id, in the other installation's database.
        elsewhere.Services.GetRequiredService<StudyEvents>().Publish(new StudyStateChanged(studyId, "closed", false, DateTimeOffset.UtcNow));
        elsewhere.Services.GetRequiredService<PresenceTracker>().Enter("elsewhere", studyId, 999_999, "Dr Elsewhere", "rater");
        var marker = SeveralNodes.Marker(studyId);
        A.Services.GetRequiredService<StudyEvents>().Publish(marker);

        await SeveralNodes.EventuallyAsync(() => onB.Contains(marker), "the marker reaches B");
        await Task.Delay(500);
        Assert.Empty(onB.OfType<StudyStateChanged>());
        Assert.DoesNotContain(B.Services.GetRequiredService<PresenceTracker>().Online(studyId), e => e.UserId == 999_999);
    }
}

/// <summary>Redis stopped in the middle of a run and started again, on a Redis of this class's own.</summary>
public sealed class RedisOutageTests(SeveralNodes nodes) : IClassFixture<SeveralNodes>
{
    LiveServer A => nodes.A;
    LiveServer B => nodes.B;

    [Fact]
    public async Task WithRedisDownRatingsStillSavePagesArePausedAndOnItsReturnTheyResumeAndReadAgain()
    {
        var studyId = await A.ImportDemoCopyAsync();
        var rater = await A.UserAsync(studyId, "steady");
        var responseId = await A.OpenAssignmentAsync(studyId, rater);
        var handle = await A.Services.HandleOfAsync(responseId);
        using var client = await A.BearerClientAsync(rater);
        var statusA = A.Services.GetRequiredService<LiveStatus>();
        var statusB = B.Services.GetRequiredService<LiveStatus>();
        var resumedOnB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.False(statusA.Paused || statusB.Paused);

        nodes.Redis.Stop();
        try
        {
            await SeveralNodes.EventuallyAsync(() => statusA.Paused && statusB.Paused, "both nodes pause live updates");
            statusB.Changed += paused =>
            {
                if (!paused) resumedOnB.TrySetResult();
            };
            var clock = Stopwatch.StartNew();
            var answer = await LiveServer.PutRatingAsync(client, studyId, handle, DemoRatings.Json("while Redis is down"));

            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the submit took {clock.Elapsed}");
            await using var connection = await B.Services.GetRequiredService<Database>().OpenAsync();
            Assert.True(await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM ratings WHERE response_id = @ResponseId AND rater_id = @RaterId AND status = 'submitted'",
                new { ResponseId = responseId, RaterId = rater.Id }) > 0);
        }
        finally
        {
            nodes.Redis.Start();
        }

        await resumedOnB.Task.WaitAsync(SeveralNodes.Patience);
        await SeveralNodes.EventuallyAsync(() => !statusA.Paused && !statusB.Paused, "both nodes resume");
        var (onB, b) = SeveralNodes.Page(B, studyId);
        using var _ = b;
        var marker = SeveralNodes.Marker(studyId);
        // Live again: once subscriptions are back, a new event crosses.
        await SeveralNodes.EventuallyAsync(() =>
        {
            A.Services.GetRequiredService<StudyEvents>().Publish(marker);
            return onB.Contains(marker);
        }, "events cross again");
    }
}

/// <summary>Nodes started before their Redis: they work, say live updates are paused, and go live once it answers.</summary>
public sealed class RedisLateTests
{
    [Fact]
    public async Task NodesStartedWhileRedisIsAwayGoLiveWhenItAnswers()
    {
        using var redis = new TestRedis();
        redis.Stop();
        var first = new GradeBenchFactory { Redis = redis.Configuration };
        using var a = new LiveServer(first);
        using var b = new LiveServer(first.SecondNode());
        var studyId = await a.ImportDemoCopyAsync();
        var (statusA, statusB) = (a.Services.GetRequiredService<LiveStatus>(), b.Services.GetRequiredService<LiveStatus>());
        Assert.True(statusA.Paused && statusB.Paused, "both nodes say live updates are paused");

        redis.Start();

        await SeveralNodes.EventuallyAsync(() => !statusA.Paused && !statusB.Paused, "both nodes go live");
        var (onB, subscription) = SeveralNodes.Page(b, studyId);
        using var _ = subscription;
        var marker = SeveralNodes.Marker(studyId);
        await SeveralNodes.EventuallyAsync(() =>
        {
            a.Services.GetRequiredService<StudyEvents>().Publish(marker);
            return onB.Contains(marker);
        }, "events cross");
    }
}
