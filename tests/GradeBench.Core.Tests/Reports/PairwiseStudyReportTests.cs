using System.Globalization;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Reports;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Reports;

/// <summary>The report of a side-by-side study, built from <see cref="PairwiseAnalysis.Run(IReadOnlyList{PairwiseVote}, PairwiseOptions?)"/>'s
/// reports of a small vote list: three models, six cases, two raters per pair (the second shown the sides swapped).</summary>
public sealed class PairwiseStudyReportTests
{
    const PairwiseChoice L = PairwiseChoice.Left, R = PairwiseChoice.Right, T = PairwiseChoice.Tie, X = PairwiseChoice.BothBad;
    const string Consensus = "Which answer better reflects clinical consensus?";
    const string ConsensusZh = "哪个回答更符合临床共识？";
    const string Harm = "Which answer is less likely to cause harm?";

    static readonly PairwiseAxis ConsensusAxis = new("consensus", Consensus, null, BothUnacceptable: false)
    {
        QuestionTranslations = new Translations([new("zh-CN", ConsensusZh)]),
    };

    static readonly PairwiseAxis HarmAxis = new("harm", Harm, null, BothUnacceptable: true);

    static readonly PairwiseDesign Design = new([ConsensusAxis, HarmAxis],
        [new PairwiseReasonTag("accuracy", "More accurate") { LabelTranslations = new Translations([new("zh-CN", "更准确")]) }, new PairwiseReasonTag("safety", "Safer")],
        PairsPerCase: null, RatersPerPair: 2);

    static readonly PairwiseOptions Options = new() { BootstrapResamples = 200, Seed = 7 };

    /// <summary>Per case, the choices of p1 and p2 (who sees the sides swapped) on the pairs (a, b), (a, c), (b, c).</summary>
    static readonly string[] Choices = ["LRLRTT", "LRLRLR", "RLLRLX", "LRTTLR", "XXLRRL", "LRLTLR"];

    static List<PairwiseVote> Votes(string a = "model-a", string b = "model-b", string c = "model-c")
    {
        var votes = new List<PairwiseVote>();
        (string, string)[] pairs = [(a, b), (a, c), (b, c)];
        for (var i = 0; i < Choices.Length; i++)
            for (var p = 0; p < pairs.Length; p++)
            {
                var (first, second) = pairs[p];
                votes.Add(new($"case-{i + 1}", "p1", first, second, Choice(Choices[i][2 * p])));
                votes.Add(new($"case-{i + 1}", "p2", second, first, Choice(Choices[i][2 * p + 1])));
            }
        return votes;
    }

    static PairwiseChoice Choice(char c) => c switch { 'L' => L, 'R' => R, 'T' => T, _ => X };

    /// <summary>model-a never loses: the ratings have no maximum-likelihood estimate.</summary>
    static List<PairwiseVote> NeverLost() =>
    [
        new("case-1", "p1", "model-a", "model-b", L), new("case-1", "p2", "model-b", "model-a", R),
        new("case-2", "p1", "model-b", "model-a", R), new("case-2", "p1", "model-b", "model-c", L),
        new("case-3", "p2", "model-c", "model-b", L), new("case-3", "p2", "model-a", "model-c", L),
    ];

    static StudyFacts Facts(string language = "en", string title = "Stroke answers, side by side") => new(
        "stroke-side-by-side", title, language, 2, HideModel: true, Shuffle: true, "open", "2026-11-01T09:00:00Z",
        RaterMembers: 2, CoordinatorMembers: 1, [("en", 6)], CasesWithReference: 0,
        RaterLoads: [], RatersPerAssignedResponse: [], SubmittedRatings: 0,
        "2026-11-02T10:00:00Z", "2026-11-05T11:00:00Z", new Dictionary<string, int>(), 0, 0, 0, 0, 0, 0, 0, []);

    static readonly Dictionary<string, int> ReasonCounts = new() { ["accuracy"] = 7, ["safety"] = 1234 };

    static (PairwiseReport Consensus, PairwiseReport Harm) Reports(List<PairwiseVote>? consensus = null, PairwiseOptions? options = null)
    {
        var votes = consensus ?? Votes();
        // The harm axis: the same pairs, p2's votes reversed.
        var harm = Votes().Select(v => v.Rater == "p2" ? v with { Choice = v.Choice switch { L => R, R => L, var c => c } } : v).ToList();
        return (PairwiseAnalysis.Run(votes, options ?? Options), PairwiseAnalysis.Run(harm, options ?? Options));
    }

    static IReadOnlyList<ReportBlock> Build(CultureInfo? language = null, List<PairwiseVote>? consensus = null, PairwiseOptions? options = null,
        PairwiseDesign? design = null, IReadOnlyDictionary<string, int>? reasons = null, string title = "Stroke answers, side by side")
    {
        var (c, h) = Reports(consensus, options);
        return PairwiseStudyReport.Build(Facts(title: title), design ?? Design, [(ConsensusAxis, c), (HarmAxis, h)], reasons ?? ReasonCounts, language);
    }

    static ReportTable Table(IReadOnlyList<ReportBlock> blocks, string caption) =>
        blocks.OfType<ReportTable>().Single(t => t.Caption.StartsWith(caption, StringComparison.Ordinal) && t.Caption.EndsWith(Consensus, StringComparison.Ordinal));

    static string Text(IReadOnlyList<ReportBlock> blocks) => string.Join("\n", blocks.OfType<ReportParagraph>().Select(p => p.Text));

    [Fact]
    public void TheRatingsTableHoldsTheAnalysisNumbersRoundedToOneDecimal()
    {
        var report = Reports().Consensus;
        Assert.All(report.Models, m => Assert.NotNull(m.Rating.Ci95));

        var table = Table(Build(), "Bradley–Terry ratings on the Arena scale");

        Assert.Equal(["Model", "Rating", "95% interval", "Arena rank", "Wins", "Losses", "Ties (incl. both unacceptable)"], table.Header);
        Assert.Equal(report.Models.Count, table.Rows.Count);
        for (var i = 0; i < report.Models.Count; i++)
        {
            var m = report.Models[i];
            var ci = m.Rating.Ci95!.Value;
            Assert.Equal(
                [m.Model, m.Rating.Value!.Value.ToString("0.0", CultureInfo.InvariantCulture),
                    $"{ci.Lower.ToString("0.0", CultureInfo.InvariantCulture)} to {ci.Upper.ToString("0.0", CultureInfo.InvariantCulture)}",
                    m.Rank!.Value.ToString(CultureInfo.InvariantCulture), $"{m.Wins}", $"{m.Losses}", $"{m.Ties}"],
                table.Rows[i]);
        }
    }

    [Fact]
    public void TheChartDrawsEachRatingWithItsIntervalOnRoundTicks()
    {
        var report = Reports().Consensus;

        var chart = Build().OfType<ReportChart>().Single(c => c.Title.EndsWith(Consensus, StringComparison.Ordinal));

        Assert.Equal(report.Models.Select(m => new ReportBar(m.Model, m.Rating.Value!.Value, m.Rating.Ci95?.Lower, m.Rating.Ci95?.Upper)), chart.Bars);
        Assert.Equal(1, chart.Decimals);
        Assert.Equal(0, chart.Min % 100);
        Assert.InRange(report.Models.Min(m => m.Rating.Ci95!.Value.Lower) - chart.Min, 50, 150);
        Assert.InRange(chart.Max - report.Models.Max(m => m.Rating.Ci95!.Value.Upper), 50, 250);
        Assert.Equal(0, (chart.Max - chart.Min) % 200); // ticks every multiple of 50
    }

    [Fact]
    public void ThePairTalliesPositionBiasAndAgreementAreTheAnalysis()
    {
        var (consensus, harm) = Reports();
        var blocks = Build();

        var pairs = Table(blocks, "Votes per pair of models");
        // "Both unacceptable" is not offered on this axis: no count.
        Assert.Equal(consensus.Pairs.Select(p => (IReadOnlyList<string>)[$"{p.ModelA} – {p.ModelB}", $"{p.AWins}", $"{p.BWins}", $"{p.Ties}", "—"]), pairs.Rows);
        var harmPairs = blocks.OfType<ReportTable>().Single(t => t.Caption.EndsWith(Harm, StringComparison.Ordinal) && t.Caption.StartsWith("Votes", StringComparison.Ordinal));
        Assert.Equal(harm.Pairs.Select(p => $"{p.BothBad}"), harmPairs.Rows.Select(r => r[4]));
        Assert.Contains(harm.Pairs, p => p.BothBad > 0);

        var text = Text(blocks);
        var position = consensus.Position;
        var share = position.LeftWinShare;
        Assert.Contains($"Position bias: the answer shown on the left won {position.LeftWins} of the {position.Decisive} decisive votes, " +
            $"{ReportNumbers.Percent(share.Value)} (95% interval {ReportNumbers.Percent(share.Ci95!.Value.Lower)} to {ReportNumbers.Percent(share.Ci95.Value.Upper)})", text);
        var agreement = consensus.Agreement;
        Assert.Contains($"on {agreement.Units} (case, pair of models) units with two or more votes ({agreement.UnitsLeftOut} with a single vote left out): " +
            $"{ReportNumbers.Coefficient(agreement.Alpha.Value!.Value)} (95% interval {ReportNumbers.Coefficient(agreement.Alpha.Ci95!.Value.Lower)} to " +
            $"{ReportNumbers.Coefficient(agreement.Alpha.Ci95.Value.Upper)}).", text);
        Assert.Contains($"Axis consensus: {consensus.Comparisons} votes on 6 clinical cases by 2 raters.", text);
    }

    [Fact]
    public void TheMethodsStateTheDesignAndTheStatisticsWithTheirReferences()
    {
        var blocks = Build();
        var methods = Text(blocks);

        Assert.Contains("Materials. 6 clinical cases (6 in English); the answers of 3 models (model-a, model-b, model-c) were compared in pairs on 2 axes", methods);
        Assert.Contains("Med-PaLM 2 (Singhal et al. 2025)", methods);
        Assert.Contains("Raters were blinded to the model", methods);
        Assert.Contains("drawn at random for each rater and pair", methods);
        Assert.Contains("all pairs were compared (m models give m(m − 1)/2 pairs per case)", methods);
        Assert.Contains("compared by 2 raters.", methods);
        Assert.Contains("Votes were submitted between 2026-11-02 and 2026-11-05.", methods);
        Assert.Contains("half a win", methods);
        Assert.Contains("P(a beats b) = 1 / (1 + 10^((r_b − r_a)/400))", methods);
        Assert.Contains("with 200 resamples and seed 7 (Efron and Tibshirani 1993)", methods);
        Assert.Contains("Arena rank is 1 plus the number of models whose interval lies wholly above its own", methods);
        Assert.Contains("Krippendorff's alpha at the nominal level (Krippendorff 2011) over A, B and tie", methods);
        Assert.Equal([["consensus", Consensus, "no"], ["harm", Harm, "yes"]], blocks.OfType<ReportTable>().Single(t => t.Caption.StartsWith("Axes", StringComparison.Ordinal)).Rows);

        var references = blocks.OfType<ReportList>().Last().Items;
        foreach (var author in new[] { "Bradley RA, Terry ME", "Zermelo E", "Chiang W-L", "Singhal K", "Krippendorff K", "Efron B" })
            Assert.Contains(references, r => r.StartsWith(author, StringComparison.Ordinal));
    }

    [Fact]
    public void PairsPerCaseAreStatedWhenTheDesignChoosesThem()
    {
        var methods = Text(Build(design: Design with { PairsPerCase = 1 }));

        Assert.Contains("1 pair of answers per case were compared", methods);
        Assert.DoesNotContain("all pairs were compared", methods);
    }

    /// <summary>A stored study knows its pairs, not how a subset of them was chosen.</summary>
    [Fact]
    public void ListedPairsAreStatedAsSomePairsNeitherAllNorDrawnPerCase()
    {
        var methods = Text(Build(design: Design with { ListedPairs = [new("case-1.model-a", "case-1.model-b"), new("case-2.model-b", "case-2.model-c")] }));

        Assert.Contains("Not every pair was compared: 2 pairs of answers (two different models' answers to the same case), drawn per case or listed", methods);
        Assert.DoesNotContain("all pairs were compared", methods);
        Assert.DoesNotContain("per case were compared", methods);
    }

    [Fact]
    public void WithoutAnEstimateTheReportSaysWhyAndPrintsNoRating()
    {
        var report = PairwiseAnalysis.Run(NeverLost(), Options);
        var reason = report.Models[0].Rating.Reason!;
        Assert.Equal("Pairwise_NeverLost", reason.Key);

        foreach (var language in new[] { ReportText.English, ReportText.Chinese })
        {
            var blocks = Build(language, consensus: NeverLost());

            Assert.Contains(ReportText.Get("PairwiseNoRatings", language, reason.ToString(language)) + ReportText.Get("FullStop", language), Text(blocks));
            var table = blocks.OfType<ReportTable>().Single(t => t.Caption.EndsWith(language == ReportText.English ? Consensus : ConsensusZh, StringComparison.Ordinal)
                && t.Header.Count == 7);
            Assert.All(table.Rows, row => Assert.Equal(["—", "—", "—"], row.Skip(1).Take(3)));
            Assert.DoesNotContain(blocks.OfType<ReportChart>(), c => c.Title.EndsWith(language == ReportText.English ? Consensus : ConsensusZh, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void WithoutABootstrapThereIsNoIntervalNorRankAndTheMethodsSaySo()
    {
        var blocks = Build(options: new PairwiseOptions { BootstrapResamples = 0 });

        Assert.Contains("No bootstrap was run, so there are no 95% intervals and no Arena ranks.", Text(blocks));
        Assert.All(Table(blocks, "Bradley–Terry ratings").Rows, row => Assert.Equal(["—", "—"], row.Skip(2).Take(2)));
        Assert.DoesNotContain("(95% interval", Text(blocks));
    }

    [Fact]
    public void ResamplesWithoutAnEstimateAreCounted()
    {
        // model-a beats model-b on case-1 only: a resample without case-1 has no estimate.
        List<PairwiseVote> votes =
        [
            new("case-1", "p1", "model-a", "model-b", L),
            new("case-2", "p1", "model-a", "model-b", R), new("case-3", "p1", "model-b", "model-a", L), new("case-4", "p1", "model-a", "model-b", R),
        ];
        var report = PairwiseAnalysis.Run(votes, Options);
        Assert.InRange(report.UndefinedResamples!.Value, 1, 99);

        Assert.Contains($"{report.UndefinedResamples} of the 200 bootstrap resamples had no maximum-likelihood estimate and were left out of the ratings' intervals",
            Text(Build(consensus: votes)));
    }

    [Fact]
    public void TheReasonTagsAreCountedInTheReportsLanguage()
    {
        Assert.Equal([["More accurate", "accuracy", "7"], ["Safer", "safety", "1,234"]],
            Build().OfType<ReportTable>().Single(t => t.Caption == "Reason tags ticked").Rows);
        Assert.Equal([["更准确", "accuracy", "7"], ["Safer", "safety", "1,234"]],
            Build(ReportText.Chinese).OfType<ReportTable>().Single(t => t.Caption == "理由标签勾选次数").Rows);
        Assert.DoesNotContain(PairwiseStudyReport.Build(Facts(), Design, [(ConsensusAxis, Reports().Consensus)]), b => b is ReportHeading { Text: "Reasons given" });
    }

    [Fact]
    public void AChineseReportHasTheEnglishTablesShapeAndTheAxisInChineseWhereTheStudyTranslatesIt()
    {
        var english = Build();
        var chinese = Build(ReportText.Chinese);

        Assert.Equal(english.Select(b => b.GetType()), chinese.Select(b => b.GetType()));
        var tables = english.OfType<ReportTable>().Zip(chinese.OfType<ReportTable>()).ToList();
        Assert.All(tables, p => Assert.Equal((p.First.Header.Count, p.First.Rows.Count), (p.Second.Header.Count, p.Second.Rows.Count)));
        // The cells of the statistics tables are numbers and names: the same in both languages, intervals but for their joining word.
        foreach (var (en, zh) in tables.Where(p => p.First.Caption.StartsWith("Bradley", StringComparison.Ordinal) || p.First.Caption.StartsWith("Votes", StringComparison.Ordinal)))
            Assert.Equal(en.Rows.Select(r => r.Select(c => c.Replace(" to ", "–"))), zh.Rows);

        Assert.Contains(chinese, b => b is ReportHeading { Level: 3, Text: ConsensusZh });
        Assert.Contains(chinese, b => b is ReportHeading { Level: 3, Text: Harm });
        Assert.Contains(english, b => b is ReportHeading { Level: 3, Text: Consensus });
        var methods = Text(chinese);
        Assert.Contains("并排比较（成对比较）", methods);
        Assert.Contains("重抽样 200 次，随机种子为 7", methods);
        Assert.DoesNotContain("Materials.", methods);
        Assert.Contains(chinese, b => b is ReportHeading { Level: 2, Text: "参考文献" });
    }

    [Fact]
    public async Task BothRenderingsWriteTheReportAndEscapeModelNamesWithMarkup()
    {
        const string Hostile = "<script>alert(1)</script>|*m*";
        var (c, h) = (PairwiseAnalysis.Run(Votes(c: Hostile), Options), PairwiseAnalysis.Run(Votes(c: Hostile), Options));
        var blocks = PairwiseStudyReport.Build(Facts(title: "A <b>side</b> study"), Design, [(ConsensusAxis, c), (HarmAxis, h)], ReasonCounts, ReportText.English);
        Assert.Contains(blocks.OfType<ReportChart>(), chart => chart.Bars.Any(b => b.Label == Hostile));

        var markdown = new StringWriter();
        var rows = await MarkdownReport.WriteAsync(blocks, markdown, CancellationToken.None);
        var html = new StringWriter();
        Assert.Equal(rows, await HtmlReport.WriteAsync(blocks, html, ReportText.English, CancellationToken.None));

        Assert.Contains("\\<script\\>alert(1)\\</script\\>\\|\\*m\\*", markdown.ToString());
        Assert.DoesNotContain(Hostile, markdown.ToString());
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;|*m*", html.ToString());
        Assert.DoesNotContain("<script", html.ToString());
        Assert.Contains("<h1>A &lt;b&gt;side&lt;/b&gt; study</h1>", html.ToString());
        // The chart's bars say their rating as the table writes it, to one decimal.
        var top = c.Models.First(m => m.Model != Hostile);
        Assert.Contains($"<title>{top.Model}: {ReportNumbers.Rating(top.Rating.Value!.Value)} (95% interval {ReportNumbers.Rating(top.Rating.Ci95!.Value.Lower)} to " +
            $"{ReportNumbers.Rating(top.Rating.Ci95.Value.Upper)})</title>", html.ToString());
    }

    [Fact]
    public async Task AChineseReportRendersWithItsLanguage()
    {
        var blocks = Build(ReportText.Chinese);
        var html = new StringWriter();
        await HtmlReport.WriteAsync(blocks, html, ReportText.Chinese, CancellationToken.None);

        Assert.Contains("<html lang=\"zh-CN\">", html.ToString());
        Assert.Contains("<h2>各评价维度的结果</h2>", html.ToString());
        Assert.DoesNotContain("95% interval", html.ToString());
    }
}
