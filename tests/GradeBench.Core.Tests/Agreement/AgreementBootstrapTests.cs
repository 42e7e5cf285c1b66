using GradeBench.Core.Agreement;

namespace GradeBench.Core.Tests.Agreement;

public sealed class AgreementBootstrapTests
{
    static readonly string[] MultiRater =
    [
        "fleiss_kappa", "randolph_kappa", "krippendorff_alpha_nominal", "krippendorff_alpha_ordinal",
        "krippendorff_alpha_interval", "krippendorff_alpha_ratio", "gwet_ac1", "gwet_ac2_linear", "gwet_ac2_quadratic",
    ];

    static readonly string[] TwoRater = ["cohen_kappa", "weighted_kappa_linear", "weighted_kappa_quadratic", .. MultiRater];

    /// <summary>Seeded ratings on a 1..5 scale, each rater near the unit's true category, some cells missing.</summary>
    static RatingMatrix Ratings(int units, int raters, int seed)
    {
        var random = new Random(seed);
        var table = new string?[units, raters];
        for (var u = 0; u < units; u++)
        {
            var truth = random.Next(1, 6);
            for (var r = 0; r < raters; r++)
                table[u, r] = random.NextDouble() < 0.15 ? null : Math.Clamp(truth + random.Next(-1, 2), 1, 5).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return RatingMatrix.FromTable(table, ["1", "2", "3", "4", "5"]);
    }

    static Estimate UnitWeighted(string name, RatingMatrix m, ReadOnlySpan<int> w) => name switch
    {
        "cohen_kappa" => CohenKappa.Compute(m, AgreementWeights.None, w),
        "weighted_kappa_linear" => CohenKappa.Compute(m, AgreementWeights.Linear, w),
        "weighted_kappa_quadratic" => CohenKappa.Compute(m, AgreementWeights.Quadratic, w),
        "fleiss_kappa" => FleissKappa.Compute(m, w),
        "randolph_kappa" => FleissKappa.Randolph(m, w),
        "krippendorff_alpha_nominal" => KrippendorffAlpha.Compute(m, MeasurementLevel.Nominal, w),
        "krippendorff_alpha_ordinal" => KrippendorffAlpha.Compute(m, MeasurementLevel.Ordinal, w),
        "krippendorff_alpha_interval" => KrippendorffAlpha.Compute(m, MeasurementLevel.Interval, w),
        "krippendorff_alpha_ratio" => KrippendorffAlpha.Compute(m, MeasurementLevel.Ratio, w),
        "gwet_ac1" => GwetAc.Compute(m, AgreementWeights.None, w),
        "gwet_ac2_linear" => GwetAc.Compute(m, AgreementWeights.Linear, w),
        _ => GwetAc.Compute(m, AgreementWeights.Quadratic, w),
    };

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void EachIntervalIsExactlyThePercentileIntervalOfTheUnitWeightedCoefficient(int raters)
    {
        var ratings = Ratings(units: 150, raters, seed: raters);
        var names = raters == 2 ? TwoRater : MultiRater;

        var intervals = AgreementBootstrap.Intervals(ratings, names, resamples: 300, seed: 11);

        Assert.All(names, name =>
        {
            var expected = Bootstrap.PercentileInterval(ratings.UnitCount, w => UnitWeighted(name, ratings, w).Value, 300, 11);
            Assert.NotNull(expected);
            Assert.Equal(expected, intervals[name]);
        });
    }

    [Fact]
    public void SetsBootstrappedTogetherGetTheIntervalsEachGetsAlone()
    {
        // Three sets with 150 units share their draws; the one with 120 draws its own; the last resamples nothing.
        (RatingMatrix Ratings, IReadOnlyList<string> Coefficients)[] sets =
        [
            (Ratings(units: 150, raters: 2, seed: 1), TwoRater),
            (Ratings(units: 150, raters: 6, seed: 2), MultiRater),
            (Ratings(units: 120, raters: 4, seed: 3), MultiRater),
            (Ratings(units: 150, raters: 3, seed: 4), ["gwet_ac1", "krippendorff_alpha_ordinal"]),
            (Ratings(units: 150, raters: 3, seed: 5), []),
        ];

        var together = AgreementBootstrap.Intervals(sets, resamples: 200, seed: 7);

        Assert.Equal(sets.Length, together.Count);
        for (var s = 0; s < sets.Length; s++)
        {
            var alone = AgreementBootstrap.Intervals(sets[s].Ratings, sets[s].Coefficients, resamples: 200, seed: 7);
            Assert.Equal(alone.OrderBy(p => p.Key), together[s].OrderBy(p => p.Key));
        }
    }

    [Fact]
    public void IntervalsForASeedAreTheSameOnOneThreadAndOnMany()
    {
        var ratings = Ratings(units: 400, raters: 5, seed: 3);

        var one = AgreementBootstrap.Intervals(ratings, MultiRater, resamples: 500, seed: 5, maxThreads: 1);
        var many = AgreementBootstrap.Intervals(ratings, MultiRater, resamples: 500, seed: 5, maxThreads: 8);

        Assert.Equal(one.OrderBy(p => p.Key), many.OrderBy(p => p.Key));
        Assert.All(one.Values, ci => Assert.NotNull(ci));
    }

    [Fact]
    public void EachResampleDrawsAsManyUnitsAsThereAreFromItsOwnSeedAndIndex()
    {
        var first = new int[1000];
        var again = new int[1000];
        var next = new int[1000];

        Bootstrap.DrawUnitWeights(seed: 1, resample: 7, first);
        Bootstrap.DrawUnitWeights(seed: 1, resample: 7, again);
        Bootstrap.DrawUnitWeights(seed: 1, resample: 8, next);

        Assert.Equal(1000, first.Sum());
        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        // Multinomial(n, 1/n): about e⁻¹ of the units are not drawn at all.
        Assert.InRange(first.Count(w => w == 0), 320, 420);
    }

    [Fact]
    public void AnalysisGivesTheEngineIntervals()
    {
        var ratings = Ratings(units: 120, raters: 4, seed: 9);

        var report = AgreementAnalysis.Run(ratings, MeasurementLevel.Ratio, bootstrapResamples: 200, seed: 4);
        var intervals = AgreementBootstrap.Intervals(ratings, MultiRater, resamples: 200, seed: 4);

        Assert.All(MultiRater, name => Assert.Equal(intervals[name], report[name]!.Ci95));
    }
}
