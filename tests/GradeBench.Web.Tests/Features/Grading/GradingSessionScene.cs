using GradeBench.Core.Rubrics;
using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Grading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Time.Testing;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>What <see cref="GradingSessionTests"/> build on: the app's real stores and SQLite database, a fake clock for
/// the typing pause, and a world of its own per test (a copy of the demo study and a new rater).</summary>
sealed class GradingSessionScene(GradeBenchFactory factory)
{
    /// <summary>A complete rating of the demo rubric.</summary>
    public static readonly IReadOnlyDictionary<string, string> Complete = new Dictionary<string, string>
    {
        ["consensus"] = "4", ["reasoning"] = "4", ["completeness"] = "none", ["incorrect_content"] = "minor",
        ["harm_extent"] = "none", ["harm_likelihood"] = "low", ["hallucination"] = "false", ["overall"] = "4",
    };

    public FakeTimeProvider Clock { get; } = new();
    public IServiceProvider App => factory.Services;

    public async Task<World> WorldAsync()
    {
        var bundle = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var copy = bundle with { Study = bundle.Study with { Id = "session-" + Guid.NewGuid().ToString("N") } };
        var studyId = (await App.GetRequiredService<StudyImporter>().ImportAsync(copy, [])).StudyId!.Value;
        var users = App.GetRequiredService<UserStore>();
        var rater = (await users.CreateAsync($"session-{Guid.NewGuid():N}"[..24], "Dr Session", isAdmin: false))!;
        await users.AddMembershipAsync(studyId, rater.Id, "rater");
        return new World(studyId, rater.Id);
    }

    public GradingSession NewSession() => new(App.GetRequiredService<StudyQuery>(), App.GetRequiredService<RubricQuery>(),
        App.GetRequiredService<GradingStore>(), App.GetRequiredService<RatingRecorder>(), Clock,
        App.GetRequiredService<IStringLocalizer<GradingText>>());

    /// <summary>A session with a recording journal, opened on the rater's item (default: the first not done).</summary>
    public async Task<(GradingSession Session, RecordingJournal Journal)> OpenAsync(World world, string? handle = null)
    {
        var session = NewSession();
        var journal = new RecordingJournal();
        session.AttachJournal(journal);
        await session.OpenAsync(world.StudyId, world.RaterId, handle);
        return (session, journal);
    }

    public static Criterion Criterion(GradingSession session, string id) => session.Criteria.Single(c => c.Id == id);

    public static async Task ChooseAllAsync(GradingSession session)
    {
        foreach (var (id, value) in Complete) await session.ChooseAsync(Criterion(session, id), value);
    }

    public async Task<RatingWriteResult> SubmitCompleteAsync(World world, string handle) =>
        await App.GetRequiredService<RatingRecorder>().SaveAsync(world.StudyId, world.RaterId, (await StoredAsync(world, handle))!.ResponseId,
            Complete.ToDictionary(p => p.Key, p => (string?)p.Value), submit: true);

    /// <summary>The rater's item as stored, by the handle the page names it with.</summary>
    public Task<GradingItem?> StoredAsync(World world, string handle) =>
        App.GetRequiredService<GradingStore>().LoadItemAsync(world.StudyId, world.RaterId, handle);

    public async Task<long> HistoryCountAsync(World world, string handle)
    {
        await using var connection = await App.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rating_history h JOIN ratings g ON g.id = h.rating_id JOIN responses r ON r.id = g.response_id
            WHERE g.rater_id = @RaterId AND r.study_id = @StudyId AND r.handle = @Handle
            """, new { RaterId = world.RaterId, world.StudyId, Handle = handle });
    }
}

sealed record World(long StudyId, long RaterId);

    /// <summary>Records what the session tells the tab's journal, and answers what the tab still holds.</summary>
sealed class RecordingJournal : IUnsentJournal
{
    public List<string> Told { get; } = [];
    public Dictionary<string, IReadOnlyDictionary<string, string?>> Unsent { get; } = [];
    /// <summary>Holds <see cref="UnsentAsync"/> (and so the session's lock) until it completes.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public void Forget(string key, IReadOnlyDictionary<string, string?> values) =>
        Told.Add($"forget {key} {string.Join(",", values.Select(v => $"{v.Key}={v.Value}"))}");

    public void Settle(string key, IReadOnlyList<string> criteria) => Told.Add($"settle {key} {string.Join(",", criteria)}");

    public void SubmitHandled(string key) => Told.Add($"submitHandled {key}");

    public async Task<IReadOnlyDictionary<string, string?>?> UnsentAsync(string key)
    {
        await Gate;
        return Unsent.GetValueOrDefault(key) ?? new Dictionary<string, string?>();
    }
}
