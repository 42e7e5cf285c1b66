using System.Net;
using System.Text.RegularExpressions;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Reports;
using GradeBench.Storage;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.StudyResults;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Results;

/// <summary>The results page of the two other designs, as the administrator sees it: a side-by-side study's ratings per
/// axis (<see cref="PairwiseResultsQuery"/>'s numbers), and the checklist scores of a study whose cases carry checklists
/// (<see cref="ChecklistMarksQuery"/>'s).</summary>
public sealed partial class DesignResultsPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>, IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    ResultsCache Cache => factory.Services.GetRequiredService<ResultsCache>();

    /// <summary>Imports <paramref name="bundle"/> under an id of this test's own.</summary>
    async Task<long> ImportAsync(string bundle, string id)
    {
        var file = Path.Combine(bundle, "study.json");
        // The study's id is the file's first "id".
        File.WriteAllText(file, new Regex("\"id\": *\"[^\"]+\"").Replace(File.ReadAllText(file), $"\"id\": \"{id}-{Guid.NewGuid():N}\"", 1));
        var result = await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(bundle);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.StudyId!.Value;
    }

    [GeneratedRegex("""<table[^>]*id="(?<id>[^"]+)"[^>]*>.*?<tbody[^>]*>(?<body>.*?)</tbody>""", RegexOptions.Singleline)]
    private static partial Regex Table();

    [GeneratedRegex("<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    /// <summary>The cells of the table whose id is <paramref name="id"/>, row by row.</summary>
    static List<string[]> Rows(string html, string id)
    {
        var table = Table().Matches(html).SingleOrDefault(m => m.Groups["id"].Value == id);
        Assert.True(table is not null, $"a table with id {id}");
        return [.. Row().Matches(table.Groups["body"].Value)
            .Select(r => Cell().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(Regex.Replace(c.Groups[1].Value, "<[^>]+>", "")).Trim()).ToArray())];
    }

    [Fact]
    public async Task ASideBySideStudyShowsEachAxissRatingsPairsPositionAgreementAndReasons()
    {
        var studyId = await ImportAsync(DemoPairwise.Write(Path.Combine(_temp.Path, "pairwise"), votes: true), "pairwise");
        var results = (await await Cache.GetPairwiseAsync(studyId))!;

        var html = await factory.PageAsAdministratorAsync($"/studies/{studyId}/results");

        Assert.DoesNotContain("Agreement per criterion", html);
        foreach (var (axis, report) in results.Axes)
        {
            Assert.Contains($"id=\"axis-{axis.Id}\"", html);
            var ratings = Rows(html, $"ratings-{axis.Id}");
            Assert.Equal(report.Models.Select(m => new[]
            {
                m.Model, ReportNumbers.Rating(m.Rating.Value!.Value), $"{ReportNumbers.Rating(m.Rating.Ci95!.Value.Lower)} to {ReportNumbers.Rating(m.Rating.Ci95.Value.Upper)}",
                m.Rank!.Value.ToString(), m.Wins.ToString(), m.Losses.ToString(), m.Ties.ToString(),
            }), ratings);
            Assert.Equal(report.Pairs.Select(p => $"{p.ModelA} – {p.ModelB} {p.AWins} {p.BWins} {p.Ties} {(axis.BothUnacceptable ? p.BothBad.ToString() : "—")}"),
                Rows(html, $"pairs-{axis.Id}").Select(r => string.Join(' ', r)));
            Assert.Contains($"won {report.Position.LeftWins} of the {report.Position.Decisive} decisive votes, {ReportNumbers.Percent(report.Position.LeftWinShare.Value)}", html);
            Assert.Contains($"over A / B / tie): {ReportNumbers.Coefficient(report.Agreement.Alpha.Value!.Value)}", html);
        }
        Assert.Equal([["More accurate", "accuracy", "6"], ["Safer", "safety", "6"], ["More complete", "completeness", "0"]], Rows(html, "pairwise-reasons"));
    }

    [Fact]
    public async Task ASideBySideAxisWithoutAnEstimateSaysWhyAndShowsNoRating()
    {
        var study = await PairwiseFixture.TurnIntoPairwiseAsync(factory.Services.GetRequiredService<Database>(), TimeProvider.System,
            await factory.ImportDemoCopyAsync(), GradeBenchFactory.UniqueName("dr-one"));
        // One vote per axis: model-a beats model-b on consensus, a tie on harm; model-c is never compared.
        await factory.Services.GetRequiredService<PairwiseStore>().SaveAsync(study.StudyId, study.Raters[0], study.Pairs[0].Id, new PairJudgement
        {
            Choices = new Dictionary<string, PairwiseChoice?>
            {
                [ "consensus"] = PairwiseStudy.AOnLeft(0, 0) ? PairwiseChoice.Left : PairwiseChoice.Right, ["harm"] = PairwiseChoice.Tie,
            },
        }, submit: true);
        await await Cache.GetPairwiseAsync(study.StudyId);

        var html = WebUtility.HtmlDecode(await factory.PageAsAdministratorAsync($"/studies/{study.StudyId}/results"));

        Assert.Contains("No Bradley–Terry ratings: model-a never lost to or tied with the other models, so the Bradley–Terry ratings have no " +
            "maximum-likelihood estimate (model-a would lie infinitely far above the rest).", html);
        Assert.Equal([["model-a", "—", "—", "—", "1", "0", "0"], ["model-b", "—", "—", "—", "0", "1", "0"]], Rows(html, "ratings-consensus"));
        Assert.Contains("Position bias: the answer shown on the left won 1 of the 1 decisive votes, 100%", html);
        Assert.Contains("Position bias: no value: no vote chose a side", html);
    }

    [Fact]
    public async Task AStudyWithChecklistsShowsTheScoresPerModelAndTagAndTheAgreementOnMarks()
    {
        var studyId = await ImportAsync(DemoChecklist.Write(Path.Combine(_temp.Path, "checklists")), "checklists");
        await await Cache.GetAsync(studyId, onConsensus: false);
        var checklists = (await await Cache.GetChecklistsAsync(studyId))!;
        var report = checklists.Report!;

        var html = await factory.PageAsAdministratorAsync($"/studies/{studyId}/results");

        Assert.Contains("id=\"checklists-heading\"", html);
        Assert.Equal(report.Models.Select(m => new[]
        {
            m.Model, ReportNumbers.Coefficient(m.Score.Value!.Value),
            $"{ReportNumbers.Coefficient(m.Score.Ci95!.Value.Lower)} to {ReportNumbers.Coefficient(m.Score.Ci95.Value.Upper)}",
            m.Responses.ToString(), m.ResponsesWithoutScore.ToString(),
        }), Rows(html, "checklist-scores"));
        var tags = Rows(html, "checklist-tags");
        Assert.Equal(report.Models.Sum(m => m.Tags.Count), tags.Count);
        Assert.Contains(tags, t => t[0] == "axis:safety" && t[2] == "—" && t[3].StartsWith("no criterion tagged axis:safety is worth positive points", StringComparison.Ordinal));
        var agreement = Rows(html, "checklist-agreement");
        Assert.Equal(["All criteria", ReportNumbers.Coefficient(report.Agreement.Alpha.Value!.Value)], agreement[0][..2]);
        Assert.Equal(1 + report.Agreement.Tags.Count, agreement.Count);
        // Raters by the names the page gives them elsewhere, never their accounts' study-prefixed user names.
        Assert.Equal(report.Agreement.Raters.Select(r => checklists.RaterNames[r.Rater]).Order(), Rows(html, "checklist-f1").Select(r => r[0]).Order());
        Assert.All(Rows(html, "checklist-f1"), r => Assert.Matches(@"^rater-\d$", r[0]));
    }

    [Fact]
    public async Task AStudyWithoutChecklistsHasNoChecklistSection()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        await await Cache.GetAsync(studyId, onConsensus: false);

        var html = await factory.PageAsAdministratorAsync($"/studies/{studyId}/results");

        Assert.Contains("id=\"agreement-heading\"", html);
        Assert.DoesNotContain("id=\"checklists-heading\"", html);
    }
}
