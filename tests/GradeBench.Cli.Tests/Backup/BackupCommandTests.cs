using System.Text;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Cli.Tests.Backup;

/// <summary>SQLite's online backup of a database file.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class BackupCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    static readonly Dictionary<string, string?> CompleteRating = DemoRatings.Complete();

    async Task<(Database Database, long StudyId, long RaterId)> DemoWithRaterAsync()
    {
        var path = await _workspace.ImportAsync(TestPaths.DemoBundle, "live.db");
        var database = new Database(path);
        var studyId = (await new StudyQuery(database).FindIdAsync(TestPaths.DemoStudyId))!.Value;
        var users = new UserStore(database, TimeProvider.System);
        var rater = (await users.CreateAsync("dr-backup", "Dr Backup", isAdmin: false))!;
        await users.AddMembershipAsync(studyId, rater.Id, "rater");
        return (database, studyId, rater.Id);
    }

    /// <summary>Every row of every table, in a stable order.</summary>
    static async Task<string> DumpAsync(string path)
    {
        await using var connection = await new Database(path).OpenAsync();
        var dump = new StringBuilder();
        foreach (var table in await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
            foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM \"{table}\" ORDER BY 1, 2"))
                dump.Append(table).Append(": ").AppendJoin('|', row.Values).AppendLine();
        return dump.ToString();
    }

    [Fact]
    public async Task ABackupTakenWhileRatingsAreSubmittedHoldsWholeSubmitsOnly()
    {
        var (database, studyId, raterId) = await DemoWithRaterAsync();
        var grading = new GradingStore(database, new RubricQuery(database), TimeProvider.System);
        var queue = await grading.QueueAsync(studyId, raterId);
        using var stop = new CancellationTokenSource();
        var submitted = 0;
        var writer = Task.Run(async () =>
        {
            foreach (var item in queue)
            {
                if (stop.IsCancellationRequested) break;
                await grading.SaveAsync(studyId, raterId, item.ResponseId, CompleteRating, submit: true);
                submitted++;
            }
        });
        while (Volatile.Read(ref submitted) < 3) await Task.Delay(5);

        var backup = _workspace.PathOf("backup.db");
        var run = await CliWorkspace.RunAsync("backup", "--db", database.FilePath!, "--out", backup);
        await stop.CancelAsync();
        await writer;

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("integrity check ok", run.Output);
        await using var copy = await new Database(backup).OpenAsync();
        var done = await copy.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments WHERE rater_id = @RaterId AND completed_at IS NOT NULL", new { RaterId = raterId });
        var ratings = await copy.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ratings WHERE rater_id = @RaterId AND status = 'submitted'", new { RaterId = raterId });
        Assert.InRange(done, 3, submitted);
        // A submit is one transaction: the copy holds each one whole or not at all.
        Assert.Equal(done * CompleteRating.Count, ratings);
    }

    [Fact]
    public async Task ARestoredBackupIsTheSameDatabase()
    {
        var (database, _, _) = await DemoWithRaterAsync();
        var backup = _workspace.PathOf("backup.db");
        Assert.Equal(0, (await CliWorkspace.RunProcessAsync("backup", "--db", database.FilePath!, "--out", backup)).ExitCode);

        // Restore (docs/backup.md): with GradeBench stopped, copy the backup over the database file.
        var restored = _workspace.PathOf("restored.db");
        File.Copy(backup, restored);
        Assert.Equal(0, (await CliWorkspace.RunAsync("migrate", "--db", restored)).ExitCode);

        Assert.Equal(await DumpAsync(database.FilePath!), await DumpAsync(restored));
    }

    [Fact]
    public async Task ANonexistentDatabaseIsAnErrorAndNoFileIsWritten()
    {
        var backup = _workspace.PathOf("backup.db");

        var run = await CliWorkspace.RunAsync("backup", "--db", _workspace.PathOf("missing.db"), "--out", backup);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("there is no database", run.Error);
        Assert.False(File.Exists(backup));
        Assert.False(File.Exists(_workspace.PathOf("missing.db")));
    }

    public void Dispose() => _workspace.Dispose();
}
