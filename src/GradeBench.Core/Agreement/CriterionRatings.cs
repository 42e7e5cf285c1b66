using System.Globalization;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Agreement;

/// <summary>One stored rating of one criterion: the unit is the response, the value is canonical text.</summary>
public readonly record struct StoredRating(long ResponseId, long RaterId, string Value);

/// <summary>How a rubric criterion enters the agreement statistics (docs/agreement.md, "Criteria of a study"):
/// its measurement level and its categories in scale order.</summary>
public static class CriterionRatings
{
    /// <summary>Likert and ordinal criteria are ordinal, nominal and binary nominal, numeric interval; text has none.</summary>
    public static MeasurementLevel? Level(Criterion criterion) => criterion.Type switch
    {
        CriterionType.Likert or CriterionType.Ordinal => MeasurementLevel.Ordinal,
        CriterionType.Nominal or CriterionType.Binary => MeasurementLevel.Nominal,
        CriterionType.Numeric => MeasurementLevel.Interval,
        _ => null,
    };

    /// <summary>The scale of the criterion in order; for numeric criteria the distinct values seen, in numeric order.</summary>
    public static IReadOnlyList<string> Categories(Criterion criterion, IEnumerable<string> seen) => criterion.Type switch
    {
        CriterionType.Likert when criterion is { Min: { } min, Max: { } max } =>
            Enumerable.Range((int)min, (int)(max - min) + 1).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList(),
        CriterionType.Ordinal or CriterionType.Nominal => criterion.Options.Select(o => o.Value).ToList(),
        CriterionType.Binary => ["false", "true"],
        _ => Scale.Infer(seen),
    };

    /// <summary>Units are responses, numbered by <paramref name="unitOrder"/>, else in id order; raters in id order,
    /// whatever order the ratings come in. Values off the scale are not expected (the store checks them) and are rejected.</summary>
    /// <param name="unitOrder">Each response's place: the bootstrap draws units by their number, and a study numbers its
    /// responses as ratings.csv lists them (<c>ResultsInput.UnitOrder</c>, docs/agreement.md), its database ids being
    /// drawn at random for blinding.</param>
    public static RatingMatrix Matrix(Criterion criterion, IReadOnlyCollection<StoredRating> ratings, IReadOnlyDictionary<long, int>? unitOrder = null)
    {
        var categories = Categories(criterion, ratings.Select(r => r.Value).Distinct());
        var categoryIndex = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var units = InUnitOrder(ratings.Select(r => r.ResponseId).Distinct(), unitOrder);
        var raters = ratings.Select(r => r.RaterId).Distinct().Order().ToArray();
        var unitIndex = units.Select((u, i) => (u, i)).ToDictionary(x => x.u, x => x.i);
        var raterIndex = raters.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        var cells = new int[units.Length * raters.Length];
        Array.Fill(cells, RatingMatrix.Missing);
        foreach (var rating in ratings)
            cells[unitIndex[rating.ResponseId] * raters.Length + raterIndex[rating.RaterId]] = categoryIndex.TryGetValue(rating.Value, out var c)
                ? c
                : throw new ArgumentException($"\"{rating.Value}\" is not on the scale of criterion {criterion.Id}.");
        return RatingMatrix.FromCells(units.Length, raters.Length, categories, cells, Scale.NumericValues(categories),
            units.Select(u => u.ToString(CultureInfo.InvariantCulture)).ToArray(), raters.Select(r => r.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>The same units and ratings as <see cref="Matrix"/>, but each unit's ratings fill its first columns
    /// (column j holds the unit's j-th rating, in rater id order) instead of one column per rater. Enough for
    /// Krippendorff's alpha and its bootstrap, which see only how many ratings of each category a unit has, never who
    /// gave them: same results, with units × (most ratings of one unit) cells instead of units × raters. With 200
    /// raters of whom 3 rate each response, the per-rater matrix is 98% empty cells, rebuilt on every update of the
    /// dashboard (docs/reliability.md, "Load"). Not for coefficients that pair raters (Cohen's kappa, ICC).</summary>
    /// <param name="unitOrder">As for <see cref="Matrix"/>.</param>
    public static RatingMatrix UnitMatrix(Criterion criterion, IReadOnlyCollection<StoredRating> ratings, IReadOnlyDictionary<long, int>? unitOrder = null)
    {
        var categories = Categories(criterion, ratings.Select(r => r.Value).Distinct());
        var categoryIndex = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var groups = ratings.GroupBy(r => r.ResponseId).ToDictionary(g => g.Key);
        var byUnit = InUnitOrder(groups.Keys, unitOrder).Select(u => groups[u]).ToArray();
        var slots = byUnit.Length == 0 ? 0 : byUnit.Max(g => g.Count());
        var cells = new int[byUnit.Length * slots];
        Array.Fill(cells, RatingMatrix.Missing);
        for (var u = 0; u < byUnit.Length; u++)
        {
            var j = 0;
            foreach (var rating in byUnit[u].OrderBy(r => r.RaterId))
                cells[u * slots + j++] = categoryIndex.TryGetValue(rating.Value, out var c)
                    ? c
                    : throw new ArgumentException($"\"{rating.Value}\" is not on the scale of criterion {criterion.Id}.");
        }
        return RatingMatrix.FromCells(byUnit.Length, slots, categories, cells, Scale.NumericValues(categories),
            byUnit.Select(g => g.Key.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    static long[] InUnitOrder(IEnumerable<long> responses, IReadOnlyDictionary<long, int>? unitOrder) =>
        unitOrder is null ? [.. responses.Order()] : [.. responses.OrderBy(u => unitOrder[u])];
}
