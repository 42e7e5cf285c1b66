using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;

namespace GradeBench.Core.Tests.Judges;

/// <summary>The numbers of <c>test_compute_agreement_for_rater_by_class</c> in OpenAI simple-evals'
/// <c>healthbench_meta_eval_test.py</c> (MIT licence): a grader's labels [True, False, True] against the physicians'
/// [[True, True, False], [True, False], [False]], examples 1–2 in cluster "a" and example 3 in cluster "b". Here the
/// grader is a judge, each example a response, and a cluster a criterion.</summary>
public sealed class BalancedF1Tests
{
    const string Yes = "true", No = "false";

    /// <summary>Responses × (judge, physician 1, 2, 3), a missing cell where an example has fewer physicians.</summary>
    static RatingMatrix Examples(params int[] which)
    {
        string?[][] rows =
        [
            [Yes, Yes, Yes, No],
            [No, Yes, No, null],
            [Yes, No, null, null],
        ];
        var table = new string?[which.Length, 4];
        for (var i = 0; i < which.Length; i++)
            for (var r = 0; r < 4; r++) table[i, r] = rows[which[i]][r];
        return RatingMatrix.FromTable(table, [No, Yes]);
    }

    static JudgeBalancedF1 JudgeF1(RatingMatrix ratings) =>
        JudgeAgreement.Analyse(ratings, ["1"], new JudgeAgreementOptions { Level = MeasurementLevel.Nominal, BootstrapResamples = 0 }).Judges[0].BalancedF1!;

    [Fact]
    public void OverallF1OfEachClassAndTheirMeanAreHealthBenchs()
    {
        var f1 = JudgeF1(Examples(0, 1, 2)).Judge;

        // As the reference test writes them: precision and recall of each class, then F1, then their mean.
        var positivePrecision = (2.0 + 0 + 0) / (3 + 0 + 1);
        var negativePrecision = (0.0 + 1 + 0) / (0 + 2 + 0);
        var positiveRecall = (2.0 + 0 + 0) / (2 + 1 + 0);
        var negativeRecall = (0.0 + 1 + 0) / (1 + 1 + 1);
        var positive = 2 * positivePrecision * positiveRecall / (positivePrecision + positiveRecall);
        var negative = 2 * negativePrecision * negativeRecall / (negativePrecision + negativeRecall);
        Assert.Equal(positive, f1.Positive.Value);
        Assert.Equal(negative, f1.Negative.Value);
        Assert.Equal((positive + negative) / 2, f1.Value.Value);
        Assert.Equal(6, f1.Pairs);
    }

    [Fact]
    public void ClusterAGivesHealthBenchsPrecisionAndRecall()
    {
        var f1 = JudgeF1(Examples(0, 1)).Judge;

        var positivePrecision = (2.0 + 0) / (3 + 0);
        var negativePrecision = (0.0 + 1) / (0 + 2);
        var positiveRecall = (2.0 + 0) / (2 + 1);
        var negativeRecall = (0.0 + 1) / (1 + 1);
        Assert.Equal(2 * positivePrecision * positiveRecall / (positivePrecision + positiveRecall), f1.Positive.Value);
        Assert.Equal(2 * negativePrecision * negativeRecall / (negativePrecision + negativeRecall), f1.Negative.Value);
    }

    /// <summary>In cluster "b" the grader never says False and the physician never says True: HealthBench has no
    /// negative precision and no positive recall there, so neither F1 nor the balanced F1.</summary>
    [Fact]
    public void ClusterBHasNoF1BecauseEachSideGivesOneClassOnly()
    {
        var f1 = JudgeF1(Examples(2)).Judge;

        Assert.Null(f1.Positive.Value);
        Assert.Null(f1.Negative.Value);
        Assert.Null(f1.Value.Value);
        Assert.Equal("one side of the pairs never gives \"true\", so its F1 is undefined", f1.Value.Reason?.ToString());
    }

    [Fact]
    public void PrecisionAndRecallOfZeroGiveAnF1OfZero()
    {
        // The rater says yes where the other says no and no where the other says yes: both classes are given by both.
        var score = BalancedF1.Of(new ClassPairs(0, 3, 2, 0), Yes, No);

        Assert.Equal((0.0, 0.0, 0.0), (score.Positive.Value!.Value, score.Negative.Value!.Value, score.Value.Value!.Value));
    }

    /// <summary>Physicians are scored against the other physicians as HealthBench scores them (each label against the
    /// other labels of its example), and the judge's percentile is the share of physicians at or below it.</summary>
    [Fact]
    public void PhysiciansAreScoredAgainstEachOtherAndTheJudgeRanksAmongThem()
    {
        // Judge (column 0) and three physicians on six responses.
        var ratings = RatingMatrix.FromTable(new string?[,]
        {
            { Yes, Yes, Yes, Yes },
            { Yes, Yes, Yes, No },
            { No, No, No, No },
            { No, No, Yes, No },
            { Yes, Yes, No, Yes },
            { No, No, No, Yes },
        }, [No, Yes]);

        var f1 = JudgeF1(ratings);

        // Physician 1 (column 1) against the two others, response by response: (y,y) (y,y), (y,y) (y,n), (n,n) (n,n),
        // (n,y) (n,n), (y,n) (y,y), (n,n) (n,y).
        var p1 = f1.Physicians.Single(p => p.Physician == "2").Score;
        double pp = 4, pn = 2, np = 2, nn = 4;
        var positive = F1(pp / (pp + pn), pp / (pp + np));
        var negative = F1(nn / (nn + np), nn / (nn + pn));
        Assert.Equal((positive + negative) / 2, p1.Value.Value!.Value, 15);
        Assert.Equal(3, f1.Physicians.Count);
        var below = f1.Physicians.Count(p => p.Score.Value.Value <= f1.Judge.Value.Value);
        Assert.Equal(below / 3.0, f1.Percentile.Value);
    }

    static double F1(double precision, double recall) => 2 * (precision * recall) / (precision + recall);
}
