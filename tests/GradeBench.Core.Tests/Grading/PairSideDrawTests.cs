using GradeBench.Core.Grading;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Grading;

/// <summary><see cref="PairSideDraw"/>: a rater's side of a pair is fixed by the study, the rater and the pair's handle,
/// about half of the draws put A on the left, and the side is unrelated to the pair's place in the queue.</summary>
public sealed class PairSideDrawTests
{
    static string Handle(ulong value) => ResponseHandle.Format(value);

    [Fact]
    public void TheSeedIsTheFirstEightBytesOfTheSha256OfStudySlashRaterSlashSidesLittleEndian()
    {
        // python3: struct.unpack('<Q', hashlib.sha256(b'7/1001/sides').digest()[:8])[0]
        Assert.Equal(0xf0baa6ac44a10baeUL, PairSideDraw.Seed(7, 1001));
    }

    [Fact]
    public void TheSameStudyRaterAndPairAlwaysGiveTheSameSide()
    {
        var random = new Random(20);
        for (var i = 0; i < 200; i++)
        {
            var (study, rater, handle) = (random.NextInt64(1, 1000), random.NextInt64(1, 100_000), Handle((ulong)random.NextInt64()));
            Assert.Equal(PairSideDraw.AOnLeft(study, rater, handle), PairSideDraw.AOnLeft(study, rater, handle));
            Assert.Equal(PairSideDraw.AOnLeft(study, rater, handle), PairSideDraw.AOnLeft(PairSideDraw.Seed(study, rater), ResponseHandle.Value(handle)));
        }
    }

    [Fact]
    public void AboutHalfOfTheDrawsPutAOnTheLeft()
    {
        // 40,000 draws: the share's standard error is 0.0025, so 0.49–0.51 is four of them.
        var random = new Random(7);
        var left = 0;
        const int draws = 40_000;
        for (var i = 0; i < draws; i++)
            if (PairSideDraw.AOnLeft(random.NextInt64(1, 50), random.NextInt64(1, 500), Handle((ulong)random.NextInt64()))) left++;
        Assert.InRange(left / (double)draws, 0.49, 0.51);
    }

    [Fact]
    public void EachRaterSeesAboutHalfOfTheirPairsWithAOnTheLeftAndRatersDiffer()
    {
        var handles = Enumerable.Range(1, 400).Select(i => Handle((ulong)i * 0x9E3779B97F4A7C15)).ToArray();

        var sides = Enumerable.Range(1, 20).Select(rater => handles.Select(h => PairSideDraw.AOnLeft(3, rater, h)).ToArray()).ToList();

        // 400 pairs: 200 ± 40 is four standard deviations (10) of a fair draw.
        Assert.All(sides, s => Assert.InRange(s.Count(left => left), 160, 240));
        Assert.Equal(sides.Count, sides.Select(s => string.Concat(s.Select(left => left ? 'L' : 'R'))).Distinct().Count());
    }

    [Fact]
    public void TheSideIsUnrelatedToThePlaceInTheQueue()
    {
        var handles = Enumerable.Range(1, 2000).Select(i => Handle((ulong)i)).ToArray();

        var queue = QueueOrder.Order(5, 42, handles);

        // The first half of the queue holds about as many A-on-the-left pairs as the second.
        var firstHalf = queue.Take(1000).Count(h => PairSideDraw.AOnLeft(5, 42, h));
        var secondHalf = queue.Skip(1000).Count(h => PairSideDraw.AOnLeft(5, 42, h));
        Assert.InRange(firstHalf, 440, 560);
        Assert.InRange(secondHalf, 440, 560);
    }
}
