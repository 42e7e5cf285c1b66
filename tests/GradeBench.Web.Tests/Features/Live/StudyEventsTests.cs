using System.Collections.Concurrent;
using GradeBench.Web.Features.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradeBench.Web.Tests.Features.Live;

public sealed class StudyEventsTests
{
    [Fact]
    public async Task ARatingChangeReachesOnlyTheRatersOwnPagesNotCoordinatorsOrOtherRaters()
    {
        var events = new StudyEvents(NullLogger<StudyEvents>.Instance);
        var heard = new ConcurrentDictionary<string, ConcurrentQueue<string>>();
        var closed = new ConcurrentDictionary<string, TaskCompletionSource>();
        IDisposable Listen(string who, long userId, bool isCoordinator)
        {
            heard[who] = new();
            closed[who] = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return events.Subscribe(1, userId, isCoordinator, e =>
            {
                heard[who].Enqueue(e.GetType().Name);
                if (e is StudyStateChanged) closed[who].TrySetResult();
                return Task.CompletedTask;
            });
        }
        using var raterTab = Listen("rater", 7, false);
        using var otherRater = Listen("other rater", 8, false);
        using var coordinator = Listen("coordinator", 1, true);

        events.Publish(new RatingChanged(1, 7, 99, "page"));
        // Meant for everyone and published last: once each listener has it, anything before it has arrived.
        events.Publish(new StudyStateChanged(1, "open", true, DateTimeOffset.UnixEpoch));
        await Task.WhenAll(closed.Values.Select(c => c.Task)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["RatingChanged", "StudyStateChanged"], heard["rater"]);
        Assert.Equal(["StudyStateChanged"], heard["other rater"]);
        Assert.Equal(["StudyStateChanged"], heard["coordinator"]);
    }
}
