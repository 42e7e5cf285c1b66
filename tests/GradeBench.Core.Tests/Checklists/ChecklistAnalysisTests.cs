using GradeBench.Core.Agreement;
using GradeBench.Core.Checklists;
using GradeBench.Core.Judges;

namespace GradeBench.Core.Tests.Checklists;

public sealed class ChecklistAnalysisTests
{
    static readonly ChecklistOptions NoBootstrap = new() { BootstrapResamples = 0 };

    static ChecklistMark Mark(string response, string model, string rater, string criterion, int points, bool met, params string[] tags) =>
        new(response, model, null, rater, criterion, points, met, tags);

    /// <summary>The checklist of the examples: dose worth 5, weight 2, and delay −6 (what an answer must not do).</summary>
    static IEnumerable<ChecklistMark> Marks(string response, string model, string rater, bool dose, bool weight, bool delay) =>
    [
        Mark(response, model, rater, "dose", 5, dose),
        Mark(response, model, rater, "weight", 2, weight),
        Mark(response, model, rater, "delay", -6, delay),
    ];

    static double Score(ChecklistReport report, string model) => report.Models.Single(m => m.Model == model).Score.Value!.Value;

    static double AnswerScore(ChecklistReport report, string response) => report.Answers.Single(a => a.Response == response).Score.Value!.Value;

    [Fact]
    public void NegativePointsMetCountAgainstTheAnswerAndOnlyPositivePointsMakeTheDenominator()
    {
        // Dose (5) and delay (−6) met, weight (2) not: (5 − 6) / (5 + 2) = −1/7.
        var report = ChecklistAnalysis.Run([.. Marks("r1", "m", "p1", dose: true, weight: false, delay: true)], NoBootstrap);

        Assert.Equal(-1 / 7.0, AnswerScore(report, "r1"), 12);
        Assert.Equal((3, 1, 1), (report.Marks, report.Responses, report.Raters));
    }

    [Fact]
    public void AnAnswerMeetingOnlyTheNegativeCriterionKeepsItsNegativeScoreAndTheModelMeanIsClippedToZero()
    {
        ChecklistMark[] marks =
        [
            .. Marks("r1", "m", "p1", dose: false, weight: false, delay: true), // −6/7
            .. Marks("r2", "m", "p1", dose: true, weight: false, delay: false), // 5/7
        ];

        var report = ChecklistAnalysis.Run(marks, NoBootstrap);

        Assert.Equal(-6 / 7.0, AnswerScore(report, "r1"), 12);
        // The mean (−6/7 + 5/7) / 2 = −1/14, clipped to 0.
        Assert.Equal(0, Score(report, "m"));
        Assert.Equal(2, report.Models.Single().Responses);
    }

    [Fact]
    public void TheModelMeanIsClippedAfterAveragingNotPerAnswer()
    {
        ChecklistMark[] marks =
        [
            .. Marks("r1", "m", "p1", dose: false, weight: false, delay: true), // −6/7
            .. Marks("r2", "m", "p1", dose: true, weight: true, delay: false),  // 7/7 = 1
        ];

        var report = ChecklistAnalysis.Run(marks, NoBootstrap);

        // (−6/7 + 1) / 2 = 1/14; clipping each answer first would give (0 + 1) / 2 = 0.5.
        Assert.Equal(1 / 14.0, Score(report, "m"), 12);
    }

    /// <summary>A rater's score cannot exceed 1 (the points met are at most the positive points), so no data make a
    /// model's mean above 1; the clip is checked on the mean itself.</summary>
    [Fact]
    public void AMeanAboveOneIsClippedToOne()
    {
        var series = new ChecklistAnalysis.Series([0, 1, 1], [1.5, 0.3, 0.6]);

        // Unit 0 drawn twice: 1.5 → 1.
        Assert.Equal(1, series.ClippedMean([2, 0]));
        // Each unit once: (1.5 + 0.3 + 0.6) / 3 = 0.8, left as it is although one score is above 1.
        Assert.Equal(0.8, series.ClippedMean([1, 1]), 12);
        // Unit 1 alone: (0.3 + 0.6) / 2 = 0.45; no unit drawn: no mean.
        Assert.Equal(0.45, series.ClippedMean([0, 1]), 12);
        Assert.True(double.IsNaN(series.ClippedMean([0, 0])));
    }

    [Fact]
    public void WithoutPositivePointsTheAnswerHasNoScoreAndTheModelNone()
    {
        ChecklistMark[] marks =
        [
            Mark("r1", "m", "p1", "delay", -6, true),
            Mark("r1", "m", "p1", "rude", -2, false),
            .. Marks("r2", "other", "p1", dose: true, weight: true, delay: false),
        ];

        var report = ChecklistAnalysis.Run(marks, NoBootstrap);

        var answer = report.Answers.Single(a => a.Response == "r1");
        Assert.Null(answer.Score.Value);
        Assert.Equal("Checklist_NoPositivePoints", answer.Score.Reason!.Key);
        var model = report.Models.Single(m => m.Model == "m");
        Assert.Null(model.Score.Value);
        Assert.Equal("Checklist_NoScoredAnswer", model.Score.Reason!.Key);
        Assert.Equal((0, 1), (model.Responses, model.ResponsesWithoutScore));
        // A model without a score comes after those with one.
        Assert.Equal(["other", "m"], report.Models.Select(m => m.Model));
    }

    [Fact]
    public void TwoRatersOfAnAnswerAreAveragedBeforeTheModelMean()
    {
        ChecklistMark[] marks =
        [
            .. Marks("r1", "m", "p1", dose: true, weight: true, delay: false),   // 7/7 = 1
            .. Marks("r1", "m", "p2", dose: false, weight: false, delay: false), // 0
            .. Marks("r2", "m", "p1", dose: false, weight: false, delay: false), // 0
        ];

        var report = ChecklistAnalysis.Run(marks, NoBootstrap);

        // r1 = (1 + 0) / 2 = 0.5, r2 = 0, the model (0.5 + 0) / 2 = 0.25; the mean of the three raters' scores would be 1/3.
        Assert.Equal(0.5, AnswerScore(report, "r1"), 12);
        Assert.Equal(2, report.Answers.Single(a => a.Response == "r1").Raters);
        Assert.Equal(0.25, Score(report, "m"), 12);
    }

    [Fact]
    public void ATagsScoreUsesOnlyTheCriteriaWithThatTag()
    {
        // dose 5 [accuracy], weight 2 [accuracy, completeness], delay −6 [safety, harm], warn 3 [safety].
        IEnumerable<ChecklistMark> Answer(string response, bool dose, bool weight, bool delay, bool warn) =>
        [
            Mark(response, "m", "p1", "dose", 5, dose, "accuracy"),
            Mark(response, "m", "p1", "weight", 2, weight, "accuracy", "completeness"),
            Mark(response, "m", "p1", "delay", -6, delay, "safety", "harm"),
            Mark(response, "m", "p1", "warn", 3, warn, "safety"),
        ];
        ChecklistMark[] marks =
        [
            // overall (5 − 6 + 3) / 10 = 0.2; accuracy 5/7; completeness 0/2 = 0; safety (−6 + 3) / 3 = −1.
            .. Answer("r1", dose: true, weight: false, delay: true, warn: true),
            // overall (2 + 3) / 10 = 0.5; accuracy 2/7; completeness 2/2 = 1; safety 3/3 = 1.
            .. Answer("r2", dose: false, weight: true, delay: false, warn: true),
        ];

        var model = ChecklistAnalysis.Run(marks, NoBootstrap).Models.Single();

        Assert.Equal(0.35, model.Score.Value!.Value, 12); // (0.2 + 0.5) / 2
        Assert.Equal(["accuracy", "completeness", "harm", "safety"], model.Tags.Select(t => t.Tag));
        var tags = model.Tags.ToDictionary(t => t.Tag);
        Assert.Equal(0.5, tags["accuracy"].Score.Value!.Value, 12);     // (5/7 + 2/7) / 2
        Assert.Equal(0.5, tags["completeness"].Score.Value!.Value, 12); // (0 + 1) / 2
        // (−1 + 1) / 2 = 0: the answers' tag scores are not clipped (clipped, the mean would be 0.5).
        Assert.Equal(0, tags["safety"].Score.Value!.Value, 12);
        Assert.Equal(2, tags["safety"].Responses);
        // harm is only on the negative criterion: no denominator on any answer.
        Assert.Null(tags["harm"].Score.Value);
        Assert.Equal("Checklist_TagNoPositivePoints", tags["harm"].Score.Reason!.Key);
        Assert.Equal(0, tags["harm"].Responses);
    }

    /// <summary>Four (answer, criterion) units marked by two raters: (met, met), (not, not), (met, not), (met, met).
    /// Nominal α: n = 8 values, 5 met and 3 not met; the disagreeing unit gives o(met, not) = o(not, met) = 1, so
    /// α = 1 − (n − 1)·2 / (2·5·3) = 1 − 14/30 = 8/15.</summary>
    [Fact]
    public void AgreementIsNominalAlphaOverAnswerCriterionUnits()
    {
        ChecklistMark[] marks =
        [
            .. Marks("r1", "m", "p1", dose: true, weight: false, delay: true),
            .. Marks("r1", "m", "p2", dose: true, weight: false, delay: false),
            Mark("r2", "m", "p1", "dose", 5, true),
            Mark("r2", "m", "p2", "dose", 5, true),
            Mark("r3", "m", "p1", "dose", 5, true), // one rater: left out
        ];

        var agreement = ChecklistAnalysis.Run(marks, NoBootstrap).Agreement;

        Assert.Equal((4, 1), (agreement.Units, agreement.UnitsLeftOut));
        Assert.Equal(8 / 15.0, agreement.Alpha.Value!.Value, 12);
        var table = new string?[,] { { "met", "met" }, { "not met", "not met" }, { "met", "not met" }, { "met", "met" }, { "met", null } };
        Assert.Equal(KrippendorffAlpha.Compute(RatingMatrix.FromTable(table, ["not met", "met"]), MeasurementLevel.Nominal).Value!.Value,
            agreement.Alpha.Value!.Value, 12);
        // p1's pairs with p2 (p1's mark first): (met, met) twice, (not, not), (met, not). F1 of met: P = 2/3, R = 2/2,
        // F1 = 0.8; of not met: P = 1/1, R = 1/2, F1 = 2/3; balanced (0.8 + 2/3) / 2 = 11/15. p2's is the same, mirrored.
        Assert.Equal(["p1", "p2"], agreement.Raters.Select(r => r.Rater));
        Assert.All(agreement.Raters, r => Assert.Equal(11 / 15.0, r.Score.Value.Value!.Value, 12));
        Assert.Equal(BalancedF1.Of(new ClassPairs(2, 1, 0, 1), "met", "not met"), agreement.Raters[0].Score);
        Assert.Equal(4, agreement.Raters[0].Score.Pairs);
    }

    [Fact]
    public void ATagsAgreementUsesTheUnitsOfItsCriteria()
    {
        ChecklistMark[] marks =
        [
            Mark("r1", "m", "p1", "dose", 5, true, "accuracy"), Mark("r1", "m", "p1", "warn", 3, true, "safety"),
            Mark("r1", "m", "p2", "dose", 5, true, "accuracy"), Mark("r1", "m", "p2", "warn", 3, false, "safety"),
            Mark("r2", "m", "p1", "dose", 5, false, "accuracy"), Mark("r2", "m", "p1", "warn", 3, true, "safety"),
            Mark("r2", "m", "p2", "dose", 5, false, "accuracy"), Mark("r2", "m", "p2", "warn", 3, true, "safety"),
        ];

        var tags = ChecklistAnalysis.Run(marks, NoBootstrap).Agreement.Tags.ToDictionary(t => t.Tag);

        // accuracy: (met, met), (not, not): perfect. safety: (met, not), (met, met): 3 met and 1 not met, α = 1 − 3·2 / (2·3·1) = 0.
        Assert.Equal((2, 0, 1.0), (tags["accuracy"].Units, tags["accuracy"].UnitsLeftOut, tags["accuracy"].Alpha.Value!.Value));
        Assert.Equal(0, tags["safety"].Alpha.Value!.Value, 12);
        var safety = new string?[,] { { "met", "not met" }, { "met", "met" } };
        Assert.Equal(KrippendorffAlpha.Compute(RatingMatrix.FromTable(safety, ["not met", "met"]), MeasurementLevel.Nominal).Value!.Value,
            tags["safety"].Alpha.Value!.Value, 12);
    }

    /// <summary>Six cases, each answered by models a and b, two raters; the answers' scores vary with the case.</summary>
    static List<ChecklistMark> Study(bool withCases)
    {
        var marks = new List<ChecklistMark>();
        for (var c = 0; c < 6; c++)
            foreach (var model in new[] { "a", "b" })
                foreach (var rater in new[] { "p1", "p2" })
                {
                    var k = c * 7 + (model == "a" ? 3 : 0) + (rater == "p1" ? 1 : 0);
                    foreach (var (criterion, points, met) in new[] { ("dose", 5, k % 3 != 0), ("weight", 2, k % 2 == 0), ("delay", -6, k % 5 == 0) })
                        marks.Add(new ChecklistMark($"{model}-{c}", model, withCases ? $"case-{c}" : null, rater, criterion, points, met, []));
                }
        return marks;
    }

    [Fact]
    public void TheIntervalResamplesCasesWhenTheMarksGiveThem()
    {
        var options = new ChecklistOptions { BootstrapResamples = 300, Seed = 7 };

        var report = ChecklistAnalysis.Run(Study(withCases: true), options);

        Assert.Equal((ChecklistResampling.Cases, 6), (report.Resampled, report.Cases));
        foreach (var model in new[] { "a", "b" })
        {
            // Each case's weight counts the model's one answer to it that often: the mean over the resample, clipped.
            var scores = Enumerable.Range(0, 6).Select(c => AnswerScore(report, $"{model}-{c}")).ToArray();
            var expected = Bootstrap.PercentileInterval(6, weights =>
            {
                double sum = 0, count = 0;
                for (var c = 0; c < 6; c++) (sum, count) = (sum + weights[c] * scores[c], count + weights[c]);
                return Math.Clamp(sum / count, 0, 1);
            }, options.BootstrapResamples, options.Seed);
            Assert.Equal(expected, report.Models.Single(m => m.Model == model).Score.Ci95);
        }
    }

    [Fact]
    public void WithoutCasesTheIntervalResamplesTheAnswers()
    {
        var options = new ChecklistOptions { BootstrapResamples = 300, Seed = 7 };

        var report = ChecklistAnalysis.Run(Study(withCases: false), options);

        Assert.Equal((ChecklistResampling.Responses, (int?)null), (report.Resampled, report.Cases));
        // Answers are drawn from all 12; model a's are answers 0, 2, 4, … in the order the marks name them.
        var scores = report.Answers.Select(a => a.Score.Value!.Value).ToArray();
        var ofA = report.Answers.Select((a, i) => (a, i)).Where(x => x.a.Model == "a").Select(x => x.i).ToArray();
        var expected = Bootstrap.PercentileInterval(12, weights =>
        {
            double sum = 0, count = 0;
            foreach (var i in ofA) (sum, count) = (sum + weights[i] * scores[i], count + weights[i]);
            return count == 0 ? null : Math.Clamp(sum / count, 0, 1);
        }, options.BootstrapResamples, options.Seed);
        Assert.Equal(expected, report.Models.Single(m => m.Model == "a").Score.Ci95);
    }

    [Fact]
    public void SameSeedGivesTheSameNumbersOnAnyNumberOfThreads()
    {
        var marks = Study(withCases: true);
        var options = new ChecklistOptions { BootstrapResamples = 500, Seed = 42 };

        var oneThread = ChecklistAnalysis.Run(marks, options, maxThreads: 1);
        var allThreads = ChecklistAnalysis.Run(marks, options, maxThreads: -1);

        static object Numbers(ChecklistReport r) => string.Join(";", r.Models.Select(m => $"{m.Model} {m.Score}")) + $"|{r.Agreement.Alpha}";
        Assert.NotNull(oneThread.Models[0].Score.Ci95);
        Assert.NotNull(oneThread.Agreement.Alpha.Ci95);
        Assert.Equal(Numbers(oneThread), Numbers(allThreads));
        Assert.Equal(Numbers(oneThread), Numbers(ChecklistAnalysis.Run(marks, options)));
        Assert.NotEqual(Numbers(oneThread), Numbers(ChecklistAnalysis.Run(marks, options with { Seed = 43 })));
    }

    public static TheoryData<ChecklistMark[], string> Contradictions => new()
    {
        { [Mark("r1", "m", "p1", "dose", 0, true)], "criterion \"dose\" of response \"r1\" is worth 0 points" },
        { [Mark("r1", "m", "p1", "dose", 5, true), Mark("r1", "n", "p2", "dose", 5, true)], "response \"r1\" is by \"m\" and by \"n\"" },
        { [Mark("r1", "m", "p1", "dose", 5, true), Mark("r1", "m", "p2", "dose", 4, true)], "criterion \"dose\" of response \"r1\" is worth 5 and 4 points" },
        { [Mark("r1", "m", "p1", "dose", 5, true, "a"), Mark("r1", "m", "p2", "dose", 5, true, "b")], "criterion \"dose\" of response \"r1\" has two different sets of tags" },
        { [Mark("r1", "m", "p1", "dose", 5, true), Mark("r1", "m", "p1", "dose", 5, false)], "rater \"p1\" marked criterion \"dose\" of response \"r1\" twice" },
        { [Mark("r1", "m", "p1", "dose", 5, true), Mark("r1", "m", "p2", "weight", 2, true)], "rater \"p1\" marked response \"r1\" but not its criterion \"weight\"" },
        { [Mark("r1", "m", "p1", "dose", 5, true) with { Case = "c1" }, Mark("r2", "m", "p1", "dose", 5, true)], "some marks give their answer's case and others do not" },
        { [Mark("r1", "m", "p1", "dose", 5, true) with { Case = "c1" }, Mark("r1", "m", "p2", "dose", 5, true) with { Case = "c2" }], "response \"r1\" is of case \"c1\" and of case \"c2\"" },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void MarksThatContradictEachOtherAreRefused(ChecklistMark[] marks, string message)
    {
        var problem = Assert.Throws<ArgumentException>(() => ChecklistAnalysis.Run(marks, NoBootstrap));

        Assert.StartsWith(message, problem.Message);
    }
}
