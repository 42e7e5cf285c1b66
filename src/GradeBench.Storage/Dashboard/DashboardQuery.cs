using System.Data.Common;
using Dapper;
using GradeBench.Storage.Judges;

namespace GradeBench.Storage.Dashboard;

public sealed record SubmissionFacts
{
    public required string RaterName { get; init; }
    public required string ResponseSlug { get; init; }
    public long RaterDone { get; init; }
    public long RaterAssigned { get; init; }
}

public sealed record RaterProgress
{
    public long RaterId { get; init; }
    public required string Name { get; init; }
    public long Assigned { get; init; }
    public long Done { get; init; }
    /// <summary>The last time the rater worked in this study through the app (a draft or submitted value, a flag, a
    /// highlight of an answer, a passage of a case's note); null if never. Ratings imported from a bundle carry the import time, which is not the rater's.</summary>
    public DateTimeOffset? LastActivity { get; init; }
}

public sealed record GroupProgress
{
    public required string Key { get; init; }
    public required string Label { get; init; }
    public long Assigned { get; init; }
    public long Done { get; init; }
}

/// <summary>A rater's assigned and done items in a study.</summary>
public readonly record struct RaterCounts(long Assigned, long Done);

/// <summary>The dashboard's counts over a study's assignments and ratings, read in two passes (<see cref="DashboardQuery.CountsAsync"/>).
/// In a side-by-side study they count pairs: each rater's pair assignments, <see cref="Models"/> per pair of models
/// (keyed and labelled "model-a – model-b") and <see cref="Criteria"/> per axis (keyed by the axis id), the submitted
/// votes against one per pair assignment.</summary>
/// <param name="Version">The study's data version the counts are exactly of (<see cref="Results.StudyDataVersion"/>).</param>
public sealed record ProgressCounts(IReadOnlyDictionary<long, RaterCounts> Raters, IReadOnlyList<GroupProgress> Models,
    IReadOnlyList<GroupProgress> Criteria, long Version)
{
    /// <summary>The counts after one submit, when these are of the version just before it; otherwise null (another
    /// write came between, or these are newer): only a read gives them then.</summary>
    public ProgressCounts? After(ProgressDelta delta)
    {
        if (delta.Version != Version + 1) return null;
        var done = delta.Completed ? 1 : 0;
        var raters = new Dictionary<long, RaterCounts>(Raters);
        if (raters.TryGetValue(delta.RaterId, out var rater)) raters[delta.RaterId] = rater with { Done = rater.Done + done };
        return new ProgressCounts(raters,
            [.. Models.Select(m => m.Key == delta.Model ? m with { Done = m.Done + done } : m)],
            [.. Criteria.Select(c => delta.SubmittedValues.TryGetValue(c.Key, out var change) ? c with { Done = c.Done + change } : c)],
            delta.Version);
    }
}

/// <summary>What one submitted save changed in a study's <see cref="ProgressCounts"/>, and the data version it made.</summary>
/// <param name="Completed">The rater's assignment of the response was completed by this save (not before).</param>
/// <param name="SubmittedValues">By criterion id (slug), +1 or -1 where a submitted value appeared or was cleared.</param>
public sealed record ProgressDelta(long Version, long RaterId, string Model, bool Completed, IReadOnlyDictionary<string, int> SubmittedValues);

/// <summary>A rater of the study and when they last worked in it, without counts.</summary>
public sealed record RaterActivity
{
    public long RaterId { get; init; }
    public required string Name { get; init; }
    /// <inheritdoc cref="RaterProgress.LastActivity"/>
    public DateTimeOffset? LastActivity { get; init; }
}

/// <summary>Something that happened in a study, as facts for the reader's language to put into words: <c>submitted</c>
/// (<see cref="Who"/> submitted the response whose handle is <see cref="Subject"/>), <c>pair</c> (<see cref="Who"/>
/// submitted their judgement of the side-by-side pair whose handle is <see cref="Subject"/>), <c>state</c> (<see cref="Who"/>, or
/// someone no longer known, made the study <see cref="Subject"/>: a state, or <c>paused</c>) or <c>judge</c> (the judge
/// <see cref="Who"/> rated <see cref="Count"/> responses in one batch <see cref="Batch"/>, its <see cref="Subject"/>
/// <c>api</c> or <c>import</c>; <see cref="At"/> is its last submission).</summary>
public sealed record ActivityEntry
{
    public const string Submitted = "submitted", PairSubmitted = "pair", StateChange = "state", Paused = "paused", Judge = "judge";

    public DateTimeOffset At { get; init; }
    public required string Kind { get; init; }
    public string? Who { get; init; }
    public required string Subject { get; init; }
    public long Count { get; init; }
    public long? Batch { get; init; }
}

/// <summary>What the coordinator's dashboard shows about a study's progress. Coordinators may see model names, so
/// nothing here is blinded; none of it is ever sent to raters.</summary>
public sealed class DashboardQuery(Database database)
{
    /// <summary>The facts a live "rating submitted" event carries, read right after the submit committed.</summary>
    public async Task<SubmissionFacts> SubmissionAsync(long studyId, long raterId, long responseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleAsync<SubmissionFacts>(new CommandDefinition("""
            SELECT (SELECT display_name FROM users WHERE id = @RaterId) AS rater_name,
                   (SELECT slug FROM responses WHERE id = @ResponseId) AS response_slug,
                   (SELECT COUNT(*) FROM assignments WHERE rater_id = @RaterId AND study_id = @StudyId AND completed_at IS NOT NULL) AS rater_done,
                   (SELECT COUNT(*) FROM assignments WHERE rater_id = @RaterId AND study_id = @StudyId) AS rater_assigned
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, cancellationToken: ct));
    }

    /// <summary>Every physician rater of the study (members and anyone holding assignments of responses or pairs, judges
    /// aside) and their last activity (a vote on a pair counts as a value does), without counts: those take a pass over the study's assignments (a large study has 400,000) and come from
    /// <see cref="CountsAsync"/>, off the request path.</summary>
    public async Task<IReadOnlyList<RaterActivity>> RaterActivityAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<RaterActivity>(new CommandDefinition($"""
            SELECT u.id AS rater_id, u.display_name AS name,
                   (SELECT MAX(at) FROM (
                       SELECT h.recorded_at AS at FROM rating_history h JOIN ratings g ON g.id = h.rating_id JOIN responses r ON r.id = g.response_id
                       WHERE r.study_id = @StudyId AND g.rater_id = u.id AND h.recorded_by = u.id AND h.source = 'web'
                       UNION ALL
                       SELECT f.created_at FROM flags f WHERE f.study_id = @StudyId AND f.rater_id = u.id
                       UNION ALL
                       SELECT h.recorded_at FROM pair_votes v JOIN pairs p ON p.id = v.pair_id JOIN pair_vote_history h ON h.vote_id = v.id
                       WHERE v.rater_id = u.id AND p.study_id = @StudyId AND h.recorded_by = u.id AND h.source = 'web'
                       UNION ALL
                       SELECT s.updated_at FROM span_annotations s
                       WHERE s.rater_id = u.id AND (SELECT r.study_id FROM responses r WHERE r.id = s.response_id) = @StudyId
                       UNION ALL
                       SELECT n.updated_at FROM note_spans n
                       WHERE n.rater_id = u.id AND (SELECT c.study_id FROM cases c WHERE c.id = n.case_id) = @StudyId) AS work) AS last_activity
            FROM users u
            WHERE (EXISTS (SELECT 1 FROM study_members m WHERE m.study_id = @StudyId AND m.user_id = u.id AND m.role = 'rater')
                   OR EXISTS (SELECT 1 FROM assignments a WHERE a.rater_id = u.id AND a.study_id = @StudyId)
                   OR EXISTS (SELECT 1 FROM pair_assignments a WHERE a.rater_id = u.id AND a.study_id = @StudyId))
              AND u.id NOT IN {JudgeRaters.OfStudy}
            ORDER BY u.display_name, u.id
            """, new { StudyId = studyId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Assigned and done items per rater and per model, and submitted values per criterion against the number
    /// expected (one per assignment), of the physicians (judges' work is theirs alone) on the rubric's criteria (marks of the cases' checklists are not
    /// criteria of the rubric): one pass over the study's assignments, one over its ratings (reached through its
    /// responses: ratings have no index by criterion, and counting by criterion scanned every study's ratings once per
    /// criterion). Criteria without ratings count zero.</summary>
    public async Task<ProgressCounts> CountsAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var mapped = await RawSqlite.MapAsync(connection, ct);
        // One snapshot for the three passes: the criteria's expected count is the assignments'.
        await using var transaction = await connection.BeginSnapshotAsync(ct);
        var (version, design) = await connection.QuerySingleAsync<(long, string)>(new CommandDefinition(
            "SELECT data_version, design FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction, cancellationToken: ct));
        if (design == "pairwise") return await PairCountsAsync(connection, transaction, studyId, version, ct);
        var criteria = (await connection.QueryAsync<(long Id, string Slug, string Label)>(new CommandDefinition("""
            SELECT id, slug, label || CASE WHEN required THEN '' ELSE ' (optional)' END FROM criteria WHERE study_id = @StudyId AND case_id IS NULL ORDER BY position
            """, new { StudyId = studyId }, transaction, cancellationToken: ct))).AsList();

        // Each response's model, numbered: the assignments are then counted without a lookup of a response per row.
        var models = new List<string>();
        var modelOf = new Dictionary<long, int>();
        await RawRows.StepAsync(connection, transaction, "SELECT id, model FROM responses WHERE study_id = ?1", studyId, row =>
        {
            var model = row.GetString(1);
            var index = models.IndexOf(model);
            if (index < 0)
            {
                index = models.Count;
                models.Add(model);
            }
            modelOf[row.GetInt64(0)] = index;
        }, ct);
        var perModel = new (long Assigned, long Done)[models.Count];
        var perRater = new Dictionary<long, RaterCounts>();
        // Through the covering index assignments_queue, rater by rater: only this study's entries are read.
        var physiciansOnly = await JudgeRaters.ExclusionAsync(connection, transaction, studyId, "rater_id", ct);
        await RawRows.StepAsync(connection, transaction, $"""
            SELECT rater_id, response_id, completed_at IS NOT NULL FROM assignments
            WHERE rater_id IN (SELECT id FROM users) AND study_id = ?1{physiciansOnly}
            """,
            studyId, row =>
            {
                var done = row.GetInt32(2);
                var rater = row.GetInt64(0);
                var (assigned, raterDone) = perRater.GetValueOrDefault(rater);
                perRater[rater] = new RaterCounts(assigned + 1, raterDone + done);
                ref var model = ref perModel[modelOf[row.GetInt64(1)]];
                model = (model.Assigned + 1, model.Done + done);
            }, ct);
        // Counted here rather than by GROUP BY, which sorted 1.6M rows to group them; rows alternate between the few
        // criteria, so a short array is searched rather than a dictionary.
        var ids = criteria.Select(c => c.Id).ToArray();
        var submitted = new long[ids.Length];
        await RawRows.StepAsync(connection, transaction, $"""
            SELECT criterion_id FROM ratings
            WHERE response_id IN (SELECT id FROM responses WHERE study_id = ?1) AND status = 'submitted' AND value IS NOT NULL{physiciansOnly}
            """, studyId, row =>
            {
                var criterion = row.GetInt64(0);
                var at = Array.IndexOf(ids, criterion);
                if (at >= 0) submitted[at]++;
            }, ct);

        var total = perRater.Values.Sum(r => r.Assigned);
        return new ProgressCounts(perRater,
            models.Select((m, i) => new GroupProgress { Key = m, Label = m, Assigned = perModel[i].Assigned, Done = perModel[i].Done })
                .Where(m => m.Assigned > 0).OrderBy(m => m.Key, StringComparer.Ordinal).ToList(),
            criteria.Select((c, i) => new GroupProgress { Key = c.Slug, Label = c.Label, Assigned = total, Done = submitted[i] }).ToList(), version);
    }

    /// <summary>A side-by-side study's counts: its pair assignments per rater and per pair of models (A, first by name, then B), and its submitted votes per axis against one per pair assignment (an axis must be answered
    /// for a pair to be submitted). Through the study's pairs (by index), never its ratings.</summary>
    static async Task<ProgressCounts> PairCountsAsync(DbConnection connection, DbTransaction transaction, long studyId, long version,
        CancellationToken ct)
    {
        var parameters = new { StudyId = studyId };
        var assignments = (await connection.QueryAsync<(long RaterId, string ModelA, string ModelB, bool Done)>(new CommandDefinition($"""
            SELECT a.rater_id, ra.model, rb.model, a.completed_at IS NOT NULL
            FROM pairs p JOIN pair_assignments a ON a.pair_id = p.id
            JOIN responses ra ON ra.id = p.response_a_id JOIN responses rb ON rb.id = p.response_b_id
            WHERE p.study_id = @StudyId AND a.rater_id NOT IN {JudgeRaters.OfStudy}
            """, parameters, transaction, cancellationToken: ct))).AsList();
        var axes = (await connection.QueryAsync<(string Slug, string Question, long Votes)>(new CommandDefinition($"""
            SELECT x.slug, x.question,
                   (SELECT COUNT(*) FROM pairs p JOIN pair_votes v ON v.pair_id = p.id
                    WHERE p.study_id = @StudyId AND v.axis_id = x.id AND v.status = 'submitted' AND v.choice IS NOT NULL
                      AND v.rater_id NOT IN {JudgeRaters.OfStudy})
            FROM pairwise_axes x WHERE x.study_id = @StudyId ORDER BY x.position, x.id
            """, parameters, transaction, cancellationToken: ct))).AsList();
        var raters = assignments.GroupBy(a => a.RaterId).ToDictionary(g => g.Key, g => new RaterCounts(g.Count(), g.Count(a => a.Done)));
        var pairsOfModels = assignments.GroupBy(a => $"{a.ModelA} – {a.ModelB}")
            .Select(g => new GroupProgress { Key = g.Key, Label = g.Key, Assigned = g.Count(), Done = g.Count(a => a.Done) })
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        return new ProgressCounts(raters, pairsOfModels,
            axes.Select(x => new GroupProgress { Key = x.Slug, Label = x.Question, Assigned = assignments.Count, Done = x.Votes }).ToList(), version);
    }

    /// <summary>The bundle ids of the given responses of the study, to name the items raters have open (a large study
    /// has 100,000 responses: never load them all for a handful of names).</summary>
    public async Task<IReadOnlyDictionary<long, string>> ResponseSlugsAsync(long studyId, IReadOnlyCollection<long> responseIds, CancellationToken ct = default)
    {
        if (responseIds.Count == 0) return new Dictionary<long, string>();
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Slug)>(new CommandDefinition(
            $"SELECT id, slug FROM responses WHERE study_id = @StudyId AND {ListParameter.In(connection, "id", "@Ids")}",
            new { StudyId = studyId, Ids = responseIds.ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => r.Slug);
    }

    /// <summary>The latest submissions (of responses, and of side-by-side pairs through the study's pairs), judges'
    /// batches and state changes, newest first. A submission imported from a bundle is left out: its time is the
    /// import's, not the rater's. A judge's work is one entry per import or burst of API
    /// submissions (<see cref="Judges.JudgeBatch"/>), never one per response. Driven by the browser's history rows (index rating_history_web), not by
    /// the study's assignments: an imported study has millions of those and none of these.</summary>
    public async Task<IReadOnlyList<ActivityEntry>> RecentActivityAsync(long studyId, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ActivityEntry>(new CommandDefinition($"""
            SELECT at, kind, who, subject, count, batch FROM (
                SELECT a.completed_at AS at, 'submitted' AS kind, u.display_name AS who, r.slug AS subject, 0 AS count, CAST(NULL AS BIGINT) AS batch
                FROM (SELECT DISTINCT g.response_id, g.rater_id FROM rating_history h JOIN ratings g ON g.id = h.rating_id
                      WHERE h.source = 'web') AS w
                JOIN assignments a ON a.response_id = w.response_id AND a.rater_id = w.rater_id
                JOIN users u ON u.id = a.rater_id JOIN responses r ON r.id = a.response_id
                WHERE a.study_id = @StudyId AND a.completed_at IS NOT NULL AND a.rater_id NOT IN {JudgeRaters.OfStudy}
                UNION ALL
                SELECT a.completed_at, 'pair', u.display_name, p.handle, 0, NULL
                FROM pairs p JOIN pair_assignments a ON a.pair_id = p.id JOIN users u ON u.id = a.rater_id
                WHERE p.study_id = @StudyId AND a.completed_at IS NOT NULL AND a.rater_id NOT IN {JudgeRaters.OfStudy}
                  AND EXISTS (SELECT 1 FROM pair_votes v JOIN pair_vote_history h ON h.vote_id = v.id
                              WHERE v.pair_id = a.pair_id AND v.rater_id = a.rater_id AND h.source = 'web')
                UNION ALL
                SELECT s.changed_at, 'state', u.display_name, CASE WHEN s.paused THEN 'paused' ELSE s.state END, 0, NULL
                FROM study_state_changes s LEFT JOIN users u ON u.id = s.changed_by
                WHERE s.study_id = @StudyId
                UNION ALL
                SELECT b.ended_at, 'judge', j.name, b.source, b.responses, b.id
                FROM judge_batches b JOIN judges j ON j.user_id = b.judge_id
                WHERE b.study_id = @StudyId
            ) AS activity ORDER BY at DESC LIMIT @Limit
            """, new { StudyId = studyId, Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }
}
