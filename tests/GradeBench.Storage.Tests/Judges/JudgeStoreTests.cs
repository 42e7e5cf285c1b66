using System.Security.Cryptography;
using System.Text;
using Dapper;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Judges;

public sealed class JudgeStoreTests : IAsyncLifetime
{
    const string Prompt = "You are a stroke neurologist. Rate the answer on every criterion.\n评分时请说明理由。";

    TestDatabase _db = null!;
    long _studyId;

    JudgeStore Judges => new(_db.Database, new RubricQuery(_db.Database), _db.Clock);

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await _db.Database.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    async Task<List<(long RaterId, long Load)>> PhysicianLoadsAsync()
    {
        await using var connection = await _db.Database.OpenAsync();
        return (await connection.QueryAsync<(long, long)>("""
            SELECT rater_id, COUNT(*) FROM assignments WHERE rater_id NOT IN (SELECT user_id FROM judges) GROUP BY rater_id ORDER BY rater_id
            """)).AsList();
    }

    [Fact]
    public async Task AJudgeIsAnAccountOfItsStudyWithItsProvenanceAndAnApiToken()
    {
        var added = await Judges.AddAsync(_studyId, new NewJudge("gpt-judge", "gpt-4o", "2024-08-06", Prompt, 0.2));

        Assert.Equal(JudgeAddOutcome.Added, added.Outcome);
        var judge = (await Judges.FindAsync(_studyId, "gpt-judge"))!;
        Assert.Equal(("stroke-llm-synthetic-demo:gpt-judge", "gpt-4o", "2024-08-06", Prompt, 0.2),
            (judge.Username, judge.Model, judge.ModelVersion, judge.PromptText, judge.Temperature));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Prompt))), judge.PromptSha256);
        Assert.Equal(RubricVersion.Of((await new RubricQuery(_db.Database).LoadAsync(_studyId)).Select(c => c.Criterion)), judge.RubricSha256);
        Assert.Equal(_db.Clock.Now, judge.CreatedAt);
        Assert.True(judge.AllResponses);
        Assert.Equal((60L, 0L), (judge.Assigned, judge.Done));
        Assert.Equal("judge", await ScalarAsync<string>("SELECT kind FROM users WHERE id = @Id", new { Id = judge.UserId }));
        Assert.Equal("judge", await ScalarAsync<string>("SELECT role FROM study_members WHERE user_id = @Id", new { Id = judge.UserId }));
        Assert.Equal(judge.UserId, (await new ApiTokenStore(_db.Database, _db.Clock).FindUserAsync(added.Token!))?.Id);
    }

    [Fact]
    public async Task AJudgeWithoutPromptOrSettingsRecordsNone()
    {
        await Judges.AddAsync(_studyId, new NewJudge("bare", "claude-3-5-sonnet"));

        var judge = (await Judges.FindAsync(_studyId, "bare"))!;
        Assert.Equal((null, null, null, null), (judge.ModelVersion, judge.PromptText, judge.PromptSha256, judge.Temperature));
    }

    [Fact]
    public async Task AJudgeRatesOutsideThePhysiciansPlanAndKeepsItsWorkWhenPhysiciansJoin()
    {
        var before = await PhysicianLoadsAsync();
        var judge = (await Judges.AddAsync(_studyId, new NewJudge("gpt-judge", "gpt-4o"))).Judge!;

        Assert.Equal(before, await PhysicianLoadsAsync());
        await _db.AddRaterAsync(_studyId, "dr-new");

        Assert.Equal(60, await ScalarAsync<long>("SELECT COUNT(*) FROM assignments WHERE rater_id = @Id", new { Id = judge.UserId }));
        Assert.Equal([3L], (await QueryAsync<long>("""
            SELECT DISTINCT COUNT(*) FROM assignments WHERE rater_id NOT IN (SELECT user_id FROM judges) GROUP BY response_id
            """)).ToList());
        Assert.Equal(180, (await PhysicianLoadsAsync()).Sum(l => l.Load));
    }

    async Task<IEnumerable<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await _db.Database.OpenAsync();
        return (await connection.QueryAsync<T>(sql)).AsList();
    }

    [Fact]
    public async Task AJudgeGivenResponsesRatesThoseAndAnUnknownOneIsNamedByItsPlace()
    {
        var unknown = await Judges.AddAsync(_studyId, new NewJudge("picky", "gpt-4o"), ["case-001.model-a", "case-999.model-z", "case-002.model-b"]);
        var added = await Judges.AddAsync(_studyId, new NewJudge("picky", "gpt-4o"), ["case-001.model-a", "case-002.model-b"]);

        Assert.Equal(JudgeAddOutcome.UnknownResponses, unknown.Outcome);
        Assert.Equal([1], unknown.UnknownResponses);
        Assert.Equal(JudgeAddOutcome.Added, added.Outcome);
        Assert.False(added.Judge!.AllResponses);
        Assert.Equal(["case-001.model-a", "case-002.model-b"], await QueryAsync<string>($"""
            SELECT r.slug FROM assignments a JOIN responses r ON r.id = a.response_id WHERE a.rater_id = {added.Judge.UserId} ORDER BY r.slug
            """));
    }

    [Fact]
    public async Task AJudgesNameIsTakenOnceInAStudy()
    {
        await Judges.AddAsync(_studyId, new NewJudge("gpt-judge", "gpt-4o"));

        Assert.Equal(JudgeAddOutcome.NameTaken, (await Judges.AddAsync(_studyId, new NewJudge("GPT-judge", "gpt-4o-mini"))).Outcome);
        Assert.Single(await Judges.ListAsync(_studyId));
    }

    [Fact]
    public async Task AJudgeNeverSignsInToTheWeb()
    {
        var judge = (await Judges.AddAsync(_studyId, new NewJudge("gpt-judge", "gpt-4o"))).Judge!;
        var users = new UserStore(_db.Database, _db.Clock);
        var admin = (await users.CreateAsync("boss", "Boss", isAdmin: true))!.Id;

        await users.SetPasswordHashAsync(judge.UserId, "not a hash anyone can use");

        Assert.Null(await users.FindSessionAsync(judge.UserId));
        Assert.Null(await users.CreateSetPasswordLinkAsync(judge.UserId, admin));
        Assert.Null((await users.FindAsync(judge.UserId))!.PasswordHash);
        Assert.Equal(AccountStatusOutcome.NotFound, await users.SetAdministratorAsync(judge.UserId, true, admin));
        Assert.DoesNotContain(await users.ListAsync(), a => a.Id == judge.UserId);
        Assert.True((await users.FindByUsernameAsync(judge.Username))!.IsJudge);
    }
}
