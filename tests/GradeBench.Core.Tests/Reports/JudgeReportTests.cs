using System.Globalization;
using System.Text.RegularExpressions;
using GradeBench.Core.Judges;
using GradeBench.Core.Reports;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Tests.Reports;

/// <summary>The report of a study with LLM judges: their methods, a section with the numbers of
/// <see cref="StudyJudgeResults"/> as the report writes numbers, the alt-test checklist and the references, in English
/// and in Chinese; a study without judges gets none of it.</summary>
public sealed partial class JudgeReportTests
{
    const long Judge = 99;
    const long FewJudge = 98;
    const string PromptSha = "3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6d7e8f90112233445566778899aabbccd";
    const string OldRubricSha = "0011223344556677889900aabbccddeeff00112233445566778899aabbccddee";

    static readonly Criterion Quality = new("quality", "Quality", null, CriterionType.Likert, true, 1, 5, [], []);
    static readonly Criterion Flag = new("flag", "Flag", null, CriterionType.Binary, true, null, null, [], []);
    static readonly Criterion QualityZh = Quality with { Label = "总体质量" };
    static readonly Criterion FlagZh = Flag with { Label = "含编造内容（幻觉）" };

    /// <summary>40 responses of two models: three physicians rate the first 32 (a subset), the judge all 40, a second
    /// judge only the first 10 (too few instances for the alt-test, and nothing the physicians did not rate).</summary>
    static ResultsInput Everyone(Criterion quality, Criterion flag)
    {
        var random = new Random(7);
        var responses = Enumerable.Range(1, 40).Select(i => new ResultResponse(i, $"case-{i}", i % 2 == 0 ? "model-a" : "model-b")).ToList();
        var ratings = new List<ResultRating>();
        foreach (var response in responses)
        {
            var truth = random.Next(2);
            var raters = new List<long> { Judge };
            if (response.Id <= 32) raters.AddRange([10, 11, 12]);
            if (response.Id <= 10) raters.Add(FewJudge);
            foreach (var rater in raters)
            {
                var value = truth == 1 ? (random.NextDouble() < 0.8 ? "5" : "4") : (random.NextDouble() < 0.8 ? "1" : "2");
                ratings.Add(new(1, response.Id, rater, value));
                ratings.Add(new(2, response.Id, rater, random.NextDouble() < 0.85 ? (truth == 1 ? "true" : "false") : (truth == 1 ? "false" : "true")));
            }
        }
        return new ResultsInput([new(1, quality), new(2, flag)], responses,
            [new(10, "ann"), new(11, "bob"), new(12, "cy"), new(Judge, "gpt-judge"), new(FewJudge, "mini-judge")], ratings, [], [], [], []);
    }

    static ResultsInput PhysiciansOf(ResultsInput everyone) => everyone with
    {
        Raters = [.. everyone.Raters.Where(r => r.Id is not (Judge or FewJudge))],
        Ratings = [.. everyone.Ratings.Where(r => r.RaterId is not (Judge or FewJudge))],
    };

    static StudyJudgeResults JudgesOf(ResultsInput everyone) => StudyJudges.Compute(everyone,
    [
        new JudgeProvenance(Judge, "gpt-judge", "gpt-4o", "2024-08-06", PromptSha, 0.7, RubricVersion.Of(everyone.Criteria.Select(c => c.Criterion)),
            new DateTimeOffset(2026, 11, 5, 8, 0, 0, TimeSpan.Zero)),
        new JudgeProvenance(FewJudge, "mini-judge", "gpt-4o-mini", null, null, null, OldRubricSha, new DateTimeOffset(2026, 11, 6, 8, 0, 0, TimeSpan.Zero)),
    ], resamples: 200, seed: 7);

    static StudyFacts Facts(string language) => new(
        "small", "A small study", language, 3, HideModel: true, Shuffle: true, "open", "2026-11-01T09:00:00Z",
        RaterMembers: 3, CoordinatorMembers: 1, [(language, 40)], CasesWithReference: 0,
        RaterLoads: [32, 32, 32], RatersPerAssignedResponse: [.. Enumerable.Repeat(3, 32)], SubmittedRatings: 192,
        "2026-11-02T10:00:00Z", "2026-11-03T11:00:00Z", new Dictionary<string, int> { ["web"] = 192 },
        0, 0, 0, 0, 0, 0, 0, [])
    {
        HumanSubset = "0.8", PhysicianResponses = 32,
    };

    sealed record Built(IReadOnlyList<ReportBlock> Blocks, StudyJudgeResults Judges);

    static Built Build(CultureInfo? language = null)
    {
        var chinese = language is not null && new ReportText(language).IsChinese;
        var everyone = chinese ? Everyone(QualityZh, FlagZh) : Everyone(Quality, Flag);
        var judges = JudgesOf(everyone);
        var physicians = PhysiciansOf(everyone);
        var blocks = StudyReport.Build(Facts(chinese ? "zh-CN" : "en"), physicians, StudyResults.Compute(physicians, resamples: 200, seed: 7), language, judges);
        return new Built(blocks, judges);
    }

    static ReportTable Table(IReadOnlyList<ReportBlock> blocks, string caption) =>
        blocks.OfType<ReportTable>().Single(t => t.Caption.StartsWith(caption, StringComparison.Ordinal));

    static IReadOnlyList<string> Row(ReportTable table, string first) => table.Rows.Single(r => r[0] == first);

    static string Methods(IReadOnlyList<ReportBlock> blocks) => string.Join("\n", blocks.OfType<ReportParagraph>().Select(p => p.Text));

    /// <summary>The blocks from the heading <paramref name="from"/> (level 2) to the next level-2 heading.</summary>
    static List<ReportBlock> Section(IReadOnlyList<ReportBlock> blocks, string from)
    {
        var start = blocks.ToList().FindIndex(b => b is ReportHeading { Level: 2 } h && h.Text == from);
        Assert.True(start >= 0, $"no section {from}");
        return blocks.Skip(start + 1).TakeWhile(b => b is not ReportHeading { Level: 2 }).ToList();
    }

    static JudgeReport JudgeOn(StudyJudgeResults judges, string criterion, long judge) =>
        judges.Criteria.Single(c => c.Criterion.Id == criterion).Report.Judges.Single(j => j.Judge == judge.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public void TheMethodsDescribeEachJudgeTheSubsetAndTheAltTestSettings()
    {
        var (blocks, _) = Build();
        var methods = Methods(blocks);

        Assert.Contains("LLM judges. 2 LLM judges rated the responses beside the physicians", methods);
        Assert.Contains($"gpt-judge (model gpt-4o, version 2024-08-06, temperature 0.7, prompt SHA-256 {PromptSha[..12]}…, " +
            $"rubric version {RubricVersion.Of([Quality, Flag])[..12]}… (the current rubric), added 2026-11-05) rated 40 responses", methods);
        Assert.Contains("mini-judge (model gpt-4o-mini, version not recorded, temperature not recorded, no prompt recorded, " +
            $"rubric version {OldRubricSha[..12]}… (the rubric has changed since), added 2026-11-06) rated 10 responses", methods);
        Assert.Contains("(study.json's human_subset = 0.8: 80% of each model's responses, rounded up; 32 of the 40 responses)", methods);
        Assert.Single(Regex.Matches(methods, "human_subset ="));
        Assert.Contains("the agreement coefficients, the Raters table and the model results are the physicians' alone", methods);
        Assert.Contains("ε = 0.2, the authors' preset for expert annotators", methods);
        Assert.Contains("Benjamini–Yekutieli procedure at q = 0.05", methods);
        Assert.Contains("physicians with at least 30 instances", methods);
        Assert.Contains("(alt-test; Calderon, Reichart and Dror 2025)", methods);
        Assert.Contains("(Arora et al. 2025)", methods);
        Assert.Contains("(Angelopoulos et al. 2023;", methods);
        var provenance = Table(blocks, "LLM judges as recorded");
        Assert.Equal(["gpt-judge", "gpt-4o", "2024-08-06", "0.7", PromptSha, $"{RubricVersion.Of([Quality, Flag])} (the current rubric)", "2026-11-05", "40"],
            provenance.Rows[0]);
        Assert.Equal(["mini-judge", "gpt-4o-mini", "—", "—", "—"], provenance.Rows[1].Take(5));
    }

    [Fact]
    public void TheJudgeTablesHoldStudyJudgeResultsNumbersAsTheReportWritesThem()
    {
        var (blocks, judges) = Build();
        var section = Section(blocks, "LLM judges");

        Assert.Equal(["Quality", "Flag"], section.OfType<ReportHeading>().Select(h => h.Text));
        var flag = Table(section, "LLM judges on Flag: 3 physicians; alt-test scored by accuracy");
        Assert.Equal(["Judge", "Responses", "Winning rate ω (wins of physicians tested; instances)", "Advantage probability ρ", "Passes (ω ≥ 0.5)",
            "Balanced F1 (physicians at or below it)", "Cohen's kappa (judge with each physician): median (pairs)",
            "Cohen's kappa (physician pairs): median (range; pairs)", "Leniency (95% interval)"], flag.Header);
        var judge = JudgeOn(judges, "flag", Judge);
        var alt = judge.AltTest;
        Assert.Equal(3, alt.HumansTested);
        var physicianPairs = judges.Criteria.Single(c => c.Criterion.Id == "flag").Report.PhysicianSpread.Single(s => s.Coefficient == "cohen_kappa");
        var judgePairs = judge.Spread.Single(s => s.Coefficient == "cohen_kappa");
        Assert.Equal(
        [
            "gpt-judge", "40", $"{Coefficient(alt.WinningRate!.Value)} ({alt.Rejections} of 3; 32 instances)", Coefficient(alt.AdvantageProbability!.Value),
            alt.Passed ? "yes" : "no",
            $"{Coefficient(judge.BalancedF1!.Judge.Value.Value!.Value)} ({Percent(judge.BalancedF1.Percentile.Value)})",
            $"{Coefficient(judgePairs.Median!.Value)} (3 pairs)",
            $"{Coefficient(physicianPairs.Median!.Value)} ({Coefficient(physicianPairs.Min!.Value)} to {Coefficient(physicianPairs.Max!.Value)}; 3 pairs)",
            $"{Signed(judge.Leniency.Value!.Value)} ({Signed(judge.Leniency.Ci95!.Value.Lower)} to {Signed(judge.Leniency.Ci95!.Value.Upper)})",
        ], Row(flag, "gpt-judge"));

        // The second judge's 10 responses give each physician 10 instances: nobody is tested, and the report says why.
        var few = Row(flag, "mini-judge");
        Assert.Equal(["mini-judge", "10", "—", "—"], few.Take(4));
        Assert.Equal(JudgeOn(judges, "flag", FewJudge).AltTest.Reason!.ToString(), few[4]);
        Assert.StartsWith("no physician has 30 or more responses", few[4]);

        var quality = Table(section, "LLM judges on Quality: 3 physicians; alt-test scored by negative root mean squared error");
        Assert.Equal(8, quality.Header.Count);
        Assert.Equal("Weighted kappa, linear (judge with each physician): median (pairs)", quality.Header[5]);
        Assert.Equal(["gpt-judge", "mini-judge"], quality.Rows.Select(r => r[0]));
    }

    [Fact]
    public void PredictionPoweredMeansArePerModelOrTheReasonOnce()
    {
        var (blocks, judges) = Build();
        var section = Section(blocks, "LLM judges");

        var quality = Table(section, "Prediction-powered means of Quality with gpt-judge");
        Assert.Equal(["Model", "Physician-rated responses", "Physicians only", "95% interval", "Prediction-powered", "95% interval", "Gain"], quality.Header);
        var modelA = JudgeOn(judges, "quality", Judge).Models.Single(m => m.Model == "model-a");
        Assert.Equal(
        [
            "model-a", "16", Value(modelA.PhysicianMean), Interval(modelA.PhysicianMean), Value(modelA.PredictionPoweredMean),
            Interval(modelA.PredictionPoweredMean), Value(modelA.Gain),
        ], quality.Rows.Single(r => r[0] == "model-a"));
        Assert.Equal(["model-a", "model-b"], quality.Rows.Select(r => r[0]));
        Assert.Matches(@"^\d\.\d\d to \d\.\d\d$", quality.Rows[0][5]);

        // A nominal criterion's mean is the share of its positive category, written as the report writes shares.
        var flag = Table(section, "Prediction-powered shares of Yes on Flag with gpt-judge");
        var flagA = JudgeOn(judges, "flag", Judge).Models.Single(m => m.Model == "model-a");
        Assert.Equal([Percent(flagA.PhysicianMean.Value), PercentInterval(flagA.PhysicianMean.Ci95!.Value), Percent(flagA.PredictionPoweredMean.Value)],
            flag.Rows.Single(r => r[0] == "model-a").Skip(2).Take(3));

        // Every response the second judge rated has physicians: one sentence per criterion, no table.
        var sentences = section.OfType<ReportParagraph>().Where(p => p.Text.StartsWith("mini-judge", StringComparison.Ordinal)).Select(p => p.Text).ToList();
        Assert.Equal(
        [
            "mini-judge on Quality: no prediction-powered mean: every response the judge rated also has physicians' values, so the judge's values add nothing to the physicians'.",
            "mini-judge on Flag: no prediction-powered mean: every response the judge rated also has physicians' values, so the judge's values add nothing to the physicians'.",
        ], sentences);
        Assert.DoesNotContain(section.OfType<ReportTable>(), t => t.Caption.Contains("mini-judge", StringComparison.Ordinal));
    }

    [Fact]
    public void TheAltTestChecklistSaysWhereTheReportAnswersEachItem()
    {
        var (blocks, _) = Build();

        var checklist = Section(blocks, "Reporting checklist (alt-test)");
        var table = Assert.Single(checklist.OfType<ReportTable>());
        Assert.Equal(["1 Human annotators", "2 Choice of ε", "3 Number of instances", "4 Reliability of the physicians", "5 Comparing judges (ρ)", "6 Winning rate (ω)"],
            table.Rows.Select(r => r[0]));
        Assert.StartsWith("Methods (judge statistics): ε = 0.2", table.Rows[1][2]);
        Assert.Contains("at least 30 instances per physician", table.Rows[2][2]);
        Assert.Contains("human_subset = 0.8", table.Rows[2][2]);
        Assert.Equal("LLM judges tables: ρ of each judge (gpt-judge, mini-judge) per criterion.", table.Rows[4][2]);
        Assert.Contains("Not recorded by GradeBench", table.Rows[5][2]);
        var references = Assert.Single(Section(blocks, "References").OfType<ReportList>()).Items;
        Assert.Contains(references, r => r.StartsWith("Calderon N, Reichart R, Dror R.", StringComparison.Ordinal));
        Assert.Contains(references, r => r.StartsWith("Benjamini Y, Yekutieli D.", StringComparison.Ordinal));
        Assert.Contains(references, r => r.StartsWith("Arora RK, et al. HealthBench", StringComparison.Ordinal));
        Assert.Contains(references, r => r.StartsWith("Angelopoulos AN,", StringComparison.Ordinal));
        Assert.Equal(["Methods", "Agreement", "Raters", "Model results", "Span labels", "LLM judges", "Reporting checklist (CHART)",
            "Reporting checklist (alt-test)", "References"], blocks.OfType<ReportHeading>().Where(h => h.Level == 2).Select(h => h.Text));
    }

    static async Task<string> MarkdownAsync(IReadOnlyList<ReportBlock> blocks)
    {
        var text = new StringWriter();
        await MarkdownReport.WriteAsync(blocks, text, CancellationToken.None);
        return text.ToString();
    }

    [Fact]
    public async Task AStudyWithoutJudgesGetsTheReportItHadBefore()
    {
        var physicians = PhysiciansOf(Everyone(Quality, Flag));
        var facts = Facts("en") with { HumanSubset = null };
        var results = StudyResults.Compute(physicians, resamples: 200, seed: 7);

        var without = await MarkdownAsync(StudyReport.Build(facts, physicians, results));
        var none = await MarkdownAsync(StudyReport.Build(facts, physicians, results, judges: StudyJudgeResults.None));

        Assert.Equal(without, none);
        Assert.DoesNotContain("judge", without, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alt-test", without);
        Assert.DoesNotContain("Calderon", without);
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9_.\-/]*")]
    private static partial Regex LatinWord();

    /// <summary>Latin words a Chinese report may carry in the judges' blocks: names and ids (judges, models, files,
    /// study.json keys, the command), authors and statistics as Chinese journals print them.</summary>
    static readonly HashSet<string> NamesAndIds =
    [
        "gpt-judge", "mini-judge", "gpt-4o", "gpt-4o-mini", "model-a", "model-b", "GradeBench", "docs/judges.md", "docs/assignment.md",
        "study.json", "human_subset", "judges.csv", "gradebench", "judges", "add", "github.com/nitaytech/AltTest", "LLM", "alt-test", "SHA-256",
        "F1", "PPI", "HealthBench", "Calderon", "Reichart", "Dror", "Benjamini", "Yekutieli", "Arora", "Angelopoulos", "Cohen",
        "Krippendorff", "t", "q", "P",
    ];

    [Fact]
    public async Task AChineseStudysJudgeBlocksAreChineseApartFromNamesAndIds()
    {
        var (blocks, judges) = Build(ReportText.Chinese);
        var methods = blocks.OfType<ReportParagraph>().Where(p => p.Text.StartsWith("大语言模型评审（LLM 评审）。", StringComparison.Ordinal)
            || p.Text.StartsWith("LLM 评审的统计分析。", StringComparison.Ordinal)).ToList();
        List<ReportBlock> judgeBlocks =
            [.. methods, Table(blocks, "LLM 评审及添加时记录的来源信息"), .. Section(blocks, "LLM 评审"), .. Section(blocks, "alt-test 报告清单")];

        Assert.Equal(2, methods.Count);
        var text = string.Join("\n", judgeBlocks.SelectMany(Texts));
        var digests = new[] { PromptSha, OldRubricSha, RubricVersion.Of([QualityZh, FlagZh]) };
        foreach (var digest in digests) text = text.Replace(digest, "").Replace(digest[..12], "");
        Assert.Empty(LatinWord().Matches(text).Select(m => m.Value.TrimEnd('.')).Where(w => !NamesAndIds.Contains(w)).Distinct());

        var flag = Table(blocks, "含编造内容（幻觉）：LLM 评审与 3 名评分医师对照");
        Assert.Equal(JudgeOn(judges, "flag", FewJudge).AltTest.Reason!.ToString(ReportText.Chinese), Row(flag, "mini-judge")[4]);
        Assert.StartsWith("没有任何评分医师", Row(flag, "mini-judge")[4]);
        Assert.Equal($"{Coefficient(JudgeOn(judges, "flag", Judge).AltTest.WinningRate!.Value)}（{JudgeOn(judges, "flag", Judge).AltTest.Rejections}/3；实例 32 个）",
            Row(flag, "gpt-judge")[2]);
        Assert.Contains("方法（LLM 评审的统计分析）：ε = 0.2", Table(blocks, "alt-test 报告条目").Rows[1][2]);
        Assert.Contains("\n## LLM 评审\n", await MarkdownAsync(blocks));
    }

    static IEnumerable<string> Texts(ReportBlock block) => block switch
    {
        ReportHeading h => [h.Text],
        ReportParagraph p => [p.Text],
        ReportList l => l.Items,
        ReportTable t => [t.Caption, .. t.Header, .. t.Rows.SelectMany(r => r)],
        _ => [],
    };
}
