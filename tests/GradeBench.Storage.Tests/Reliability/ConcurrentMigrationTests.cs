using Dapper;
using GradeBench.Storage.Migrations;

namespace GradeBench.Storage.Tests.Reliability;

/// <summary>Two nodes (or a node and the command line) starting on a new database at the same moment.</summary>
public sealed class ConcurrentMigrationTests
{
    [Fact]
    public async Task TwoMigratorsAtOnceApplyEachMigrationOnce()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        await using var other = new Database(Target(db.Database));
        using var start = new Barrier(2);

        var applied = await Task.WhenAll(
            Task.Run(async () => { start.SignalAndWait(); return await new Migrator(db.Database, db.Clock).MigrateAsync(); }),
            Task.Run(async () => { start.SignalAndWait(); return await new Migrator(other, db.Clock).MigrateAsync(); }));

        Assert.Equal(Migrator.All.Select(m => m.Version), applied.SelectMany(a => a).Select(m => m.Version).Order());
        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(Migrator.All.Select(m => (long)m.Version), await connection.QueryAsync<long>("SELECT version FROM schema_version ORDER BY version"));
    }

    /// <summary>What names the same database for a second <see cref="Database"/>: its file, or its connection string.</summary>
    static string Target(Database database) => database.FilePath ?? database.ConnectionString;
}
