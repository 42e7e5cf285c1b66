using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using GradeBench.Core.Reports;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Reports;

/// <summary>The report in the study's language: a study in zh-CN gets a Chinese report (headings, tables, methods,
/// checklist, html lang); the words of ReportText.resx all exist in Chinese.</summary>
public sealed partial class ChineseReportTests
{
    static readonly Criterion Quality = new("quality", "总体质量", null, CriterionType.Likert, true, 1, 5, [], []);
    static readonly Criterion Flag = new("flag", "含编造内容（幻觉）", null, CriterionType.Binary, true, null, null, [], []);

    static readonly string[] ChineseHeadings = ["方法", "评分者间一致性", "评分者", "模型结果", "片段标注", "CHART 报告清单", "参考文献"];
    static readonly string[] EnglishHeadings = ["Methods", "Agreement", "Raters", "Model results", "Span labels", "Reporting checklist (CHART)", "References"];

    static ResultsInput Input() => SmallStudy.Input(Quality, Flag, cases: 2);

    /// <summary>Every rating of every criterion the same: no coefficient has a value.</summary>
    static ResultsInput Unanimous()
    {
        var input = Input();
        return input with { Ratings = [.. input.Ratings.Select(r => r with { Value = r.CriterionId == 1 ? "4" : "false" })] };
    }

    static StudyFacts Facts(string language) => new(
        "stroke", "急性缺血性脑卒中病例的大语言模型回答评估", language, 2, HideModel: true, Shuffle: true, "open", "2026-11-01T09:00:00Z",
        RaterMembers: 2, CoordinatorMembers: 1, [("zh", 2)], CasesWithReference: 1,
        RaterLoads: [4, 4], RatersPerAssignedResponse: [2, 2, 2, 2], SubmittedRatings: 16,
        "2026-11-02T10:00:00Z", "2026-11-03T11:00:00Z", new Dictionary<string, int> { ["web"] = 16 },
        1, 2, 1, 1, 1, 0, 2, [new ModelMetadata("model-a", "temperature", ["0.2"], 1)]);

    static IReadOnlyList<ReportBlock> Build(string language, CultureInfo? reportLanguage)
    {
        var input = Input();
        return StudyReport.Build(Facts(language), input, StudyResults.Compute(input, resamples: 200, seed: 7), reportLanguage);
    }

    static async Task<(string Markdown, string Html)> RenderAsync(string studyLanguage)
    {
        var language = ReportText.LanguageOf(studyLanguage);
        var blocks = Build(studyLanguage, language);
        var markdown = new StringWriter();
        await MarkdownReport.WriteAsync(blocks, markdown, CancellationToken.None);
        var html = new StringWriter();
        await HtmlReport.WriteAsync(blocks, html, language, CancellationToken.None);
        return (markdown.ToString(), html.ToString());
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("zh")]
    [InlineData("zh-Hans")]
    public async Task AChineseStudysMarkdownReportHasChineseSectionHeadingsAndNoEnglishOnes(string language)
    {
        var (markdown, _) = await RenderAsync(language);

        foreach (var heading in ChineseHeadings) Assert.Contains($"\n## {heading}\n", markdown);
        foreach (var heading in EnglishHeadings) Assert.DoesNotContain($"## {MarkdownReport.Escape(heading)}\n", markdown);
        Assert.Contains("\n*全部一致性系数（独立提交的评分）*\n", markdown);
        Assert.Contains("| CHART 条目 | 要求（意译） | 本报告中的对应内容 |", markdown);
    }

    [Fact]
    public async Task AChineseStudysHtmlReportIsMarkedChineseAndHasChineseSectionHeadings()
    {
        var (_, html) = await RenderAsync("zh-CN");

        Assert.Contains("<html lang=\"zh-CN\">", html);
        foreach (var heading in ChineseHeadings) Assert.Contains($"<h2>{heading}</h2>", html);
        foreach (var heading in EnglishHeadings) Assert.DoesNotContain($"<h2>{heading}</h2>", html);
        Assert.Contains("aria-label=\"各评分条目的 Krippendorff α 系数及 95% 置信区间：", html);
        Assert.DoesNotContain("95% interval", html);
    }

    [Fact]
    public void TheChineseMethodsUseTheGlossarysTermsAndKeepInvariantNumbers()
    {
        var methods = string.Join("\n", Build("zh-CN", ReportText.Chinese).OfType<ReportParagraph>().Select(p => p.Text));

        Assert.Contains("材料。2 个临床病例（中文 2 个）由 2 个模型（model-a、model-b）作答，共得到 4 条回答", methods);
        Assert.Contains("2 名评分者共提交 8 份评分", methods);
        Assert.Contains("对评分者设盲", methods);
        Assert.Contains("评分者间一致性", methods);
        Assert.Contains("Krippendorff α 系数", methods);
        Assert.Contains("95% 置信区间", methods);
        Assert.Contains("重抽样 1,000 次", methods);
        Assert.Contains("总体质量（Likert 1–5 分）；含编造内容（幻觉）（是/否）", methods);
        Assert.DoesNotContain("Materials.", methods);
    }

    [Fact]
    public async Task AChineseReportSaysWhyACoefficientHasNoValueInChinese()
    {
        var input = Unanimous();
        var blocks = StudyReport.Build(Facts("zh-CN"), input, StudyResults.Compute(input, resamples: 200, seed: 7), ReportText.Chinese);
        var markdown = new StringWriter();
        await MarkdownReport.WriteAsync(blocks, markdown, CancellationToken.None);
        var html = new StringWriter();
        await HtmlReport.WriteAsync(blocks, html, ReportText.Chinese, CancellationToken.None);

        const string NoVariation = "无变异：所有可配对的评分取值相同，期望不一致度 D_e 为零，α 无定义。";
        Assert.Contains($"| {MarkdownReport.Escape(NoVariation)} |", markdown.ToString());
        Assert.Contains($"无数值：{NoVariation}", html.ToString());
        Assert.DoesNotContain("No variation", markdown.ToString());
        Assert.DoesNotContain("No variation", html.ToString());
    }

    [Fact]
    public async Task AnEnglishStudyGetsAnEnglishReport()
    {
        var (markdown, html) = await RenderAsync("en");

        Assert.Contains("<html lang=\"en\">", html);
        foreach (var heading in EnglishHeadings) Assert.Contains($"<h2>{heading}</h2>", html);
        foreach (var heading in ChineseHeadings) Assert.DoesNotContain($"## {heading}\n", markdown);
    }

    [Theory]
    [InlineData("zh", true)]
    [InlineData("zh-CN", true)]
    [InlineData("zh-cn", true)]
    [InlineData("zh-SG", true)]
    [InlineData("zh-Hans", true)]
    [InlineData("zh-Hans-CN", true)]
    [InlineData("zh-TW", false)]
    [InlineData("zh-Hant", false)]
    [InlineData("en", false)]
    [InlineData("de", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void SimplifiedChineseStudiesGetAChineseReportAndAllOthersEnglish(string? language, bool chinese) =>
        Assert.Equal(chinese ? "zh-CN" : "en", new ReportText(ReportText.LanguageOf(language)).Tag);

    static Dictionary<string, string> Resources(CultureInfo culture)
    {
        var manager = new ResourceManager("GradeBench.Core.Reports.ReportText", typeof(ReportText).Assembly);
        var set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        Assert.NotNull(set);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    static string[] Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).Distinct().Order().ToArray();

    [Fact]
    public void EveryKeyOfTheReportHasAChineseTextWithTheSamePlaceholders()
    {
        var english = Resources(CultureInfo.InvariantCulture);
        var chinese = Resources(ReportText.Chinese);

        Assert.True(english.Count > 200);
        Assert.Empty(chinese.Keys.Except(english.Keys));
        foreach (var (key, text) in english)
        {
            Assert.True(chinese.TryGetValue(key, out var zh) && zh.Length > 0, $"ReportText.zh-CN.resx has no text for {key}");
            Assert.True(text.Length > 0, $"ReportText.resx has no text for {key}");
            Assert.True(Placeholders(text).SequenceEqual(Placeholders(zh)), $"{key}: the placeholders differ");
        }
    }

    [Fact]
    public void TheEnglishMetricNamesAreMetricNamesOwn()
    {
        foreach (var (key, text) in Resources(CultureInfo.InvariantCulture).Where(e => e.Key.StartsWith("Metric_", StringComparison.Ordinal)))
            Assert.Equal(MetricNames.Of(key["Metric_".Length..]), text);
    }
}
