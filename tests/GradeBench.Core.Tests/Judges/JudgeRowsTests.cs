using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;

namespace GradeBench.Core.Tests.Judges;

/// <summary>judges.csv's rows: every number of the study's judge record, each in its own row, equal to the record's.</summary>
public sealed class JudgeRowsTests
{
    static readonly JudgeProvenance Gpt = new(StudyJudgesTests.Judge, "gpt-judge", "gpt-4o", null, null, null, "rubric", DateTimeOffset.UnixEpoch);

    /// <summary>Physicians named apart from the record's names, as judges.csv names them by username.</summary>
    static string Username(StudyJudgeResults results, string id) => "study/" + results.Name(id);

    static JudgeRow Row(IReadOnlyList<JudgeRow> rows, string criterion, string? judge, string statistic, string? physician = null,
        string? model = null, string? judgeValue = null, string? majorityValue = null) =>
        Assert.Single(rows, r => r.Criterion == criterion && r.Judge == judge && r.Statistic == statistic && r.Physician == physician
            && r.Model == model && r.JudgeValue == judgeValue && r.MajorityValue == majorityValue);

    static void Same(Estimate estimate, long? n, JudgeRow row)
    {
        Assert.Equal(estimate.Value, row.Value);
        Assert.Equal(estimate.Ci95?.Lower, row.CiLower);
        Assert.Equal(estimate.Ci95?.Upper, row.CiUpper);
        Assert.Equal(estimate.Reason, row.Reason);
        Assert.Equal(n, row.N);
    }

    static void Same(double? value, long? n, JudgeRow row)
    {
        Assert.Equal((value, n), (row.Value, row.N));
        Assert.Null(row.CiLower);
        Assert.Null(row.CiUpper);
    }

    [Fact]
    public void EveryNumberOfTheRecordIsOneRowWithTheRecordsValue()
    {
        var results = StudyJudges.Compute(StudyJudgesTests.Study(), [Gpt], resamples: 100);

        var rows = JudgeRows.Of(results, id => Username(results, id)).ToList();

        Assert.Equal(["quality", "flag"], rows.Select(r => r.Criterion).Distinct());
        var expectedRows = 0;
        foreach (var criterion in results.Criteria)
        {
            var c = criterion.Criterion.Id;
            var report = criterion.Report;
            var judge = Assert.Single(report.Judges);
            string Physician(string id) => Username(results, id);
            Assert.Equal("gpt-judge", results.Name(judge.Judge));
            Assert.Equal(c == "quality" ? "neg_rmse" : "accuracy", Row(rows, c, "gpt-judge", "alt_test_scoring").Text);
            Same(0.2, null, Row(rows, c, "gpt-judge", "alt_test_epsilon"));
            Same(0.05, null, Row(rows, c, "gpt-judge", "alt_test_q"));
            Same(30, null, Row(rows, c, "gpt-judge", "alt_test_min_instances"));
            Same(40, null, Row(rows, c, "gpt-judge", "responses"));
            var alt = judge.AltTest;
            foreach (var human in alt.Humans)
            {
                Same(human.Instances, null, Row(rows, c, "gpt-judge", "alt_test_instances", Physician(human.Human)));
                Same(human.PValue, human.Instances, Row(rows, c, "gpt-judge", "alt_test_p_value", Physician(human.Human)));
                Same(human.Rejected ? 1 : 0, human.Instances, Row(rows, c, "gpt-judge", "alt_test_rejected", Physician(human.Human)));
                Same(human.JudgeAdvantage, human.Instances, Row(rows, c, "gpt-judge", "alt_test_judge_advantage", Physician(human.Human)));
            }
            Same(alt.HumansTested, 3, Row(rows, c, "gpt-judge", "alt_test_humans_tested"));
            Same(alt.Rejections, alt.HumansTested, Row(rows, c, "gpt-judge", "alt_test_rejections"));
            Same(alt.WinningRate, alt.HumansTested, Row(rows, c, "gpt-judge", "alt_test_winning_rate"));
            Same(alt.AdvantageProbability, alt.HumansTested, Row(rows, c, "gpt-judge", "alt_test_advantage_probability"));
            Same(alt.Passed ? 1 : 0, alt.HumansTested, Row(rows, c, "gpt-judge", "alt_test_passed"));
            expectedRows += 5 + 4 * alt.Humans.Count + 5;

            foreach (var pair in judge.WithPhysicians)
                foreach (var metric in pair.Metrics)
                    Same(metric.Estimate, pair.Units, Row(rows, c, "gpt-judge", metric.Name, Physician(pair.RaterB)));
            expectedRows += judge.WithPhysicians.Sum(p => p.Metrics.Count);
            foreach (var (judgeName, spread) in new[] { ("gpt-judge", judge.Spread), (null, report.PhysicianSpread) })
                foreach (var s in spread)
                {
                    Same(s.Min, s.Pairs, Row(rows, c, judgeName, s.Coefficient + "_min"));
                    Same(s.Median, s.Pairs, Row(rows, c, judgeName, s.Coefficient + "_median"));
                    Same(s.Max, s.Pairs, Row(rows, c, judgeName, s.Coefficient + "_max"));
                    expectedRows += 3;
                }

            // 32 responses with the judge's and the physicians' values.
            Same(judge.Leniency, 32, Row(rows, c, "gpt-judge", "leniency"));
            var confusion = judge.Confusion;
            for (var a = 0; a < confusion.Categories.Count; a++)
                for (var b = 0; b < confusion.Categories.Count; b++)
                    Same(confusion.Counts[a, b], null, Row(rows, c, "gpt-judge", "confusion", judgeValue: confusion.Categories[a], majorityValue: confusion.Categories[b]));
            Same(confusion.NoMajority, null, Row(rows, c, "gpt-judge", "no_majority"));
            expectedRows += 1 + confusion.Categories.Count * confusion.Categories.Count + 1;

            foreach (var model in judge.Models)
            {
                Same(model.PhysicianMean, model.PhysicianRated, Row(rows, c, "gpt-judge", "physician_mean", model: model.Model));
                Same(model.PredictionPoweredMean, model.Labeled + model.Unlabeled, Row(rows, c, "gpt-judge", "ppi_mean", model: model.Model));
                Same(model.Labeled, null, Row(rows, c, "gpt-judge", "ppi_labeled", model: model.Model));
                Same(model.Unlabeled, null, Row(rows, c, "gpt-judge", "ppi_unlabeled", model: model.Model));
                Same(model.EffectiveSampleSize, model.PhysicianRated, Row(rows, c, "gpt-judge", "effective_sample_size", model: model.Model));
                Same(model.Gain, model.PhysicianRated, Row(rows, c, "gpt-judge", "gain", model: model.Model));
            }
            expectedRows += 6 * judge.Models.Count;

            if (judge.BalancedF1 is { } f1)
            {
                Same(f1.Judge.Value, f1.Judge.Pairs, Row(rows, c, "gpt-judge", "balanced_f1"));
                Same(f1.Judge.Positive, f1.Judge.Pairs, Row(rows, c, "gpt-judge", "f1_positive"));
                Same(f1.Judge.Negative, f1.Judge.Pairs, Row(rows, c, "gpt-judge", "f1_negative"));
                Same(f1.Percentile, 3, Row(rows, c, "gpt-judge", "balanced_f1_percentile"));
                foreach (var physician in f1.Physicians)
                    Same(physician.Score.Value, physician.Score.Pairs, Row(rows, c, null, "balanced_f1", Physician(physician.Physician)));
                expectedRows += 4 + f1.Physicians.Count;
            }
            else Assert.Equal("quality", c);
        }
        Assert.Equal(expectedRows, rows.Count);
        Assert.Contains(rows, r => r.Statistic == "cohen_kappa" && r.CiLower is not null);
        Assert.Equal(["study/ann", "study/bob", "study/cy"], rows.Select(r => r.Physician).OfType<string>().Distinct().Order());
    }

    [Fact]
    public void AValueTheJudgeHasNoneOfIsEmptyWithItsReason()
    {
        // The judge rates only the eight responses no physician rated: nothing to compare it with.
        var input = StudyJudgesTests.Study();
        input = input with { Ratings = input.Ratings.Where(r => r.RaterId != StudyJudgesTests.Judge || r.ResponseId > 32).ToList() };
        var results = StudyJudges.Compute(input, [Gpt], resamples: 0);

        var rows = JudgeRows.Of(results, id => Username(results, id)).ToList();

        var pValue = Row(rows, "flag", "gpt-judge", "alt_test_p_value", "study/ann");
        Assert.Equal((null, 0L, "0 instances, fewer than the 30 the test needs: not tested"), (pValue.Value, pValue.N, pValue.Reason?.ToString()));
        Assert.Equal(pValue.Reason, Row(rows, "flag", "gpt-judge", "alt_test_rejected", "study/ann").Reason);
        Assert.Null(Row(rows, "flag", "gpt-judge", "alt_test_rejected", "study/ann").Value);
        var winning = Row(rows, "flag", "gpt-judge", "alt_test_winning_rate");
        Assert.Equal((null, "no physician has 30 or more responses rated by the judge, by them and by another physician, so no physician could be tested"),
            (winning.Value, winning.Reason?.ToString()));
        Assert.Equal(0, Row(rows, "flag", "gpt-judge", "alt_test_passed").Value);
        var leniency = Row(rows, "flag", "gpt-judge", "leniency");
        Assert.Equal((null, 0L, "no response has both the judge's value and a physician's value"), (leniency.Value, leniency.N, leniency.Reason?.ToString()));
        Assert.Equal("no response has this rater's value and another physician's value", Row(rows, "flag", "gpt-judge", "balanced_f1").Reason?.ToString());
        Assert.Null(Row(rows, "flag", "gpt-judge", "ppi_mean", model: "model-a").Value);
        Assert.NotNull(Row(rows, "flag", "gpt-judge", "ppi_mean", model: "model-a").Reason);
        Assert.DoesNotContain(rows, r => r.Statistic == "cohen_kappa" && r.Judge is not null);
        Assert.All(rows.Where(r => r.Value is not null || r.Text is not null), r => Assert.Null(r.Reason));
    }
}
