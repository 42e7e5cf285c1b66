using FsCheck.Xunit;
using GradeBench.Core.Agreement;
using static GradeBench.Core.Tests.Agreement.AgreementTestData;

namespace GradeBench.Core.Tests.Agreement;

/// <summary>Properties of Cohen's, Fleiss', Randolph's kappa and Gwet's AC1/AC2 on random data (FsCheck draws the seed
/// and the shape; the matrix is built from the seed so that a failure replays).</summary>
public sealed class KappaPropertyTests
{
    static readonly AgreementWeights[] AllWeights = [AgreementWeights.None, AgreementWeights.Linear, AgreementWeights.Quadratic];

    /// <summary>Every coefficient of this part, by name, for matrices with any number of raters.</summary>
    static IEnumerable<(string Name, Estimate Value)> All(RatingMatrix m, ReadOnlySpan<int> unitWeights = default)
    {
        var results = new List<(string, Estimate)>
        {
            ("fleiss", FleissKappa.Compute(m, unitWeights)),
            ("randolph", FleissKappa.Randolph(m, unitWeights)),
        };
        foreach (var w in AllWeights)
        {
            results.Add(($"gwet {w}", GwetAc.Compute(m, w, unitWeights)));
            results.Add(($"cohen {w}", CohenKappa.Compute(m, w, unitWeights)));
        }
        return results;
    }

    static (int Raters, int Categories) Shape(int raters, int categories) => (2 + Math.Abs(raters % 5), 1 + Math.Abs(categories % 6));

    [Property(MaxTest = 300)]
    public void EveryResultIsAFiniteValueOrAbsentWithAReason(int seed, int raters, int categories)
    {
        var (r, k) = Shape(raters, categories);
        foreach (var (name, e) in All(Random(seed, r, k, missing: 0.3)))
        {
            if (e.Value is { } v) Assert.True(double.IsFinite(v) && v <= 1 + 1e-12, $"{name} = {v}");
            else Assert.False(string.IsNullOrWhiteSpace(e.Reason?.ToString()), name);
        }
    }

    [Property(MaxTest = 300)]
    public void ReorderingUnitsAndRatersChangesNothing(int seed, int raters, int categories)
    {
        var (r, k) = Shape(raters, categories);
        var m = Random(seed, r, k, missing: 0.25);
        var random = new Random(seed ^ 0x5eed);
        var identity = Enumerable.Range(0, k).ToArray();
        var units = Permute(m, Shuffle(random, m.UnitCount), Enumerable.Range(0, r).ToArray(), identity);
        var both = Permute(m, Shuffle(random, m.UnitCount), Shuffle(random, r), identity);
        // Integer sums make unit order irrelevant to the last bit; rater order too, except for Cohen's kappa with
        // more than two raters, which is absent anyway, and with two raters, where swapping them transposes the table.
        Assert.Equal(All(m), All(units));
        Assert.Equal(All(m), All(both));
    }

    [Property(MaxTest = 300)]
    public void RelabellingCategoriesLeavesNominalCoefficientsUnchanged(int seed, int raters, int categories)
    {
        var (r, k) = Shape(raters, categories);
        var m = Random(seed, r, k, missing: 0.25);
        var relabelled = Permute(m, Enumerable.Range(0, m.UnitCount).ToArray(), Enumerable.Range(0, r).ToArray(), Shuffle(new Random(~seed), k));
        AssertClose(FleissKappa.Compute(m), FleissKappa.Compute(relabelled));
        AssertClose(FleissKappa.Randolph(m), FleissKappa.Randolph(relabelled));
        AssertClose(GwetAc.Compute(m), GwetAc.Compute(relabelled));
        Assert.Equal(CohenKappa.Compute(m), CohenKappa.Compute(relabelled));
    }

    [Property(MaxTest = 300)]
    public void PerfectAgreementWithVariationGivesOne(int seed, int raters, int categories)
    {
        var (r, k) = Shape(raters, categories);
        if (k < 2) k = 2;
        var random = new Random(seed);
        var units = random.Next(2, 25);
        var truth = new int[units];
        for (var u = 0; u < units; u++) truth[u] = random.Next(k);
        truth[0] = 0;
        truth[1] = 1;  // variation between units, so that chance agreement is below 1
        var cells = new int[units * r];
        for (var u = 0; u < units; u++)
            for (var j = 0; j < r; j++)
                // Units 0 and 1 are fully rated; elsewhere some ratings are missing.
                cells[u * r + j] = u < 2 || random.NextDouble() > 0.3 ? truth[u] : RatingMatrix.Missing;
        var m = RatingMatrix.FromCells(units, r, Scale(k), cells);
        foreach (var (name, e) in All(m))
        {
            if (name.StartsWith("cohen") && r != 2) continue;
            Assert.True(e.Value == 1.0, $"{name}: {e}");
        }
    }

    [Property(MaxTest = 300)]
    public void CohensKappaIsSymmetricInTheTwoRaters(int seed, int categories)
    {
        var k = 1 + Math.Abs(categories % 6);
        var m = Random(seed, 2, k, missing: 0.2);
        foreach (var w in AllWeights)
            Assert.Equal(CohenKappa.Compute(m, w), CohenKappa.Compute(m.SelectRaters(1, 0), w));
        var confusion = CohenKappa.Confusion(m, 0, 1);
        var transposed = CohenKappa.Confusion(m, 1, 0);
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++) Assert.Equal(confusion[i, j], transposed[j, i]);
    }

    [Property(MaxTest = 300)]
    public void UnitWeightsGiveExactlyTheResultOfTheResampledMatrix(int seed, int raters, int categories)
    {
        var (r, k) = Shape(raters, categories);
        // Two raters half the time, so that Cohen's kappa has values to compare.
        if (seed % 2 == 0) r = 2;
        var m = Random(seed, r, k, missing: 0.3);
        var random = new Random(seed * 31 + 7);
        var indices = new int[m.UnitCount];
        var weights = new int[m.UnitCount];
        for (var i = 0; i < indices.Length; i++) weights[indices[i] = random.Next(m.UnitCount)]++;
        Assert.Equal(All(m.Resample(indices)), All(m, weights));
    }

    [Fact]
    public void WeightsOfOneEverywhereAreTheUnweightedResult()
    {
        var m = Long("gwet-2014-raw4raters.csv", Scale(5));
        var ones = Enumerable.Repeat(1, m.UnitCount).ToArray();
        Assert.Equal(All(m), All(m, ones));
    }

    [Fact]
    public void UnitWeightsOfTheWrongLengthAreAProgrammingError()
    {
        var m = Long("gwet-2014-raw4raters.csv", Scale(5));
        Assert.Throws<ArgumentException>(() => FleissKappa.Compute(m, new int[3]));
        Assert.Throws<ArgumentException>(() => CohenKappa.Pair(m, 0, 1, unitWeights: new int[3]));
    }

    static void AssertClose(Estimate expected, Estimate actual)
    {
        Assert.Equal(expected.Reason, actual.Reason);
        if (expected.Value is { } e) Assert.Equal(e, actual.Value!.Value, 12);
        else Assert.Null(actual.Value);
    }
}
