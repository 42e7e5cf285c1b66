namespace GradeBench.Core.Spans;

/// <summary>The sums of pairwise F1: matched spans and the spans of both raters, over documents and pairs of raters;
/// F1 = 2 × matches / spans (micro), undefined when there are no spans.</summary>
readonly record struct F1Tally(long Matches, long Spans)
{
    public double? F1 => Spans == 0 ? null : 2.0 * Matches / Spans;

    public static F1Tally operator +(F1Tally a, F1Tally b) => new(a.Matches + b.Matches, a.Spans + b.Spans);

    /// <summary>The tally of a document counted <paramref name="weight"/> times.</summary>
    public static F1Tally operator *(int weight, F1Tally t) => new(weight * t.Matches, weight * t.Spans);
}

/// <summary>Pairwise span F1 between raters, one annotator against another with exact or overlap matching as MedTator
/// and brat-format evaluations report it (docs/spans.md): for every document and every unordered pair of its
/// readers, one label at a time, the exact matches (same start and end) or a maximum one-to-one matching of the
/// spans that overlap, and the spans of both raters.</summary>
static class SpanF1
{
    /// <summary>How many spans the two raters both marked; both lists sorted and distinct.</summary>
    internal static int ExactMatches(Extent[] a, Extent[] b)
    {
        // Both sorted and distinct: a merge.
        var (i, j, matches) = (0, 0, 0);
        while (i < a.Length && j < b.Length)
        {
            var order = a[i].CompareTo(b[j]);
            if (order == 0) matches++;
            if (order <= 0) i++;
            if (order >= 0) j++;
        }
        return matches;
    }

    /// <summary>The size of a maximum one-to-one matching between the two raters' spans where a span may match one
    /// that shares at least one code point with it, or that is identical (so that an exact match, even of an empty
    /// span, is an overlap match too). Augmenting paths (Kuhn 1955; Cormen et al., ch. 26.3): a greedy pairing can
    /// come short on chains of overlaps.</summary>
    internal static int OverlapMatches(Extent[] a, Extent[] b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        var edges = new List<int>[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            edges[i] = [];
            for (var j = 0; j < b.Length; j++)
                if (Overlap(a[i], b[j])) edges[i].Add(j);
        }
        var matchOfB = new int[b.Length];
        Array.Fill(matchOfB, -1);
        var matches = 0;
        var visited = new bool[b.Length];
        for (var i = 0; i < a.Length; i++)
        {
            Array.Clear(visited);
            if (Augment(i, edges, matchOfB, visited)) matches++;
        }
        return matches;
    }

    static bool Overlap(Extent a, Extent b) => Math.Max(a.Start, b.Start) < Math.Min(a.End, b.End) || a == b;

    /// <summary>Whether an augmenting path starts at span <paramref name="i"/> of the first rater; flips it if so.</summary>
    static bool Augment(int i, List<int>[] edges, int[] matchOfB, bool[] visited)
    {
        foreach (var j in edges[i])
        {
            if (visited[j]) continue;
            visited[j] = true;
            if (matchOfB[j] < 0 || Augment(matchOfB[j], edges, matchOfB, visited))
            {
                matchOfB[j] = i;
                return true;
            }
        }
        return false;
    }

    /// <summary>Each paired document's exact and overlap tallies of one label: its pairs of readers summed.</summary>
    internal static (F1Tally[] Exact, F1Tally[] Overlap) Tallies(SpanTable table, int label)
    {
        var exact = new F1Tally[table.Paired.Length];
        var overlap = new F1Tally[table.Paired.Length];
        for (var d = 0; d < table.Paired.Length; d++)
        {
            var readers = table.Paired[d].Spans[label];
            for (var r1 = 0; r1 < readers.Length; r1++)
                for (var r2 = r1 + 1; r2 < readers.Length; r2++)
                {
                    var (a, b) = (readers[r1], readers[r2]);
                    exact[d] += new F1Tally(ExactMatches(a, b), a.Length + b.Length);
                    overlap[d] += new F1Tally(OverlapMatches(a, b), a.Length + b.Length);
                }
        }
        return (exact, overlap);
    }
}
