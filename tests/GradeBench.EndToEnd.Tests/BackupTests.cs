using System.Collections.Concurrent;
using System.Net;
using System.Text;
using GradeBench.Storage;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.EndToEnd.Tests;

/// <summary>docs/backup.md end to end: <c>gradebench backup</c> while the server takes submissions, then the restore
/// steps as written, and the restored server serves exactly the data in the backup. About the SQLite file: a
/// PostgreSQL database is backed up with PostgreSQL's own tools, and <c>gradebench backup</c> refuses it.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class BackupTests
{
    const string Study = TestPaths.DemoStudyId;
    const int Raters = 4;
    static readonly string[] ExportKinds = ["ratings.csv", "ratings-wide.csv", "history.csv", "agreement.csv"];

    sealed record Submission(string Rater, string ResponseId, int Sequence)
    {
        public string Comment => $"backup {Rater} response {ResponseId} #{Sequence}";

        /// <summary>Varies with the comment, so a stored pair shows whether the submission was copied whole.</summary>
        public int Consensus => 1 + Sequence % 5;
    }

    [Fact]
    public async Task ABackupTakenWhileRatersSubmitRestoresToAServerServingTheSameData()
    {
        await using var live = await RunningApp.StartAsync();
        var studyId = (await new StudyQuery(new Database(live.Database)).FindIdAsync(Study))!.Value;
        SqliteConnection.ClearAllPools();

        var names = Enumerable.Range(1, Raters).Select(i => $"backup-rater-{i}").ToList();
        foreach (var name in names) await live.CliAsync("users", "add", "--name", name, "--role", "rater", "--study", Study);
        await live.CliAsync("users", "add", "--name", "backup-coordinator", "--role", "coordinator", "--study", Study);
        var tokens = await Task.WhenAll(names.Select(name => live.CliAsync("token", "create", "--user", name)));
        var coordinatorToken = await live.CliAsync("token", "create", "--user", "backup-coordinator");

        // Raters submit without pause, each through their own queue again and again, until told to stop.
        var acknowledged = new ConcurrentQueue<Submission>();
        using var stop = new CancellationTokenSource();
        var raters = Task.WhenAll(names.Select((name, r) => Task.Run(async () =>
        {
            using var client = RatingApi.Client(live.BaseAddress, tokens[r]);
            var responses = await RatingApi.AssignedAsync(client, studyId);
            for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                var submission = new Submission(name, responses[sequence % responses.Count], sequence / responses.Count + 1);
                await RatingApi.SubmitDemoRatingAsync(client, studyId, submission.ResponseId, submission.Consensus, submission.Comment);
                acknowledged.Enqueue(submission);
            }
        })));

        await WaitForAsync(() => acknowledged.Count >= 20, raters);
        var acknowledgedBeforeBackup = acknowledged.ToList();
        var backup = Path.Combine(live.Folder, "backup.db");
        var said = await live.CliAsync("backup", "--out", backup);
        var acknowledgedAfterBackup = acknowledged.Count;
        await WaitForAsync(() => acknowledged.Count >= acknowledgedAfterBackup + 20, raters);
        await stop.CancelAsync();
        await raters;
        Assert.Contains("integrity check ok", said);

        // The copy is a snapshot: everything acknowledged before it started, and every submission whole.
        var copied = await CommentsAsync(backup, studyId);
        Assert.All(acknowledgedBeforeBackup, s => Assert.Contains(s.Comment, copied.History));
        // Every rater's last submission was answered before they stopped, so everything sent was acknowledged.
        var sent = acknowledged.ToDictionary(s => s.Comment);
        Assert.All(copied.History, comment => Assert.True(sent.ContainsKey(comment), $"\"{comment}\" was never sent"));
        Assert.All(copied.Current, pair => Assert.Equal(sent[pair.Comment].Consensus.ToString(), pair.Consensus));
        Assert.True(copied.History.Count < acknowledged.Count, "the copy holds submissions acknowledged after it was taken");
        var fromBackup = new Dictionary<string, byte[]>();
        foreach (var kind in ExportKinds)
        {
            var file = backup + "." + kind;
            await RunningApp.CliAsync(backup, "export", "--study", Study, "--kind", kind, "--out", file);
            fromBackup[kind] = await File.ReadAllBytesAsync(file);
        }

        // Restore as docs/backup.md says: stop, keep the current files aside, copy the backup into place, start.
        await live.StopAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(live.Database + suffix)) File.Move(live.Database + suffix, live.Database + ".old" + suffix);
        File.Copy(backup, live.Database);
        await using var restored = await RunningApp.StartAsync(database: live.Database);

        using var coordinator = RatingApi.Client(restored.BaseAddress, coordinatorToken);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync("/healthz")).StatusCode);
        foreach (var kind in ExportKinds)
        {
            var served = await coordinator.GetByteArrayAsync($"/api/studies/{studyId}/export/{kind}");
            Assert.True(fromBackup[kind].AsSpan().SequenceEqual(served),
                $"{kind} from the restored server differs from the backup ({served.Length} bytes against {fromBackup[kind].Length})");
        }
        Assert.Contains(acknowledgedBeforeBackup[^1].Comment, Encoding.UTF8.GetString(fromBackup["history.csv"]));

        // Counts for docs/reliability.md, shown with --logger "console;verbosity=detailed".
        Console.WriteLine($"backup run: {acknowledgedBeforeBackup.Count} submissions acknowledged before the backup started, " +
            $"{acknowledgedAfterBackup} by its end, {copied.History.Count} in the copy, {acknowledged.Count} in all; " +
            $"{string.Join(", ", ExportKinds.Select(k => $"{k} {fromBackup[k].Length:N0} bytes"))} identical from the restored server");

        // And it goes on taking ratings.
        using var rater = RatingApi.Client(restored.BaseAddress, tokens[0]);
        await RatingApi.SubmitDemoRatingAsync(rater, studyId, (await RatingApi.AssignedAsync(rater, studyId))[0], 3, "after the restore");
    }

    static async Task WaitForAsync(Func<bool> condition, Task raters)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (raters.IsCompleted) await raters;
            Assert.True(DateTime.UtcNow < deadline, "the raters' submissions stalled");
            await Task.Delay(10);
        }
    }

    /// <summary>Every comment our raters' history holds, and each current comment with the consensus stored beside it.</summary>
    static async Task<(HashSet<string> History, List<(string Comment, string Consensus)> Current)> CommentsAsync(string databasePath, long studyId)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(connectionString.ToString());
        await connection.OpenAsync();
        var history = new HashSet<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT h.value FROM rating_history h JOIN ratings g ON g.id = h.rating_id JOIN criteria c ON c.id = g.criterion_id
                WHERE c.study_id = $study AND c.slug = 'comment' AND h.value LIKE 'backup %'
                """;
            command.Parameters.AddWithValue("$study", studyId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) Assert.True(history.Add(reader.GetString(0)), $"\"{reader.GetString(0)}\" is in the history twice");
        }
        var current = new List<(string, string)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT g.value, k.value
                FROM ratings g JOIN criteria c ON c.id = g.criterion_id
                JOIN ratings k ON k.response_id = g.response_id AND k.rater_id = g.rater_id
                JOIN criteria kc ON kc.id = k.criterion_id AND kc.slug = 'consensus'
                WHERE c.study_id = $study AND c.slug = 'comment' AND g.value LIKE 'backup %'
                """;
            command.Parameters.AddWithValue("$study", studyId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) current.Add((reader.GetString(0), reader.GetString(1)));
        }
        return (history, current);
    }
}
