using System.Net;
using System.Text.RegularExpressions;
using GradeBench.Core.Reports;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Export;

/// <summary>The export endpoint's report of a side-by-side study is the pairwise report: the Bradley–Terry table of each
/// axis with <see cref="PairwiseResultsQuery"/>'s numbers, in Markdown and in HTML.</summary>
public sealed class PairwiseReportApiTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>, IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReportMdOfASideBySideStudyHoldsTheBradleyTerryTableOfEachAxis()
    {
        var bundle = DemoPairwise.Write(Path.Combine(_temp.Path, "pairwise"), votes: true);
        var file = Path.Combine(bundle, "study.json");
        File.WriteAllText(file, File.ReadAllText(file).Replace($"\"{DemoPairwise.StudyId}\"", $"\"pairwise-report-{Guid.NewGuid():N}\""));
        var studyId = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(bundle)).StudyId!.Value;
        var admin = await factory.SignedInAdministratorAsync();

        var markdown = await admin.GetStringAsync($"/api/studies/{studyId}/export/report.md");
        var html = await admin.GetAsync($"/api/studies/{studyId}/export/report.html");

        var results = (await factory.Services.GetRequiredService<PairwiseResultsQuery>().ComputeAsync(studyId))!;
        foreach (var (axis, report) in results.Axes)
        {
            var caption = $"*Bradley–Terry ratings on the Arena scale with 95% intervals, Arena ranks and votes: {axis.Question}*";
            Assert.Contains(caption, markdown);
            var table = markdown[markdown.IndexOf(caption, StringComparison.Ordinal)..];
            foreach (var model in report.Models)
                Assert.Contains($"| {model.Model} | {ReportNumbers.Rating(model.Rating.Value!.Value)} | " +
                    $"{ReportNumbers.RatingInterval(model.Rating.Ci95!.Value)} | {model.Rank} | {model.Wins} | {model.Losses} | {model.Ties} |", table);
        }
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Matches(new Regex("<svg[^>]*>.*Bradley–Terry ratings with 95% intervals: Which answer is less likely to cause harm\\?", RegexOptions.Singleline),
            await html.Content.ReadAsStringAsync());
    }
}
