using GradeBench.Core.Agreement;
using static GradeBench.Core.Tests.Agreement.AgreementTestData;

namespace GradeBench.Core.Tests.Agreement;

public sealed class GwetAcTests
{
    static double Value(Estimate e) => e.Value ?? throw new Xunit.Sdk.XunitException(e.Reason?.ToString());

    [Fact]
    public void GwetsFourRatersWithMissingRatingsMatchTheHandbookAndIrrCac()
    {
        // Gwet (2014) p. 120, cac.raw4raters. R irrCAC gwet.ac1.raw: AC1 0.77544 (pa 0.8181818, pe 0.1903212);
        // quadratic AC2 0.914 (printed as 0.914 = 0.91400 at irrCAC's five decimals); Python irrCAC: linear AC2 0.859.
        var m = Long("gwet-2014-raw4raters.csv", Scale(5));
        Assert.Equal(0.77544, Value(GwetAc.Compute(m)), 5);
        Assert.Equal(0.91400, Value(GwetAc.Compute(m, AgreementWeights.Quadratic)), 5);
        Assert.Equal(0.859, Value(GwetAc.Compute(m, AgreementWeights.Linear)), 3);
    }

    [Fact]
    public void FirstFifteenFleissPatientsMatchIrrCacToSevenDigits()
    {
        // R irrCAC README, gwet.ac1.dist(distrib.6raters) = 0.4448007 (pa 0.5511111, pe 0.1914815).
        Assert.Equal(0.4448007, Value(GwetAc.Compute(CountTable("fleiss-1971-diagnoses.csv", firstUnits: 15))), 7);
    }

    [Fact]
    public void GwetsAbstractorsTableMatchesIrrCacAc1AndAc2()
    {
        // R irrCAC gwet.ac1.table(cont3x3abstractors) = 0.8493305; with quadratic weights 0.9402369.
        var m = CrossTable("gwet-2014-cont3x3abstractors.csv");
        Assert.Equal(0.8493305, Value(GwetAc.Compute(m)), 7);
        Assert.Equal(0.9402369, Value(GwetAc.Compute(m, AgreementWeights.Quadratic)), 7);
    }

    [Fact]
    public void CohensExampleMatchesIrrCacAc1AndAc2()
    {
        // Cohen (1960) p. 45; R irrCAC 1.4 gwet.ac1.raw via dkpro-statistics fixture_03: AC1 0.57597, quadratic AC2 0.63855.
        var m = CrossTable("cohen-1960-example.csv");
        Assert.Equal(0.57597, Value(GwetAc.Compute(m)), 5);
        Assert.Equal(0.63855, Value(GwetAc.Compute(m, AgreementWeights.Quadratic)), 5);
    }

    [Fact]
    public void SkewedPrevalenceGivesHighAgreementLowKappaAndHighAc1()
    {
        // The kappa paradox (Feinstein & Cicchetti 1990; Gwet 2008): 85% agreement, one category on most units.
        // AC1 = 0.808 as computed by R irrCAC 1.4 (dkpro-statistics fixture_01_paradox_2x2); kappa follows from the
        // margins (87/13 and 88/12): p_e = .7812, kappa = (.85 - .7812) / (1 - .7812) = 0.314.
        var m = CrossTable("irrcac-paradox-2x2.csv");
        var kappa = Value(CohenKappa.Compute(m));
        var ac1 = Value(GwetAc.Compute(m));
        Assert.Equal(0.808, ac1, 3);
        Assert.Equal((0.85 - 0.7812) / (1 - 0.7812), kappa, 12);
        Assert.Equal(0.314, kappa, 3);
        Assert.True(ac1 > 2 * kappa);
    }

    [Fact]
    public void DettoriAndNorvellsMriExampleHasKappaNearZeroButModerateAc1()
    {
        // Dettori & Norvell (2020) Table 1: published P_o = 0.675, P_e = 0.668, kappa = 0.022. AC1 by Gwet's (2008)
        // formula: pi(present) = (186 + 139) / 400 = 0.8125, p_e = 2 × 0.8125 × 0.1875 = 0.3046875.
        var m = CrossTable("dettori-2020-mri.csv");
        Assert.Equal(0.022, Value(CohenKappa.Compute(m)), 3);
        Assert.Equal((0.675 - 0.3046875) / (1 - 0.3046875), Value(GwetAc.Compute(m)), 12);
    }

    [Fact]
    public void Ac2WithoutWeightsIsAc1AndQuadraticAc2OnTwoCategoriesIsAc1()
    {
        // With K = 2 every weighting is the identity.
        var m = CrossTable("irrcac-paradox-2x2.csv");
        Assert.Equal(GwetAc.Compute(m).Value, GwetAc.Compute(m, AgreementWeights.Quadratic).Value);
        Assert.Equal(GwetAc.Compute(m).Value, GwetAc.Compute(m, AgreementWeights.Linear).Value);
    }

    [Fact]
    public void UnusedDeclaredCategoriesLowerChanceAgreement()
    {
        // K enters p_e = T_w / (K(K-1)) · Σ π(1-π): declaring categories nobody used changes AC1, as in irrCAC's categ.labels.
        string?[,] table = { { "1", "1" }, { "2", "2" }, { "1", "2" }, { "1", "1" } };
        var observed = RatingMatrix.FromTable(table, ["1", "2"]);
        var declared = RatingMatrix.FromTable(table, ["1", "2", "3", "4", "5"]);
        // p_a = 3/4, π = (5/8, 3/8): K = 2 → p_e = 2 · 15/64 = 15/32; K = 5 → p_e = (2 · 15/64) / 4 = 15/128.
        Assert.Equal((0.75 - 15.0 / 32) / (1 - 15.0 / 32), Value(GwetAc.Compute(observed)), 12);
        Assert.Equal((0.75 - 15.0 / 128) / (1 - 15.0 / 128), Value(GwetAc.Compute(declared)), 12);
    }

    [Fact]
    public void AllRatingsInOneCategoryGiveAc1OfOne()
    {
        // Unlike kappa, AC1 has chance agreement 0 here (π = 1 for one category), so perfect agreement reads as 1;
        // irrCAC gives the same.
        var m = RatingMatrix.FromTable(new string?[,] { { "a", "a" }, { "a", "a" } }, ["a", "b"]);
        Assert.Equal(1.0, GwetAc.Compute(m).Value);
    }

    [Fact]
    public void Ac1IsAbsentOnASingleCategoryScale()
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a", "a" } }, ["a"]);
        Assert.StartsWith("the scale has a single category", GwetAc.Compute(m).Reason?.ToString());
    }

    [Fact]
    public void Ac1IsAbsentWhenNoUnitHasTwoRatings()
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a", null, null }, { null, "b", null } });
        Assert.Equal("no unit has two or more ratings, so there is no pair of ratings to compare", GwetAc.Compute(m, AgreementWeights.Linear).Reason?.ToString());
    }

    [Fact]
    public void Ac1IsAbsentWithOneRater()
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a" }, { "b" } });
        Assert.Equal("agreement needs at least two raters; these data have 1", GwetAc.Compute(m).Reason?.ToString());
    }
}
