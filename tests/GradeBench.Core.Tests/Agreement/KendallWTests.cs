using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GradeBench.Core.Agreement;

namespace GradeBench.Core.Tests.Agreement;

public sealed class KendallWTests
{
    [Fact]
    public void AnxietyRatingsWithTiesMatchIrrAndDescTools()
    {
        // The anxiety data of R package irr (Gamer et al.): 20 subjects rated 1–6 by 3 raters, with many ties
        // within raters. Independent implementation: DescTools::KendallW(anxiety, correct = TRUE) = 0.5396569
        // (DescTools reference page; the function is irr::kendall "without logical changes"), Kendall
        // chi-squared 30.76 on 19 df = m(n − 1)W.
        var w = KendallW.Compute(Load("irr-anxiety.csv"));

        Assert.Equal(0.5396569, Math.Round(w.Value!.Value, 7));
        Assert.Equal(30.76, Math.Round(3 * 19 * w.Value!.Value, 2));
    }

    [Fact]
    public void SiegelCastellanExampleMatchesDescTools()
    {
        // Siegel, S., & Castellan, N. J. (1988). Nonparametric statistics for the behavioral sciences (2nd ed.),
        // Kendall's W example: 3 raters (ids 4, 21, 11) rank 8 attributes of a travel offer, as reproduced in the
        // DescTools::KendallW examples, which print W = 0.6560847 and Kendall chi-squared = 13.778 on 7 df
        // (equal to friedman.test on the same data).
        var w = KendallW.Compute(Load("siegel-castellan-1988-kendall-w.csv"));

        Assert.Equal(0.6560847, Math.Round(w.Value!.Value, 7));
        Assert.Equal(13.778, Math.Round(3 * 7 * w.Value!.Value, 3));
    }

    [Fact]
    public void RanksWithoutTiesMatchIrrKendall()
    {
        // dwoll/RExRepos (md/interRaterICC.md): irr::kendall on 3 raters ranking 6 subjects prints W = 0.568,
        // Chisq(5) = 8.52. By hand: rank sums 4, 14, 15, 9, 13, 8 around 10.5, S = 89.5, W = 12·89.5/(9·210).
        var w = KendallW.Compute(Matrix(new[,]
        {
            { "1", "1", "2" }, { "6", "5", "3" }, { "3", "6", "6" }, { "2", "2", "5" }, { "5", "4", "4" }, { "4", "3", "1" },
        }));

        Assert.Equal(0.568, Math.Round(w.Value!.Value, 3));
        Assert.Equal(12 * 89.5 / (9 * 210), w.Value!.Value, 14);
    }

    [Fact]
    public void TieCorrectionByHand()
    {
        // Two raters, four units. Rater 1: 1, 1, 2, 3 → midranks 1.5, 1.5, 3, 4 (one tie of 2: T = 6).
        // Rater 2: 1, 2, 2, 3 → 1, 2.5, 2.5, 4 (T = 6). Rank sums 2.5, 4, 5.5, 8 around 5: S = 16.5.
        // W = 12·16.5 / (4·60 − 2·12) = 198/216.
        var w = KendallW.Compute(Matrix(new[,] { { "1", "1" }, { "1", "2" }, { "2", "2" }, { "3", "3" } }));

        Assert.Equal(198.0 / 216, w.Value!.Value, 14);
    }

    [Fact]
    public void RanksComeFromCategoryPositionsSoUnusedCategoriesDoNotMatter()
    {
        var table = new[,] { { "a", "b" }, { "c", "c" }, { "b", "a" }, { "d", "d" } };
        var tight = KendallW.Compute(RatingMatrix.FromTable(table, ["a", "b", "c", "d"]));
        var spread = KendallW.Compute(RatingMatrix.FromTable(table, ["a", "x", "b", "y", "z", "c", "d"]));

        Assert.Equal(tight.Value, spread.Value);
    }

    [Fact]
    public void ARaterWhoTiesEveryUnitCountsAsHavingNoPreference()
    {
        // Two raters who rank identically and one who rates every unit alike: W = p/m = 2/3.
        var w = KendallW.Compute(Matrix(new[,] { { "1", "1", "3" }, { "2", "2", "3" }, { "3", "3", "3" }, { "4", "4", "3" } }));

        Assert.Equal(2.0 / 3, w.Value!.Value, 14);
    }

    [Fact]
    public void WIsAbsentWhenNoRaterTellsAnyUnitsApart()
    {
        var w = KendallW.Compute(Matrix(new[,] { { "1", "2" }, { "1", "2" }, { "1", "2" } }));

        Assert.Null(w.Value);
        Assert.Contains("no rankings", w.Reason?.ToString());
    }

    [Fact]
    public void WIsAbsentWhenARatingIsMissing()
    {
        var w = KendallW.Compute(Matrix(new[,] { { "1", "2" }, { null, "1" }, { "3", "3" } }));

        Assert.Null(w.Value);
        Assert.Contains("complete data", w.Reason?.ToString());
        Assert.Contains("1 of 6", w.Reason?.ToString());
    }

    [Fact]
    public void WIsAbsentWithOneUnitOrOneRater()
    {
        Assert.Contains("two units", KendallW.Compute(Matrix(new[,] { { "1", "2", "3" } })).Reason?.ToString());
        Assert.Contains("two raters", KendallW.Compute(Matrix(new[,] { { "1" }, { "2" } })).Reason?.ToString());
    }

    [Fact]
    public void WWorksOnOrderedLabelsThatAreNotNumbers()
    {
        var w = KendallW.Compute(RatingMatrix.FromTable(new[,] { { "none", "none" }, { "minor", "major" }, { "major", "major" } },
            ["none", "minor", "major"]));

        Assert.NotNull(w.Value);
    }

    [Property(MaxTest = 200)]
    public Property WDoesNotDependOnTheOrderOfUnitsOrRaters() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var a = KendallW.Compute(c.Ratings);
            var b = KendallW.Compute(c.Permuted);
            return a.HasValue == b.HasValue && (!a.HasValue || Math.Abs(a.Value!.Value - b.Value!.Value) <= 1e-12);
        });

    [Property(MaxTest = 200)]
    public Property WLiesBetweenZeroAndOne() =>
        Prop.ForAll(Cases.ToArbitrary(), c => KendallW.Compute(c.Ratings) is not { Value: { } w } || (w >= 0 && w <= 1 + 1e-12));

    [Property(MaxTest = 200)]
    public Property PerfectAgreementWithVariationGivesOneEvenWithTies() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var ratings = c.Ratings;
            var cells = new int[ratings.UnitCount * ratings.RaterCount];
            for (var u = 0; u < ratings.UnitCount; u++)
                for (var r = 0; r < ratings.RaterCount; r++) cells[u * ratings.RaterCount + r] = ratings.Category(u, 0);
            var agreed = RatingMatrix.FromCells(ratings.UnitCount, ratings.RaterCount, ratings.Categories, cells);
            var varies = Enumerable.Range(1, agreed.UnitCount - 1).Any(u => agreed.Category(u, 0) != agreed.Category(0, 0));
            var w = KendallW.Compute(agreed);
            return varies ? Math.Abs(w.Value!.Value - 1) <= 1e-12 : !w.HasValue;
        });

    /// <summary>A random complete table of category positions and the same table with units and raters shuffled.</summary>
    public sealed record Case(RatingMatrix Ratings, RatingMatrix Permuted)
    {
        public override string ToString() =>
            string.Join(" / ", Enumerable.Range(0, Ratings.UnitCount).Select(u =>
                string.Join(" ", Enumerable.Range(0, Ratings.RaterCount).Select(r => Ratings.Category(u, r)))));
    }

    static readonly Gen<Case> Cases =
        from units in Gen.Choose(2, 10)
        from raters in Gen.Choose(2, 6)
        from categories in Gen.Choose(2, 7)
        from cells in Gen.ArrayOf(Gen.Choose(0, categories - 1), units * raters)
        from unitOrder in Gen.Shuffle(Enumerable.Range(0, units))
        from raterOrder in Gen.Shuffle(Enumerable.Range(0, raters))
        select MakeCase(units, raters, categories, cells, unitOrder, raterOrder);

    static Case MakeCase(int units, int raters, int categories, int[] cells, int[] unitOrder, int[] raterOrder)
    {
        var scale = Enumerable.Range(1, categories).Select(i => i.ToString()).ToArray();
        var shuffled = new int[cells.Length];
        for (var u = 0; u < units; u++)
            for (var r = 0; r < raters; r++)
                shuffled[u * raters + r] = cells[unitOrder[u] * raters + raterOrder[r]];
        return new Case(RatingMatrix.FromCells(units, raters, scale, cells), RatingMatrix.FromCells(units, raters, scale, shuffled));
    }

    static RatingMatrix Matrix(string?[,] table) => RatingMatrix.FromTable(table);

    static RatingMatrix Load(string file, IReadOnlyList<string>? categories = null) => AgreementTestData.Long(file, categories);
}
