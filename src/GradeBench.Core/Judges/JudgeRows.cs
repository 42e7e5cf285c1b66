using GradeBench.Core.Agreement;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Judges;

/// <summary>One number of <c>judges.csv</c> (docs/exports.md, "judges.csv"): a <see cref="Statistic"/> of a criterion,
/// for a <see cref="Judge"/> (null: among the physicians alone), where it applies for one <see cref="Physician"/>, one
/// <see cref="Model"/> or one cell of the confusion matrix (<see cref="JudgeValue"/> × <see cref="MajorityValue"/>).
/// <see cref="Value"/> is null when the statistic has none, with <see cref="Reason"/> where the statistics give one;
/// <see cref="Text"/> holds a value that is a word rather than a number (the alt-test's scoring). Yes and no are 1 and 0.</summary>
public sealed record JudgeRow(string Criterion, string? Judge, string Statistic, string? Physician, string? Model,
    string? JudgeValue, string? MajorityValue, double? Value, double? CiLower, double? CiUpper, long? N, Message? Reason)
{
    public string? Text { get; init; }
}

/// <summary>Every number of <see cref="StudyJudgeResults"/> as one long table, for <c>judges.csv</c>: the very record the
/// results page and the report show, flattened, so the three show the same numbers. Statistic names are documented in
/// docs/exports.md.</summary>
public static class JudgeRows
{
    /// <summary>Per criterion in rubric order: the physicians' own rows (their balanced F1 and the spread of their pairs'
    /// agreement), then each judge's: responses, alt-test, balanced F1, agreement with each physician and its spread,
    /// leniency, confusion matrix, prediction-powered estimates per model.</summary>
    /// <param name="physicianName">A physician's name by rater id, as the output names raters (judges.csv: usernames, as
    /// ratings.csv).</param>
    public static IEnumerable<JudgeRow> Of(StudyJudgeResults results, Func<string, string> physicianName)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(physicianName);
        foreach (var criterion in results.Criteria)
        {
            var rows = new CriterionRows(criterion.Criterion.Id, physicianName);
            var report = criterion.Report;
            // The physicians' balanced F1s do not depend on the judge: every judge's record holds the same list.
            if (report.Judges.FirstOrDefault()?.BalancedF1 is { } f1)
                foreach (var physician in f1.Physicians)
                    rows.Add(null, "balanced_f1", physician.Score.Value, physician: physician.Physician, n: physician.Score.Pairs);
            rows.Spread(null, report.PhysicianSpread);
            foreach (var judge in report.Judges)
                rows.Judge(results.Name(judge.Judge), judge);
            foreach (var row in rows.All) yield return row;
        }
    }

    sealed class CriterionRows(string criterion, Func<string, string> physicianName)
    {
        public List<JudgeRow> All { get; } = [];

        public void Add(string? judge, string statistic, Estimate estimate, string? physician = null, string? model = null, long? n = null) =>
            All.Add(new JudgeRow(criterion, judge, statistic, physician is null ? null : physicianName(physician), model, null, null,
                estimate.Value, estimate.Ci95?.Lower, estimate.Ci95?.Upper, n, estimate.Reason));

        public void Add(string? judge, string statistic, double? value, string? physician = null, long? n = null, Message? reason = null) =>
            All.Add(new JudgeRow(criterion, judge, statistic, physician is null ? null : physicianName(physician), null, null, null,
                value, null, null, n, value is null ? reason : null));

        /// <summary>Per coefficient the least, median and greatest over the pairs with a value; n = those pairs.</summary>
        public void Spread(string? judge, IReadOnlyList<CoefficientSpread> spread)
        {
            foreach (var s in spread)
            {
                Add(judge, s.Coefficient + "_min", s.Min, n: s.Pairs);
                Add(judge, s.Coefficient + "_median", s.Median, n: s.Pairs);
                Add(judge, s.Coefficient + "_max", s.Max, n: s.Pairs);
            }
        }

        public void Judge(string judge, JudgeReport report)
        {
            Add(judge, "responses", report.Responses);
            AltTest(judge, report.AltTest);
            if (report.BalancedF1 is { } f1)
            {
                var pairs = f1.Judge.Pairs;
                Add(judge, "balanced_f1", f1.Judge.Value, n: pairs);
                Add(judge, "f1_positive", f1.Judge.Positive, n: pairs);
                Add(judge, "f1_negative", f1.Judge.Negative, n: pairs);
                Add(judge, "balanced_f1_percentile", f1.Percentile, n: f1.Physicians.Count(p => p.Score.Value.HasValue));
            }
            foreach (var pair in report.WithPhysicians)
                foreach (var metric in pair.Metrics)
                    Add(judge, metric.Name, metric.Estimate, physician: pair.RaterB, n: pair.Units);
            Spread(judge, report.Spread);
            var confusion = report.Confusion;
            // Leniency and the confusion matrix are over the same responses (the judge's and at least one physician's):
            // the matrix's cells and its tied majorities count each of them once.
            var shared = confusion.NoMajority + confusion.Counts.Cast<int>().Sum();
            Add(judge, "leniency", report.Leniency, n: shared);
            for (var a = 0; a < confusion.Categories.Count; a++)
                for (var b = 0; b < confusion.Categories.Count; b++)
                    All.Add(new JudgeRow(criterion, judge, "confusion", null, null, confusion.Categories[a], confusion.Categories[b],
                        confusion.Counts[a, b], null, null, null, null));
            Add(judge, "no_majority", confusion.NoMajority);
            foreach (var model in report.Models)
            {
                Add(judge, "physician_mean", model.PhysicianMean, model: model.Model, n: model.PhysicianRated);
                Add(judge, "ppi_mean", model.PredictionPoweredMean, model: model.Model, n: model.Labeled + model.Unlabeled);
                All.Add(new JudgeRow(criterion, judge, "ppi_labeled", null, model.Model, null, null, model.Labeled, null, null, null, null));
                All.Add(new JudgeRow(criterion, judge, "ppi_unlabeled", null, model.Model, null, null, model.Unlabeled, null, null, null, null));
                Add(judge, "effective_sample_size", model.EffectiveSampleSize, model: model.Model, n: model.PhysicianRated);
                Add(judge, "gain", model.Gain, model: model.Model, n: model.PhysicianRated);
            }
        }

        void AltTest(string judge, AltTestResult alt)
        {
            All.Add(new JudgeRow(criterion, judge, "alt_test_scoring", null, null, null, null, null, null, null, null, null)
            {
                Text = alt.Scoring == AltTestScoring.Accuracy ? "accuracy" : "neg_rmse",
            });
            Add(judge, "alt_test_epsilon", alt.Epsilon);
            Add(judge, "alt_test_q", alt.Q);
            Add(judge, "alt_test_min_instances", alt.MinInstances);
            foreach (var human in alt.Humans)
            {
                Add(judge, "alt_test_instances", human.Instances, physician: human.Human);
                Add(judge, "alt_test_p_value", human.PValue, physician: human.Human, n: human.Instances, reason: human.NotTested);
                // A physician not tested has no decision, not a "not rejected".
                Add(judge, "alt_test_rejected", human.PValue is null ? null : Flag(human.Rejected), physician: human.Human, n: human.Instances,
                    reason: human.NotTested);
                Add(judge, "alt_test_judge_advantage", human.JudgeAdvantage, physician: human.Human, n: human.Instances, reason: human.NotTested);
            }
            Add(judge, "alt_test_humans_tested", alt.HumansTested, n: alt.Humans.Count);
            Add(judge, "alt_test_rejections", alt.Rejections, n: alt.HumansTested);
            Add(judge, "alt_test_winning_rate", alt.WinningRate, n: alt.HumansTested, reason: alt.Reason);
            Add(judge, "alt_test_advantage_probability", alt.AdvantageProbability, n: alt.HumansTested, reason: alt.Reason);
            Add(judge, "alt_test_passed", Flag(alt.Passed), n: alt.HumansTested);
        }

        static double Flag(bool yes) => yes ? 1 : 0;
    }
}
