using System.IO.Compression;
using System.Text.Json.Nodes;
using Dapper;
using GradeBench.Storage.Export;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Pairwise;

/// <summary>bundle.zip of a side-by-side study, imported again (under another id), gives back the same axes, reasons,
/// pairs and votes, with their texts in the form they came in.</summary>
public sealed class PairwiseBundleRoundTripTests : IAsyncDisposable
{
    readonly TempFolder _temp = new();

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    async Task<(long Copy, string Zip)> RoundTripAsync(TestDatabase db, long original)
    {
        var zip = Path.Combine(_temp.Path, $"{Guid.NewGuid():N}.zip");
        await using (var file = File.Create(zip)) await new BundleExport(db.Database).WriteAsync(original, file, asId: "copy");
        var copy = await new StudyImporter(db.Database, db.Clock).ImportAsync(zip);
        Assert.True(copy.Succeeded, string.Join('\n', copy.Errors));
        return (copy.StudyId!.Value, zip);
    }

    static async Task<long> ImportAsync(TestDatabase db, string bundle) =>
        (await new StudyImporter(db.Database, db.Clock).ImportAsync(bundle)).StudyId!.Value;

    /// <summary>What a study compares and what its raters said, by bundle ids and rater names.</summary>
    static async Task<List<string>> ContentAsync(TestDatabase db, long studyId)
    {
        await using var connection = await db.Database.OpenAsync();
        var rows = new List<string>();
        foreach (var sql in new[]
        {
            "SELECT design || ' ' || pairwise_adjudication || ' ' || raters_per_response FROM studies WHERE id = @StudyId",
            """
            SELECT slug || ' ' || question || ' ' || COALESCE(question_translations_json, '-') || ' ' || COALESCE(help_md, '-') || ' '
                   || COALESCE(help_translations_json, '-') || ' ' || both_bad
            FROM pairwise_axes WHERE study_id = @StudyId ORDER BY position
            """,
            "SELECT slug || ' ' || label || ' ' || COALESCE(label_translations_json, '-') FROM pairwise_reasons WHERE study_id = @StudyId ORDER BY position",
            """
            SELECT a.slug || ' ' || b.slug FROM pairs p JOIN responses a ON a.id = p.response_a_id JOIN responses b ON b.id = p.response_b_id
            WHERE p.study_id = @StudyId ORDER BY p.position
            """,
            """
            SELECT u.display_name || ' ' || x.slug || ' ' || l.slug || ' ' || r.slug || ' ' || v.choice || ' ' || COALESCE(a.reasons_json, '-') || ' '
                   || COALESCE(a.comment, '-') || ' ' || v.submitted_at || ' ' || v.updated_at
            FROM pair_votes v JOIN pairs p ON p.id = v.pair_id JOIN pairwise_axes x ON x.id = v.axis_id JOIN users u ON u.id = v.rater_id
            JOIN pair_assignments a ON a.pair_id = v.pair_id AND a.rater_id = v.rater_id
            JOIN responses l ON l.id = a.left_response_id
            JOIN responses r ON r.id = CASE WHEN a.left_response_id = p.response_a_id THEN p.response_b_id ELSE p.response_a_id END
            WHERE p.study_id = @StudyId AND v.status = 'submitted' ORDER BY p.position, u.display_name, x.position
            """,
        })
            rows.AddRange(await connection.QueryAsync<string>(sql, new { StudyId = studyId }));
        return rows;
    }

    [Fact]
    public async Task ARoundTripKeepsAxesReasonsPairsAndVotesWithTheirSidesAndTimes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var original = await ImportAsync(db, DemoPairwise.Write(Path.Combine(_temp.Path, "bundle"), votes: true));
        await using (var connection = await db.Database.OpenAsync())
        {
            // Votes collected over days, some changed after they were submitted, as on the web.
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var ids = await connection.QueryAsync<long>("SELECT id FROM pair_votes");
            await connection.ExecuteAsync("UPDATE pair_votes SET submitted_at = @Submitted, updated_at = @Updated WHERE id = @Id",
                ids.Select(id => new { Id = id, Submitted = start.AddMinutes(id), Updated = start.AddMinutes(id + id % 3 * 600) }));
        }

        var (copy, zip) = await RoundTripAsync(db, original);

        var before = await ContentAsync(db, original);
        Assert.Equal(before, await ContentAsync(db, copy));
        Assert.Equal(1 + 2 + 3 + DemoPairwise.Pairs + 2 * (DemoPairwise.VotedPairsOfRater1 + DemoPairwise.VotedPairsOfRater2), before.Count);
        Assert.Contains(before, r => r.Contains("both_bad", StringComparison.Ordinal) && r.Contains("accuracy", StringComparison.Ordinal));
        using var archive = ZipFile.OpenRead(zip);
        Assert.Null(archive.GetEntry("ratings.csv"));
        using var reader = new StreamReader(archive.GetEntry("study.json")!.Open());
        var study = JsonNode.Parse(await reader.ReadToEndAsync())!;
        var bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Path, "bundle", "study.json")))!;
        // Each text as it came in: a map by language where it had translations, else a string.
        foreach (var (list, field) in new[] { ("axes", "question"), ("axes", "help_md"), ("reasons", "label") })
            for (var i = 0; i < bundle["pairwise"]![list]!.AsArray().Count; i++)
                Assert.True(JsonNode.DeepEquals(bundle["pairwise"]![list]![i]![field], study["pairwise"]![list]![i]![field]), $"{list}[{i}].{field}");
        Assert.Equal("all", study["pairwise"]!["pairs"]!.GetValue<string>());
        Assert.Equal("any", study["adjudication"]!["pairwise"]!.GetValue<string>());
    }

    [Fact]
    public async Task PairsDrawnPerCaseAreListedSoThatACopyUnderAnotherIdComparesTheSamePairsAndTakesTheirVotes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var original = await ImportAsync(db, DemoPairwise.Write(Path.Combine(_temp.Path, "bundle"), pairsPerCase: 1));
        var rater = await db.AddRaterAsync(original, "dr-a");
        await using (var connection = await db.Database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                UPDATE pair_assignments SET completed_at = 'now', comment = 'compared' WHERE rater_id = @Rater;
                INSERT INTO pair_votes (pair_id, rater_id, axis_id, choice, status, updated_at, submitted_at)
                SELECT a.pair_id, a.rater_id, x.id, CASE WHEN a.pair_id % 2 = 0 THEN 'a' ELSE 'b' END, 'submitted', '2026-02-01T10:00:00.0000000Z', '2026-02-01T09:00:00.0000000Z'
                FROM pair_assignments a JOIN pairwise_axes x ON x.study_id = a.study_id WHERE a.rater_id = @Rater;
                UPDATE studies SET pairwise_adjudication = 'never' WHERE id = @Study;
                """, new { Rater = rater, Study = original });
        }

        var (copy, zip) = await RoundTripAsync(db, original);

        var before = await ContentAsync(db, original);
        Assert.Equal(before, await ContentAsync(db, copy));
        Assert.Equal(1 + 2 + 3 + 20 + 40, before.Count);
        using var archive = ZipFile.OpenRead(zip);
        using var reader = new StreamReader(archive.GetEntry("study.json")!.Open());
        var pairs = JsonNode.Parse(await reader.ReadToEndAsync())!["pairwise"]!["pairs"]!.AsArray();
        Assert.Equal(20, pairs.Count);
    }
}
