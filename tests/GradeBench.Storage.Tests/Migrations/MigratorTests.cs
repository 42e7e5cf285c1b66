using Dapper;
using GradeBench.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Migrations;

[Trait("Provider", "SqliteOnly")]
public sealed class MigratorTests
{
    [Fact]
    public async Task FreshDatabaseGetsEveryMigrationRecordedInSchemaVersion()
    {
        var db = new TestDatabase();
        await using var _ = db;

        var applied = await new Migrator(db.Database, db.Clock).MigrateAsync();

        Assert.Equal(Migrator.All.Select(m => m.Version), applied.Select(m => m.Version));
        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(Migrator.LatestVersion, await connection.ExecuteScalarAsync<long>("SELECT MAX(version) FROM schema_version"));
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet();
        string[] expected = ["studies", "criteria", "criterion_options", "criterion_anchors", "span_labels", "cases", "responses", "users",
            "study_members", "assignments", "ratings", "span_annotations", "rating_history", "sign_in_links", "schema_version"];
        Assert.Empty(expected.Except(tables));
    }

    [Fact]
    public async Task MigratingAnUpToDateDatabaseAppliesNothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var before = await db.DumpContentAsync();

        var applied = await new Migrator(db.Database, db.Clock).MigrateAsync();

        Assert.Empty(applied);
        Assert.Equal(before, await db.DumpContentAsync());
    }

    [Fact]
    public async Task DatabaseNewerThanTheCodeIsRefusedWithTheReason()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.Database.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'from_the_future', 'x')");

        var error = await Assert.ThrowsAsync<SchemaTooNewException>(() => new Migrator(db.Database, db.Clock).MigrateAsync());

        Assert.Contains("schema version 999", error.Message);
        Assert.Contains($"knows versions up to {Migrator.LatestVersion}", error.Message);
    }

    [Fact]
    public async Task ConnectionsUseWalFullSyncForeignKeysAndABusyTimeout()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var connection = await db.Database.OpenAsync();

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // 2 = FULL
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.True(await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout") >= 5000);
    }

    [Fact]
    public async Task ForeignKeysAreEnforced()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var connection = await db.Database.OpenAsync();

        var error = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO study_members (study_id, user_id, role, joined_at) VALUES (42, 42, 'rater', 'x')"));

        Assert.Contains("FOREIGN KEY", error.Message);
    }
}
