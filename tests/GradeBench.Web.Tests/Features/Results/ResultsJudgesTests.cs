using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Bunit;
using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;
using GradeBench.Storage.Judges;
using GradeBench.Web.Features.StudyResults;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Results;

/// <summary>The results page's LLM judges (issue 19): a Judges section with the numbers of <see cref="StudyJudgeResults"/>,
/// and the coordinator's choice to count the judges as raters.</summary>
public sealed class ResultsJudgesTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    /// <summary>A copy of the demo study whose judge rated every response (<see cref="DemoJudge"/>).</summary>
    static async Task<long> StudyWithJudgeAsync(GradeBenchFactory app)
    {
        var studyId = await app.ImportDemoCopyAsync();
        var judges = app.Services.GetRequiredService<JudgeStore>();
        await judges.AddAsync(studyId, new NewJudge("gpt-judge", "gpt-4o"));
        var imported = await judges.ImportAsync(studyId, "gpt-judge", "judge.csv", Encoding.UTF8.GetBytes(DemoJudge.Csv()));
        Assert.Equal(JudgeImportOutcome.Imported, imported.Outcome);
        return studyId;
    }

    static async Task<StudyJudgeResults> ComputedAsync(GradeBenchFactory app, long studyId)
    {
        var cache = app.Services.GetRequiredService<ResultsCache>();
        await await cache.GetAsync(studyId, onConsensus: false);
        return await await cache.GetJudgesAsync(studyId);
    }

    static string Words(IElement element) => string.Join(' ', element.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

    static string Cells(IElement row) => string.Join(" | ", row.Children.Select(Words));

    [Fact]
    public async Task TheJudgesSectionShowsEachCriterionsJudgeWithTheNumbersOfItsStatistics()
    {
        var studyId = await StudyWithJudgeAsync(factory);
        var judges = await ComputedAsync(factory, studyId);
        var page = new HtmlParser().ParseDocument(await factory.PageAsAdministratorAsync($"/studies/{studyId}/results"));

        var section = page.QuerySelector("section[aria-labelledby='judges-heading']")!;
        Assert.Equal("LLM judges", section.QuerySelector("h2")!.TextContent);
        Assert.Contains("ε = 0.2, Benjamini–Yekutieli at q = 0.05, physicians with at least 30 shared responses", section.QuerySelector("p.results-note")!.TextContent);
        Assert.Equal(8, judges.Criteria.Count);
        Assert.Equal(8, section.QuerySelectorAll("section.judges-criterion").Length);

        var hallucination = judges.Criteria.Single(c => c.Criterion.Id == "hallucination").Report;
        var judge = hallucination.Judges.Single();
        var row = section.QuerySelector("table[aria-label='LLM judges on Contains fabricated content (hallucination)'] tbody tr")!;
        var cells = row.Children.Select(Words).ToList();
        Assert.Equal("gpt-judge", cells[0]);
        Assert.Equal("60", cells[1]);
        // Each physician rated 18 of the 24 pilot responses: fewer than the 30 instances the alt-test needs.
        Assert.Null(judge.AltTest.WinningRate);
        Assert.StartsWith("no physician has 30 or more responses", cells[2]);
        var f1 = judge.BalancedF1!;
        Assert.Equal($"{f1.Judge.Value.Value!.Value:0.000} ({100 * f1.Percentile.Value!.Value:0}%)", cells[3]);
        var own = judge.Spread.Single(s => s.Coefficient == "cohen_kappa");
        var physicians = hallucination.PhysicianSpread.Single(s => s.Coefficient == "cohen_kappa");
        Assert.Equal($"{own.Median:0.000} (median {physicians.Median:0.000}, {physicians.Min:0.000} to {physicians.Max:0.000})", cells[4]);
        Assert.StartsWith(judge.Leniency.Value!.Value.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture), cells[5]);

        var details = section.QuerySelectorAll("details").First(d => d.QuerySelector("summary")!.TextContent == "Details: gpt-judge"
            && d.ParentElement!.QuerySelector("h3")!.TextContent == "Overall quality");
        var overall = judges.Criteria.Single(c => c.Criterion.Id == "overall").Report.Judges.Single();
        var perPhysician = details.QuerySelectorAll("table[aria-label^='Alternative annotator test'] tbody tr").Select(Cells).ToList();
        Assert.Equal(overall.AltTest.Humans.Select(h => $"{judges.Name(h.Human)} | {h.Instances} | {h.Instances} instances, fewer than the 30 the test needs: not tested").ToList(),
            perPhysician);
        var models = details.QuerySelectorAll("table[aria-label^='Each model'] tbody tr").Select(Cells).ToList();
        Assert.Equal(overall.Models.Count, models.Count);
        var first = overall.Models[0];
        static string Interval(Estimate e) => $"{e.Value:0.00} ({e.Ci95!.Value.Lower:0.00} to {e.Ci95!.Value.Upper:0.00})";
        Assert.Equal($"{first.Model} | {first.PhysicianRated} | {Interval(first.PhysicianMean)} | {first.Labeled} / {first.Unlabeled} | " +
            $"{Interval(first.PredictionPoweredMean)} | {first.EffectiveSampleSize.Value:0.#} (×{first.Gain.Value:0.00})", models[0]);
    }

    [Fact]
    public async Task AStudyWithoutJudgesHasNoJudgesSection()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        await ComputedAsync(factory, studyId);

        var html = await factory.PageAsAdministratorAsync($"/studies/{studyId}/results");

        Assert.Contains("agreement-heading", html);
        Assert.DoesNotContain("judges-heading", html);
        Assert.DoesNotContain("name=\"raters\"", html);
    }

    [Fact]
    public async Task CountingTheJudgesAsRatersPutsThemInTheRatersTableAndBackOut()
    {
        var studyId = await StudyWithJudgeAsync(factory);
        using var context = ResultsPageContext.Create(factory, (await factory.AdministratorAsync()).Id);
        var cut = context.Render<ResultsPage>(p => p.Add(c => c.StudyId, studyId));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("section.judges-criterion")), TimeSpan.FromSeconds(60));
        string Raters() => Words(cut.Find("table[aria-label='Raters'] tbody"));
        Assert.DoesNotContain("gpt-judge", Raters());

        cut.FindAll("input[name=raters]").Single(r => r.ParentElement!.TextContent.Contains("Physicians and LLM judges")).Change(true);

        cut.WaitForAssertion(() => Assert.Contains("gpt-judge 60 480", Raters()), TimeSpan.FromSeconds(60));
        Assert.Contains("The LLM judges count as raters", cut.Markup);

        cut.FindAll("input[name=raters]").Single(r => r.ParentElement!.TextContent.Contains("Physicians only")).Change(true);

        cut.WaitForAssertion(() => Assert.DoesNotContain("gpt-judge", Raters()), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task TheJudgesSectionInThePseudoLocaleHasNoUnmarkedText()
    {
        using var pseudo = new GradeBenchFactory { Languages = [Languages.English, Languages.Pseudo] };
        var studyId = await StudyWithJudgeAsync(pseudo);
        using var context = ResultsPageContext.Create(pseudo, (await pseudo.AdministratorAsync()).Id);
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(Languages.Pseudo);
        try
        {
            var cut = context.Render<ResultsPage>(p => p.Add(c => c.StudyId, studyId));
            cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("section.judges-criterion")), TimeSpan.FromSeconds(60));

            var section = cut.Find("section[aria-labelledby='judges-heading']").OuterHtml;
            Assert.Empty(PseudoLocaleText.Unmarked($"<html><body><main>{section}</main></body></html>"));
            Assert.Empty(PseudoLocaleText.Unmarked($"<html><body><main>{cut.Find("fieldset").OuterHtml}</main></body></html>"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }
}
