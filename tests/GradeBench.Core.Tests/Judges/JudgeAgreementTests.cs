using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;

namespace GradeBench.Core.Tests.Judges;

public sealed class JudgeAgreementTests
{
    /// <summary>Six responses × (judge J, physicians A, B, C) on a 1–3 scale; C rated only the first four.</summary>
    static RatingMatrix Ordinal() => RatingMatrix.FromCells(6, 4, ["1", "2", "3"],
    [
        2, 2, 1, 2,
        0, 0, 0, 1,
        1, 0, 1, 1,
        2, 1, 1, 2,
        2, 2, 2, -1,
        0, 1, 0, -1,
    ], [1, 2, 3], ["u1", "u2", "u3", "u4", "u5", "u6"], ["J", "A", "B", "C"]);

    static JudgeAgreementReport Analyse(RatingMatrix ratings, MeasurementLevel level, int resamples = 0,
        IReadOnlyDictionary<string, string>? models = null, string? positive = null) =>
        JudgeAgreement.Analyse(ratings, ["J"], new JudgeAgreementOptions
        {
            Level = level, BootstrapResamples = resamples, UnitModels = models, Positive = positive, MinInstances = 2,
        });

    [Fact]
    public void JudgeAndPhysicianPairsGetTheKappasOfTheirSharedResponses()
    {
        var ratings = Ordinal();

        var report = Analyse(ratings, MeasurementLevel.Ordinal, resamples: 200);

        Assert.Equal(["A", "B", "C"], report.Physicians);
        Assert.Equal([("A", "B"), ("A", "C"), ("B", "C")], report.PhysicianPairs.Select(p => (p.RaterA, p.RaterB)));
        var judge = report.Judges.Single();
        var withC = judge.WithPhysicians.Single(p => p.RaterB == "C");
        Assert.Equal(4, withC.Units);
        Assert.Equal(CohenKappa.Pair(ratings, 0, 3, AgreementWeights.Quadratic).Value, withC["weighted_kappa_quadratic"]!.Value);
        Assert.Equal(GwetAc.Compute(ratings.SelectRaters(0, 3).Resample([0, 1, 2, 3])).Value, withC["gwet_ac1"]!.Value);
        Assert.All(judge.WithPhysicians.SelectMany(p => p.Metrics).Where(m => m.Estimate.HasValue), m => Assert.NotNull(m.Estimate.Ci95));
        Assert.Equal(["cohen_kappa", "weighted_kappa_linear", "weighted_kappa_quadratic", "gwet_ac1"], withC.Metrics.Select(m => m.Name));
    }

    /// <summary>Only the judge's pairs are resampled: the physicians' pairs feed their spread, which has no interval,
    /// and a judge pair's interval is the same as if the judge and that physician were rated alone.</summary>
    [Fact]
    public void OnlyTheJudgesPairsHaveIntervalsAndTheOtherPhysiciansChangeNone()
    {
        var ratings = Ordinal();

        var report = Analyse(ratings, MeasurementLevel.Ordinal, resamples: 200);
        var alone = Analyse(ratings.SelectRaters(0, 3), MeasurementLevel.Ordinal, resamples: 200);

        Assert.All(report.PhysicianPairs.SelectMany(p => p.Metrics), m => Assert.Null(m.Estimate.Ci95));
        var withC = report.Judges.Single().WithPhysicians.Single(p => p.RaterB == "C");
        Assert.Equal(alone.Judges.Single().WithPhysicians.Single().Metrics, withC.Metrics);
        Assert.Contains(withC.Metrics, m => m.Estimate.Ci95 is not null);
    }

    [Fact]
    public void NominalPairsGetNoWeightedKappa()
    {
        var report = Analyse(Ordinal(), MeasurementLevel.Nominal);

        Assert.Equal(["cohen_kappa", "gwet_ac1"], report.Judges[0].WithPhysicians[0].Metrics.Select(m => m.Name));
        Assert.Equal(AltTestScoring.Accuracy, report.Scoring);
        Assert.Equal(AltTestScoring.NegRmse, Analyse(Ordinal(), MeasurementLevel.Ordinal).Scoring);
    }

    [Fact]
    public void SpreadGivesTheLeastMedianAndGreatestOverPairs()
    {
        var report = Analyse(Ordinal(), MeasurementLevel.Ordinal);

        var values = report.PhysicianPairs.Select(p => p["cohen_kappa"]!.Value).OfType<double>().Order().ToArray();
        var spread = report.PhysicianSpread.Single(s => s.Coefficient == "cohen_kappa");
        Assert.Equal((values.Length, values[0], values[^1]), (spread.Pairs, spread.Min!.Value, spread.Max!.Value));
        Assert.Equal(values[values.Length / 2], spread.Median); // three pairs: the middle one
    }

    /// <summary>Per response, J − mean(physicians): u1 3 − 8/3, u2 1 − 4/3, u3 2 − 5/3, u4 3 − 7/3, u5 3 − 3, u6 1 − 1.5.</summary>
    [Fact]
    public void LeniencyIsTheMeanDifferenceFromThePhysiciansMean()
    {
        var report = Analyse(Ordinal(), MeasurementLevel.Ordinal, resamples: 200);

        var expected = new[] { 3 - 8 / 3.0, 1 - 4 / 3.0, 2 - 5 / 3.0, 3 - 7 / 3.0, 0, 1 - 1.5 }.Average();
        var leniency = report.Judges[0].Leniency;
        Assert.Equal(expected, leniency.Value!.Value, 12);
        Assert.NotNull(leniency.Ci95);
    }

    /// <summary>Majorities: u1 3 (A, C), u2 1, u3 2 (B, C), u4 2 (A, B), u5 3, u6 a tie (A 2, B 1).</summary>
    [Fact]
    public void ConfusionCountsTheJudgeAgainstThePhysiciansMajorityAndSetsTiesApart()
    {
        var confusion = Analyse(Ordinal(), MeasurementLevel.Ordinal).Judges[0].Confusion;

        var expected = new int[3, 3];
        expected[2, 2] = 2; // u1, u5
        expected[0, 0] = 1; // u2
        expected[1, 1] = 1; // u3
        expected[2, 1] = 1; // u4: judge 3, majority 2
        Assert.Equal(expected, confusion.Counts);
        Assert.Equal(1, confusion.NoMajority);
    }

    [Fact]
    public void PredictionPoweredMeansUseThePhysiciansMeanAsGoldAndTheJudgeAloneElsewhere()
    {
        // Two models: m1 has u1–u4 rated by physicians and u7, u8 by the judge alone; m2's responses all have physicians.
        var cells = Ordinal().AllCells.ToArray().Concat(new[] { 2, -1, -1, -1, 0, -1, -1, -1 }).ToArray();
        var ratings = RatingMatrix.FromCells(8, 4, ["1", "2", "3"], cells, [1, 2, 3],
            ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"], ["J", "A", "B", "C"]);
        var models = new Dictionary<string, string>
        {
            ["u1"] = "m1", ["u2"] = "m1", ["u3"] = "m1", ["u4"] = "m1", ["u7"] = "m1", ["u8"] = "m1", ["u5"] = "m2", ["u6"] = "m2",
        };

        var estimates = Analyse(ratings, MeasurementLevel.Ordinal, models: models).Judges[0].Models;

        var m1 = estimates.Single(e => e.Model == "m1");
        double[] gold = [8 / 3.0, 4 / 3.0, 5 / 3.0, 7 / 3.0];
        var powered = PredictionPoweredMean.Estimate(gold, [3, 1, 2, 3], [3, 1]);
        Assert.Equal((4, 4, 2), (m1.PhysicianRated, m1.Labeled, m1.Unlabeled));
        Assert.Equal(powered.Mean, m1.PredictionPoweredMean.Value!.Value, 12);
        Assert.Equal(powered.Interval, m1.PredictionPoweredMean.Ci95);
        Assert.Equal(PredictionPoweredMean.Classical(gold).Interval, m1.PhysicianMean.Ci95);
        Assert.Equal(PredictionPoweredMean.EffectiveSampleSize(gold, powered)!.Value / 4, m1.Gain.Value!.Value, 12);

        var m2 = estimates.Single(e => e.Model == "m2");
        Assert.Null(m2.PredictionPoweredMean.Value);
        Assert.Equal("every response the judge rated also has physicians' values, so the judge's values add nothing to the physicians'",
            m2.PredictionPoweredMean.Reason?.ToString());
        Assert.Equal((3 + 1.5) / 2, m2.PhysicianMean.Value);
    }

    [Fact]
    public void WithoutModelsThereAreNoModelEstimates() => Assert.Empty(Analyse(Ordinal(), MeasurementLevel.Ordinal).Judges[0].Models);

    [Fact]
    public void TheLastCategoryIsPositiveUnlessOneIsNamed()
    {
        var binary = RatingMatrix.FromTable(new string?[,] { { "no", "no", "yes" }, { "yes", "yes", "yes" }, { "no", "no", "no" } }, ["no", "yes"]);
        var ratings = RatingMatrix.FromCells(3, 3, binary.Categories, binary.AllCells.ToArray(), null, null, ["J", "A", "B"]);

        var byDefault = Analyse(ratings, MeasurementLevel.Nominal);
        var named = Analyse(ratings, MeasurementLevel.Nominal, positive: "no");

        Assert.Equal(("yes", "no"), (byDefault.Positive, named.Positive));
        // Swapping the classes swaps the two F1s and leaves their mean alone.
        var (a, b) = (byDefault.Judges[0].BalancedF1!.Judge, named.Judges[0].BalancedF1!.Judge);
        Assert.Equal((a.Positive.Value, a.Negative.Value, a.Value.Value), (b.Negative.Value, b.Positive.Value, b.Value.Value));
        // Leniency of a nominal scale is the difference in the share of the positive category: 0 − 1/2 on the first response.
        Assert.Equal(-0.5 / 3, byDefault.Judges[0].Leniency.Value!.Value, 12);
        Assert.Equal(0.5 / 3, named.Judges[0].Leniency.Value!.Value, 12);
    }

    [Fact]
    public void BalancedF1IsOnlyForTwoCategories() => Assert.Null(Analyse(Ordinal(), MeasurementLevel.Ordinal).Judges[0].BalancedF1);

    [Fact]
    public void AJudgeThatIsNotARaterIsRefused() =>
        Assert.Throws<ArgumentException>(() => JudgeAgreement.Analyse(Ordinal(), ["K"], new JudgeAgreementOptions { Level = MeasurementLevel.Ordinal }));

    [Fact]
    public void NegRmseOnNominalCategoriesIsRefused() =>
        Assert.Throws<ArgumentException>(() => JudgeAgreement.Analyse(Ordinal(), ["J"],
            new JudgeAgreementOptions { Level = MeasurementLevel.Nominal, Scoring = AltTestScoring.NegRmse }));

    [Fact]
    public void APositiveCategoryOffTheScaleIsRefused() =>
        Assert.Throws<ArgumentException>(() => Analyse(Ordinal(), MeasurementLevel.Ordinal, positive: "4"));
}
