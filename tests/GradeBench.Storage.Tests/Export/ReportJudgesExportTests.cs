using GradeBench.Storage.Export;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Tests.Adjudication;
using GradeBench.Storage.Tests.Judges;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Storage.Tests.Export;

/// <summary>report.md and report.html of the demo study with a judge that rated every response: the judge's methods,
/// section and checklist carry the numbers <see cref="JudgeResultsQuery"/> loads, and every physicians' section stays
/// as it is without the judge.</summary>
public sealed class ReportJudgesExportTests
{
    const string Prompt = "Rate the answer as a stroke neurologist would.";

    static async Task<Judge> AddJudgeAsync(AdjudicationWorld world)
    {
        var judge = (await new JudgeStore(world.Db.Database, new RubricQuery(world.Db.Database), world.Db.Clock)
            .AddAsync(world.StudyId, new NewJudge("harsh", "gpt-4o", "2024-08-06", Prompt, 0))).Judge!;
        await JudgesLeftOutTests.RateEverythingAsync(world.Db, judge.UserId);
        return judge;
    }

    static async Task<string> MarkdownAsync(AdjudicationWorld world)
    {
        var markdown = new StringWriter();
        await new ReportExport(world.Db.Database).WriteMarkdownAsync(world.StudyId, markdown);
        return markdown.ToString();
    }

    static string Between(string text, string from, string to)
    {
        var start = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no \"{from}\"");
        return text[start..text.IndexOf(to, start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task TheReportOfAStudyWithAJudgeHasItsSectionWithTheNumbersOfJudgeResultsQuery()
    {
        await using var world = await AdjudicationWorld.CreateAsync();
        var judge = await AddJudgeAsync(world);

        var markdown = await MarkdownAsync(world);
        var html = new StringWriter();
        await new ReportExport(world.Db.Database).WriteHtmlAsync(world.StudyId, html);

        var results = await new JudgeResultsQuery(world.Db.Database).LoadAsync(world.StudyId);
        var overall = results.Criteria.Single(c => c.Criterion.Id == "overall").Report;
        var harsh = Assert.Single(overall.Judges);
        var alt = harsh.AltTest;
        var physicianPairs = overall.PhysicianSpread.Single(s => s.Coefficient == "weighted_kappa_linear");
        var judgePairs = harsh.Spread.Single(s => s.Coefficient == "weighted_kappa_linear");
        string[] row =
        [
            "harsh", "60", "—", "—", alt.Reason!.ToString(),
            $"{Coefficient(judgePairs.Median!.Value)} ({judgePairs.Pairs} pairs)",
            $"{Coefficient(physicianPairs.Median!.Value)} ({Coefficient(physicianPairs.Min!.Value)} to {Coefficient(physicianPairs.Max!.Value)}; {physicianPairs.Pairs} pairs)",
            $"{Signed(harsh.Leniency.Value!.Value)} ({Signed(harsh.Leniency.Ci95!.Value.Lower)} to {Signed(harsh.Leniency.Ci95!.Value.Upper)})",
        ];
        var modelA = harsh.Models.Single(m => m.Model == "model-a");
        string[] ppi =
        [
            "model-a", "8", Value(modelA.PhysicianMean), Interval(modelA.PhysicianMean), Value(modelA.PredictionPoweredMean),
            Interval(modelA.PredictionPoweredMean), Value(modelA.Gain),
        ];

        Assert.Contains($"harsh (model gpt-4o, version 2024-08-06, temperature 0, prompt SHA-256 {JudgeStore.PromptSha256(Prompt)[..12]}…, " +
            $"rubric version {judge.RubricSha256[..12]}… (the current rubric), added {world.Db.Clock.Now:yyyy-MM-dd}) rated 60 responses", markdown);
        var section = Between(markdown, "\n## LLM judges\n", "\n## Reporting checklist (CHART)\n");
        Assert.Equal(8, results.Criteria.Count);
        Assert.Equal(8, section.Split("\n### ").Length - 1);
        // Overall quality is the rubric's last criterion, so its part runs to the end of the section.
        var quality = section[section.IndexOf("\n### Overall quality\n", StringComparison.Ordinal)..];
        // The pilot physicians rated 18 responses each: too few instances for the alt-test, and the report says so.
        Assert.Contains($"| {string.Join(" | ", row)} |", quality);
        Assert.StartsWith("no physician has 30 or more responses", row[4]);
        // The judge alone rated the 36 responses the physicians did not: prediction-powered means per model.
        Assert.Contains("*Prediction-powered means of Overall quality with harsh, per model*", quality);
        Assert.Contains($"| {string.Join(" | ", ppi)} |", quality);
        Assert.Contains("\n## Reporting checklist (alt-test)\n", markdown);
        Assert.Contains("<h2>LLM judges</h2>", html.ToString());
        Assert.Contains("<h2>Reporting checklist (alt-test)</h2>", html.ToString());
    }

    [Fact]
    public async Task AStudyWithoutJudgesHasNoJudgeSectionAndAddingOneChangesNoPhysiciansSection()
    {
        await using var world = await AdjudicationWorld.CreateAsync();
        var without = await MarkdownAsync(world);

        await AddJudgeAsync(world);
        var with = await MarkdownAsync(world);

        Assert.DoesNotContain("judge", without, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alt-test", without);
        Assert.Equal(Between(without, "## Methods", "\n\nStatistics."), Between(with, "## Methods", "\n\nStatistics."));
        Assert.Equal(Between(without, "## Agreement", "## Reporting checklist (CHART)"), Between(with, "## Agreement", "## LLM judges"));
        Assert.Equal(Between(without, "## Reporting checklist (CHART)", "## References"),
            Between(with, "## Reporting checklist (CHART)", "## Reporting checklist (alt-test)"));
    }
}
