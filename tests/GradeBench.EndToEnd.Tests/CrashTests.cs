using System.Net;
using Dapper;
using GradeBench.Storage;

namespace GradeBench.EndToEnd.Tests;

/// <summary>The server killed with SIGKILL in the middle of a stream of rating submissions loses no acknowledged
/// submission, duplicates none, and comes back on the same database (the same file, or the same PostgreSQL database).</summary>
public sealed class CrashTests
{
    const string Study = TestPaths.DemoStudyId;
    const int Raters = 8;
    const int ClientsPerRater = 2;
    const int Submissions = 1000;
    const int KillAfterAcknowledged = Submissions / 2;

    enum Outcome { NotSent, Acknowledged, InFlightAtKill }

    /// <summary>One PUT: its comment is unique in the whole run, so its history row can be found and counted.</summary>
    sealed record Submission(string Rater, string ResponseId, int Sequence)
    {
        public string Comment => $"crash {Rater} response {ResponseId} #{Sequence}";

        /// <summary>Varies with the comment, so that the stored pair shows whether one submission was written whole.</summary>
        public int Consensus => 1 + Sequence % 5;

        public Outcome Outcome { get; set; }

        public bool AfterRestart { get; set; }
    }

    /// <summary>
    /// The invariant, checked per (rater, response) once the restarted server has taken the rest of the run.
    /// Each pair belongs to one client, which sends its submissions one after another, and every submission
    /// changes the comment, so each applied submission appends exactly one history row of the comment criterion.
    /// Reading that criterion's history in row order must give the pair's submissions in the order sent, where
    /// each acknowledged one appears exactly once, the one in flight at the kill (at most one per client, its answer
    /// lost) appears once or not at all, and nothing else appears. The current comment is the last of those rows, and
    /// the current consensus is that same submission's (a submission is written whole or not at all).
    /// </summary>
    [Fact]
    public async Task EverySubmissionAcknowledgedBeforeASigkillIsStoredExactlyOnceAfterARestart()
    {
        await using var first = await RunningApp.StartAsync();
        // Our connections are unpooled (AppDatabase): none stays open through the kill, so the restarted server alone
        // recovers the database.
        var studyId = await ScalarAsync<long>(first.Database, "SELECT id FROM studies WHERE slug = @Study", new { Study });

        var names = Enumerable.Range(1, Raters).Select(i => $"crash-rater-{i}").ToList();
        // One at a time: each membership plans the study's assignments again.
        foreach (var name in names) await first.CliAsync("users", "add", "--name", name, "--role", "rater", "--study", Study);
        var tokens = await Task.WhenAll(names.Select(name => first.CliAsync("token", "create", "--user", name)));

        var plans = new List<List<Submission>>();
        for (var r = 0; r < Raters; r++)
        {
            using var client = RatingApi.Client(first.BaseAddress, tokens[r]);
            var responses = await RatingApi.AssignedAsync(client, studyId);
            Assert.True(responses.Count >= ClientsPerRater, $"{names[r]} has {responses.Count} assignments");
            // The rater's clients split the responses between them, so no pair is written by two clients at once.
            var share = Enumerable.Range(0, ClientsPerRater).Select(c => responses.Where((_, i) => i % ClientsPerRater == c).ToList()).ToList();
            var perClient = Submissions / (Raters * ClientsPerRater);
            var extra = Submissions % (Raters * ClientsPerRater);
            for (var c = 0; c < ClientsPerRater; c++)
            {
                var count = perClient + (r * ClientsPerRater + c < extra ? 1 : 0);
                // Round the client's responses, so each response gets several submissions in turn.
                plans.Add([.. Enumerable.Range(0, count).Select(s => new Submission(names[r], share[c][s % share[c].Count], s / share[c].Count + 1))]);
            }
        }
        var tokenOf = names.Zip(tokens).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(Submissions, plans.Sum(p => p.Count));

        // Phase one: all clients at once until half the run is acknowledged, then SIGKILL.
        var acknowledged = 0;
        var half = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = 0;
        var nextIndex = new int[plans.Count];
        var clients = Task.WhenAll(plans.Select((plan, c) => Task.Run(async () =>
        {
            using var client = RatingApi.Client(first.BaseAddress, tokenOf[plan[0].Rater]);
            for (var i = 0; i < plan.Count; i++)
            {
                try
                {
                    await PutAsync(client, studyId, plan[i]);
                }
                catch (HttpRequestException) when (Volatile.Read(ref killed) == 1)
                {
                    // Sent but unanswered (or refused): whether it was applied is unknown.
                    plan[i].Outcome = Outcome.InFlightAtKill;
                    nextIndex[c] = i + 1;
                    return;
                }
                if (Interlocked.Increment(ref acknowledged) == KillAfterAcknowledged) half.TrySetResult();
            }
            nextIndex[c] = plan.Count;
        })));
        await Task.WhenAny(half.Task, clients);
        Volatile.Write(ref killed, 1);
        await first.KillAsync();
        await clients;

        // Phase two: a new server on the same database answers again, and takes the rest of the run.
        await using var second = await RunningApp.StartAsync(database: first.Database);
        using (var probe = new HttpClient { BaseAddress = new Uri(second.BaseAddress) })
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/healthz")).StatusCode);
        await Task.WhenAll(plans.Select((plan, c) => Task.Run(async () =>
        {
            using var client = RatingApi.Client(second.BaseAddress, tokenOf[plan[0].Rater]);
            for (var i = nextIndex[c]; i < plan.Count; i++)
            {
                plan[i].AfterRestart = true;
                await PutAsync(client, studyId, plan[i]);
            }
        })));

        var all = plans.SelectMany(p => p).ToList();
        var inFlight = all.Where(s => s.Outcome == Outcome.InFlightAtKill).ToList();
        Assert.All(all, s => Assert.NotEqual(Outcome.NotSent, s.Outcome));

        if (Database.SqliteFileOf(first.Database) is not null) Assert.Equal("ok", await ScalarAsync<string>(first.Database, "PRAGMA integrity_check", new { }));
        var stored = await StoredAsync(first.Database, studyId, names);
        var applied = 0;
        foreach (var pair in all.GroupBy(s => (s.Rater, s.ResponseId)))
        {
            var history = stored.History.GetValueOrDefault(pair.Key) ?? [];
            var row = 0;
            Submission? last = null;
            foreach (var submission in pair.OrderBy(s => s.Sequence))
            {
                if (row < history.Count && history[row] == submission.Comment)
                {
                    row++;
                    last = submission;
                    if (submission.Outcome == Outcome.InFlightAtKill) applied++;
                }
                else Assert.True(submission.Outcome == Outcome.InFlightAtKill,
                    $"acknowledged \"{submission.Comment}\" is missing or out of order; history: {string.Join(" | ", history)}");
            }
            Assert.True(row == history.Count, $"{pair.Key} has history rows beyond what was sent once each: {string.Join(" | ", history)}");
            Assert.NotNull(last);
            Assert.Equal((last.Comment, last.Consensus.ToString(), "submitted"), stored.Current[pair.Key]);
        }

        // Counts for docs/reliability.md, shown with --logger "console;verbosity=detailed".
        Console.WriteLine($"crash run: {all.Count} submissions by {plans.Count} clients; acknowledged before the kill " +
            $"{all.Count(s => s.Outcome == Outcome.Acknowledged && !s.AfterRestart)}, in flight at the kill {inFlight.Count} " +
            $"(applied {applied}), acknowledged after the restart {all.Count(s => s.AfterRestart)}; " +
            $"{stored.History.Values.Sum(h => h.Count)} comment history rows for {stored.Current.Count} ratings");
    }

    static async Task PutAsync(HttpClient client, long studyId, Submission submission)
    {
        await RatingApi.SubmitDemoRatingAsync(client, studyId, submission.ResponseId, submission.Consensus, submission.Comment);
        submission.Outcome = Outcome.Acknowledged;
    }

    sealed record Stored(
        Dictionary<(string Rater, string ResponseId), List<string>> History,
        Dictionary<(string Rater, string ResponseId), (string Comment, string Consensus, string Status)> Current);

    /// <summary>Our raters' comment history in row order, and their current comment, consensus and status.</summary>
    static async Task<Stored> StoredAsync(string database, long studyId, IReadOnlyList<string> names)
    {
        await using var connection = await AppDatabase.OpenAsync(database);
        var history = new Dictionary<(string, string), List<string>>();
        var ours = string.Join(", ", names.Select(n => $"'{n}'"));
        foreach (var (rater, handle, comment) in await connection.QueryAsync<(string, string, string)>($"""
            SELECT u.username, (SELECT handle FROM responses WHERE id = g.response_id), h.value
            FROM rating_history h JOIN ratings g ON g.id = h.rating_id JOIN users u ON u.id = g.rater_id
            JOIN criteria c ON c.id = g.criterion_id
            WHERE c.study_id = @StudyId AND c.slug = 'comment' AND u.username IN ({ours})
            ORDER BY h.id
            """, new { StudyId = studyId }))
        {
            if (!history.TryGetValue((rater, handle), out var list)) history[(rater, handle)] = list = [];
            list.Add(comment);
        }
        var current = (await connection.QueryAsync<(string, string, string, string, string)>($"""
            SELECT u.username, (SELECT handle FROM responses WHERE id = g.response_id), g.value, k.value, g.status
            FROM ratings g JOIN users u ON u.id = g.rater_id JOIN criteria c ON c.id = g.criterion_id
            JOIN ratings k ON k.response_id = g.response_id AND k.rater_id = g.rater_id
            JOIN criteria kc ON kc.id = k.criterion_id AND kc.slug = 'consensus'
            WHERE c.study_id = @StudyId AND c.slug = 'comment' AND u.username IN ({ours})
            """, new { StudyId = studyId })).ToDictionary(r => (r.Item1, r.Item2), r => (r.Item3, r.Item4, r.Item5));
        return new Stored(history, current);
    }

    static async Task<T> ScalarAsync<T>(string database, string sql, object parameters)
    {
        await using var connection = await AppDatabase.OpenAsync(database);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }
}
