using System.Text;
using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Export;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Grading;

/// <summary>The demo study imported with <c>"human_subset": 0.25</c>: physicians rate a quarter of each model's responses,
/// a judge all of them.</summary>
public sealed class HumanSubsetAssignmentTests : IAsyncLifetime
{
    readonly TempFolder _bundle = new();
    TestDatabase _db = null!;
    long _studyId, _coordinator;

    public async Task InitializeAsync()
    {
        TestPaths.CopyDemoBundle(_bundle.Path);
        var study = Path.Combine(_bundle.Path, "study.json");
        File.WriteAllText(study, File.ReadAllText(study).Replace("\"raters_per_response\": 3,", "\"raters_per_response\": 3,\n  \"human_subset\": 0.25,"));
        _db = await TestDatabase.CreateAsync();
        var users = new UserStore(_db.Database, _db.Clock);
        _coordinator = (await users.CreateAsync("coord", "Coordinator", isAdmin: false))!.Id;
        await users.MakeAdministratorAsync(_coordinator);
        var import = await new StudyImporter(_db.Database, _db.Clock).ImportAsync(_bundle.Path, importedBy: _coordinator);
        Assert.True(import.Succeeded, string.Join("\n", import.Errors));
        _studyId = import.StudyId!.Value;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _bundle.Dispose();
    }

    async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await _db.Database.OpenAsync();
        return (await connection.QueryAsync<T>(sql, new { StudyId = _studyId })).AsList();
    }

    /// <summary>Physicians' work planned by the study (not the pilot ratings the bundle brought) on responses outside the subset.</summary>
    const string PlannedOutsideTheSubset = """
        SELECT COUNT(*) FROM assignments a JOIN responses r ON r.id = a.response_id
        WHERE a.study_id = @StudyId AND a.completed_at IS NULL AND NOT r.for_physicians AND a.rater_id NOT IN (SELECT user_id FROM judges)
        """;

    [Fact]
    public async Task PhysiciansArePlannedOnAQuarterOfEachModelAndTheReportsFactsSaySo()
    {
        var subset = await QueryAsync<string>("SELECT slug FROM responses WHERE study_id = @StudyId AND for_physicians ORDER BY slug");
        await _db.AddRaterAsync(_studyId, "dr-new");

        Assert.Equal(15, subset.Count);
        Assert.Equal([5, 5, 5], subset.GroupBy(s => s[^7..]).Select(g => g.Count()));
        Assert.Contains("case-009.model-a", subset);
        Assert.Equal([0L], await QueryAsync<long>(PlannedOutsideTheSubset));
        Assert.Equal([3L], await QueryAsync<long>("""
            SELECT DISTINCT COUNT(*) FROM assignments a JOIN responses r ON r.id = a.response_id
            WHERE a.study_id = @StudyId AND r.for_physicians GROUP BY a.response_id
            """));
        var facts = (await new ReportQuery(_db.Database).LoadAsync(_studyId))!;
        Assert.Equal(("0.25", 15), (facts.HumanSubset, facts.PhysicianResponses));
    }

    [Fact]
    public async Task AJudgeRatesEveryResponseAndABatchAddedLaterKeepsEachModelAtItsShare()
    {
        var judges = new JudgeStore(_db.Database, new RubricQuery(_db.Database), _db.Clock);
        var judge = (await judges.AddAsync(_studyId, new NewJudge("gpt", "gpt-4o"))).Judge!;
        var batch = string.Join('\n', Enumerable.Range(1, 4).Select(i =>
            $$"""{"id": "case-00{{i}}.model-a-v2", "case_id": "case-00{{i}}", "model": "model-a", "content_md": "Another answer."}"""));

        var added = await new StudySetupStore(_db.Database, new StudyQuery(_db.Database), new RubricQuery(_db.Database), _db.Clock)
            .AddResponsesAsync(_studyId, _coordinator, Encoding.UTF8.GetBytes(batch + "\n"));

        Assert.True(added.Succeeded);
        Assert.Equal(64, (await judges.FindAsync(_studyId, "gpt"))!.Assigned);
        Assert.Equal(judge.UserId, (await judges.FindAsync(_studyId, "gpt"))!.UserId);
        Assert.Equal([6L], await QueryAsync<long>("SELECT COUNT(*) FROM responses WHERE study_id = @StudyId AND for_physicians AND model = 'model-a'"));
        Assert.Equal([1L], await QueryAsync<long>("SELECT COUNT(*) FROM responses WHERE study_id = @StudyId AND for_physicians AND slug LIKE '%-v2'"));
        Assert.Equal([0L], await QueryAsync<long>(PlannedOutsideTheSubset));
    }

    [Fact]
    public async Task TheBundleExportGivesTheRuleBackAsStudyJsonHadIt()
    {
        using var zip = new MemoryStream();
        await new BundleExport(_db.Database).WriteAsync(_studyId, zip);

        zip.Position = 0;
        using var archive = new System.IO.Compression.ZipArchive(zip);
        await using var study = archive.GetEntry("study.json")!.Open();
        using var json = await System.Text.Json.JsonDocument.ParseAsync(study);
        Assert.Equal("0.25", json.RootElement.GetProperty("human_subset").GetRawText());
    }
}
