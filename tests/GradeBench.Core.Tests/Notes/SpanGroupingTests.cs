using GradeBench.Core.Notes;

namespace GradeBench.Core.Tests.Notes;

/// <summary>How one document's passages are grouped for adjudication (docs/spans.md, "Gold spans"), on hand-made cases.</summary>
public sealed class SpanGroupingTests
{
    static readonly string[] TwoReaders = ["li", "ma"], ThreeReaders = ["li", "ma", "wu"];

    static long NextId;

    static GroupedSpan S(string rater, string label, int start, int end) => new(++NextId, rater, label, start, end);

    static (SpanGroupKind Kind, int Start, int End, string[] Spans)[] Shape(IReadOnlyList<SpanGroup> groups) =>
        [.. groups.Select(g => (g.Kind, g.Start, g.End, g.Spans.Select(s => $"{s.Rater}:{s.Label}[{s.Start},{s.End})").ToArray()))];

    [Fact]
    public void EveryReaderWithTheSameLabelOnTheSameBoundsAgrees()
    {
        var groups = SpanGrouping.Group(TwoReaders, [S("ma", "drug", 3, 8), S("li", "drug", 3, 8)]);

        Assert.Equal([(SpanGroupKind.Agreed, 3, 8, new[] { "li:drug[3,8)", "ma:drug[3,8)" })], Shape(groups));
        Assert.Equal(["li", "ma"], groups[0].Raters);
    }

    [Fact]
    public void ASpanNoOtherReaderOverlapsIsOneRatersOnly()
    {
        var groups = SpanGrouping.Group(TwoReaders, [S("li", "drug", 0, 4), S("ma", "drug", 4, 9), S("li", "dose", 2, 3)]);

        // [0, 4) and [4, 9) only touch: they share no code point. li's two spans overlap each other, not ma's.
        Assert.Equal(
        [
            (SpanGroupKind.OneRaterOnly, 0, 4, new[] { "li:drug[0,4)", "li:dose[2,3)" }),
            (SpanGroupKind.OneRaterOnly, 4, 9, new[] { "ma:drug[4,9)" }),
        ], Shape(groups));
    }

    [Fact]
    public void SameBoundsWithDifferentLabelsIsALabelDifference()
    {
        var groups = SpanGrouping.Group(TwoReaders, [S("li", "drug", 3, 8), S("ma", "dose", 3, 8)]);

        Assert.Equal([(SpanGroupKind.LabelDiffers, 3, 8, new[] { "ma:dose[3,8)", "li:drug[3,8)" })], Shape(groups));
    }

    [Fact]
    public void OverlappingSpansWithDifferentBoundsAreOneBoundaryDifferenceThroughAChain()
    {
        // li [0, 5) overlaps ma [4, 10), which overlaps wu [9, 12): one group, though li's and wu's do not overlap.
        var groups = SpanGrouping.Group(ThreeReaders, [S("wu", "drug", 9, 12), S("li", "drug", 0, 5), S("ma", "drug", 4, 10)]);

        Assert.Equal([(SpanGroupKind.BoundaryDiffers, 0, 12, new[] { "li:drug[0,5)", "ma:drug[4,10)", "wu:drug[9,12)" })], Shape(groups));
    }

    [Fact]
    public void LabelsAndBoundsThatBothDifferAreABoundaryDifference()
    {
        var groups = SpanGrouping.Group(TwoReaders, [S("li", "drug", 0, 5), S("ma", "dose", 2, 7)]);

        Assert.Equal([(SpanGroupKind.BoundaryDiffers, 0, 7, new[] { "li:drug[0,5)", "ma:dose[2,7)" })], Shape(groups));
    }

    [Fact]
    public void TheSameSpanBySomeReadersButNotAllIsSomeRatersOnly()
    {
        var groups = SpanGrouping.Group(ThreeReaders, [S("li", "drug", 3, 8), S("wu", "drug", 3, 8)]);

        Assert.Equal([(SpanGroupKind.SomeRatersOnly, 3, 8, new[] { "li:drug[3,8)", "wu:drug[3,8)" })], Shape(groups));
    }

    [Fact]
    public void AgreedSpansAreTakenOutBeforeTheRestIsGrouped()
    {
        // Both mark drug [0, 10); ma also marks dose [2, 4) inside it: that is ma's alone, not a dispute of the agreed span.
        var groups = SpanGrouping.Group(TwoReaders, [S("li", "drug", 0, 10), S("ma", "drug", 0, 10), S("ma", "dose", 2, 4)]);

        Assert.Equal(
        [
            (SpanGroupKind.Agreed, 0, 10, new[] { "li:drug[0,10)", "ma:drug[0,10)" }),
            (SpanGroupKind.OneRaterOnly, 2, 4, new[] { "ma:dose[2,4)" }),
        ], Shape(groups));
    }

    [Fact]
    public void TwoLabelsAgreedOnTheSameBoundsAreTwoGroupsInLabelOrder()
    {
        var groups = SpanGrouping.Group(TwoReaders, [S("li", "drug", 0, 4), S("ma", "drug", 0, 4), S("ma", "dose", 0, 4), S("li", "dose", 0, 4)]);

        Assert.Equal(
        [
            (SpanGroupKind.Agreed, 0, 4, new[] { "li:dose[0,4)", "ma:dose[0,4)" }),
            (SpanGroupKind.Agreed, 0, 4, new[] { "li:drug[0,4)", "ma:drug[0,4)" }),
        ], Shape(groups));
    }

    [Fact]
    public void WithOneReaderNothingIsAgreed()
    {
        var groups = SpanGrouping.Group(["li"], [S("li", "drug", 0, 4)]);

        Assert.Equal([(SpanGroupKind.OneRaterOnly, 0, 4, new[] { "li:drug[0,4)" })], Shape(groups));
    }

    [Fact]
    public void AReaderWhoMarkedNothingKeepsTheOthersFromAgreeing()
    {
        var groups = SpanGrouping.Group(ThreeReaders, [S("li", "drug", 0, 4), S("ma", "drug", 0, 4)]);

        Assert.Equal(SpanGroupKind.SomeRatersOnly, Assert.Single(groups).Kind);
    }

    [Fact]
    public void GroupsFollowThePositionInTheNote()
    {
        var groups = SpanGrouping.Group(TwoReaders, [S("li", "drug", 20, 24), S("ma", "drug", 5, 9), S("li", "drug", 5, 9), S("ma", "dose", 0, 2)]);

        Assert.Equal([0, 5, 20], groups.Select(g => g.Start));
    }

    [Fact]
    public void AGroupsKeyIsItsSpanIdsInOrder()
    {
        var (a, b) = (S("li", "drug", 0, 4), S("ma", "drug", 0, 4));

        var group = Assert.Single(SpanGrouping.Group(TwoReaders, [b, a]));

        Assert.Equal([a.Id, b.Id], group.Key);
    }

    [Fact]
    public void ASpanOfNoReaderOrWithoutCodePointsIsRefused()
    {
        Assert.Throws<ArgumentException>(() => SpanGrouping.Group(TwoReaders, [S("wu", "drug", 0, 4)]));
        Assert.Throws<ArgumentException>(() => SpanGrouping.Group(TwoReaders, [S("li", "drug", 4, 4)]));
        Assert.Throws<ArgumentException>(() => SpanGrouping.Group(TwoReaders, [S("li", "drug", -1, 4)]));
        Assert.Throws<ArgumentException>(() => SpanGrouping.Group(["li", "li"], []));
    }
}
