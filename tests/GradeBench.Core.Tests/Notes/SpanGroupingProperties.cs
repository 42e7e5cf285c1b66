using FsCheck.Xunit;
using GradeBench.Core.Notes;

namespace GradeBench.Core.Tests.Notes;

/// <summary>Properties of <see cref="SpanGrouping"/> on random documents: FsCheck draws the seed and the shape, the spans
/// are built from the seed so that a failure replays.</summary>
public sealed class SpanGroupingProperties
{
    static readonly string[] Pool = ["li", "ma", "wu", "zhao"];

    /// <summary>1–4 readers of a note of 1–30 code points, each marking 0–6 spans of X or Y, some copied from another
    /// reader so that agreement, label and boundary differences all turn up.</summary>
    static (string[] Readers, List<GroupedSpan> Spans) Document(int seed, byte shape)
    {
        var random = new Random(seed);
        var readers = Pool.Take(1 + shape % 4).ToArray();
        var length = random.Next(1, 31);
        var spans = new List<GroupedSpan>();
        var id = 0L;
        foreach (var reader in readers)
            for (var i = random.Next(0, 7); i > 0; i--)
            {
                if (spans.Count > 0 && random.Next(3) == 0)
                {
                    var copied = spans[random.Next(spans.Count)];
                    var label = random.Next(4) == 0 ? (copied.Label == "X" ? "Y" : "X") : copied.Label;
                    if (!spans.Any(s => s.Rater == reader && s.Label == label && s.Start == copied.Start && s.End == copied.End))
                        spans.Add(new GroupedSpan(++id, reader, label, copied.Start, copied.End));
                    continue;
                }
                var start = random.Next(0, length);
                spans.Add(new GroupedSpan(++id, reader, random.Next(2) == 0 ? "X" : "Y", start, random.Next(start + 1, length + 1)));
            }
        return (readers, spans);
    }

    static bool Overlap(GroupedSpan a, GroupedSpan b) => Math.Max(a.Start, b.Start) < Math.Min(a.End, b.End);

    [Property(MaxTest = 300)]
    public void EverySpanLandsInExactlyOneGroup(int seed, byte shape)
    {
        var (readers, spans) = Document(seed, shape);

        var groups = SpanGrouping.Group(readers, spans);

        Assert.Equal(spans.Select(s => s.Id).Order(), groups.SelectMany(g => g.Spans).Select(s => s.Id).Order());
        Assert.All(groups, g => Assert.NotEmpty(g.Spans));
    }

    [Property(MaxTest = 300)]
    public void EachGroupIsOfTheKindItsSpansMake(int seed, byte shape)
    {
        var (readers, spans) = Document(seed, shape);

        var groups = SpanGrouping.Group(readers, spans);

        foreach (var group in groups)
        {
            var marks = group.Spans.Select(s => (s.Label, s.Start, s.End)).Distinct().Count();
            var bounds = group.Spans.Select(s => (s.Start, s.End)).Distinct().Count();
            switch (group.Kind)
            {
                case SpanGroupKind.Agreed:
                    Assert.Equal((1, readers.Length), (marks, group.Raters.Count));
                    Assert.True(readers.Length >= 2);
                    break;
                case SpanGroupKind.OneRaterOnly:
                    Assert.Single(group.Raters);
                    // No other reader's span outside the agreed ones overlaps it.
                    var disputed = groups.Where(g => g.Kind != SpanGroupKind.Agreed).SelectMany(g => g.Spans);
                    Assert.DoesNotContain(disputed, o => o.Rater != group.Raters[0] && group.Spans.Any(s => Overlap(s, o)));
                    break;
                case SpanGroupKind.SomeRatersOnly:
                    Assert.Equal(1, marks);
                    Assert.InRange(group.Raters.Count, 2, readers.Length - 1);
                    break;
                case SpanGroupKind.LabelDiffers:
                    Assert.Equal(1, bounds);
                    Assert.True(marks >= 2);
                    break;
                default:
                    Assert.True(bounds >= 2);
                    Assert.True(group.Raters.Count >= 2);
                    break;
            }
        }
        // Disputed groups are separate regions: no span of one overlaps a span of another.
        var regions = groups.Where(g => g.Kind != SpanGroupKind.Agreed).ToList();
        for (var i = 0; i < regions.Count; i++)
            for (var j = i + 1; j < regions.Count; j++)
                Assert.DoesNotContain(regions[i].Spans, a => regions[j].Spans.Any(b => Overlap(a, b)));
        Assert.Equal(groups.OrderBy(g => g.Start).ThenBy(g => g.End).Select(g => g.Key), groups.Select(g => g.Key));
    }

    [Property(MaxTest = 150)]
    public void TheOrderOfTheInputChangesNothing(int seed, byte shape)
    {
        var (readers, spans) = Document(seed, shape);

        var random = new Random(seed);

        var (once, shuffled) = (SpanGrouping.Group(readers, spans), SpanGrouping.Group(readers, [.. spans.OrderBy(_ => random.Next())]));

        Assert.Equal(once.Select(g => (g.Kind, string.Join(",", g.Key))), shuffled.Select(g => (g.Kind, string.Join(",", g.Key))));
    }
}
