using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Benchmarks;

/// <summary>Server work to open a rater's next item in a study of 100,000 responses × 3 raters each over 20 raters
/// (about 15,000 assignments per rater), on a real SQLite file: queue position and progress, the item, the rubric,
/// the rater's highlights — what the grading page loads for each item.</summary>
[MemoryDiagnoser]
[Config(typeof(Percentiles))]
public class GradingBenchmarks
{
    sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P95);
    }

    const int Responses = 100_000, Raters = 20;
    string _folder = null!;
    Database _database = null!;
    GradingStore _grading = null!;
    RubricQuery _rubric = null!;
    SpanStore _spans = null!;
    long _studyId, _raterId;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("gradebench-bench-").FullName;
        _database = new Database(Path.Combine(_folder, "bench.db"));
        var clock = TimeProvider.System;
        await new Migrator(_database, clock).MigrateAsync();
        var demo = Path.Combine(FindRepository(), "data", "demo-stroke");
        _studyId = (await new StudyImporter(_database, clock).ImportAsync(demo)).StudyId!.Value;

        await using var connection = await _database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var now = Database.FormatTimestamp(clock.GetUtcNow());
        var template = await connection.QuerySingleAsync<(long CaseId, string Content)>(
            "SELECT case_id, content_md FROM responses WHERE study_id = @StudyId LIMIT 1", new { StudyId = _studyId }, transaction);
        var existing = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM responses", transaction: transaction);
        await connection.ExecuteAsync("""
            INSERT INTO responses (study_id, case_id, slug, position, model, content_md)
            VALUES (@StudyId, @CaseId, @Slug, @Position, 'model-x', @Content)
            """, Enumerable.Range((int)existing, Responses - (int)existing).Select(i => new
            {
                StudyId = _studyId, template.CaseId, Slug = $"synthetic-{i}", Position = i, template.Content,
            }), transaction);
        for (var r = 0; r < Raters; r++)
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO users (username, display_name, is_admin, created_at) VALUES (@Name, @Name, FALSE, @Now) RETURNING id
                """, new { Name = $"bench-rater-{r}", Now = now }, transaction);
            await connection.ExecuteAsync("""
                INSERT INTO study_members (study_id, user_id, role, joined_at) VALUES (@StudyId, @UserId, 'rater', @Now)
                """, new { StudyId = _studyId, UserId = id, Now = now }, transaction);
            _raterId = id;
        }
        await Assignments.RebalanceAsync(connection, transaction, _studyId, clock.GetUtcNow());
        await transaction.CommitAsync();

        _rubric = new RubricQuery(_database);
        _grading = new GradingStore(_database, _rubric, clock);
        _spans = new SpanStore(_database, clock);
    }

    [Benchmark]
    public async Task<int> OpenNextItem()
    {
        var position = await _grading.PositionAsync(_studyId, _raterId, null);
        var item = await _grading.LoadItemAsync(_studyId, _raterId, position.Current!.Value);
        var criteria = await _rubric.LoadAsync(_studyId);
        var spans = await _spans.ListAsync(_studyId, _raterId, item!.ResponseId);
        return criteria.Count + spans.Count + item.ContentMd.Length;
    }

    /// <summary>Time of each step of <see cref="OpenNextItem"/>, for finding where the time goes.</summary>
    public async Task ProfileAsync()
    {
        var watch = new System.Diagnostics.Stopwatch();
        async Task Step(string name, Func<Task> step)
        {
            await step();
            watch.Restart();
            for (var i = 0; i < 50; i++) await step();
            Console.WriteLine($"{name}: {watch.Elapsed.TotalMilliseconds / 50:0.00} ms");
        }
        var position = await _grading.PositionAsync(_studyId, _raterId, null);
        await Step("position", () => _grading.PositionAsync(_studyId, _raterId, null));
        await Step("item", () => _grading.LoadItemAsync(_studyId, _raterId, position.Current!.Value));
        await Step("rubric", () => _rubric.LoadAsync(_studyId));
        await Step("spans", () => _spans.ListAsync(_studyId, _raterId, position.Current!.Value));
        await Step("open connection", async () => { await using var c = await _database.OpenAsync(); });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GradeBench.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the benchmarks from inside the repository.");
    }
}
