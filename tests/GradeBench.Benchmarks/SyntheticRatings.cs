using System.Globalization;
using GradeBench.Core.Agreement;

namespace GradeBench.Benchmarks;

/// <summary>Seeded synthetic ratings: each unit has a true category on a K-point scale, each rater reports it
/// off by one with probability 0.3, and a share of cells is missing.</summary>
public static class SyntheticRatings
{
    public static RatingMatrix Create(int units, int raters, int categories = 5, double missing = 0.1, int seed = 42)
    {
        var random = new Random(seed);
        var cells = new int[units * raters];
        for (var u = 0; u < units; u++)
        {
            var truth = random.Next(categories);
            for (var r = 0; r < raters; r++)
            {
                if (random.NextDouble() < missing) { cells[u * raters + r] = RatingMatrix.Missing; continue; }
                var noise = random.NextDouble() < 0.3 ? (random.Next(2) == 0 ? -1 : 1) : 0;
                cells[u * raters + r] = Math.Clamp(truth + noise, 0, categories - 1);
            }
        }
        var labels = Enumerable.Range(1, categories).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return RatingMatrix.FromCells(units, raters, labels, cells, labels.Select(double.Parse).ToArray());
    }

    /// <summary>Writes the ratings as the long CSV that <c>gradebench agreement</c> reads.</summary>
    public static void WriteCsv(RatingMatrix ratings, string path)
    {
        using var writer = new StreamWriter(path);
        writer.Write("unit,rater,value\n");
        for (var u = 0; u < ratings.UnitCount; u++)
            for (var r = 0; r < ratings.RaterCount; r++)
                if (ratings.Category(u, r) is var c and not RatingMatrix.Missing)
                    writer.Write($"u{u},r{r},{ratings.Categories[c]}\n");
    }
}
