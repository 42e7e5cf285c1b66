namespace GradeBench.Core.Notes;

/// <summary>A rater's passage of a document as adjudication groups it: its id (unique in the document), its rater, its
/// label, code points <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
public sealed record GroupedSpan(long Id, string Rater, string Label, int Start, int End);

/// <summary>Why a group of passages is, or is not, in dispute (docs/spans.md, "Gold spans"), in the order a document
/// lists groups that begin and end at the same code points.</summary>
public enum SpanGroupKind
{
    /// <summary>Every reader (two or more) marked the same label on the same code points.</summary>
    Agreed,
    /// <summary>One rater's passages that no other reader's disputed passage overlaps.</summary>
    OneRaterOnly,
    /// <summary>The same label on the same code points by two or more readers, but not by all.</summary>
    SomeRatersOnly,
    /// <summary>Overlapping passages of two or more raters on the same code points, with two or more labels.</summary>
    LabelDiffers,
    /// <summary>Overlapping passages of two or more raters on different code points (whatever their labels).</summary>
    BoundaryDiffers,
}

/// <summary>A group of passages of one document: its kind and its passages, by position, then label, then the readers'
/// order. <see cref="Key"/> (its passages' ids, ascending) names the group as long as its passages are unchanged.</summary>
public sealed record SpanGroup(SpanGroupKind Kind, IReadOnlyList<GroupedSpan> Spans)
{
    /// <summary>The first code point of the group.</summary>
    public int Start { get; } = Spans.Min(s => s.Start);

    /// <summary>The end (exclusive) of the group's last code point.</summary>
    public int End { get; } = Spans.Max(s => s.End);

    /// <summary>The raters of the group's passages, in the readers' order.</summary>
    public IReadOnlyList<string> Raters { get; init; } = [];

    public IReadOnlyList<long> Key { get; } = [.. Spans.Select(s => s.Id).Order()];
}

/// <summary>Groups one document's passages by rater for adjudication into a gold set (docs/spans.md, "Gold spans"):
/// <list type="number">
/// <item>A <b>mark</b> is a label on code points [start, end). A mark that every reader has (two readers or more) is
/// <see cref="SpanGroupKind.Agreed"/>: its passages make one group.</item>
/// <item>The other passages are joined into regions: two passages that share a code point are in the same region, and so,
/// through a chain of such overlaps, are all of a region's passages, whatever their label or rater.</item>
/// <item>Each region is one group, of the first kind that fits: <see cref="SpanGroupKind.OneRaterOnly"/> (one rater's
/// passages), <see cref="SpanGroupKind.SomeRatersOnly"/> (one mark), <see cref="SpanGroupKind.LabelDiffers"/> (one
/// start and end), <see cref="SpanGroupKind.BoundaryDiffers"/> (the rest).</item>
/// </list>
/// Every passage is in exactly one group. Groups are ordered by their first code point, then their end, then kind, then
/// their first passage's label (ordinal) and id.</summary>
public static class SpanGrouping
{
    /// <param name="readers">The raters who read the document, distinct, in the order raters are shown; a reader may have
    /// marked nothing.</param>
    /// <param name="spans">The readers' passages, each with 0 ≤ start &lt; end (a passage covers a code point) and an id
    /// of its own.</param>
    public static IReadOnlyList<SpanGroup> Group(IReadOnlyList<string> readers, IReadOnlyList<GroupedSpan> spans)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reader in readers)
            if (!order.TryAdd(reader, order.Count)) throw new ArgumentException($"The reader {reader} is listed twice.", nameof(readers));
        foreach (var span in spans)
        {
            if (!order.ContainsKey(span.Rater)) throw new ArgumentException($"Span {span.Id} is by {span.Rater}, who is no reader.", nameof(spans));
            if (span.Start < 0 || span.End <= span.Start) throw new ArgumentException($"Span {span.Id} covers no code point: [{span.Start}, {span.End}).", nameof(spans));
        }
        if (spans.Select(s => s.Id).Distinct().Count() != spans.Count) throw new ArgumentException("Two spans have the same id.", nameof(spans));

        var sorted = spans.OrderBy(s => s.Start).ThenBy(s => s.End).ThenBy(s => s.Label, StringComparer.Ordinal)
            .ThenBy(s => order[s.Rater]).ThenBy(s => s.Id).ToList();
        SpanGroup Make(SpanGroupKind kind, IReadOnlyList<GroupedSpan> members) =>
            new(kind, members) { Raters = [.. members.Select(s => s.Rater).Distinct().OrderBy(r => order[r])] };

        var groups = new List<SpanGroup>();
        var agreed = new HashSet<long>();
        if (readers.Count >= 2)
            foreach (var mark in sorted.GroupBy(s => (s.Label, s.Start, s.End)))
                if (mark.Select(s => s.Rater).Distinct().Count() == readers.Count)
                {
                    groups.Add(Make(SpanGroupKind.Agreed, [.. mark]));
                    agreed.UnionWith(mark.Select(s => s.Id));
                }

        // Sorted by start, a passage joins the region before it when it starts before the region's furthest end.
        var region = new List<GroupedSpan>();
        var regionEnd = -1;
        foreach (var span in sorted.Where(s => !agreed.Contains(s.Id)))
        {
            if (region.Count > 0 && span.Start >= regionEnd)
            {
                groups.Add(Make(KindOf(region), region));
                region = [];
            }
            region.Add(span);
            regionEnd = region.Count == 1 ? span.End : Math.Max(regionEnd, span.End);
        }
        if (region.Count > 0) groups.Add(Make(KindOf(region), region));

        return [.. groups.OrderBy(g => g.Start).ThenBy(g => g.End).ThenBy(g => g.Kind)
            .ThenBy(g => g.Spans[0].Label, StringComparer.Ordinal).ThenBy(g => g.Spans[0].Id)];
    }

    static SpanGroupKind KindOf(List<GroupedSpan> region)
    {
        if (region.All(s => s.Rater == region[0].Rater)) return SpanGroupKind.OneRaterOnly;
        var sameBounds = region.All(s => s.Start == region[0].Start && s.End == region[0].End);
        if (!sameBounds) return SpanGroupKind.BoundaryDiffers;
        return region.All(s => s.Label == region[0].Label) ? SpanGroupKind.SomeRatersOnly : SpanGroupKind.LabelDiffers;
    }
}
