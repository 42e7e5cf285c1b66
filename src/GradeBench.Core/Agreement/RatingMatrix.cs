using System.Globalization;

namespace GradeBench.Core.Agreement;

/// <summary>Ratings as a units × raters matrix of category indices (<see cref="Missing"/> where a rater did
/// not rate a unit), with each unit's count of ratings per category precomputed: the coefficients work on
/// those counts, so that their cost grows with units × categories, not with rater pairs.</summary>
public sealed class RatingMatrix
{
    public const int Missing = -1;

    readonly int[] _cells;       // [unit * RaterCount + rater] = category index or Missing
    readonly int[] _unitCounts;  // [unit * CategoryCount + category] = how many raters chose it for the unit
    readonly int[] _unitTotals;  // [unit] = how many ratings the unit has

    RatingMatrix(int unitCount, int raterCount, IReadOnlyList<string> categories, double[]? values, int[] cells,
        IReadOnlyList<string> unitIds, IReadOnlyList<string> raterIds)
    {
        UnitCount = unitCount;
        RaterCount = raterCount;
        Categories = categories;
        CategoryValues = values;
        UnitIds = unitIds;
        RaterIds = raterIds;
        _cells = cells;
        var k = categories.Count;
        _unitCounts = new int[unitCount * k];
        _unitTotals = new int[unitCount];
        var ratings = 0;
        for (var u = 0; u < unitCount; u++)
        {
            var row = u * raterCount;
            for (var r = 0; r < raterCount; r++)
            {
                var c = cells[row + r];
                if (c == Missing) continue;
                if ((uint)c >= (uint)k) throw new ArgumentException($"Category index {c} of unit {u}, rater {r} is outside 0..{k - 1}.");
                _unitCounts[u * k + c]++;
                _unitTotals[u]++;
                ratings++;
            }
        }
        RatingCount = ratings;
    }

    public int UnitCount { get; }
    public int RaterCount { get; }
    public int CategoryCount => Categories.Count;
    public int RatingCount { get; }
    public IReadOnlyList<string> UnitIds { get; }
    public IReadOnlyList<string> RaterIds { get; }

    /// <summary>The categories in scale order (the order matters for ordinal data and weights).</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Each category's number, when every category is a number; else null.</summary>
    public double[]? CategoryValues { get; }

    public bool IsNumeric => CategoryValues is not null;

    public bool IsComplete => RatingCount == UnitCount * RaterCount;

    public int Category(int unit, int rater) => _cells[unit * RaterCount + rater];

    /// <summary>The rater-major row of one unit: category indices or <see cref="Missing"/>.</summary>
    public ReadOnlySpan<int> UnitRow(int unit) => _cells.AsSpan(unit * RaterCount, RaterCount);

    /// <summary>All cells, unit-major: [unit * RaterCount + rater].</summary>
    internal ReadOnlySpan<int> AllCells => _cells;

    /// <summary>All units' category counts, unit-major: [unit * CategoryCount + category].</summary>
    public ReadOnlySpan<int> AllUnitCounts => _unitCounts;

    public ReadOnlySpan<int> AllUnitTotals => _unitTotals;

    /// <summary>Builds a matrix from category indices, row-major by unit (<see cref="Missing"/> for no rating).
    /// Unit and rater ids default to their 1-based positions.</summary>
    public static RatingMatrix FromCells(int unitCount, int raterCount, IReadOnlyList<string> categories, int[] cells,
        double[]? categoryValues = null, IReadOnlyList<string>? unitIds = null, IReadOnlyList<string>? raterIds = null)
    {
        if (cells.Length != unitCount * raterCount) throw new ArgumentException("cells must hold units × raters entries.");
        if (categoryValues is not null && categoryValues.Length != categories.Count) throw new ArgumentException("one value per category");
        return new RatingMatrix(unitCount, raterCount, categories, categoryValues, cells,
            unitIds ?? Enumerable.Range(1, unitCount).Select(i => i.ToString()).ToArray(),
            raterIds ?? Enumerable.Range(1, raterCount).Select(i => i.ToString()).ToArray());
    }

    /// <summary>Builds a matrix from a units × raters table of values (null = missing), for tests and small data.
    /// Categories are the given ones in order, else the distinct values, in numeric order when all are numbers.</summary>
    public static RatingMatrix FromTable(string?[,] table, IReadOnlyList<string>? categories = null)
    {
        int units = table.GetLength(0), raters = table.GetLength(1);
        var values = new List<string>();
        for (var u = 0; u < units; u++)
            for (var r = 0; r < raters; r++)
                if (table[u, r] is { } v) values.Add(v);
        var scale = categories ?? Scale.Infer(values);
        var index = scale.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var cells = new int[units * raters];
        for (var u = 0; u < units; u++)
            for (var r = 0; r < raters; r++)
                cells[u * raters + r] = table[u, r] is { } v
                    ? index.TryGetValue(v, out var c) ? c : throw new ArgumentException($"\"{v}\" is not one of the categories.")
                    : Missing;
        return FromCells(units, raters, scale, cells, Scale.NumericValues(scale));
    }

    /// <summary>A matrix of the given units (repeats allowed), for the bootstrap.</summary>
    public RatingMatrix Resample(ReadOnlySpan<int> units)
    {
        var cells = new int[units.Length * RaterCount];
        for (var i = 0; i < units.Length; i++) UnitRow(units[i]).CopyTo(cells.AsSpan(i * RaterCount, RaterCount));
        var ids = new string[units.Length];
        for (var i = 0; i < units.Length; i++) ids[i] = UnitIds[units[i]];
        return new RatingMatrix(units.Length, RaterCount, Categories, CategoryValues, cells, ids, RaterIds);
    }

    /// <summary>Only the given raters' columns (for example a pair of raters).</summary>
    public RatingMatrix SelectRaters(params int[] raters)
    {
        var cells = new int[UnitCount * raters.Length];
        for (var u = 0; u < UnitCount; u++)
            for (var j = 0; j < raters.Length; j++)
                cells[u * raters.Length + j] = Category(u, raters[j]);
        return new RatingMatrix(UnitCount, raters.Length, Categories, CategoryValues, cells, UnitIds, raters.Select(r => RaterIds[r]).ToArray());
    }

    /// <summary>Unit weights are a bootstrap's multiplicities: one non-negative count per unit, or none.</summary>
    internal void CheckUnitWeights(ReadOnlySpan<int> unitWeights)
    {
        if (unitWeights.IsEmpty) return;
        if (unitWeights.Length != UnitCount)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"unitWeights has {unitWeights.Length} entries for {UnitCount} units."), nameof(unitWeights));
        foreach (var w in unitWeights)
            if (w < 0) throw new ArgumentException("unitWeights must not be negative.", nameof(unitWeights));
    }
}
