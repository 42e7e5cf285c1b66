using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Judges;

/// <summary>A run of a judge's work as the activity feed tells it (<c>judge_batches</c>): one import, or one burst of
/// submissions through the API. <see cref="Responses"/>: how many responses it rated (a change to one already rated in
/// the same burst counts again).</summary>
public sealed record JudgeBatch(long Id, string JudgeName, string Source, long Responses, DateTimeOffset At)
{
    public const string Api = "api", Import = "import";
}

/// <summary>Records judges' work in batches, so that a judge rating thousands of responses is a line of the activity
/// feed rather than thousands. Runs inside the writer's transaction.</summary>
static class JudgeBatches
{
    /// <summary>API submissions closer together than this are one burst.</summary>
    public static readonly TimeSpan BurstGap = TimeSpan.FromMinutes(10);

    /// <summary>Counts one submission through the API in the judge's current burst, or starts a burst when its last
    /// submission is older than <see cref="BurstGap"/>.</summary>
    public static async Task<JudgeBatch> RecordSubmissionAsync(DbConnection connection, DbTransaction transaction, long studyId, long judgeId, DateTimeOffset now)
    {
        var keys = new { StudyId = studyId, JudgeId = judgeId, Now = now, Since = now - BurstGap, Source = JudgeBatch.Api };
        var continued = await connection.QuerySingleOrDefaultAsync<BatchRow>("""
            UPDATE judge_batches SET ended_at = @Now, responses = responses + 1
            WHERE id = (SELECT id FROM judge_batches WHERE study_id = @StudyId AND judge_id = @JudgeId AND source = @Source ORDER BY id DESC LIMIT 1)
              AND ended_at >= @Since
            RETURNING id, responses
            """, keys, transaction);
        var (id, responses) = continued is { } row ? (row.Id, row.Responses) : (await connection.ExecuteScalarAsync<long>("""
            INSERT INTO judge_batches (study_id, judge_id, source, started_at, ended_at, responses) VALUES (@StudyId, @JudgeId, @Source, @Now, @Now, 1)
            RETURNING id
            """, keys, transaction), 1L);
        return new JudgeBatch(id, await NameAsync(connection, transaction, judgeId), JudgeBatch.Api, responses, now);
    }

    /// <summary>Records an import of the judge's ratings of <paramref name="responses"/> responses.</summary>
    public static Task RecordImportAsync(DbConnection connection, DbTransaction transaction, long studyId, long judgeId, long responses, DateTimeOffset now) =>
        connection.ExecuteAsync("""
            INSERT INTO judge_batches (study_id, judge_id, source, started_at, ended_at, responses) VALUES (@StudyId, @JudgeId, @Source, @Now, @Now, @Responses)
            """, new { StudyId = studyId, JudgeId = judgeId, Source = JudgeBatch.Import, Now = now, Responses = responses }, transaction);

    sealed class BatchRow
    {
        public long Id { get; init; }
        public long Responses { get; init; }
    }

    static Task<string> NameAsync(DbConnection connection, DbTransaction transaction, long judgeId) =>
        connection.ExecuteScalarAsync<string>("SELECT name FROM judges WHERE user_id = @JudgeId", new { JudgeId = judgeId }, transaction)!;
}
