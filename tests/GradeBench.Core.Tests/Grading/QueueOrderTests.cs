using FsCheck.Xunit;
using GradeBench.Core.Grading;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Grading;

public sealed class QueueOrderTests
{
    [Fact]
    public void SplitMix64ReproducesTheReferenceImplementationsFirstOutputs()
    {
        // Vigna's splitmix64.c seeded with 1234567.
        var random = new SplitMix64(1234567);
        Assert.Equal([6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL], [random.Next(), random.Next(), random.Next()]);
        Assert.Equal(9817491932198370423UL, SplitMix64.At(1234567, 3));
    }

    [Fact]
    public void TheSeedIsTheFirstEightBytesOfTheSha256OfStudySlashRaterLittleEndian()
    {
        // python3: struct.unpack('<Q', hashlib.sha256(b'7/1001').digest()[:8])[0]
        Assert.Equal(0x64e2f972983c3dceUL, QueueOrder.Seed(7, 1001));
    }

    [Fact]
    public void TheOrderMatchesAnIndependentComputation()
    {
        // python3, with mix() the SplitMix64 finalizer: sorted(range(1, 11), key=lambda r: mix(seed + r * 0x9E3779B97F4A7C15))
        Assert.Equal(0x95c0a79dd561816eUL, QueueOrder.Key(QueueOrder.Seed(7, 1001), 1));
        Assert.Equal(H(3, 10, 2, 5, 1, 9, 4, 7, 8, 6), QueueOrder.Order(7, 1001, H(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)));
    }

    [Property(MaxTest = 300)]
    public void AddingResponsesLeavesTheOrderOfTheEarlierOnesUnchanged(long study, long rater, int seed)
    {
        var random = new Random(seed);
        var earlier = Enumerable.Range(0, random.Next(1, 40)).Select(_ => Handle(random)).Distinct().ToArray();
        var later = Enumerable.Range(0, random.Next(1, 40)).Select(_ => Handle(random)).Except(earlier).ToArray();
        var before = QueueOrder.Order(study, rater, earlier);

        var after = QueueOrder.Order(study, rater, [.. earlier, .. later]);

        Assert.Equal(before, after.Where(earlier.Contains));
        Assert.Equal(after, QueueOrder.Order(study, rater, [.. later, .. earlier.Reverse()]));
    }

    [Property(MaxTest = 300)]
    public void PositionsSortLikeTheOrder(long study, long rater, int seed)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, 30).Select(_ => Handle(random)).Distinct().ToArray();
        var bySignedPosition = ids.OrderBy(id => QueueOrder.Position(study, rater, id)).ToArray();
        Assert.Equal(QueueOrder.Order(study, rater, ids), bySignedPosition);
    }

    [Fact]
    public void EachRaterAndEachStudyHasItsOwnOrder()
    {
        var ids = H([.. Enumerable.Range(1, 50)]);
        var orders = new[] { QueueOrder.Order(1, 10, ids), QueueOrder.Order(1, 11, ids), QueueOrder.Order(2, 10, ids) };

        Assert.All(orders, order => Assert.Equal(ids, order.Order(StringComparer.Ordinal)));
        Assert.All(orders, order => Assert.NotEqual(ids, order));
        Assert.NotEqual(orders[0], orders[1]);
        Assert.NotEqual(orders[0], orders[2]);
    }

    [Fact]
    public void EveryResponseIsFirstInAboutAsManyRatersQueues()
    {
        // 2,000 raters, 10 responses: each should lead about 200 queues (binomial sd ≈ 13.4; deterministic anyway).
        var ids = H([.. Enumerable.Range(1, 10)]);
        var firsts = Enumerable.Range(1, 2000).Select(rater => QueueOrder.Order(42, rater, ids)[0]).CountBy(id => id).ToDictionary();

        Assert.Equal(10, firsts.Count);
        Assert.All(firsts.Values, count => Assert.InRange(count, 150, 250));
    }

    static string[] H(params int[] values) => [.. values.Select(v => ResponseHandle.Format((ulong)v))];

    static string Handle(Random random) => ResponseHandle.Format((ulong)random.NextInt64(long.MinValue, long.MaxValue));
}
