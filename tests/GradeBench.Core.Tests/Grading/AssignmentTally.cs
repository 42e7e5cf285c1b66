using GradeBench.Core.Grading;

namespace GradeBench.Core.Tests.Grading;

/// <summary>Counts what a set of assignments gives each rater of a pool: load, who rates each response, and how many
/// responses each unordered pair of raters shares. Counted naively, independently of the planner's own bookkeeping.</summary>
sealed class AssignmentTally
{
    readonly long[] _raters;

    public AssignmentTally(IReadOnlyList<long> raters, IEnumerable<Assignment> assignments)
    {
        _raters = [.. raters];
        foreach (var a in assignments)
        {
            if (!RatersOf.TryGetValue(a.ResponseId, out var set)) RatersOf[a.ResponseId] = set = [];
            set.Add(a.RaterId);
        }
        foreach (var rater in _raters) Load[rater] = 0;
        foreach (var set in RatersOf.Values)
        {
            var inPool = set.Where(Load.ContainsKey).ToArray();
            foreach (var rater in inPool) Load[rater]++;
            foreach (var x in inPool)
                foreach (var y in inPool)
                    if (x < y) Pairs[(x, y)] = Pairs.GetValueOrDefault((x, y)) + 1;
        }
    }

    public Dictionary<long, int> Load { get; } = [];
    public Dictionary<long, HashSet<long>> RatersOf { get; } = [];
    public Dictionary<(long, long), int> Pairs { get; } = [];

    public int LoadSpread => Load.Count == 0 ? 0 : Load.Values.Max() - Load.Values.Min();

    /// <summary>Max − min over every unordered pair of the pool, pairs that share nothing counting as zero.</summary>
    public int PairSpread
    {
        get
        {
            if (_raters.Length < 2) return 0;
            var counts = new List<int>();
            foreach (var x in _raters)
                foreach (var y in _raters)
                    if (x < y) counts.Add(Pairs.GetValueOrDefault((x, y)));
            return counts.Max() - counts.Min();
        }
    }

    public int Covered(long responseId) => RatersOf.TryGetValue(responseId, out var set) ? set.Count : 0;
}

static class Ids
{
    public static long[] Responses(int count, int first = 1) => [.. Enumerable.Range(first, count).Select(i => 100L + i)];

    public static long[] Raters(int count, int first = 1) => [.. Enumerable.Range(first, count).Select(i => 7000L + 3 * i)];
}
