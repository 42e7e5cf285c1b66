using System.Globalization;
using System.Runtime.InteropServices;
using GradeBench.Core.Agreement;
using GradeBench.Core.Rubrics;

namespace GradeBench.Storage.Agreement;

/// <summary>One submitted rating without an object of its own: the value is an index into its criterion's distinct values.</summary>
public readonly record struct PackedRating(long ResponseId, long RaterId, int Value);

/// <summary>One criterion's submitted ratings as a flat array of structs, each distinct value one string: a large study's
/// 1.6M ratings as objects with a string each took most of the dashboard agreement's time (docs/benchmarks.md).</summary>
public sealed class CriterionSubmissions
{
    readonly List<PackedRating> _ratings = [];
    readonly List<string> _values = [];
    readonly HashSet<long> _responses = [];
    bool _grouped = true;

    public int Count => _ratings.Count;

    /// <summary>The distinct values of the criterion's ratings, in the order first met.</summary>
    public IReadOnlyList<string> Values => _values;

    internal List<string> ValueTable => _values;

    internal void Add(long responseId, long raterId, int value)
    {
        var rating = new PackedRating(responseId, raterId, value);
        // Rows read in the query's order (each response's together, by rater) need no sort.
        if (_ratings.Count == 0 || _ratings[^1].ResponseId != responseId)
        {
            if (!_responses.Add(responseId)) _grouped = false;
        }
        else if (raterId < _ratings[^1].RaterId) _grouped = false;
        _ratings.Add(rating);
    }

    /// <summary>The ratings by response, the responses in the order first added (the units' numbers), then by rater id.</summary>
    public ReadOnlySpan<PackedRating> Ratings
    {
        get
        {
            if (!_grouped)
            {
                var order = new Dictionary<long, int>();
                foreach (var rating in _ratings) order.TryAdd(rating.ResponseId, order.Count);
                CollectionsMarshal.AsSpan(_ratings).Sort((a, b) => a.ResponseId != b.ResponseId
                    ? order[a.ResponseId].CompareTo(order[b.ResponseId])
                    : a.RaterId.CompareTo(b.RaterId));
                _grouped = true;
            }
            return CollectionsMarshal.AsSpan(_ratings);
        }
    }

    /// <summary>How many raters gave at least one of these ratings.</summary>
    public int RaterCount()
    {
        var raters = new HashSet<long>();
        foreach (var rating in CollectionsMarshal.AsSpan(_ratings)) raters.Add(rating.RaterId);
        return raters.Count;
    }

    /// <summary>The matrix <see cref="CriterionRatings.UnitMatrix"/> builds from the same ratings as objects: units are
    /// responses in the order they were added, each unit's ratings fill its first columns in rater id order.</summary>
    public RatingMatrix UnitMatrix(Criterion criterion)
    {
        var categories = CriterionRatings.Categories(criterion, _values);
        var categoryIndex = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var categoryOf = _values.Select(v => categoryIndex.TryGetValue(v, out var c)
            ? c
            : throw new ArgumentException($"\"{v}\" is not on the scale of criterion {criterion.Id}.")).ToArray();
        var ratings = Ratings;
        var (units, slots) = (0, 0);
        for (var i = 0; i < ratings.Length;)
        {
            var start = i;
            while (i < ratings.Length && ratings[i].ResponseId == ratings[start].ResponseId) i++;
            units++;
            slots = Math.Max(slots, i - start);
        }
        var cells = new int[units * slots];
        Array.Fill(cells, RatingMatrix.Missing);
        var unitIds = new string[units];
        for (int i = 0, u = -1, j = 0; i < ratings.Length; i++, j++)
        {
            if (i == 0 || ratings[i].ResponseId != ratings[i - 1].ResponseId)
            {
                (u, j) = (u + 1, 0);
                unitIds[u] = ratings[i].ResponseId.ToString(CultureInfo.InvariantCulture);
            }
            cells[u * slots + j] = categoryOf[ratings[i].Value];
        }
        return RatingMatrix.FromCells(units, slots, categories, cells, Scale.NumericValues(categories), unitIds);
    }
}
