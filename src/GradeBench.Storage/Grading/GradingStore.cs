using Dapper;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

using GradeBench.Storage.Dashboard;

namespace GradeBench.Storage.Grading;

public sealed record QueueEntry
{
    public long ResponseId { get; init; }
    /// <summary>The name the rater sees (<see cref="ResponseHandle"/>).</summary>
    public string Handle { get; init; } = "";
    public long QueuePosition { get; init; }
    public bool Done { get; init; }
}

/// <summary>One response as its rater sees it. <see cref="Model"/> is null when the study hides models, so a
/// blinded model name never leaves the server. <see cref="Language"/> is the case's language tag (the study's when the
/// case names none): the case and its answers are written in it.</summary>
public sealed record GradingItem(
    long ResponseId,
    string CaseTitle,
    string PresentationMd,
    string QuestionMd,
    string ContentMd,
    string? Model,
    bool Done,
    IReadOnlyDictionary<string, string> Values,
    string Language)
{
    /// <summary>The only name of the response the rater's browser receives (<see cref="ResponseHandle"/>).</summary>
    public string Handle { get; init; } = "";

    /// <summary>By criterion id, the comment stored beside a value: a judge's explanation (or a pilot rating's comment).</summary>
    public IReadOnlyDictionary<string, string> Explanations { get; init; } = new Dictionary<string, string>();

    /// <summary>The checklist of the response's case, in order (empty: none): criteria marked met (<c>true</c>) or not,
    /// each required, their marks in <see cref="Values"/> by criterion id beside the rubric's.</summary>
    public IReadOnlyList<CaseCriterion> Checklist { get; init; } = [];

    /// <summary>The case's database id: its clinical note's passages are the rater's by case. Never sent to the browser.</summary>
    public long CaseId { get; init; }

    /// <summary>The item is a case of a note-only study (<see cref="Notes.NoteItems"/>): its note is all there is to read.</summary>
    public bool NoteOnly { get; init; }
}

/// <summary><see cref="NotRater"/>: the writer is no longer a rater (or judge) of the study (removed, or their account disabled).
/// <see cref="Frozen"/>: the rater has seen other raters' values for the response (<see cref="RatingReveals"/>).</summary>
public enum RatingWriteOutcome { Saved, NotRater, NotAssigned, StudyNotOpen, StudyPaused, Invalid, Frozen }

/// <summary>Problems are keyed by criterion id, one message each. <see cref="Submitted"/>: the saved rating is a
/// submitted one and this call wrote it (first submission or a change to it, not a repeat), which the live views announce.</summary>
public sealed record RatingWriteResult(RatingWriteOutcome Outcome, IReadOnlyDictionary<string, Message> Problems, bool Submitted = false)
{
    /// <summary>This call changed something (a value or the status), so the rater's other tabs have a newer version to show.</summary>
    public bool Wrote { get; init; }

    public static readonly IReadOnlyDictionary<string, Message> NoProblems = new Dictionary<string, Message>();

    /// <summary>The safety alerts this save raised (a submitted value matching the study's safety rule, once per rater ×
    /// response × criterion), committed with the rating.</summary>
    public IReadOnlyList<SafetyAlert> SafetyAlerts { get; init; } = [];

    /// <summary>What a submitted save that wrote changed in the dashboard's counts; null otherwise (and for a judge,
    /// whose work the dashboard does not count).</summary>
    public ProgressDelta? Progress { get; init; }

    /// <summary>The writer is one of the study's LLM judges: its submissions are summarised, not announced one by one.</summary>
    public bool ByJudge { get; init; }

    /// <summary>For a judge's submission that wrote, the burst it counts in (the activity feed's line).</summary>
    public Judges.JudgeBatch? JudgeBatch { get; init; }
}

/// <summary>A rater's own work: their queue, the items assigned to them, and their ratings. Every method takes the
/// rater's user id and answers only about that rater's assignments, so callers cannot reach another rater's data.</summary>
/// <summary>Where a rater stands in their queue: progress, the current item's place and its neighbours.</summary>
public sealed record QueuePosition
{
    public long Assigned { get; init; }
    public long Done { get; init; }
    public long? Current { get; init; }
    /// <summary>0-based place of <see cref="Current"/> in the queue.</summary>
    public long Index { get; init; }
    /// <summary>Handles (the addresses the rater follows) of the items before and after <see cref="Current"/>.</summary>
    public string? Previous { get; init; }
    public string? Next { get; init; }
}

public sealed class GradingStore(Database database, RubricQuery rubric, TimeProvider clock)
{
    /// <summary>Progress and neighbours of the response <paramref name="handle"/> names in the rater's queue (default:
    /// the first item not done, else the first). Index lookups only, so it costs the same for ten responses or a million.</summary>
    public async Task<QueuePosition> PositionAsync(long studyId, long raterId, string? handle, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        long? responseId = handle is null ? null : await ResponseHandles.ResponseIdAsync(connection, studyId, handle, ct) ?? 0;
        var keys = new { StudyId = studyId, RaterId = raterId, ResponseId = responseId };
        // Both counts come from the covering index assignments_queue alone.
        var counts = await connection.QuerySingleAsync<(long Assigned, long Open)>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM assignments WHERE rater_id = @RaterId AND study_id = @StudyId),
                   (SELECT COUNT(*) FROM assignments WHERE rater_id = @RaterId AND study_id = @StudyId AND completed_at IS NULL)
            """, keys, cancellationToken: ct));
        var done = counts.Assigned - counts.Open;
        var here = await connection.QuerySingleOrDefaultAsync<Place>(new CommandDefinition(responseId is null
            ? """
              SELECT response_id, queue_position FROM assignments WHERE rater_id = @RaterId AND study_id = @StudyId AND completed_at IS NULL
              ORDER BY queue_position, response_id LIMIT 1
              """
            : """
              SELECT response_id, queue_position FROM assignments WHERE rater_id = @RaterId AND study_id = @StudyId AND response_id = @ResponseId
              """, keys, cancellationToken: ct));
        if (here is null && responseId is null)
            here = await connection.QuerySingleOrDefaultAsync<Place>(new CommandDefinition("""
                SELECT response_id, queue_position FROM assignments WHERE rater_id = @RaterId AND study_id = @StudyId
                ORDER BY queue_position, response_id LIMIT 1
                """, keys, cancellationToken: ct));
        if (here is null) return new QueuePosition { Assigned = counts.Assigned, Done = done };
        var around = new { StudyId = studyId, RaterId = raterId, here.ResponseId, here.QueuePosition };
        var index = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT COUNT(*) FROM assignments WHERE rater_id = @RaterId AND study_id = @StudyId
              AND (queue_position, response_id) < (@QueuePosition, @ResponseId)
            """, around, cancellationToken: ct));
        var previous = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT (SELECT handle FROM responses WHERE id = a.response_id) FROM assignments a WHERE rater_id = @RaterId AND study_id = @StudyId
              AND (queue_position, response_id) < (@QueuePosition, @ResponseId)
            ORDER BY queue_position DESC, response_id DESC LIMIT 1
            """, around, cancellationToken: ct));
        var next = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT (SELECT handle FROM responses WHERE id = a.response_id) FROM assignments a WHERE rater_id = @RaterId AND study_id = @StudyId
              AND (queue_position, response_id) > (@QueuePosition, @ResponseId)
            ORDER BY queue_position, response_id LIMIT 1
            """, around, cancellationToken: ct));
        return new QueuePosition
        {
            Assigned = counts.Assigned, Done = done, Current = here.ResponseId, Index = index, Previous = previous, Next = next,
        };
    }

    sealed class Place
    {
        public long ResponseId { get; init; }
        public long QueuePosition { get; init; }
    }

    /// <summary>The handle of the first item not done after <paramref name="responseId"/> in queue order, wrapping
    /// around; null when all are done.</summary>
    public async Task<string?> NextUndoneAsync(long studyId, long raterId, long responseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT (SELECT handle FROM responses WHERE id = a.response_id) FROM assignments a, assignments here
            WHERE here.rater_id = @RaterId AND here.study_id = @StudyId AND here.response_id = @ResponseId
              AND a.rater_id = @RaterId AND a.study_id = @StudyId AND a.completed_at IS NULL
            ORDER BY (a.queue_position < here.queue_position OR (a.queue_position = here.queue_position AND a.response_id <= here.response_id)),
                     a.queue_position, a.response_id
            LIMIT 1
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<QueueEntry>> QueueAsync(long studyId, long raterId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<QueueEntry>(new CommandDefinition("""
            SELECT a.response_id, r.handle, a.queue_position, a.completed_at IS NOT NULL AS done
            FROM assignments a JOIN responses r ON r.id = a.response_id WHERE a.study_id = @StudyId AND a.rater_id = @RaterId
            ORDER BY a.queue_position, a.response_id
            """, new { StudyId = studyId, RaterId = raterId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The response <paramref name="handle"/> names if it is assigned to this rater, else null.</summary>
    public async Task<long?> AssignedResponseIdAsync(long studyId, long raterId, string? handle, CancellationToken ct = default)
    {
        if (!ResponseHandle.TryParse(handle, out _)) return null;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            SELECT a.response_id FROM assignments a JOIN responses r ON r.id = a.response_id
            WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND r.handle = @Handle
            """, new { StudyId = studyId, RaterId = raterId, Handle = handle }, cancellationToken: ct));
    }

    /// <summary>The item the response <paramref name="handle"/> names if it is assigned to this rater, else null.</summary>
    public async Task<GradingItem?> LoadItemAsync(long studyId, long raterId, string handle, CancellationToken ct = default)
    {
        long? responseId;
        await using (var connection = await database.OpenAsync(ct))
            responseId = await ResponseHandles.ResponseIdAsync(connection, studyId, handle, ct);
        return responseId is { } id ? await LoadItemAsync(studyId, raterId, id, ct) : null;
    }

    /// <summary>The item if it is assigned to this rater, else null.</summary>
    public async Task<GradingItem?> LoadItemAsync(long studyId, long raterId, long responseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AssignedResponseRow>(new CommandDefinition(
            AssignedResponseRow.Sql + " AND a.response_id = @ResponseId",
            new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, cancellationToken: ct));
        if (row is null) return null;
        var values = (await connection.QueryAsync<(string Slug, string? Value, string? Comment)>(new CommandDefinition("""
            SELECT c.slug, g.value, g.comment FROM ratings g JOIN criteria c ON c.id = g.criterion_id
            WHERE g.response_id = @ResponseId AND g.rater_id = @RaterId AND (g.value IS NOT NULL OR g.comment IS NOT NULL)
            """, new { ResponseId = responseId, RaterId = raterId }, cancellationToken: ct))).AsList();
        var checklist = await ChecklistQuery.OfResponseAsync(connection, null, responseId, ct);
        return new GradingItem(row.ResponseId, row.CaseTitle, row.PresentationMd, row.QuestionMd, row.ContentMd,
            row.RaterModel, row.Done, values.Where(v => v.Value is not null).ToDictionary(v => v.Slug, v => v.Value!), row.Language)
        {
            Handle = row.Handle,
            CaseId = row.CaseId,
            Explanations = values.Where(v => v.Comment is not null).ToDictionary(v => v.Slug, v => v.Comment!),
            Checklist = [.. checklist.Select(c => c.Criterion)],
            NoteOnly = row.Model == Notes.NoteItems.Model,
        };
    }

    sealed class StoredRating
    {
        public long Id { get; init; }
        public long CriterionId { get; init; }
        public string? Value { get; init; }
        public string? Comment { get; init; }
        public string Status { get; init; } = "";
    }

    /// <summary>Saves some criteria of a rater's rating of one response (null or empty clears a value); with
    /// <paramref name="submit"/> the whole rating is checked for required criteria and recorded as submitted. The
    /// criteria are the rubric's and the checklist of the response's case (its marks: every one required), by id; another
    /// case's criterion is unknown here.
    /// One transaction, durable on return; every change, and only a change, is appended to the history, so
    /// repeating a request is harmless. A submitted rating stays submitted when changed (until the study closes).
    /// A judge writes the same way; its values raise no safety alert and change none of the dashboard's counts.</summary>
    /// <param name="explanations">By criterion id, the writer's explanation of its value, stored beside it
    /// (<c>ratings.comment</c>; empty clears one); criteria not named keep theirs. The API's judges send them.</param>
    public async Task<RatingWriteResult> SaveAsync(long studyId, long raterId, long responseId, IReadOnlyDictionary<string, string?> values,
        bool submit, CancellationToken ct = default, IReadOnlyDictionary<string, string?>? explanations = null)
    {
        var rubricCriteria = await rubric.LoadAsync(studyId, ct);
        IReadOnlyList<(long Id, Criterion Criterion)> criteria = rubricCriteria;
        await using (var lookup = await database.OpenAsync(ct))
        {
            var checklist = await ChecklistQuery.OfResponseAsync(lookup, null, responseId, ct, (studyId, raterId));
            if (checklist.Count > 0) criteria = [.. rubricCriteria, .. checklist.Select(c => (c.Id, c.Criterion.AsCriterion()))];
        }
        var (changes, problems) = RubricValues.Check(criteria, values);
        var explained = new Dictionary<long, string?>();
        foreach (var (slug, explanation) in explanations ?? new Dictionary<string, string?>())
        {
            var match = criteria.FirstOrDefault(c => c.Criterion.Id == slug);
            if (match.Criterion is null) problems.TryAdd(slug, new Message("Value_NoSuchCriterion"));
            else if (explanation?.Length > Criterion.MaxTextLength) problems.TryAdd(slug, new Message("Value_TooLong", Criterion.MaxTextLength));
            else explained[match.Id] = string.IsNullOrWhiteSpace(explanation) ? null : explanation;
        }
        if (problems.Count > 0) return new RatingWriteResult(RatingWriteOutcome.Invalid, problems);

        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        // An assignment outlives a removal (work begun stays on record), so standing is checked, not only the assignment.
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, raterId, ct) is not { } access || !StudyRoles.Rates(access.Role))
            return new RatingWriteResult(RatingWriteOutcome.NotRater, RatingWriteResult.NoProblems);
        var byJudge = access.Role == StudyRoles.Judge;
        var study = await connection.QuerySingleOrDefaultAsync<(string State, bool Paused)>(
            "SELECT state, paused FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction);
        var assigned = await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM assignments WHERE study_id = @StudyId AND rater_id = @RaterId AND response_id = @ResponseId
            """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId }, transaction);
        if (assigned == 0) return new RatingWriteResult(RatingWriteOutcome.NotAssigned, RatingWriteResult.NoProblems);
        if (study.State != "open") return new RatingWriteResult(RatingWriteOutcome.StudyNotOpen, RatingWriteResult.NoProblems);
        if (study.Paused) return new RatingWriteResult(RatingWriteOutcome.StudyPaused, RatingWriteResult.NoProblems);
        if (await RatingReveals.IsFrozenAsync(connection, transaction, studyId, raterId, responseId)) return new RatingWriteResult(RatingWriteOutcome.Frozen, RatingWriteResult.NoProblems);

        var stored = (await connection.QueryAsync<StoredRating>("""
            SELECT id, criterion_id, value, comment, status FROM ratings WHERE response_id = @ResponseId AND rater_id = @RaterId
            """, new { ResponseId = responseId, RaterId = raterId }, transaction)).ToDictionary(r => r.CriterionId);
        var wasSubmitted = stored.Values.Any(r => r.Status == "submitted");

        if (submit || wasSubmitted)
        {
            var merged = stored.Values.Where(r => r.Value is not null).Select(r => r.CriterionId).ToHashSet();
            foreach (var (criterionId, value) in changes)
                if (value is null) merged.Remove(criterionId); else merged.Add(criterionId);
            RubricValues.RequireAll(criteria, merged, problems);
            if (problems.Count > 0) return new RatingWriteResult(RatingWriteOutcome.Invalid, problems);
        }

        var status = submit || wasSubmitted ? "submitted" : "draft";
        var touched = changes.ToDictionary(c => c.CriterionId, c => c.Value);
        foreach (var criterionId in explained.Keys)
            if (!touched.ContainsKey(criterionId)) touched[criterionId] = stored.GetValueOrDefault(criterionId)?.Value;
        if (status == "submitted")
            foreach (var (criterionId, rating) in stored)
                touched.TryAdd(criterionId, rating.Value);
        // A repeated request writes nothing and, having changed nothing, is not announced as a submission either.
        var wrote = false;
        foreach (var (criterionId, value) in touched)
        {
            var before = stored.GetValueOrDefault(criterionId);
            var comment = explained.TryGetValue(criterionId, out var explanation) ? explanation : before?.Comment;
            if (before is not null && before.Value == value && before.Status == status && before.Comment == comment) continue;
            wrote = true;
            if (before is not null) await RatingHistory.RecordImportedAsync(connection, transaction, before.Id);
            var ratingId = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO ratings (response_id, rater_id, criterion_id, value, comment, status, updated_at, submitted_at)
                VALUES (@ResponseId, @RaterId, @CriterionId, @Value, @Comment, @Status, @Now, CASE WHEN @Status = 'submitted' THEN @Now END)
                ON CONFLICT (response_id, rater_id, criterion_id) DO UPDATE SET
                    value = excluded.value, comment = excluded.comment, status = excluded.status, updated_at = excluded.updated_at,
                    submitted_at = COALESCE(ratings.submitted_at, excluded.submitted_at)
                RETURNING id
                """, new { ResponseId = responseId, RaterId = raterId, CriterionId = criterionId, Value = value, Comment = comment, Status = status, Now = now }, transaction);
            // The line carries the comment the rating now has (a pilot rating's, or a judge's explanation), as history.csv shows it.
            await connection.ExecuteAsync("""
                INSERT INTO rating_history (rating_id, value, comment, status, source, recorded_at, recorded_by)
                VALUES (@RatingId, @Value, @Comment, @Status, 'web', @Now, @RaterId)
                """, new { RatingId = ratingId, Value = value, Comment = comment, Status = status, Now = now, RaterId = raterId }, transaction);
        }
        IReadOnlyList<SafetyAlert> alerts = [];
        ProgressDelta? progress = null;
        Judges.JudgeBatch? judgeBatch = null;
        if (status == "submitted")
        {
            var completed = await connection.ExecuteAsync("""
                UPDATE assignments SET completed_at = @Now
                WHERE study_id = @StudyId AND rater_id = @RaterId AND response_id = @ResponseId AND completed_at IS NULL
                """, new { StudyId = studyId, RaterId = raterId, ResponseId = responseId, Now = now }, transaction) > 0;
            // Finishing the item is a change even when no value changed: a note-only study's items have no criteria (Done).
            wrote |= completed;
            // Safety escalation and adjudication are the physicians' (docs/setup.md, "Judges").
            if (!byJudge) alerts = await RaiseSafetyAlertsAsync(connection, transaction, studyId, raterId, responseId, rubricCriteria, touched, now);
            if (wrote && byJudge)
            {
                await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
                judgeBatch = await Judges.JudgeBatches.RecordSubmissionAsync(connection, transaction, studyId, raterId, now);
            }
            else if (wrote)
            {
                var version = await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
                var model = await connection.ExecuteScalarAsync<string>("SELECT model FROM responses WHERE id = @ResponseId", new { ResponseId = responseId }, transaction);
                progress = new ProgressDelta(version, raterId, model!, completed, SubmittedValueChanges(rubricCriteria, stored, touched));
            }
        }
        await transaction.CommitAsync(ct);
        return new RatingWriteResult(RatingWriteOutcome.Saved, RatingWriteResult.NoProblems, status == "submitted" && wrote)
        {
            SafetyAlerts = alerts, Wrote = wrote, Progress = progress, ByJudge = byJudge, JudgeBatch = judgeBatch,
        };
    }

    /// <summary>By rubric criterion slug, +1 where a submitted save gave a value a criterion had not had submitted, -1 where it
    /// cleared one: the dashboard's count of submitted values (<see cref="ProgressCounts.After"/>), which leaves marks out.</summary>
    static Dictionary<string, int> SubmittedValueChanges(IReadOnlyList<(long Id, Criterion Criterion)> criteria,
        Dictionary<long, StoredRating> before, Dictionary<long, string?> after)
    {
        var changes = new Dictionary<string, int>();
        foreach (var (id, criterion) in criteria)
        {
            var had = before.TryGetValue(id, out var stored) && stored is { Status: "submitted", Value: not null };
            var has = after.GetValueOrDefault(id) is not null;
            if (had != has) changes[criterion.Id] = has ? 1 : -1;
        }
        return changes;
    }

    /// <summary>Records an alert for each submitted value that matches the safety rule and has none yet.</summary>
    static async Task<IReadOnlyList<SafetyAlert>> RaiseSafetyAlertsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        long studyId, long raterId, long responseId, IReadOnlyList<(long Id, Criterion Criterion)> criteria, Dictionary<long, string?> values, DateTimeOffset now)
    {
        var settings = await StoredSettings.LoadAsync(connection, transaction, studyId, criteria);
        var severe = criteria.Where(c => settings.IsSafetyValue(c.Criterion.Id, values.GetValueOrDefault(c.Id))).ToList();
        if (severe.Count == 0) return [];
        var raised = new List<long>();
        foreach (var (criterionId, _) in severe)
            raised.AddRange(await connection.QueryAsync<long>("""
                INSERT INTO safety_alerts (study_id, response_id, rater_id, criterion_id, value, raised_at)
                VALUES (@StudyId, @ResponseId, @RaterId, @CriterionId, @Value, @Now)
                ON CONFLICT (response_id, rater_id, criterion_id) DO NOTHING
                RETURNING id
                """, new { StudyId = studyId, ResponseId = responseId, RaterId = raterId, CriterionId = criterionId, Value = values[criterionId], Now = now }, transaction));
        return raised.Count == 0 ? [] : await SafetyAlertStore.LoadAsync(connection, transaction, raised);
    }
}
