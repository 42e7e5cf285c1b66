using GradeBench.Core.Agreement;

namespace GradeBench.Core.Tests.Agreement;

/// <summary>Reads the published data sets under Agreement/Data (each file opens with '#' lines citing its source) and
/// builds the small random matrices the property tests use.</summary>
static class AgreementTestData
{
    static string PathOf(string file) =>
        Path.Combine(TestPaths.RepositoryRoot, "tests", "GradeBench.Core.Tests", "Agreement", "Data", file);

    static List<string[]> Records(string file) =>
        File.ReadLines(PathOf(file))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(','))
            .ToList();

    /// <summary>A two-rater cross table (header: corner, then the K categories; each row: category, then K counts)
    /// expanded to one unit per counted pair: rater 1 gives the row category, rater 2 the column category.</summary>
    public static RatingMatrix CrossTable(string file)
    {
        var records = Records(file);
        var categories = records[0].Skip(1).ToArray();
        var cells = new List<int>();
        for (var i = 0; i < categories.Length; i++)
            for (var j = 0; j < categories.Length; j++)
                for (var n = int.Parse(records[i + 1][j + 1]); n > 0; n--) cells.AddRange([i, j]);
        return RatingMatrix.FromCells(cells.Count / 2, 2, categories, [.. cells]);
    }

    /// <summary>A units × categories table of counts (Fleiss' layout: how many raters chose each category for the unit),
    /// expanded to as many rater slots as the largest unit total; raters are anonymous, which Fleiss' kappa allows.</summary>
    public static RatingMatrix CountTable(string file, int? firstUnits = null)
    {
        var records = Records(file);
        var categories = records[0].Skip(1).ToArray();
        var rows = records.Skip(1).Take(firstUnits ?? int.MaxValue).Select(r => r.Skip(1).Select(int.Parse).ToArray()).ToList();
        var raters = rows.Max(r => r.Sum());
        var cells = Enumerable.Repeat(RatingMatrix.Missing, rows.Count * raters).ToArray();
        for (var u = 0; u < rows.Count; u++)
        {
            var slot = 0;
            for (var c = 0; c < categories.Length; c++)
                for (var n = 0; n < rows[u][c]; n++) cells[u * raters + slot++] = c;
        }
        return RatingMatrix.FromCells(rows.Count, raters, categories, cells);
    }

    /// <summary>Long format <c>unit,rater,value</c> (after any '#' citation lines), read by the same reader as
    /// <c>gradebench agreement</c>; units and raters in order of first appearance. Without categories, the observed
    /// values in numeric order.</summary>
    public static RatingMatrix Long(string file, IReadOnlyList<string>? categories = null)
    {
        var text = string.Join('\n', File.ReadLines(PathOf(file)).Where(line => !line.StartsWith('#')));
        return RatingsCsv.Read(new StringReader(text), MeasurementLevel.Nominal, categories);
    }

    /// <summary>A random matrix: 1–30 units, the given raters, K categories, each rating missing with the given chance.</summary>
    public static RatingMatrix Random(int seed, int raters, int categories, double missing)
    {
        var random = new Random(seed);
        var units = random.Next(1, 31);
        var cells = new int[units * raters];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = random.NextDouble() < missing ? RatingMatrix.Missing : random.Next(categories);
        return RatingMatrix.FromCells(units, raters, Scale(categories), cells);
    }

    public static string[] Scale(int categories) => Enumerable.Range(1, categories).Select(i => i.ToString()).ToArray();

    /// <summary>Rebuilds a matrix with its units, raters and categories permuted.</summary>
    public static RatingMatrix Permute(RatingMatrix m, int[] units, int[] raters, int[] categories)
    {
        var cells = new int[m.UnitCount * m.RaterCount];
        for (var u = 0; u < m.UnitCount; u++)
            for (var r = 0; r < m.RaterCount; r++)
            {
                var c = m.Category(units[u], raters[r]);
                cells[u * m.RaterCount + r] = c == RatingMatrix.Missing ? c : categories[c];
            }
        return RatingMatrix.FromCells(m.UnitCount, m.RaterCount, m.Categories, cells);
    }

    public static int[] Shuffle(Random random, int n)
    {
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        return order;
    }
}
