using BenchmarkDotNet.Attributes;
using Dapper;
using GradeBench.Core.Agreement;
using GradeBench.Core.Spans;
using GradeBench.Storage;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Results;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Benchmarks;

/// <summary>Agreement on answer highlights at scale, on a real SQLite file: 100,000 answers, each read by the same
/// 3 raters (assignments completed), about 300,000 highlights (0 to 2 per rater and answer, seeded, near a passage the
/// answer's raters share) over the demo study's span labels. <see cref="ReadAndBootstrap"/> is what the results page
/// and the dashboard run (<see cref="SpanAgreementQuery.ComputeAsync(long, CancellationToken)"/>: the rows read from SQLite, then F1 and α_u with
/// 1,000 bootstrap resamples); <see cref="BootstrapOnly"/> the same computation on documents already in memory.</summary>
[MemoryDiagnoser]
public class SpanAgreementBenchmarks
{
    const int Answers = 100_000, Raters = 3;
    string _folder = null!;
    Database _database = null!;
    SpanAgreementQuery _query = null!;
    long _studyId;
    IReadOnlyList<SpanLabelName> _labels = null!;
    List<SpanDocument> _documents = null!;

    public int Highlights { get; private set; }

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

        await using var connection = await _database.OpenSqliteAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var now = Database.FormatTimestamp(clock.GetUtcNow());
        // Only the synthetic answers are read: the demo's pilot assignments are taken out.
        await connection.ExecuteAsync("DELETE FROM assignments WHERE study_id = @StudyId", new { StudyId = _studyId }, transaction);
        var template = await connection.QuerySingleAsync<(long CaseId, string Content)>(
            "SELECT case_id, content_md FROM responses WHERE study_id = @StudyId LIMIT 1", new { StudyId = _studyId }, transaction);
        var length = CodePoints.Length(template.Content);
        var sha = TextHash.Sha256(template.Content);
        var labels = (await connection.QueryAsync<(long Id, string Slug, string Label)>(
            "SELECT id, slug, label FROM span_labels WHERE study_id = @StudyId ORDER BY position", new { StudyId = _studyId }, transaction)).AsList();
        _labels = [.. labels.Select(l => new SpanLabelName(l.Slug, l.Label))];
        var raters = new List<long>();
        for (var r = 0; r < Raters; r++)
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO users (username, display_name, is_admin, created_at) VALUES (@Name, @Name, FALSE, @Now) RETURNING id
                """, new { Name = $"bench-span-rater-{r}", Now = now }, transaction);
            await connection.ExecuteAsync("INSERT INTO study_members (study_id, user_id, role, joined_at) VALUES (@StudyId, @UserId, 'rater', @Now)",
                new { StudyId = _studyId, UserId = id, Now = now }, transaction);
            raters.Add(id);
        }

        var random = new Random(20261207);
        _documents = [];
        await using var insertResponse = connection.CreateCommand();
        insertResponse.Transaction = transaction;
        insertResponse.CommandText = """
            INSERT INTO responses (study_id, case_id, slug, position, model, content_md, handle)
            VALUES ($study, $case, $slug, $position, 'model-x', $content, lower(hex(randomblob(8)))) RETURNING id
            """;
        var (slug, position) = (insertResponse.Parameters.AddWithValue("$slug", ""), insertResponse.Parameters.AddWithValue("$position", 0));
        insertResponse.Parameters.AddWithValue("$study", _studyId);
        insertResponse.Parameters.AddWithValue("$case", template.CaseId);
        insertResponse.Parameters.AddWithValue("$content", template.Content);
        await using var assign = connection.CreateCommand();
        assign.Transaction = transaction;
        assign.CommandText = """
            INSERT INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at, completed_at)
            VALUES ($study, $response, $rater, $position, $now, $now)
            """;
        var (assignResponse, assignRater, assignPosition) = (assign.Parameters.AddWithValue("$response", 0L), assign.Parameters.AddWithValue("$rater", 0L),
            assign.Parameters.AddWithValue("$position", 0));
        assign.Parameters.AddWithValue("$study", _studyId);
        assign.Parameters.AddWithValue("$now", now);
        await using var highlight = connection.CreateCommand();
        highlight.Transaction = transaction;
        highlight.CommandText = """
            INSERT INTO span_annotations (response_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, created_at, updated_at)
            VALUES ($response, $rater, $label, $start, $end, $sha, $quote, $now, $now)
            """;
        var (hResponse, hRater, hLabel, hStart, hEnd, hQuote) = (highlight.Parameters.AddWithValue("$response", 0L), highlight.Parameters.AddWithValue("$rater", 0L),
            highlight.Parameters.AddWithValue("$label", 0L), highlight.Parameters.AddWithValue("$start", 0), highlight.Parameters.AddWithValue("$end", 0),
            highlight.Parameters.AddWithValue("$quote", ""));
        highlight.Parameters.AddWithValue("$sha", sha);
        highlight.Parameters.AddWithValue("$now", now);

        for (var i = 0; i < Answers; i++)
        {
            slug.Value = $"span-synthetic-{i}";
            position.Value = 1_000 + i;
            var responseId = (long)(await insertResponse.ExecuteScalarAsync())!;
            var documentId = $"response:{responseId}";
            var spans = new List<Span>();
            // A passage the raters of this answer tend to mark, each with its own boundaries.
            var shared = random.Next(0, Math.Max(1, length - 60));
            for (var r = 0; r < Raters; r++)
            {
                (assignResponse.Value, assignRater.Value, assignPosition.Value) = (responseId, raters[r], i);
                await assign.ExecuteNonQueryAsync();
                var count = random.Next(0, 3);
                for (var h = 0; h < count; h++)
                {
                    var start = Math.Clamp(shared + random.Next(-5, 6) + 20 * h, 0, length - 2);
                    var end = Math.Min(length, start + 10 + random.Next(0, 30));
                    var label = labels[random.Next(0, Math.Min(2, labels.Count))];
                    (hResponse.Value, hRater.Value, hLabel.Value, hStart.Value, hEnd.Value, hQuote.Value) =
                        (responseId, raters[r], label.Id, start, end, CodePoints.Slice(template.Content, start, end));
                    await highlight.ExecuteNonQueryAsync();
                    spans.Add(new Span(documentId, raters[r].ToString(System.Globalization.CultureInfo.InvariantCulture), label.Slug, start, end));
                    Highlights++;
                }
            }
            _documents.Add(new SpanDocument(documentId, length, [.. raters.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture))], spans));
        }
        await transaction.CommitAsync();
        _query = new SpanAgreementQuery(_database);
        Console.WriteLine($"// {Answers:N0} answers × {Raters} raters, {Highlights:N0} highlights");
    }

    [Benchmark]
    public async Task<double?> ReadAndBootstrap() => (await _query.ComputeAsync(_studyId))!.Report.Overall.AlphaU.Value;

    [Benchmark]
    public double? BootstrapOnly() => StudySpanAgreement.Compute(_labels, _documents, Bootstrap.DefaultResamples, Bootstrap.DefaultSeed).Report.Overall.AlphaU.Value;

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
