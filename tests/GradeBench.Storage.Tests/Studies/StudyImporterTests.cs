using System.Data.Common;
using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using GradeBench.Testing.Corpus;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Studies;

public sealed class StudyImporterTests
{
    [Fact]
    public async Task DemoStudyImportsCasesResponsesRubricAndPilotRatings()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var summary = Assert.Single(await new StudyQuery(db.Database).ListVisibleAsync(userId: 0, isAdmin: true));
        Assert.Equal("stroke-llm-synthetic-demo", summary.Slug);
        // 72 ratings (response × rater) holding 576 criterion values.
        Assert.Equal((20, 60, 4, 72), (summary.Cases, summary.Responses, summary.Raters, summary.Ratings));

        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(9, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM criteria"));
        Assert.Equal(["none", "minor", "major"], await connection.QueryAsync<string>("""
            SELECT o.value FROM criterion_options o JOIN criteria c ON c.id = o.criterion_id
            WHERE c.slug = 'completeness' ORDER BY o.position
            """));
        Assert.Equal(5, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM span_labels"));
        Assert.Equal(576, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ratings WHERE status = 'submitted' AND submitted_at IS NOT NULL"));
        // Imported ratings have no history lines until changed (RatingHistory): history.csv implies them.
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rating_history"));
        Assert.Equal(72, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments WHERE completed_at IS NOT NULL"));
    }

    /// <summary>Someone importing through the web app must still be allowed to create studies when the import commits
    /// (reading a large upload takes a while): a rater, and an administrator disabled meanwhile, are refused.</summary>
    [Fact]
    public async Task AnImportByWhoMayNotCreateStudiesIsRefusedAndChangesNothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        var studyId = (await importer.ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var rater = await db.AddRaterAsync(studyId, "dr-rater");
        var admin = (await new UserStore(db.Database, db.Clock).CreateAsync("the-admin", "The Admin", isAdmin: true))!.Id;
        await using (var connection = await db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE users SET disabled_at = '2026-12-01T00:00:00Z' WHERE id = @Admin", new { Admin = admin });
        var before = await db.DumpContentAsync();

        foreach (var user in new[] { rater, admin })
        {
            var result = await importer.ImportAsync(Corpus.Valid("small"), importedBy: user);
            Assert.False(result.Succeeded);
            Assert.Equal(StudyQuery.MayNotCreateStudies, result.Refusal);
        }
        Assert.Equal(before, await db.DumpContentAsync());
    }

    [Fact]
    public async Task ResponseIdsFollowNoBundleOrderAndDifferOnEveryImport()
    {
        async Task<List<string>> SlugsInIdOrderAsync()
        {
            await using var db = await TestDatabase.CreateAsync();
            await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);
            await using var connection = await db.Database.OpenAsync();
            return (await connection.QueryAsync<string>("SELECT slug FROM responses ORDER BY id")).AsList();
        }

        var first = await SlugsInIdOrderAsync();

        // In file order the models repeat a, b, c: an id's remainder would name its model.
        var models = first.Select(slug => slug[^1]).ToList();
        Assert.NotEqual(Enumerable.Range(0, 60).Select(i => "abc"[i % 3]), models);
        Assert.Contains(Enumerable.Range(0, 58), i => models[i] == models[i + 1]);
        // Ordered by random handles: a second import (of the same study id) stores them in another order.
        Assert.NotEqual(first, await SlugsInIdOrderAsync());
    }

    [Fact]
    public async Task ImportingOneBundleTwiceGivesOtherHandlesAndOtherQueueOrders()
    {
        async Task<(List<string> Handles, List<string> Queue)> ImportAsync()
        {
            await using var db = await TestDatabase.CreateAsync();
            await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);
            await using var connection = await db.Database.OpenAsync();
            var handles = (await connection.QueryAsync<string>("SELECT handle FROM responses ORDER BY slug")).AsList();
            // The same rater (same ids in both databases) meets the same responses in another order.
            var queue = (await connection.QueryAsync<string>("""
                SELECT r.slug FROM assignments a JOIN responses r ON r.id = a.response_id
                WHERE a.rater_id = (SELECT MIN(rater_id) FROM assignments) ORDER BY a.queue_position
                """)).AsList();
            return (handles, queue);
        }

        var first = await ImportAsync();
        var second = await ImportAsync();

        Assert.Empty(first.Handles.Intersect(second.Handles));
        Assert.Equal(first.Queue.Order(), second.Queue.Order());
        Assert.NotEqual(first.Queue, second.Queue);
    }

    [Fact]
    public async Task PilotRatersBecomeRaterAccountsOfTheStudyWithoutPasswords()
    {
        await using var db = await TestDatabase.CreateAsync();

        await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);

        await using var connection = await db.Database.OpenAsync();
        var raters = (await connection.QueryAsync<(string Username, string DisplayName, string? PasswordHash, long IsAdmin, string Role)>("""
            SELECT u.username, u.display_name, u.password_hash, u.is_admin, m.role FROM users u JOIN study_members m ON m.user_id = u.id ORDER BY u.username
            """)).ToList();
        Assert.Equal(["rater-1", "rater-2", "rater-3", "rater-4"], raters.Select(r => r.DisplayName));
        Assert.All(raters, r => Assert.Equal(("stroke-llm-synthetic-demo/" + r.DisplayName, null, 0L, "rater"), (r.Username, r.PasswordHash, r.IsAdmin, r.Role)));
    }

    [Fact]
    public async Task ImportingAStudyIdThatExistsIsRefusedAndChangesNothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        await importer.ImportAsync(TestPaths.DemoBundle);
        var before = await db.DumpContentAsync();

        var again = await importer.ImportAsync(TestPaths.DemoBundle);

        Assert.False(again.Succeeded);
        Assert.Equal("study.json:0: id: a study with id \"stroke-llm-synthetic-demo\" already exists", Assert.Single(again.Errors).ToString());
        Assert.Equal(before, await db.DumpContentAsync());
    }

    /// <summary>SQLite stores timestamps as text; PostgreSQL's are timestamptz.</summary>
    [Fact]
    [Trait("Provider", "SqliteOnly")]
    public async Task ImportedTimestampsAreUtcIsoText()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);

        await using var connection = await db.Database.OpenAsync();

        Assert.Equal("2026-11-25T09:00:00.0000000Z", await connection.ExecuteScalarAsync<string>("SELECT created_at FROM studies"));
    }

    [Fact]
    public async Task RatingHistoryIsAppendOnly()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);
        await using var connection = await db.Database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO rating_history (rating_id, value, status, source, recorded_at) SELECT id, value, status, 'web', updated_at FROM ratings
            """);

        var update = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE rating_history SET value = '1'"));
        var delete = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM rating_history"));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Equal(576, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rating_history"));
    }

    [Fact]
    public async Task FailureHalfwayThroughAnImportRollsBackEverything()
    {
        await using var db = await TestDatabase.CreateAsync();
        await FailingTrigger.CreateAsync(db.Database, "fail_on_ratings", "BEFORE INSERT ON ratings", "TRUE", "disk on fire");
        var before = await db.DumpContentAsync();

        var error = await Assert.ThrowsAnyAsync<DbException>(() => new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle));

        Assert.Contains("disk on fire", error.Message);
        Assert.Equal(before, await db.DumpContentAsync());
        Assert.Empty(await new StudyQuery(db.Database).ListVisibleAsync(0, isAdmin: true));
    }

    /// <summary>The import turns foreign keys off for its transaction; the pooled connection gets them back, whether the
    /// import succeeded or failed (set back by the importer, and again by the connection string on every open).</summary>
    [Theory]
    [Trait("Provider", "SqliteOnly")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ForeignKeysAreEnforcedAgainAfterAnImport(bool fails)
    {
        await using var db = await TestDatabase.CreateAsync();
        if (fails)
            await using (var setup = await db.Database.OpenAsync())
                await setup.ExecuteAsync("CREATE TRIGGER fail_on_ratings BEFORE INSERT ON ratings BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");
        try
        {
            await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);
        }
        catch (SqliteException) when (fails)
        {
        }

        await using var connection = await db.Database.OpenAsync();
        var orphan = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("""
            INSERT INTO cases (study_id, slug, position, title, tags_json, presentation_md, question_md) VALUES (999999, 'x', 0, 'x', '[]', 'x', 'x')
            """));
        Assert.Contains("FOREIGN KEY", orphan.Message);
    }
}
