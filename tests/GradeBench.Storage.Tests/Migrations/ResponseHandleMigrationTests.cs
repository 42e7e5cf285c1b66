using Dapper;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>Migration 0013 gives every response a random handle and draws queue positions again, on a database that
/// was at version 12 and holds assignments (done and not) and ratings.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class ResponseHandleMigrationTests
{
    const string Work = """
        SELECT 'a|' || a.id || '|' || a.response_id || '|' || a.rater_id || '|' || COALESCE(a.completed_at, '-') FROM assignments a
        UNION ALL SELECT 'g|' || g.id || '|' || g.response_id || '|' || g.rater_id || '|' || COALESCE(g.value, '') || '|' || g.status FROM ratings g
        ORDER BY 1
        """;

    [Fact]
    public async Task ADatabaseAtVersion12GetsHandlesAndNewPositionsAndKeepsItsWorkAndRatings()
    {
        await using var db = await OlderSchema.AtVersionAsync(12);
        // Today's importer writes the handle column that version 12 lacks: import into a current database, copy the rest.
        await using var current = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(current.Database, current.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        await current.AddRaterAsync(studyId, "dr-before");
        await db.CopyFromAsync(current);
        await using var before = await db.Database.OpenAsync();
        var work = (await before.QueryAsync<string>(Work)).AsList();
        var positions = (await before.QueryAsync<long>("SELECT queue_position FROM assignments ORDER BY id")).AsList();

        var applied = await new Migrator(db.Database, db.Clock).MigrateAsync();

        Assert.Contains(applied, m => m.Version == 13);
        await using var after = await db.Database.OpenAsync();
        Assert.Equal(work, await after.QueryAsync<string>(Work));
        Assert.Contains(work, w => w.StartsWith("a|") && !w.EndsWith("|-"));
        Assert.Contains(work, w => w.StartsWith("a|") && w.EndsWith("|-"));
        var handles = (await after.QueryAsync<string>("SELECT handle FROM responses")).AsList();
        Assert.All(handles, h => Assert.Matches("^[0-9a-f]{16}$", h));
        Assert.Equal(handles.Count, handles.Distinct().Count());
        var redrawn = (await after.QueryAsync<long>("SELECT queue_position FROM assignments ORDER BY id")).AsList();
        Assert.Equal(positions.Count, redrawn.Count);
        Assert.True(positions.Zip(redrawn).Count(p => p.First == p.Second) < 3);
        // A response inserted without a handle is refused from now on.
        await Assert.ThrowsAnyAsync<Microsoft.Data.Sqlite.SqliteException>(() => after.ExecuteAsync("""
            INSERT INTO responses (study_id, case_id, slug, position, model, content_md) SELECT study_id, case_id, 'x', 999, 'm', 'x' FROM responses LIMIT 1
            """));
    }
}
