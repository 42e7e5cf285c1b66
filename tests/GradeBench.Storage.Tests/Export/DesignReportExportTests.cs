using GradeBench.Core.Reports;
using GradeBench.Storage.Export;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Export;

/// <summary>report.md of the two other designs: a side-by-side study's is <see cref="PairwiseStudyReport"/>'s, on the
/// numbers of <see cref="PairwiseResultsQuery"/>; a study whose cases carry checklists gets their scores, those of
/// <see cref="ChecklistMarksQuery"/>.</summary>
public sealed class DesignReportExportTests : IAsyncLifetime
{
    readonly TempFolder _temp = new();
    TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _temp.Dispose();
    }

    async Task<long> ImportAsync(string bundle)
    {
        var result = await new StudyImporter(_db.Database, _db.Clock).ImportAsync(bundle);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.StudyId!.Value;
    }

    async Task<string> MarkdownAsync(long studyId)
    {
        var output = new StringWriter();
        await new ReportExport(_db.Database).WriteMarkdownAsync(studyId, output);
        return output.ToString();
    }

    /// <summary>The rows of the table captioned <paramref name="caption"/>, cells trimmed.</summary>
    static List<string[]> Rows(string markdown, string caption)
    {
        var lines = markdown.Split('\n');
        var at = Array.IndexOf(lines, $"*{MarkdownReport.Escape(caption)}*");
        Assert.True(at >= 0, $"a table captioned \"{caption}\"");
        return [.. lines.Skip(at + 4).TakeWhile(l => l.StartsWith('|')).Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())];
    }

    [Fact]
    public async Task ASideBySideStudysReportHasTheBradleyTerryTableOfEachAxis()
    {
        var studyId = await ImportAsync(DemoPairwise.Write(Path.Combine(_temp.Path, "pairwise"), votes: true));

        var markdown = await MarkdownAsync(studyId);

        var results = (await new PairwiseResultsQuery(_db.Database).ComputeAsync(studyId))!;
        Assert.Contains("a side-by-side (pairwise) study", markdown);
        Assert.DoesNotContain("Reporting checklist (CHART)", markdown);
        Assert.Equal(["consensus", "harm"], results.Axes.Select(a => a.Axis.Id));
        foreach (var (axis, report) in results.Axes)
        {
            Assert.True(report.Comparisons > 0);
            var rows = Rows(markdown, $"Bradley–Terry ratings on the Arena scale with 95% intervals, Arena ranks and votes: {axis.Question}");
            Assert.Equal(report.Models.Select(m => m.Model), rows.Select(r => r[0]));
            Assert.Equal(report.Models.Select(m => m.Rating.Value is { } r ? ReportNumbers.Rating(r) : "—"), rows.Select(r => r[1]));
            Assert.Equal(report.Models.Select(m => $"{m.Wins} {m.Losses} {m.Ties}"), rows.Select(r => $"{r[4]} {r[5]} {r[6]}"));
        }
        // The methods name the dates of the votes, and the pairs compared: every pair of the demo.
        Assert.Contains($"Votes were submitted between {results.FirstVote![..10]} and {results.LastVote![..10]}.", markdown);
        Assert.Contains("all pairs were compared", markdown);
        // votes.csv ticks "accuracy;safety" on every third pair of each pilot rater: rater-1's pairs 1, 4, 7, 10, rater-2's 1, 4.
        Assert.Equal([("accuracy", "6"), ("safety", "6"), ("completeness", "0")], Rows(markdown, "Reason tags ticked").Select(r => (r[1], r[2])));
    }

    [Fact]
    public async Task AStudyWithChecklistsGetsTheirScoresWithMethodsAndReference()
    {
        var studyId = await ImportAsync(DemoChecklist.Write(Path.Combine(_temp.Path, "checklists")));

        var markdown = await MarkdownAsync(studyId);

        var report = (await new ChecklistMarksQuery(_db.Database).ComputeAsync(studyId))!.Report!;
        Assert.Contains("\n## Checklist scores\n", markdown);
        Assert.Contains("Checklists. Cases carried checklists of their own, HealthBench's design (Arora et al. 2025)", markdown);
        Assert.Contains($"The scores come from {report.Marks} marks of {report.Responses} responses to {report.Cases} clinical cases by {report.Raters} raters", markdown);
        Assert.Contains("- Arora RK, et al. HealthBench", markdown);
        var rows = Rows(markdown, "Checklist score per model (HealthBench's score, clipped to [0, 1]) with 95% intervals");
        Assert.Equal(report.Models.Select(m => new[]
        {
            m.Model, ReportNumbers.Coefficient(m.Score.Value!.Value),
            ReportNumbers.CoefficientInterval(m.Score.Ci95!.Value.Lower, m.Score.Ci95.Value.Upper), m.Responses.ToString(),
        }), rows);
        Assert.Equal(report.Models.Sum(m => m.Tags.Count), Rows(markdown, "Checklist score per tag and model (the criteria carrying the tag alone) with 95% intervals").Count);
        Assert.Contains($"on {report.Agreement.Units} (answer, criterion) units with two or more raters", markdown);
    }
}
