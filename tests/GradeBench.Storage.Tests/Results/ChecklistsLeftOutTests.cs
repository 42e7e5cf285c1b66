using Dapper;
using GradeBench.Core.Results;
using GradeBench.Storage.Agreement;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Export;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Results;

/// <summary>What speaks of the rubric (results, agreement, the dashboard's progress per criterion, the report but for
/// its checklist parts, ratings-wide.csv) is the same for the demo with checklists and its pilot raters' marks as for the same study once
/// the marks and checklists are taken out of its database: marks are ratings in the same table, and each of these leaves
/// them out. (One database: response ids, which order the rows the bootstrap reads, differ from one import to the next.)</summary>
public sealed class ChecklistsLeftOutTests : IAsyncLifetime
{
    readonly TempFolder _temp = new();
    TestDatabase _db = null!;
    long _studyId;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(DemoChecklist.Write(Path.Combine(_temp.Path, "bundle")))).StudyId!.Value;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>What <paramref name="read"/> gives with the checklists and their 63 marks, and after they are deleted.</summary>
    async Task<(T WithMarks, T Without)> WithAndWithoutMarksAsync<T>(Func<Task<T>> read)
    {
        var withMarks = await read();
        await using (var connection = await _db.Database.OpenAsync())
        {
            const string caseCriteria = "SELECT k.id FROM criteria k JOIN cases c ON c.id = k.case_id";
            Assert.Equal(63, await connection.ExecuteAsync($"DELETE FROM ratings WHERE criterion_id IN ({caseCriteria})"));
            Assert.Equal(15, await connection.ExecuteAsync($"DELETE FROM criteria WHERE id IN ({caseCriteria})"));
        }
        return (withMarks, await read());
    }

    async Task<string> TextAsync(Func<TextExport, TextWriter, Task> write)
    {
        var output = new StringWriter();
        await write(new TextExport(_db.Database), output);
        return output.ToString();
    }

    [Fact]
    public async Task TheResultsAgreementAndRatingsWideCsvLeaveTheMarksOut()
    {
        var (withMarks, without) = await WithAndWithoutMarksAsync(async () =>
        {
            var input = await new ResultsQuery(_db.Database, new RubricQuery(_db.Database)).LoadAsync(_studyId);
            var raters = StudyResults.Compute(input, resamples: 50).Raters.Select(r => (r.Id, r.Items, r.Ratings)).ToList();
            return (input.Ratings, Criteria: input.Criteria.Select(c => c.Id).ToList(), input.Raters, raters,
                Agreement: await TextAsync((export, output) => export.WriteAgreementAsync(_studyId, output)),
                Wide: await TextAsync((export, output) => export.WriteRatingsWideAsync(_studyId, output)));
        });

        Assert.Equal(576, withMarks.Ratings.Count);
        Assert.Equal(without.Ratings, withMarks.Ratings);
        Assert.Equal(without.Criteria, withMarks.Criteria);
        Assert.Equal(without.Raters, withMarks.Raters);
        Assert.Equal(without.raters, withMarks.raters);
        Assert.Equal(without.Agreement, withMarks.Agreement);
        Assert.Equal(without.Wide, withMarks.Wide);
    }

    [Fact]
    public async Task TheAgreementMonitorsRatingsAndTheDashboardsProgressPerCriterionLeaveTheMarksOut()
    {
        var (withMarks, without) = await WithAndWithoutMarksAsync(async () =>
        {
            var query = new AgreementQuery(_db.Database);
            var objects = (await query.SubmittedAsync(_studyId)).SelectMany(g => g.Select(r => (g.Key, r))).ToList();
            var rubric = (await new RubricQuery(_db.Database).LoadAsync(_studyId)).Select(c => c.Id).ToHashSet();
            var columns = (await query.SubmittedColumnsAsync(_studyId, rubric)).OrderBy(c => c.Key)
                .Select(c => (c.Key, c.Value.Count, string.Join(",", c.Value.Values))).ToList();
            var counts = (await new DashboardQuery(_db.Database).CountsAsync(_studyId)).Criteria;
            return (objects, columns, counts);
        });

        Assert.Equal(576, withMarks.objects.Count);
        Assert.Equal(without.objects, withMarks.objects);
        Assert.Equal(without.columns, withMarks.columns);
        Assert.Equal(9, withMarks.counts.Count);
        Assert.Equal(without.counts, withMarks.counts);
    }

    [Fact]
    public async Task TheReportLeavesTheMarksOutOfEverythingButItsChecklistParts()
    {
        var (withMarks, without) = await WithAndWithoutMarksAsync(() => TextAsync((export, output) => export.Report.WriteMarkdownAsync(_studyId, output)));

        // The checklists' own parts: their methods paragraph, their section up to the next, and HealthBench among the references.
        var section = withMarks.IndexOf("## Checklist scores\n", StringComparison.Ordinal);
        Assert.True(section > 0, "the checklist section");
        var rest = withMarks.Remove(section, withMarks.IndexOf("\n## ", section, StringComparison.Ordinal) + 1 - section);
        var methods = rest.IndexOf("Checklists. ", StringComparison.Ordinal);
        rest = rest.Remove(methods, rest.IndexOf("\n\n", methods, StringComparison.Ordinal) + 2 - methods);
        Assert.Equal(without, rest.Replace("- Arora RK, et al. HealthBench: Evaluating Large Language Models Towards Improved Human Health. arXiv:2505.08775; 2025.\n", ""));
    }
}
