using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Reliability;

/// <summary>Writers racing each other: a check made inside a writing transaction still holds when it commits. SQLite
/// gives that with its one write lock; on PostgreSQL every writing transaction takes the installation's write lock
/// (<see cref="Transactions.BeginWriteAsync"/>): without it both administrators lose their rights. Joining raters are
/// also ordered by the row lock on their study's data version; the test guards the outcome either way.</summary>
public sealed class ConcurrentWriterTests
{
    const int Rounds = 15;

    [Fact]
    public async Task TwoAdministratorsTakingEachOthersRightsAtOnceLeaveOne()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        for (var round = 0; round < Rounds; round++)
        {
            var a = (await users.CreateAsync($"a{round}", "A", isAdmin: true))!.Id;
            var b = (await users.CreateAsync($"b{round}", "B", isAdmin: true))!.Id;

            var outcomes = await AtOnceAsync(() => users.SetAdministratorAsync(b, false, a), () => users.SetAdministratorAsync(a, false, b));

            Assert.Contains(AccountStatusOutcome.Changed, outcomes);
            Assert.Contains(AccountStatusOutcome.NotAdministrator, outcomes);
            await using var connection = await db.Database.OpenAsync();
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM users WHERE is_admin AND id IN (@A, @B)", new { A = a, B = b }));
            // The survivor steps down for the next round.
            await connection.ExecuteAsync("UPDATE users SET is_admin = FALSE WHERE id IN (@A, @B)", new { A = a, B = b });
        }
    }

    [Fact]
    public async Task TwoAdministratorsDisablingEachOtherAtOnceLeaveOneWhoCanSignIn()
    {
        await using var db = await TestDatabase.CreateAsync();
        var users = new UserStore(db.Database, db.Clock);
        for (var round = 0; round < Rounds; round++)
        {
            var a = (await users.CreateAsync($"a{round}", "A", isAdmin: true))!.Id;
            var b = (await users.CreateAsync($"b{round}", "B", isAdmin: true))!.Id;

            await AtOnceAsync(() => users.SetDisabledAsync(b, true, a), () => users.SetDisabledAsync(a, true, b));

            await using var connection = await db.Database.OpenAsync();
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM users WHERE is_admin AND disabled_at IS NULL AND id IN (@A, @B)", new { A = a, B = b }));
            await connection.ExecuteAsync("UPDATE users SET is_admin = FALSE WHERE id IN (@A, @B)", new { A = a, B = b });
        }
    }

    [Fact]
    public async Task RatersJoiningAtOnceShareTheWorkWithoutGivingAnAnswerTooManyRaters()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        for (var round = 0; round < 4; round++)
        {
            var first = (await users.CreateAsync($"first{round}", "First", false))!.Id;
            var second = (await users.CreateAsync($"second{round}", "Second", false))!.Id;

            await AtOnceAsync(() => users.AddMembershipAsync(studyId, first, "rater"), () => users.AddMembershipAsync(studyId, second, "rater"));

            await using var connection = await db.Database.OpenAsync();
            // The demo asks three raters per answer.
            Assert.Equal([3L], await connection.QueryAsync<long>("SELECT DISTINCT COUNT(*) FROM assignments GROUP BY response_id"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM (SELECT 1 FROM assignments GROUP BY response_id, rater_id HAVING COUNT(*) > 1) duplicated"));
        }
    }

    /// <summary>Starts both at the same moment, each on a thread of its own.</summary>
    static async Task<T[]> AtOnceAsync<T>(Func<Task<T>> one, Func<Task<T>> other)
    {
        using var start = new Barrier(2);
        return await Task.WhenAll(
            Task.Run(async () => { start.SignalAndWait(); return await one(); }),
            Task.Run(async () => { start.SignalAndWait(); return await other(); }));
    }

    static Task AtOnceAsync(Func<Task> one, Func<Task> other) =>
        AtOnceAsync(async () => { await one(); return 0; }, async () => { await other(); return 0; });
}
