using Dapper;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>Migration 0020 adds side-by-side studies: studies imported before it are single-answer studies, and the
/// tables of pairs refuse what the design forbids.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class PairwiseMigrationTests
{
    [Fact]
    public async Task AStudyIsSingleByDefaultAndPairTablesKeepTheirRules()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var raterId = await db.AddRaterAsync(studyId, "dr-pairs");
        await using var connection = await db.Database.OpenAsync();
        Assert.Equal("single", await connection.ExecuteScalarAsync<string>("SELECT design FROM studies WHERE id = @studyId", new { studyId }));

        var answers = (await connection.QueryAsync<(long Id, long CaseId)>(
            "SELECT id, case_id FROM responses WHERE study_id = @studyId ORDER BY case_id, model LIMIT 2", new { studyId })).AsList();
        await connection.ExecuteAsync("""
            INSERT INTO pairwise_axes (study_id, slug, position, question, both_bad) VALUES (@studyId, 'consensus', 0, 'Which?', FALSE);
            INSERT INTO pairs (study_id, case_id, response_a_id, response_b_id, position, handle) VALUES (@studyId, @caseId, @a, @b, 0, '0123456789abcdef');
            """, new { studyId, caseId = answers[0].CaseId, a = answers[0].Id, b = answers[1].Id });
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO pairs (study_id, case_id, response_a_id, response_b_id, position, handle) VALUES (@studyId, @caseId, @a, @a, 1, 'fedcba9876543210')",
            new { studyId, caseId = answers[0].CaseId, a = answers[0].Id }));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "UPDATE studies SET design = 'arena' WHERE id = @studyId", new { studyId }));

        await connection.ExecuteAsync("""
            INSERT INTO pair_votes (pair_id, rater_id, axis_id, choice, status, updated_at)
            SELECT p.id, @raterId, x.id, 'a', 'draft', 'now' FROM pairs p, pairwise_axes x;
            INSERT INTO pair_vote_history (vote_id, choice, status, source, recorded_at) SELECT id, 'a', 'draft', 'web', 'now' FROM pair_votes;
            """, new { raterId });
        // Votes are stored by model (a, b), never by side.
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("UPDATE pair_votes SET choice = 'left'"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("UPDATE pair_vote_history SET choice = 'b'"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("DELETE FROM pair_vote_history"));
    }
}
