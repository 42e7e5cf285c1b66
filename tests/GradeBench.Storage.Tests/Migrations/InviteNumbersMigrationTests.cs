using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Migrations;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>Migration 0028: the invites an older GradeBench listed by rowid keep that number, now a column that a copy to
/// another database keeps; a new invite takes the next one.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class InviteNumbersMigrationTests
{
    [Fact]
    public async Task OldInvitesKeepTheirNumbersAndANewOneTakesTheNext()
    {
        await using var db = await OlderSchema.AtVersionAsync(27);
        await using (var connection = await db.Database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO users (username, display_name, is_admin, created_at) VALUES ('c', 'C', FALSE, '2026-01-01T00:00:00Z');
                INSERT INTO studies (slug, title, description_md, instructions_md, language, hide_model, shuffle, raters_per_response, created_at, state)
                VALUES ('s', 'S', '', '', 'en', TRUE, TRUE, 1, '2026-01-01T00:00:00Z', 'open');
                INSERT INTO invites (rowid, token_hash, study_id, role, created_by, created_at, expires_at)
                VALUES (3, 'a', 1, 'rater', 1, '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z'),
                       (7, 'b', 1, 'rater', 1, '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z');
                """);
        }

        await new Migrator(db.Database, db.Clock).MigrateAsync();
        await new InviteStore(db.Database, db.Clock).CreateAsync(1, "rater", 1, TimeSpan.FromDays(1));

        await using var after = await db.Database.OpenAsync();
        Assert.Equal([3L, 7L, 8L], await after.QueryAsync<long>("SELECT number FROM invites ORDER BY number"));
        Assert.Equal(0, await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM invites WHERE number IS NULL"));
    }
}
