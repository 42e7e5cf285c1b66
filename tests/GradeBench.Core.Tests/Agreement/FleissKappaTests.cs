using GradeBench.Core.Agreement;
using static GradeBench.Core.Tests.Agreement.AgreementTestData;

namespace GradeBench.Core.Tests.Agreement;

public sealed class FleissKappaTests
{
    static double Value(Estimate e) => e.Value ?? throw new Xunit.Sdk.XunitException(e.Reason?.ToString());

    // Randolph (2005), p. 17: three raters, four cases, both examples at 67% agreement (as in dkpro-statistics'
    // Randolph2005Test). Published: example 1 Fleiss 0.33, free-marginal 0.33; example 2 Fleiss -0.20, free-marginal 0.33.
    static readonly RatingMatrix RandolphExample1 = RatingMatrix.FromTable(new string?[,]
        { { "Yes", "Yes", "Yes" }, { "Yes", "Yes", "No" }, { "No", "No", "Yes" }, { "No", "No", "No" } }, ["Yes", "No"]);

    static readonly RatingMatrix RandolphExample2 = RatingMatrix.FromTable(new string?[,]
        { { "Yes", "Yes", "Yes" }, { "Yes", "Yes", "No" }, { "Yes", "Yes", "No" }, { "Yes", "Yes", "Yes" } }, ["Yes", "No"]);

    [Fact]
    public void FleissDiagnosesGiveKappaPoint430()
    {
        // Fleiss (1971) Table 1, 30 patients × 6 psychiatrists: published kappa = .430 (R irr's `diagnoses`).
        Assert.Equal(0.430, Value(FleissKappa.Compute(CountTable("fleiss-1971-diagnoses.csv"))), 3);
    }

    [Fact]
    public void FirstFifteenFleissPatientsMatchIrrCacToSevenDigits()
    {
        // R irrCAC README, distrib.6raters (Fleiss 1971, patients 1-15): fleiss.kappa.dist 0.4139265,
        // bp.coeff.dist (= Randolph's free-marginal kappa) 0.4388889.
        var m = CountTable("fleiss-1971-diagnoses.csv", firstUnits: 15);
        Assert.Equal(0.4139265, Value(FleissKappa.Compute(m)), 7);
        Assert.Equal(0.4388889, Value(FleissKappa.Randolph(m)), 7);
    }

    [Fact]
    public void RandolphKappaOfFleissDiagnosesIsFourNinths()
    {
        // The counts give p_a = 500/900 = 5/9 exactly; with K = 5, kappa_free = (5/9 - 1/5) / (4/5) = 4/9.
        Assert.Equal(4.0 / 9.0, Value(FleissKappa.Randolph(CountTable("fleiss-1971-diagnoses.csv"))), 12);
    }

    [Fact]
    public void GwetsFourRatersWithMissingRatingsMatchIrrCac()
    {
        // Gwet (2014) p. 120, cac.raw4raters (unit 12 has one rating and still counts in the prevalences):
        // R irrCAC fleiss.kappa.raw 0.76117 (pe 0.2387153); bp.coeff.raw 0.77273.
        var m = Long("gwet-2014-raw4raters.csv", Scale(5));
        Assert.Equal(0.76117, Value(FleissKappa.Compute(m)), 5);
        Assert.Equal(0.77273, Value(FleissKappa.Randolph(m)), 5);
    }

    [Fact]
    public void RandolphsExamplesShowFleissKappaDependsOnPrevalenceAndFreeMarginalKappaDoesNot()
    {
        Assert.Equal(0.33, Value(FleissKappa.Compute(RandolphExample1)), 2);
        Assert.Equal(0.33, Value(FleissKappa.Randolph(RandolphExample1)), 2);
        Assert.Equal(-0.20, Value(FleissKappa.Compute(RandolphExample2)), 2);
        Assert.Equal(0.33, Value(FleissKappa.Randolph(RandolphExample2)), 2);
    }

    [Fact]
    public void RandolphKappaCountsUnusedDeclaredCategories()
    {
        // The same ratings on a declared 4-point scale: chance agreement 1/4 instead of 1/2.
        var m = RatingMatrix.FromTable(new string?[,] { { "1", "1" }, { "2", "2" }, { "1", "2" } }, ["1", "2", "3", "4"]);
        Assert.Equal((2.0 / 3 - 0.25) / 0.75, Value(FleissKappa.Randolph(m)), 12);
    }

    [Fact]
    public void FleissKappaIsAbsentWithOneRater()
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a" }, { "b" } });
        Assert.Equal("agreement needs at least two raters; these data have 1", FleissKappa.Compute(m).Reason?.ToString());
        Assert.Equal("agreement needs at least two raters; these data have 1", FleissKappa.Randolph(m).Reason?.ToString());
    }

    [Fact]
    public void FleissKappaIsAbsentWhenNoUnitHasTwoRatings()
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a", null }, { null, "b" } });
        Assert.Equal("no unit has two or more ratings, so there is no pair of ratings to compare", FleissKappa.Compute(m).Reason?.ToString());
    }

    [Fact]
    public void FleissKappaIsAbsentWithoutVariationButFreeMarginalKappaIsOne()
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a", "a", "a" }, { "a", "a", null } }, ["a", "b"]);
        var fleiss = FleissKappa.Compute(m);
        Assert.Null(fleiss.Value);
        Assert.StartsWith("there is no variation", fleiss.Reason?.ToString());
        Assert.Equal(1.0, FleissKappa.Randolph(m).Value);
    }

    [Fact]
    public void RandolphKappaIsAbsentOnASingleCategoryScale()
    {
        var m = RatingMatrix.FromTable(new string?[,] { { "a", "a" } }, ["a"]);
        Assert.StartsWith("the scale has a single category", FleissKappa.Randolph(m).Reason?.ToString());
    }

    [Fact]
    public void EmptyDataHaveNoKappa()
    {
        var m = RatingMatrix.FromCells(0, 3, ["a", "b"], []);
        Assert.Equal("there are no ratings", FleissKappa.Compute(m).Reason?.ToString());
        Assert.Equal("there are no ratings", FleissKappa.Randolph(m).Reason?.ToString());
    }

    [Fact]
    public void UnitWeightsOfZeroEverywhereLeaveNoRatings()
    {
        var m = CountTable("fleiss-1971-diagnoses.csv");
        Assert.Equal("there are no ratings", FleissKappa.Compute(m, new int[m.UnitCount]).Reason?.ToString());
    }
}
