using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GradeBench.Core.Agreement;
using MathNet.Numerics.Distributions;

namespace GradeBench.Core.Tests.Agreement;

public sealed class IntraclassCorrelationTests
{
    // Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater reliability.
    // Psychological Bulletin, 86(2), 420–428. Table 2: 6 targets rated by 4 judges (rows 9 2 5 8 / 6 1 3 2 /
    // 8 4 6 8 / 7 1 2 6 / 10 5 6 9 / 6 2 4 7). For these data the paper reports ICC(1,1) = .17,
    // ICC(2,1) = .29, ICC(3,1) = .71, ICC(1,k) = .44, ICC(2,k) = .62, ICC(3,k) = .91.
    static RatingMatrix ShroutFleiss => Load("shrout-fleiss-1979-table2.csv");

    [Fact]
    public void ShroutFleissTable2ReproducesTheSixPublishedIccs()
    {
        var icc = IntraclassCorrelation.Compute(ShroutFleiss);

        Assert.Equal(0.17, Math.Round(icc.Icc1.Value!.Value, 2));
        Assert.Equal(0.29, Math.Round(icc.Icc2.Value!.Value, 2));
        Assert.Equal(0.71, Math.Round(icc.Icc3.Value!.Value, 2));
        Assert.Equal(0.44, Math.Round(icc.Icc1k.Value!.Value, 2));
        Assert.Equal(0.62, Math.Round(icc.Icc2k.Value!.Value, 2));
        Assert.Equal(0.91, Math.Round(icc.Icc3k.Value!.Value, 2));
    }

    [Fact]
    public void ShroutFleissTable2MeanSquaresAreTheExactAnova()
    {
        // By hand from the table (grand mean 127/24): SS between targets 56.2083 (5 df), between judges 97.4583
        // (3 df), residual 15.2917 (15 df), within targets 112.75 (18 df).
        var ms = IntraclassCorrelation.Compute(ShroutFleiss).MeanSquares!.Value;

        Assert.Equal((6, 4), (ms.Units, ms.Raters));
        Assert.Equal(1349.0 / 120, ms.Msr, 12);
        Assert.Equal(2339.0 / 72, ms.Msc, 12);
        Assert.Equal(367.0 / 360, ms.Mse, 12);
        Assert.Equal(451.0 / 72, ms.Msw, 12);
    }

    [Fact]
    public void ShroutFleissTable2MatchesPsychIccWithItsConfidenceLimits()
    {
        // Independent implementation: R psych::ICC on the same table, output quoted in dwoll/RExRepos
        // (md/interRaterICC.md), "lower bound" to 3 decimals, "upper bound" to 2:
        //   ICC1 0.17 [-0.133, 0.72]  ICC2 0.29 [0.019, 0.76]  ICC3 0.71 [0.342, 0.95]
        //   ICC1k 0.44 [-0.884, 0.91] ICC2k 0.62 [0.071, 0.93] ICC3k 0.91 [0.676, 0.99]
        var icc = IntraclassCorrelation.Compute(ShroutFleiss);

        AssertIcc(icc.Icc1, 0.17, 2, -0.133, 3, 0.72, 2);
        AssertIcc(icc.Icc2, 0.29, 2, 0.019, 3, 0.76, 2);
        AssertIcc(icc.Icc3, 0.71, 2, 0.342, 3, 0.95, 2);
        AssertIcc(icc.Icc1k, 0.44, 2, -0.884, 3, 0.91, 2);
        AssertIcc(icc.Icc2k, 0.62, 2, 0.071, 3, 0.93, 2);
        AssertIcc(icc.Icc3k, 0.91, 2, 0.676, 3, 0.99, 2);
    }

    [Fact]
    public void ShroutFleissTable2ValuesToMoreDigitsAreTheClosedForms()
    {
        // With the exact mean squares above, the six point estimates are rational numbers:
        // ICC(1,1) = (1349/120 − 451/72)/(1349/120 + 3·451/72), ICC(3,k) = 1 − (367/360)/(1349/120), and so on.
        double msr = 1349.0 / 120, msc = 2339.0 / 72, mse = 367.0 / 360, msw = 451.0 / 72;
        var icc = IntraclassCorrelation.Compute(ShroutFleiss);

        Assert.Equal((msr - msw) / (msr + 3 * msw), icc.Icc1.Value!.Value, 12);   // 0.165742
        Assert.Equal((msr - mse) / (msr + 3 * mse + 4 * (msc - mse) / 6), icc.Icc2.Value!.Value, 12); // 0.289764
        Assert.Equal((msr - mse) / (msr + 3 * mse), icc.Icc3.Value!.Value, 12);   // 0.714841
        Assert.Equal((msr - msw) / msr, icc.Icc1k.Value!.Value, 12);              // 0.442797
        Assert.Equal((msr - mse) / (msr + (msc - mse) / 6), icc.Icc2k.Value!.Value, 12); // 0.620051
        Assert.Equal((msr - mse) / msr, icc.Icc3k.Value!.Value, 12);              // 0.909316
    }

    [Fact]
    public void McGrawWongTable6MatchesDescToolsToThreeDecimals()
    {
        // McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass correlation coefficients.
        // Psychological Methods, 1(1), 30–46, Table 6: 10 targets × 2 measurements (as transcribed in
        // robertpetermatthew/f_ICC, f_ICC.m). Independent implementation: R DescTools::ICC output quoted there
        // ("Verification from R"), est [lwr.ci, upr.ci] to 3 decimals:
        //   ICC1 0.722 [0.241, 0.922]  ICC2 0.720 [0.228, 0.922]  ICC3 0.714 [0.197, 0.920]
        //   ICC1k 0.838 [0.389, 0.959] ICC2k 0.837 [0.371, 0.959] ICC3k 0.833 [0.329, 0.959]
        var icc = IntraclassCorrelation.Compute(Load("mcgraw-wong-1996-table6.csv"));

        AssertIcc(icc.Icc1, 0.722, 3, 0.241, 3, 0.922, 3);
        AssertIcc(icc.Icc2, 0.720, 3, 0.228, 3, 0.922, 3);
        AssertIcc(icc.Icc3, 0.714, 3, 0.197, 3, 0.920, 3);
        AssertIcc(icc.Icc1k, 0.838, 3, 0.389, 3, 0.959, 3);
        AssertIcc(icc.Icc2k, 0.837, 3, 0.371, 3, 0.959, 3);
        AssertIcc(icc.Icc3k, 0.833, 3, 0.329, 3, 0.959, 3);
    }

    [Fact]
    public void ValuesAreTheCategoriesNumbersNotTheirPositions()
    {
        // Declaring unused categories 0..10 moves every category to a new position but keeps its number.
        var declared = Enumerable.Range(0, 11).Select(i => i.ToString()).ToArray();
        var inferred = IntraclassCorrelation.Compute(ShroutFleiss);
        var withScale = IntraclassCorrelation.Compute(Load("shrout-fleiss-1979-table2.csv", declared));

        Assert.Equal(inferred.Icc2.Value!.Value, withScale.Icc2.Value!.Value, 12);
        Assert.Equal(inferred.Icc3k.Value!.Value, withScale.Icc3k.Value!.Value, 12);

        // On the uneven scale 0, 1, 10 the numbers count: one unit rated 10 and 1 is further apart than 1 and 0.
        var uneven = Matrix(new[,] { { "0", "0" }, { "1", "0" }, { "10", "1" }, { "10", "10" } });
        var evenPositions = Matrix(new[,] { { "0", "0" }, { "1", "0" }, { "2", "1" }, { "2", "2" } });
        Assert.True(Math.Abs(IntraclassCorrelation.Compute(evenPositions).Icc1.Value!.Value
                             - IntraclassCorrelation.Compute(uneven).Icc1.Value!.Value) > 0.01);
        // ICC(1,1) by hand for 0,0 / 1,0 / 10,1 / 10,10: unit means 0, .5, 5.5, 10 around 4, so
        // MSR = 2·(16 + 12.25 + 2.25 + 36)/3 = 133/3; MSW = (0 + .5 + 40.5 + 0)/4 = 10.25.
        Assert.Equal((133.0 / 3 - 10.25) / (133.0 / 3 + 10.25), IntraclassCorrelation.Compute(uneven).Icc1.Value!.Value, 12);
    }

    [Fact]
    public void PerfectAgreementWithVariationGivesOneWithADegenerateInterval()
    {
        var icc = IntraclassCorrelation.Compute(Matrix(new[,] { { "1", "1", "1" }, { "3", "3", "3" }, { "2", "2", "2" } }));

        foreach (var e in All(icc))
        {
            Assert.Equal(1.0, e.Value);
            Assert.Equal(new ConfidenceInterval(1, 1), e.Ci95);
        }
    }

    [Fact]
    public void DecimalCategoryValuesInPerfectAgreementGiveExactlyOne()
    {
        // 0.1 + 0.2 + 0.7 style sums carry rounding error; the residual must still vanish.
        var icc = IntraclassCorrelation.Compute(Matrix(new[,]
            { { "0.1", "0.1", "0.1" }, { "0.7", "0.7", "0.7" }, { "0.3", "0.3", "0.3" }, { "0.2", "0.2", "0.2" } }));

        Assert.All(All(icc), e => Assert.Equal(1.0, e.Value));
    }

    [Fact]
    public void IccIsAbsentWhenARatingIsMissing()
    {
        var icc = IntraclassCorrelation.Compute(Matrix(new[,] { { "1", "2" }, { "2", null }, { "3", "3" } }));

        Assert.All(All(icc), e =>
        {
            Assert.Null(e.Value);
            Assert.Contains("complete data", e.Reason?.ToString());
            Assert.Contains("1 of 6", e.Reason?.ToString());
        });
        Assert.Null(icc.MeanSquares);
    }

    [Fact]
    public void IccIsAbsentForNonNumericCategories()
    {
        var icc = IntraclassCorrelation.Compute(Matrix(new[,] { { "low", "high" }, { "high", "high" } }));

        Assert.All(All(icc), e => Assert.Contains("numeric", e.Reason?.ToString()));
    }

    [Fact]
    public void IccIsAbsentWhenEveryRatingIsTheSame()
    {
        var icc = IntraclassCorrelation.Compute(Matrix(new[,] { { "4", "4" }, { "4", "4" }, { "4", "4" } }));

        Assert.All(All(icc), e =>
        {
            Assert.Null(e.Value);
            Assert.Contains("no variation", e.Reason?.ToString());
        });
    }

    [Fact]
    public void IccIsAbsentWithOneUnitOrOneRater()
    {
        Assert.Contains("two units", IntraclassCorrelation.Compute(Matrix(new[,] { { "1", "2", "3" } })).Icc2.Reason?.ToString());
        Assert.Contains("two raters", IntraclassCorrelation.Compute(Matrix(new[,] { { "1" }, { "2" } })).Icc3.Reason?.ToString());
    }

    [Fact]
    public void AverageMeasureIccsAreAbsentWhenTheUnitsDoNotDiffer()
    {
        // Every unit's mean is 1.5 (MSR = 0): the reliability of a unit's mean rating is undefined, while the
        // single-measure ICCs are still the (negative) ANOVA estimates.
        var icc = IntraclassCorrelation.Compute(Matrix(new[,] { { "1", "2" }, { "2", "1" }, { "1", "2" } }));

        Assert.Contains("MSR = 0", icc.Icc1k.Reason?.ToString());
        Assert.Contains("MSR = 0", icc.Icc3k.Reason?.ToString());
        Assert.Contains("MSR + (MSC − MSE)/n ≤ 0", icc.Icc2k.Reason?.ToString());
        Assert.Equal(-1.0, icc.Icc1.Value!.Value, 12);
        Assert.Equal(-1.0, icc.Icc3.Value!.Value, 12);
        Assert.NotNull(icc.Icc2.Value);
    }

    [Fact]
    public void IccTwoKIsAbsentWhenTheMeanRatingHasNoPositiveVarianceEstimate()
    {
        // MSR = 1/6, MSC = 1/6, MSE = 13/6: ICC(2,k)'s denominator MSR + (MSC − MSE)/n = −1/2.
        var icc = IntraclassCorrelation.Compute(Matrix(new[,] { { "1", "3" }, { "3", "1" }, { "2", "3" } }));
        var ms = icc.MeanSquares!.Value;

        Assert.True(ms.Msr + (ms.Msc - ms.Mse) / 3 <= 0);
        Assert.Null(icc.Icc2k.Value);
        Assert.NotNull(icc.Icc3k.Value);
        Assert.NotNull(icc.Icc1k.Value);
    }

    [Fact]
    public void TwoUnitsStillGetAnIntervalWhereMathNetsFQuantileSearchStopsAtAThousand()
    {
        // With one denominator degree of freedom the upper 2.5% point of F(200, 1) lies above 1000, beyond the
        // interval [0, 1000] that MathNet's FisherSnedecor.InvCDF searches.
        var rows = new string?[2, 101];
        for (var r = 0; r < 101; r++) { rows[0, r] = (r % 3).ToString(); rows[1, r] = (r % 3 + 2).ToString(); }

        var icc = IntraclassCorrelation.Compute(Matrix(rows));

        Assert.All(All(icc), e => Assert.NotNull(e.Ci95));
        Assert.Throws<MathNet.Numerics.NonConvergenceException>(() => FisherSnedecor.InvCDF(200, 1, 0.975));
        var quantile = IntraclassCorrelation.FQuantile(0.975, 200, 1);
        Assert.InRange(quantile, 1000, 1020);
        Assert.Equal(0.025, UpperTail(200, 1, quantile), 12);
    }

    [Theory]
    [InlineData(5, 18)]
    [InlineData(18, 5)]
    [InlineData(5, 15)]
    [InlineData(9, 2.7)]
    public void FQuantileAgreesWithMathNetsFisherSnedecorWhereThatWorks(double d1, double d2)
    {
        var expected = FisherSnedecor.InvCDF(d1, d2, 0.975);
        Assert.Equal(expected, IntraclassCorrelation.FQuantile(0.975, d1, d2), 1e-7 * expected);
    }

    [Fact]
    public void FQuantileMatchesClosedForms()
    {
        // F(1, 1) is the square of a standard Cauchy variable: its p-quantile is tan²(πp/2).
        var cauchy = Math.Pow(Math.Tan(0.975 * Math.PI / 2), 2);
        Assert.Equal(cauchy, IntraclassCorrelation.FQuantile(0.975, 1, 1), 1e-12 * cauchy);
        // F(2, 2) has CDF x/(1 + x): its p-quantile is p/(1 − p).
        Assert.Equal(39.0, IntraclassCorrelation.FQuantile(0.975, 2, 2), 1e-12 * 39);
        // F(1, d2) tends to the square of a standard normal variable as d2 grows (B = X/(X + d2) is then tiny).
        var z = Normal.InvCDF(0, 1, 0.9875);
        Assert.Equal(z * z, IntraclassCorrelation.FQuantile(0.975, 1, 1e7), 1e-5 * z * z);
    }

    [Fact]
    public void FQuantileOverflowsToInfinityRatherThanThrowingForAVanishingDegreeOfFreedom()
    {
        // A Satterthwaite v near zero: the 97.5% point of F(1, 0.001) is beyond the largest double.
        Assert.Equal(double.PositiveInfinity, IntraclassCorrelation.FQuantile(0.975, 1, 0.001));
        var large = IntraclassCorrelation.FQuantile(0.975, 1, 0.2);
        Assert.True(double.IsFinite(large) && large > 1e6);
        Assert.Equal(0.025, UpperTail(1, 0.2, large), 12);
    }

    // P(X > x) for X ~ F(d1, d2), as the lower tail of Beta(d2/2, d1/2) at d2/(d2 + d1·x): MathNet's
    // FisherSnedecor.CDF works with the complement and loses the tail's digits when x is large.
    static double UpperTail(double d1, double d2, double x) =>
        MathNet.Numerics.SpecialFunctions.BetaRegularized(d2 / 2, d1 / 2, d2 / (d2 + d1 * x));

    [Fact]
    public void FQuantileMatchesThePrintedFTable() =>
        // Upper 2.5% point of F(5, 18): 3.38 in standard F tables.
        Assert.Equal(3.38, Math.Round(IntraclassCorrelation.FQuantile(0.975, 5, 18), 2));

    [Property(MaxTest = 200)]
    public Property IccsDoNotDependOnTheOrderOfUnitsOrRaters() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var original = IntraclassCorrelation.Compute(c.Ratings);
            var permuted = IntraclassCorrelation.Compute(c.Permuted);
            var k = c.Ratings.RaterCount;
            return All(original).Zip(All(permuted)).Select((p, i) => Same(p.First, p.Second, k, average: i >= 3)).All(same => same)
                .Label($"original {string.Join("; ", All(original).Select(Show))} / permuted {string.Join("; ", All(permuted).Select(Show))}");
        });

    [Property(MaxTest = 100)]
    public Property PerfectAgreementWithVariationGivesOneForEveryForm() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var k = c.Ratings.RaterCount;
            var rows = new string?[c.Ratings.UnitCount, k];
            for (var u = 0; u < rows.GetLength(0); u++)
                for (var r = 0; r < k; r++) rows[u, r] = c.Ratings.Categories[c.Ratings.Category(u, 0)];
            var agreed = RatingMatrix.FromTable(rows, c.Ratings.Categories);
            var varies = Enumerable.Range(1, agreed.UnitCount - 1).Any(u => agreed.Category(u, 0) != agreed.Category(0, 0));
            var icc = IntraclassCorrelation.Compute(agreed);
            return !varies || All(icc).All(e => e.Value == 1.0);
        });

    /// <summary>A random complete table of numbers on an uneven scale, and the same table with its units and raters
    /// shuffled.</summary>
    public sealed record Case(RatingMatrix Ratings, RatingMatrix Permuted)
    {
        public override string ToString() =>
            string.Join(" / ", Enumerable.Range(0, Ratings.UnitCount).Select(u =>
                string.Join(" ", Enumerable.Range(0, Ratings.RaterCount).Select(r => Ratings.Categories[Ratings.Category(u, r)]))));
    }

    static readonly string[] Scale = ["-3", "0", "0.1", "0.25", "1", "2.5", "7"];

    static readonly Gen<Case> Cases =
        from units in Gen.Choose(2, 9)
        from raters in Gen.Choose(2, 6)
        from categories in Gen.Choose(2, Scale.Length)
        from cells in Gen.ArrayOf(Gen.Choose(0, categories - 1), units * raters)
        from unitOrder in Gen.Shuffle(Enumerable.Range(0, units))
        from raterOrder in Gen.Shuffle(Enumerable.Range(0, raters))
        select MakeCase(units, raters, Scale[..categories], cells, unitOrder, raterOrder);

    static Case MakeCase(int units, int raters, string[] scale, int[] cells, int[] unitOrder, int[] raterOrder)
    {
        var values = RatingMatrix.FromCells(units, raters, scale, cells, GradeBench.Core.Agreement.Scale.NumericValues(scale));
        var shuffled = new int[cells.Length];
        for (var u = 0; u < units; u++)
            for (var r = 0; r < raters; r++)
                shuffled[u * raters + r] = cells[unitOrder[u] * raters + raterOrder[r]];
        return new Case(values, RatingMatrix.FromCells(units, raters, scale, shuffled, values.CategoryValues));
    }

    // Sums taken in another order differ in the last bits. An average-measure limit L is the Spearman–Brown transform
    // of a single-measure limit ρ, L = kρ/(1 + (k − 1)ρ), which runs to −∞ as ρ nears −1/(k − 1) and there amplifies
    // those bits without bound; average-measure limits are therefore compared on the single-measure scale,
    // ρ = L/(k − (k − 1)L).
    static bool Same(Estimate a, Estimate b, int raters, bool average)
    {
        double Single(double limit) => average ? limit / (raters - (raters - 1) * limit) : limit;

        return a.HasValue == b.HasValue
            && (!a.HasValue || Close(a.Value!.Value, b.Value!.Value))
            && a.Ci95.HasValue == b.Ci95.HasValue
            && (a.Ci95 is not { } x || b.Ci95 is not { } y
                || (Close(Single(x.Lower), Single(y.Lower)) && Close(Single(x.Upper), Single(y.Upper))));
    }

    static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a));

    static string Show(Estimate e) => e.HasValue ? $"{e.Value:R} [{e.Ci95?.Lower:R}, {e.Ci95?.Upper:R}]" : e.Reason!.ToString();

    static Estimate[] All(IntraclassCorrelationResult icc) => [icc.Icc1, icc.Icc2, icc.Icc3, icc.Icc1k, icc.Icc2k, icc.Icc3k];

    static void AssertIcc(Estimate e, double value, int valueDigits, double lower, int lowerDigits, double upper, int upperDigits)
    {
        Assert.Equal(value, Math.Round(e.Value!.Value, valueDigits));
        var ci = Assert.NotNull(e.Ci95);
        Assert.Equal(lower, Math.Round(ci.Lower, lowerDigits));
        Assert.Equal(upper, Math.Round(ci.Upper, upperDigits));
    }

    static RatingMatrix Matrix(string?[,] table) => RatingMatrix.FromTable(table);

    static RatingMatrix Load(string file, IReadOnlyList<string>? categories = null) => AgreementTestData.Long(file, categories);
}
