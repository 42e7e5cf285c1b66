using Dapper;
using GradeBench.Core.Checklists;
using GradeBench.Core.Studies;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Results;

/// <summary>What leaves a study with checklists for their statistics (<see cref="ChecklistMarksQuery"/>): the physicians'
/// submitted marks as <see cref="ChecklistMark"/>s, on the demo study with checklists (DemoChecklist).</summary>
public sealed class ChecklistMarksQueryTests : IAsyncDisposable
{
    readonly TempFolder _temp = new();

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    async Task<(TestDatabase Db, long StudyId)> ImportAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(DemoChecklist.Write(Path.Combine(_temp.Path, "bundle")));
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return (db, result.StudyId!.Value);
    }

    /// <summary>ratings.csv's mark rows as (response, rater, criterion, met).</summary>
    static List<(string Response, string Rater, string Criterion, bool Met)> MarksOfTheBundle() =>
        [.. DemoChecklist.Marks().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(','))
            .Select(f => (f[0], f[1], f[2], f[3] == "true"))];

    [Fact]
    public async Task EverySubmittedMarkComesWithItsAnswerModelCaseRaterPointsAndTags()
    {
        var (db, studyId) = await ImportAsync();
        await using var _ = db;

        var loaded = await new ChecklistMarksQuery(db.Database).LoadAsync(studyId);

        Assert.NotNull(loaded);
        Assert.Equal(0, loaded.IncompleteRatings);
        var expected = MarksOfTheBundle();
        Assert.Equal(3 * 3 * 4 + 3 * 3 * 3, loaded.Marks.Count);
        Assert.Equal(expected.Select(m => (m.Response, PilotRaters.AccountName(TestPaths.DemoStudyId, m.Rater), m.Criterion, m.Met)).Order(),
            loaded.Marks.Select(m => (m.Response, m.Rater, m.Criterion, m.Met)).Order());
        var bolus = loaded.Marks.First(m => m.Criterion == "bolus-above-185");
        Assert.Equal(("case-001", -8, "axis:safety"), (bolus.Case, bolus.Points, string.Join(";", bolus.Tags)));
        Assert.Equal(bolus.Response[(bolus.Response.IndexOf('.') + 1)..], bolus.Model);
        Assert.Empty(loaded.Marks.First(m => m.Criterion == "large-core-trials").Tags);
        // Each answer's criteria in checklist order, rater by rater: the order the statistics number cases in.
        Assert.Equal(["bp-below-185", "no-wait-for-labs", "dose-for-weight", "bolus-above-185"], loaded.Marks.Take(4).Select(m => m.Criterion));
        Assert.Equal("rater-1", loaded.RaterNames[PilotRaters.AccountName(TestPaths.DemoStudyId, "rater-1")]);
    }

    [Fact]
    public async Task ARatingMissingAMarkOrWithADraftMarkIsLeftOutAndCounted()
    {
        var (db, studyId) = await ImportAsync();
        await using var _ = db;
        var query = new ChecklistMarksQuery(db.Database);
        var all = (await query.LoadAsync(studyId))!.Marks;
        var (first, second) = (all[0], all.First(m => m.Response != all[0].Response));
        await using (var connection = await db.Database.OpenAsync())
        {
            const string Mark = """
                SELECT g.id FROM ratings g JOIN responses r ON r.id = g.response_id JOIN users u ON u.id = g.rater_id JOIN criteria k ON k.id = g.criterion_id
                WHERE r.study_id = @StudyId AND r.slug = @Response AND u.username = @Rater AND k.slug = @Criterion AND k.case_id IS NOT NULL
                """;
            var missing = await connection.ExecuteScalarAsync<long>(Mark, new { StudyId = studyId, first.Response, first.Rater, first.Criterion });
            var draft = await connection.ExecuteScalarAsync<long>(Mark, new { StudyId = studyId, second.Response, second.Rater, second.Criterion });
            await connection.ExecuteAsync("DELETE FROM ratings WHERE id = @Missing; UPDATE ratings SET status = 'draft' WHERE id = @Draft", new { Missing = missing, Draft = draft });
        }

        var loaded = (await query.LoadAsync(studyId))!;

        Assert.Equal(2, loaded.IncompleteRatings);
        static (string, string, string, bool) Key(ChecklistMark m) => (m.Response, m.Rater, m.Criterion, m.Met);
        Assert.Equal(all.Where(m => (m.Response, m.Rater) != (first.Response, first.Rater) && (m.Response, m.Rater) != (second.Response, second.Rater)).Select(Key),
            loaded.Marks.Select(Key));
        // What is left is consistent: the statistics take it.
        Assert.Equal(loaded.Marks.Count, ChecklistAnalysis.Run(loaded.Marks, new ChecklistOptions { BootstrapResamples = 0 }).Marks);
    }

    [Fact]
    public async Task TheStatisticsAreChecklistAnalysisOnTheMarksWithTheDefaultBootstrapOverCases()
    {
        var (db, studyId) = await ImportAsync();
        await using var _ = db;
        var query = new ChecklistMarksQuery(db.Database);

        var computed = (await query.ComputeAsync(studyId))!;
        var direct = ChecklistAnalysis.Run((await query.LoadAsync(studyId))!.Marks);

        Assert.Equal(ChecklistResampling.Cases, computed.Report!.Resampled);
        Assert.Equal(2, computed.Report.Cases);
        Assert.Equal(direct.Models.Select(m => (m.Model, m.Score.Value, m.Score.Ci95)), computed.Report.Models.Select(m => (m.Model, m.Score.Value, m.Score.Ci95)));
        Assert.Equal(direct.Agreement.Alpha, computed.Report.Agreement.Alpha);
    }

    [Fact]
    public async Task AStudyWithoutChecklistsHasNoMarksToReadAndOneWithoutMarksNoReport()
    {
        await using var db = await TestDatabase.CreateAsync();
        var plain = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var unmarked = await new StudyImporter(db.Database, db.Clock).ImportAsync(
            WithId(DemoChecklist.Write(Path.Combine(_temp.Path, "unmarked"), withMarks: false), "unmarked-checklists"));
        var query = new ChecklistMarksQuery(db.Database);

        Assert.False(await query.HasChecklistsAsync(plain));
        Assert.Null(await query.LoadAsync(plain));
        Assert.Null(await query.ComputeAsync(plain));
        Assert.True(await query.HasChecklistsAsync(unmarked.StudyId!.Value));
        var none = (await query.ComputeAsync(unmarked.StudyId.Value))!;
        Assert.Null(none.Report);
        Assert.Equal(0, none.IncompleteRatings);
    }

    /// <summary>The bundle in <paramref name="folder"/> under another study id.</summary>
    static string WithId(string folder, string id)
    {
        var file = Path.Combine(folder, "study.json");
        File.WriteAllText(file, File.ReadAllText(file).Replace($"\"{TestPaths.DemoStudyId}\"", $"\"{id}\""));
        return folder;
    }
}
