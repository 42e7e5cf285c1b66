using GradeBench.Core.Agreement;

namespace GradeBench.Core.Tests.Agreement;

public sealed class KrippendorffAlphaTests
{

    /// <summary>Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers × 12 units, values
    /// 1–5, missing values (Data/krippendorff-2011.md).</summary>
    internal static RatingMatrix Krippendorff2011() => ReadLongCsv("krippendorff-2011.csv", ["1", "2", "3", "4", "5"]);

    /// <summary>Wikipedia "Krippendorff's alpha", computational example: 3 coders × 15 units, values 1–4
    /// (Data/krippendorff-wikipedia.md).</summary>
    static RatingMatrix WikipediaExample() => ReadLongCsv("krippendorff-wikipedia.csv", ["1", "2", "3", "4"]);

    static RatingMatrix ReadLongCsv(string name, IReadOnlyList<string> categories) => AgreementTestData.Long(name, categories);

    static double Alpha(RatingMatrix ratings, MeasurementLevel level) =>
        KrippendorffAlpha.Compute(ratings, level).Value ?? throw new Xunit.Sdk.XunitException(
            "alpha is absent: " + KrippendorffAlpha.Compute(ratings, level).Reason);

    // Published: Krippendorff (2011), the worked example's α_nominal = .743, α_ordinal = .815, α_interval = .849,
    // α_ratio = .797 (3 decimals). More digits: PyPI `krippendorff` on the same data, as quoted by an independent
    // test suite, gives nominal 0.743421, ordinal 0.815388, interval 0.849107; R irrCAC's README gives
    // krippen.alpha.raw(cac.raw4raters) = 0.74342. The exact values are the fractions of the paper's own formulas
    // evaluated in exact rational arithmetic (coincidences o_ck with denominators m_u − 1, n = 40; a Python
    // `fractions` script written for this test): 113/152, 108577/133160, 951/1120 and 18222619/22852465, which
    // agree with every digit above.
    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.743, 0.743421, 113.0 / 152)]
    [InlineData(MeasurementLevel.Ordinal, 0.815, 0.815388, 108577.0 / 133160)]
    [InlineData(MeasurementLevel.Interval, 0.849, 0.849107, 951.0 / 1120)]
    [InlineData(MeasurementLevel.Ratio, 0.797, 0.797403, 18222619.0 / 22852465)]
    public void KrippendorffWorkedExampleGivesThePublishedAlphaAtEveryLevel(MeasurementLevel level, double published,
        double sixDigits, double exact)
    {
        var alpha = Alpha(Krippendorff2011(), level);

        Assert.Equal(published, alpha, 3);
        Assert.Equal(sixDigits, alpha, 6);
        Assert.Equal(exact, alpha, 14);
    }

    [Fact]
    public void KrippendorffWorkedExampleLeavesOutTheUnitWithOneValue()
    {
        // Krippendorff (2011): unit 12 holds one value only, so n = 40 pairable values in 11 units.
        Assert.Equal(new UnitUsage(Used: 11, LeftOut: 1, PairableValues: 40), KrippendorffAlpha.PairableUnits(Krippendorff2011()));
    }

    // Published: Wikipedia, "Krippendorff's alpha", computational example, α_nominal = 0.691. Six digits and the
    // interval value from the Python `krippendorff` package's tests on the same data (0.691358, 0.810845; R icr's
    // tests: 0.691, 0.811); exact fractions 56/81 and 643/793 from the same exact-arithmetic script (n = 26).
    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.691358, 56.0 / 81)]
    [InlineData(MeasurementLevel.Interval, 0.810845, 643.0 / 793)]
    public void WikipediaExampleGivesThePublishedAlpha(MeasurementLevel level, double sixDigits, double exact)
    {
        var alpha = Alpha(WikipediaExample(), level);

        Assert.Equal(sixDigits, alpha, 6);
        Assert.Equal(exact, alpha, 14);
        // Units 2 and 14 have no rating, so the long file has no row for them; unit 1 has one and is left out.
        Assert.Equal(new UnitUsage(Used: 12, LeftOut: 1, PairableValues: 26), KrippendorffAlpha.PairableUnits(WikipediaExample()));
    }

    [Theory]
    [InlineData(MeasurementLevel.Nominal)]
    [InlineData(MeasurementLevel.Ordinal)]
    [InlineData(MeasurementLevel.Interval)]
    [InlineData(MeasurementLevel.Ratio)]
    public void NoVariationIsAbsentWithAReason(MeasurementLevel level)
    {
        var ratings = RatingMatrix.FromTable(new string?[,] { { "2", "2", null }, { "2", "2", "2" }, { null, "2", "2" } }, ["1", "2", "3"]);

        var alpha = KrippendorffAlpha.Compute(ratings, level);

        Assert.Null(alpha.Value);
        Assert.Contains("No variation", alpha.Reason?.ToString());
    }

    [Theory]
    [InlineData(MeasurementLevel.Nominal)]
    [InlineData(MeasurementLevel.Ratio)]
    public void SingleRaterIsAbsentWithAReason(MeasurementLevel level)
    {
        var ratings = RatingMatrix.FromTable(new string?[,] { { "1" }, { "2" }, { "3" } });

        var alpha = KrippendorffAlpha.Compute(ratings, level);

        Assert.Null(alpha.Value);
        Assert.Contains("two or more raters", alpha.Reason?.ToString());
        Assert.Equal(new UnitUsage(0, 3, 0), KrippendorffAlpha.PairableUnits(ratings));
    }

    [Fact]
    public void UnitsWithFewerThanTwoRatingsDoNotChangeAlphaAndAreCounted()
    {
        var table = new string?[,] { { "1", "2", "1" }, { "2", "2", null }, { "3", "3", "2" }, { "1", "1", "1" } };
        var padded = new string?[,] { { "1", "2", "1" }, { "2", "2", null }, { null, "3", null }, { "3", "3", "2" }, { null, null, null }, { "1", "1", "1" } };

        foreach (var level in Enum.GetValues<MeasurementLevel>())
            Assert.Equal(Alpha(RatingMatrix.FromTable(table, ["1", "2", "3"]), level),
                Alpha(RatingMatrix.FromTable(padded, ["1", "2", "3"]), level), 15);
        Assert.Equal(new UnitUsage(4, 2, 11), KrippendorffAlpha.PairableUnits(RatingMatrix.FromTable(padded, ["1", "2", "3"])));
    }

    [Fact]
    public void IntervalAndRatioNeedNumericCategories()
    {
        var ratings = RatingMatrix.FromTable(new string?[,] { { "low", "high" }, { "high", "high" } }, ["low", "high"]);

        Assert.Contains("numeric categories", KrippendorffAlpha.Compute(ratings, MeasurementLevel.Interval).Reason?.ToString());
        Assert.Contains("numeric categories", KrippendorffAlpha.Compute(ratings, MeasurementLevel.Ratio).Reason?.ToString());
        Assert.NotNull(KrippendorffAlpha.Compute(ratings, MeasurementLevel.Ordinal).Value);
    }

    [Fact]
    public void RatioNeedsNonNegativeValues()
    {
        var ratings = RatingMatrix.FromTable(new string?[,] { { "-1", "1" }, { "1", "1" }, { "2", "2" } });

        var ratio = KrippendorffAlpha.Compute(ratings, MeasurementLevel.Ratio);

        Assert.Null(ratio.Value);
        Assert.Contains("\"-1\" is negative", ratio.Reason?.ToString());
        Assert.NotNull(KrippendorffAlpha.Compute(ratings, MeasurementLevel.Interval).Value);
    }

    [Fact]
    public void RatioTakesTwoZerosAsNoDifference()
    {
        // Python krippendorff's test_ratio_metric_with_zeros: [[0, 1, 2], [0, 1, 2]] gives 1.
        var ratings = RatingMatrix.FromTable(new string?[,] { { "0", "0" }, { "1", "1" }, { "2", "2" } });

        Assert.Equal(1.0, KrippendorffAlpha.Compute(ratings, MeasurementLevel.Ratio).Value);
    }

    [Fact]
    public void SystematicDisagreementIsBelowZero()
    {
        // Two units, each rated a and b: o_ab = o_ba = 2, n = 4, D_o = 4/4 = 1, D_e = 2·2·2/(4·3) = 2/3, so
        // α = 1 − 3/2 = −0.5 (nominal).
        var ratings = RatingMatrix.FromTable(new string?[,] { { "a", "b" }, { "b", "a" } });

        Assert.Equal(-0.5, KrippendorffAlpha.Compute(ratings, MeasurementLevel.Nominal).Value!.Value, 15);
    }

    [Fact]
    public void OrdinalUsesTheDeclaredOrderNotTheLabels()
    {
        // The same ratings, once on the scale in its declared order and once with labels that sort differently:
        // ordinal alpha depends only on positions in the declared scale.
        var numbers = RatingMatrix.FromTable(new string?[,] { { "1", "2" }, { "2", "3" }, { "3", "3" }, { "1", "1" } }, ["1", "2", "3"]);
        var words = RatingMatrix.FromTable(new string?[,] { { "none", "some" }, { "some", "all" }, { "all", "all" }, { "none", "none" } }, ["none", "some", "all"]);

        Assert.Equal(Alpha(numbers, MeasurementLevel.Ordinal), Alpha(words, MeasurementLevel.Ordinal), 15);
    }

    [Fact]
    public void UnitWeightsGiveTheAlphaOfTheResampledMatrix()
    {
        var ratings = Krippendorff2011();
        int[] indices = [0, 0, 5, 7, 7, 7, 11, 3, 9, 1, 5, 10];
        var weights = new int[ratings.UnitCount];
        foreach (var i in indices) weights[i]++;

        foreach (var level in Enum.GetValues<MeasurementLevel>())
            Assert.Equal(Alpha(ratings.Resample(indices), level), KrippendorffAlpha.Compute(ratings, level, weights).Value!.Value, 14);
    }

    [Fact]
    public void UnitWeightsOfOneEqualNoWeights()
    {
        var ratings = Krippendorff2011();
        var ones = Enumerable.Repeat(1, ratings.UnitCount).ToArray();

        foreach (var level in Enum.GetValues<MeasurementLevel>())
            Assert.Equal(KrippendorffAlpha.Compute(ratings, level), KrippendorffAlpha.Compute(ratings, level, ones));
    }

    [Fact]
    public void ZeroWeightOnEveryPairableUnitIsAbsent()
    {
        var ratings = Krippendorff2011();
        var weights = new int[ratings.UnitCount];
        weights[11] = 5; // the unit with one value

        Assert.Null(KrippendorffAlpha.Compute(ratings, MeasurementLevel.Nominal, weights).Value);
    }

    [Fact]
    public void WrongUnitWeightsAreAProgrammingError()
    {
        var ratings = Krippendorff2011();

        Assert.Throws<ArgumentException>(() => KrippendorffAlpha.Compute(ratings, MeasurementLevel.Nominal, new int[3]));
        Assert.Throws<ArgumentException>(() => KrippendorffAlpha.Compute(ratings, MeasurementLevel.Nominal, Enumerable.Repeat(-1, 12).ToArray()));
    }

    [Fact]
    public void ManyCategoriesGiveTheSameAlphaAsTheirFewUsedOnes()
    {
        // 200 declared categories (work arrays on the heap), of which only 1–5 are used: unused categories change
        // nothing at any level.
        var small = Krippendorff2011();
        var scale = Enumerable.Range(1, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var cells = new int[small.UnitCount * small.RaterCount];
        for (var u = 0; u < small.UnitCount; u++)
            for (var r = 0; r < small.RaterCount; r++)
                cells[u * small.RaterCount + r] = small.Category(u, r);
        var large = RatingMatrix.FromCells(small.UnitCount, small.RaterCount, scale, cells, Scale.NumericValues(scale));

        foreach (var level in Enum.GetValues<MeasurementLevel>())
            Assert.Equal(Alpha(small, level), Alpha(large, level), 14);
    }
}
