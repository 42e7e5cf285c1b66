namespace GradeBench.Core.Agreement;

/// <summary>The units reduced to their sufficient statistics for the bootstrap: the distinct rows of per-unit
/// category counts (with two raters, the distinct ordered pairs of categories, which Cohen's kappa needs), which
/// unit has which pattern, and each pattern's counts, ratings and rater row. Every bootstrapped coefficient is a
/// function of a resample's weight per pattern, so a resample costs its draws plus O(patterns × K), not a pass over
/// the units per coefficient. 100,000 units of 10 raters on a 5-point scale have at most 1,001 count patterns.</summary>
internal sealed class UnitPatterns
{
    UnitPatterns(int[] patternOfUnit, int[] counts, int[] totals, int[] cells, int count)
    {
        PatternOfUnit = patternOfUnit;
        Counts = counts;
        Totals = totals;
        Cells = cells;
        Count = count;
    }

    public int Count { get; }

    /// <summary>[unit] = its pattern.</summary>
    public int[] PatternOfUnit { get; }

    /// <summary>[pattern * K + category] = the pattern's count of the category.</summary>
    public int[] Counts { get; }

    /// <summary>[pattern] = its number of ratings.</summary>
    public int[] Totals { get; }

    /// <summary>[pattern * raters + rater] = the category of the first unit of the pattern (its representative).</summary>
    public int[] Cells { get; }

    public static UnitPatterns Of(RatingMatrix ratings)
    {
        int k = ratings.CategoryCount, raters = ratings.RaterCount;
        // With two raters the ordered pair (rater 1, rater 2) is the pattern, so Cohen's kappa can be resampled
        // too; it determines the counts. With more, only the counts matter to any bootstrapped coefficient.
        var byCells = raters == 2;
        var patternOf = new Dictionary<int, int>(new SameRow(ratings, byCells));
        var patternOfUnit = new int[ratings.UnitCount];
        var representatives = new List<int>();
        for (var u = 0; u < ratings.UnitCount; u++)
        {
            if (!patternOf.TryGetValue(u, out var p))
            {
                p = representatives.Count;
                patternOf.Add(u, p);
                representatives.Add(u);
            }
            patternOfUnit[u] = p;
        }
        var count = representatives.Count;
        var counts = new int[count * k];
        var totals = new int[count];
        var cells = new int[count * raters];
        for (var p = 0; p < count; p++)
        {
            var u = representatives[p];
            ratings.AllUnitCounts.Slice(u * k, k).CopyTo(counts.AsSpan(p * k, k));
            totals[p] = ratings.AllUnitTotals[u];
            ratings.UnitRow(u).CopyTo(cells.AsSpan(p * raters, raters));
        }
        return new UnitPatterns(patternOfUnit, counts, totals, cells, count);
    }

    /// <summary>Units are equal when their count rows (or, by cells, their rater rows) are.</summary>
    sealed class SameRow(RatingMatrix ratings, bool byCells) : IEqualityComparer<int>
    {
        ReadOnlySpan<int> Row(int unit) => byCells
            ? ratings.UnitRow(unit)
            : ratings.AllUnitCounts.Slice(unit * ratings.CategoryCount, ratings.CategoryCount);

        public bool Equals(int x, int y) => Row(x).SequenceEqual(Row(y));

        public int GetHashCode(int unit)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Row(unit)));
            return hash.ToHashCode();
        }
    }
}
