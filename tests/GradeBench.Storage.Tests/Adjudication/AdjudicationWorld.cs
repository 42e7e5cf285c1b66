using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Adjudication;

/// <summary>The demo study with its pilot ratings (rater-1 … rater-4), a coordinator and a rater who rated nothing.</summary>
sealed class AdjudicationWorld : IAsyncDisposable
{
    public required TestDatabase Db { get; init; }
    public long StudyId { get; init; }
    public long Coordinator { get; init; }
    public long Outsider { get; init; }
    public required AdjudicationStore Store { get; init; }
    public required SafetyAlertStore Alerts { get; init; }
    public required GradingStore Grading { get; init; }
    public required StudyLifecycleStore Lifecycle { get; init; }

    public static async Task<AdjudicationWorld> CreateAsync(string? bundle = null)
    {
        var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(bundle ?? TestPaths.DemoBundle)).StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        var coordinator = (await users.CreateAsync("coord", "Dr Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, coordinator, "coordinator");
        var outsider = await db.AddRaterAsync(studyId, "dr-outsider");
        var rubric = new RubricQuery(db.Database);
        var studies = new StudyQuery(db.Database);
        return new AdjudicationWorld
        {
            Db = db, StudyId = studyId, Coordinator = coordinator, Outsider = outsider,
            Store = new AdjudicationStore(db.Database, rubric, studies, db.Clock),
            Alerts = new SafetyAlertStore(db.Database, studies, db.Clock),
            Grading = new GradingStore(db.Database, rubric, db.Clock),
            Lifecycle = new StudyLifecycleStore(db.Database, studies, db.Clock),
        };
    }

    public async Task MoveToAsync(StudyState state) =>
        Assert.Equal(StudyChangeOutcome.Changed, (await Lifecycle.ChangeStateAsync(StudyId, Coordinator, state)).Outcome);

    /// <summary>An account by user name, or a pilot rater of the study by their name in the bundle.</summary>
    public async Task<long> UserAsync(string username)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM users WHERE username IN (@Username, (SELECT slug FROM studies WHERE id = @StudyId) || '/' || @Username)",
            new { Username = username, StudyId });
    }

    public async Task<long> ResponseAsync(string slug)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM responses WHERE slug = @Slug", new { Slug = slug });
    }

    public async Task<long> ItemOfAsync(string slug)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            SELECT i.id FROM adjudication_items i JOIN responses r ON r.id = i.response_id WHERE r.slug = @Slug
            """, new { Slug = slug });
    }

    /// <summary>The rows of the independent ratings and their history, from the full content dump.</summary>
    public async Task<string> IndependentRatingsAsync()
    {
        var dump = await Db.DumpContentAsync();
        var sections = dump.Split("## ").Where(s => s.StartsWith("ratings\n") || s.StartsWith("rating_history\n") || s.StartsWith("ratings\r\n")).ToList();
        Assert.Equal(2, sections.Count);
        return string.Join("", sections);
    }

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}
