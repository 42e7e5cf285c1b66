using GradeBench.Core.Agreement;
using static GradeBench.Core.Tests.Agreement.AgreementTestData;

namespace GradeBench.Core.Tests.Agreement;

public sealed class CohenKappaTests
{
    static double Kappa(RatingMatrix m, AgreementWeights w = AgreementWeights.None) =>
        CohenKappa.Compute(m, w).Value ?? throw new Xunit.Sdk.XunitException(CohenKappa.Compute(m, w).Reason?.ToString());

    [Fact]
    public void CohensOwnExampleGivesKappaPoint492()
    {
        // Cohen (1960) p. 45, 200 units: published p_o = .70, p_c = .41, kappa = .492 (data file cites it).
        Assert.Equal(0.492, Kappa(CrossTable("cohen-1960-example.csv")), 3);
    }

    [Fact]
    public void LandisAndKochCarcinomaSlidesGiveKappaPoint493()
    {
        // Agresti (1992) p. 202 from Landis & Koch (1977): published kappa = 0.493.
        Assert.Equal(0.493, Kappa(CrossTable("agresti-1992-carcinoma.csv")), 3);
    }

    /// <summary>The cross table's kappa, unweighted, linear and (when given) quadratic, each to its published digits.</summary>
    static void AssertKappas(string file, (double Value, int Digits) unweighted, (double Value, int Digits) linear,
        (double Value, int Digits)? quadratic = null)
    {
        var m = CrossTable(file);
        Assert.Equal(unweighted.Value, Kappa(m), unweighted.Digits);
        Assert.Equal(linear.Value, Kappa(m, AgreementWeights.Linear), linear.Digits);
        if (quadratic is { } q) Assert.Equal(q.Value, Kappa(m, AgreementWeights.Quadratic), q.Digits);
    }

    [Fact]
    public void SexualFunMatchesVcdUnweightedAndEqualSpacingKappa()
    {
        // Agresti (1990) / Friendly (2000) p. 91; R vcd Kappa(SexualFun) prints Unweighted 0.1293, Weighted 0.2374
        // (vcd's default "Equal-Spacing" weights are our linear weights 1 - |i-j|/(K-1)).
        AssertKappas("agresti-1990-sexual-fun.csv", (0.1293, 4), (0.2374, 4));
    }

    [Fact]
    public void GwetsAbstractorsTableMatchesIrrCacKappaAndWeightedKappas()
    {
        // Gwet (2014) cont3x3abstractors; R irrCAC kappa2.table: 0.7964094, quadratic 0.8921569;
        // Python irrCAC test_cohen.py: linear 0.843.
        AssertKappas("gwet-2014-cont3x3abstractors.csv", (0.7964094, 7), (0.843, 3), (0.8921569, 7));
    }

    [Fact]
    public void GwetsDiagnosisTableMatchesIrrCacKappaAndWeightedKappas()
    {
        // Gwet (2014) cont4x4diagnosis; Python irrCAC test_cohen.py: 0.432, linear 0.407, quadratic 0.383.
        AssertKappas("gwet-2014-cont4x4diagnosis.csv", (0.432, 3), (0.407, 3), (0.383, 3));
    }

    [Fact]
    public void KappaUsesOnlyTheUnitsBothRatersRated()
    {
        string?[,] table = { { "a", "a" }, { "b", "b" }, { "a", "b" }, { "a", null }, { null, "b" }, { null, null } };
        var withGaps = RatingMatrix.FromTable(table, ["a", "b"]);
        var bothRated = RatingMatrix.FromTable(new string?[,] { { "a", "a" }, { "b", "b" }, { "a", "b" } }, ["a", "b"]);
        Assert.Equal(CohenKappa.Compute(bothRated).Value, CohenKappa.Compute(withGaps).Value);
    }

    [Fact]
    public void ConfusionCountsTheUnitsBothRatersRatedOnTheDeclaredScale()
    {
        string?[,] table = { { "low", "low" }, { "low", "high" }, { "high", "high" }, { "high", "high" }, { "low", null } };
        var m = RatingMatrix.FromTable(table, ["low", "mid", "high"]);
        var confusion = CohenKappa.Confusion(m, 0, 1);
        Assert.Equal(new[,] { { 1, 0, 1 }, { 0, 0, 0 }, { 0, 0, 2 } }, confusion);
        Assert.Equal(new[,] { { 1, 0, 0 }, { 0, 0, 0 }, { 1, 0, 2 } }, CohenKappa.Confusion(m, 1, 0));
    }

    [Fact]
    public void PairComparesTwoRatersOfALargerStudy()
    {
        var m = Long("gwet-2014-raw4raters.csv", Scale(5));
        Assert.Equal(CohenKappa.Compute(m.SelectRaters(1, 3), AgreementWeights.Quadratic).Value,
            CohenKappa.Pair(m, 1, 3, AgreementWeights.Quadratic).Value);
    }

    [Fact]
    public void KappaIsAbsentWithThreeRaters()
    {
        var result = CohenKappa.Compute(Long("gwet-2014-raw4raters.csv", Scale(5)).SelectRaters(0, 1, 2));
        Assert.Null(result.Value);
        Assert.Equal("Cohen's kappa compares exactly two raters; these data have 3", result.Reason?.ToString());
    }

    [Fact]
    public void KappaIsAbsentWhenNoUnitWasRatedByBoth()
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a", null }, { null, "b" } }, ["a", "b"]);
        Assert.Equal("no unit was rated by both raters", CohenKappa.Compute(m).Reason?.ToString());
    }

    [Theory]
    [InlineData(AgreementWeights.None)]
    [InlineData(AgreementWeights.Linear)]
    [InlineData(AgreementWeights.Quadratic)]
    public void KappaIsAbsentWhenBothRatersUseOneCategoryThroughout(AgreementWeights weights)
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a", "a" }, { "a", "a" } }, ["a", "b", "c"]);
        var result = CohenKappa.Compute(m, weights);
        Assert.Null(result.Value);
        Assert.StartsWith("there is no variation", result.Reason?.ToString());
    }

    [Fact]
    public void KappaIsZeroWhenAgreementEqualsChance()
    {
        // Independent raters with these margins: every cell is row total × column total / N.
        var m = RatingMatrix.FromTable(new string?[,] { { "a", "a" }, { "a", "b" }, { "b", "a" }, { "b", "b" } });
        Assert.Equal(0.0, Kappa(m));
    }

    [Fact]
    public void DisagreementEveryTimeWithBalancedMarginsGivesMinusOne()
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a", "b" }, { "b", "a" } });
        Assert.Equal(-1.0, Kappa(m));
    }
}
