using System.Data.Common;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Pairwise;

/// <summary>One pair in a rater's queue, named by its <see cref="Handle"/> (16 hex digits, as a response handle).</summary>
public sealed record PairQueueEntry
{
    public long PairId { get; init; }
    public string Handle { get; init; } = "";
    public long QueuePosition { get; init; }
    public bool Done { get; init; }
}

/// <summary>One of the two answers of a pair as its rater sees it: its response handle, its text, and its model, null
/// when the study hides models (<see cref="Blinding"/>). <see cref="ResponseId"/> is for the server's own use (the
/// rater's highlights are kept by response), never for the browser.</summary>
public sealed record PairAnswer(string Handle, string ContentMd, string? Model)
{
    public long ResponseId { get; init; }
}

/// <summary>What a live view announces of a submitted judgement: who submitted it and their progress on pairs.</summary>
public sealed record PairSubmissionFacts
{
    public required string RaterName { get; init; }
    public long RaterDone { get; init; }
    public long RaterAssigned { get; init; }
}

/// <summary>One pair as its rater sees it: the case (in <see cref="Language"/>, the case's or else the study's), the
/// answer on the <see cref="Left"/> and the one on the <see cref="Right"/> as the rater's assignment places them, the
/// study's axes and reason tags, and the rater's judgement so far: <see cref="Choices"/> by axis id, <b>shown by side</b>
/// (the stored A/B turned into left/right for this rater), the reasons ticked, the comment. <see cref="Done"/>: the
/// judgement is submitted. No bundle id (they often name the model) and no model the study hides leaves here.</summary>
public sealed record PairItem
{
    public long PairId { get; init; }
    public string Handle { get; init; } = "";
    public string CaseTitle { get; init; } = "";
    /// <summary>The case's database id: its clinical note's passages are the rater's by case. Never sent to the browser.</summary>
    public long CaseId { get; init; }
    public string PresentationMd { get; init; } = "";
    public string QuestionMd { get; init; } = "";
    public string Language { get; init; } = "";
    public required PairAnswer Left { get; init; }
    public required PairAnswer Right { get; init; }
    public IReadOnlyList<PairwiseAxis> Axes { get; init; } = [];
    public IReadOnlyList<PairwiseReasonTag> Reasons { get; init; } = [];
    public IReadOnlyDictionary<string, PairwiseChoice> Choices { get; init; } = new Dictionary<string, PairwiseChoice>();
    /// <summary>Reason ids, in the study's order.</summary>
    public IReadOnlyList<string> ReasonsTicked { get; init; } = [];
    public string? Comment { get; init; }
    public bool Done { get; init; }
}

/// <summary>What a rater sends for a pair. <see cref="Choices"/>: by axis id, the side chosen as shown to them (null
/// clears it); axes not named keep their vote. <see cref="Reasons"/>: the reason ids ticked, replacing those saved; null
/// leaves them. <see cref="Comment"/>: replaces the saved comment (blank clears it); null leaves it, so a save of votes
/// never overwrites text the rater is typing elsewhere.</summary>
public sealed record PairJudgement
{
    public IReadOnlyDictionary<string, PairwiseChoice?> Choices { get; init; } = new Dictionary<string, PairwiseChoice?>();
    public IReadOnlyList<string>? Reasons { get; init; }
    public string? Comment { get; init; }
}

/// <summary><see cref="NotRater"/>: the writer is not (or no longer) a rater of the study; <see cref="NotAssigned"/>:
/// the pair is not theirs (or no pair has the handle); <see cref="Frozen"/>: the pair's adjudication item has shown
/// them the other raters' votes (<see cref="RatingReveals.IsPairFrozenAsync(long, long, long, CancellationToken)"/>).</summary>
public enum PairWriteOutcome { Saved, NotRater, NotAssigned, StudyNotOpen, StudyPaused, Invalid, Frozen }

/// <summary>The outcome of <see cref="PairwiseStore.SaveAsync"/>. Problems, when <see cref="PairWriteOutcome.Invalid"/>:
/// by axis id (<see cref="AxisProblems"/>), for the reasons ticked, for the comment. <see cref="Submitted"/>: the saved
/// judgement is submitted and this call wrote it (first submission or a change), which live views announce;
/// <see cref="Wrote"/>: this call changed something, so the rater's other tabs have a newer version to show.</summary>
public sealed record PairWriteResult(PairWriteOutcome Outcome)
{
    public IReadOnlyDictionary<string, Message> AxisProblems { get; init; } = new Dictionary<string, Message>();
    public Message? ReasonsProblem { get; init; }
    public Message? CommentProblem { get; init; }
    public bool Submitted { get; init; }
    public bool Wrote { get; init; }
}

/// <summary>A rater's own work in a side-by-side study (docs/grading.md, "Side-by-side pairs"): their queue of pairs,
/// a pair as they see it, and their votes. Every method takes the rater's user id and answers only about that rater's
/// pair assignments. Votes come in by the side the rater saw and are stored by model (A, B: <see cref="PairSides"/>),
/// with the sides of the rater's assignment.</summary>
public sealed class PairwiseStore(Database database, TimeProvider clock)
{
    /// <summary>The problem of an axis left without a choice in a submitted judgement.</summary>
    public static readonly Message ChoiceRequired = new("Vote_Required");

    /// <summary>Whether the study is a side-by-side one (<c>studies.design</c>).</summary>
    public async Task<bool> IsPairwiseAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT design FROM studies WHERE id = @StudyId", new { StudyId = studyId }, cancellationToken: ct)) == "pairwise";
    }

    /// <summary>The rater's pairs in queue order, done or not.</summary>
    public async Task<IReadOnlyList<PairQueueEntry>> QueueAsync(long studyId, long raterId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<PairQueueEntry>(new CommandDefinition("""
            SELECT a.pair_id, p.handle, a.queue_position, a.completed_at IS NOT NULL AS done
            FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id WHERE a.study_id = @StudyId AND a.rater_id = @RaterId
            ORDER BY a.queue_position, a.pair_id
            """, new { StudyId = studyId, RaterId = raterId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Progress and neighbours of the pair <paramref name="handle"/> names in the rater's queue (default: the
    /// first pair not done, else the first), as <see cref="GradingStore.PositionAsync"/> gives them for single answers;
    /// <see cref="QueuePosition.Current"/> is the pair's id, <see cref="QueuePosition.Previous"/> and
    /// <see cref="QueuePosition.Next"/> pair handles. Index lookups only.</summary>
    public async Task<QueuePosition> PositionAsync(long studyId, long raterId, string? handle, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        long? pairId = handle is null ? null : await PairIdAsync(connection, studyId, handle, ct) ?? 0;
        var keys = new { StudyId = studyId, RaterId = raterId, PairId = pairId };
        var counts = await connection.QuerySingleAsync<(long Assigned, long Open)>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM pair_assignments WHERE rater_id = @RaterId AND study_id = @StudyId),
                   (SELECT COUNT(*) FROM pair_assignments WHERE rater_id = @RaterId AND study_id = @StudyId AND completed_at IS NULL)
            """, keys, cancellationToken: ct));
        var done = counts.Assigned - counts.Open;
        var here = await connection.QuerySingleOrDefaultAsync<Place>(new CommandDefinition(pairId is null
            ? """
              SELECT pair_id, queue_position FROM pair_assignments WHERE rater_id = @RaterId AND study_id = @StudyId AND completed_at IS NULL
              ORDER BY queue_position, pair_id LIMIT 1
              """
            : """
              SELECT pair_id, queue_position FROM pair_assignments WHERE rater_id = @RaterId AND study_id = @StudyId AND pair_id = @PairId
              """, keys, cancellationToken: ct));
        if (here is null && pairId is null)
            here = await connection.QuerySingleOrDefaultAsync<Place>(new CommandDefinition("""
                SELECT pair_id, queue_position FROM pair_assignments WHERE rater_id = @RaterId AND study_id = @StudyId
                ORDER BY queue_position, pair_id LIMIT 1
                """, keys, cancellationToken: ct));
        if (here is null) return new QueuePosition { Assigned = counts.Assigned, Done = done };
        var around = new { StudyId = studyId, RaterId = raterId, here.PairId, here.QueuePosition };
        var index = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT COUNT(*) FROM pair_assignments WHERE rater_id = @RaterId AND study_id = @StudyId
              AND (queue_position, pair_id) < (@QueuePosition, @PairId)
            """, around, cancellationToken: ct));
        var previous = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT (SELECT handle FROM pairs WHERE id = a.pair_id) FROM pair_assignments a WHERE rater_id = @RaterId AND study_id = @StudyId
              AND (queue_position, pair_id) < (@QueuePosition, @PairId)
            ORDER BY queue_position DESC, pair_id DESC LIMIT 1
            """, around, cancellationToken: ct));
        var next = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT (SELECT handle FROM pairs WHERE id = a.pair_id) FROM pair_assignments a WHERE rater_id = @RaterId AND study_id = @StudyId
              AND (queue_position, pair_id) > (@QueuePosition, @PairId)
            ORDER BY queue_position, pair_id LIMIT 1
            """, around, cancellationToken: ct));
        return new QueuePosition
        {
            Assigned = counts.Assigned, Done = done, Current = here.PairId, Index = index, Previous = previous, Next = next,
        };
    }

    sealed class Place
    {
        public long PairId { get; init; }
        public long QueuePosition { get; init; }
    }

    /// <summary>The handle of the first pair not done after <paramref name="pairId"/> in the rater's queue order,
    /// wrapping around; null when all are done.</summary>
    public async Task<string?> NextUndoneAsync(long studyId, long raterId, long pairId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT (SELECT handle FROM pairs WHERE id = a.pair_id) FROM pair_assignments a, pair_assignments here
            WHERE here.rater_id = @RaterId AND here.study_id = @StudyId AND here.pair_id = @PairId
              AND a.rater_id = @RaterId AND a.study_id = @StudyId AND a.completed_at IS NULL
            ORDER BY (a.queue_position < here.queue_position OR (a.queue_position = here.queue_position AND a.pair_id <= here.pair_id)),
                     a.queue_position, a.pair_id
            LIMIT 1
            """, new { StudyId = studyId, RaterId = raterId, PairId = pairId }, cancellationToken: ct));
    }

    /// <summary>The pair <paramref name="handle"/> names if it is assigned to this rater, else null.</summary>
    public async Task<long?> AssignedPairIdAsync(long studyId, long raterId, string? handle, CancellationToken ct = default)
    {
        if (!ResponseHandle.TryParse(handle, out _)) return null;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            SELECT a.pair_id FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id
            WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND p.study_id = @StudyId AND p.handle = @Handle
            """, new { StudyId = studyId, RaterId = raterId, Handle = handle }, cancellationToken: ct));
    }

    /// <summary>The pair <paramref name="handle"/> names if it is assigned to this rater, else null.</summary>
    public async Task<PairItem?> LoadItemAsync(long studyId, long raterId, string handle, CancellationToken ct = default) =>
        await AssignedPairIdAsync(studyId, raterId, handle, ct) is { } pairId ? await LoadItemAsync(studyId, raterId, pairId, ct) : null;

    sealed class AssignedPairRow
    {
        public long PairId { get; init; }
        public string Handle { get; init; } = "";
        public long CaseId { get; init; }
        public bool Done { get; init; }
        public string? ReasonsJson { get; init; }
        public string? Comment { get; init; }
        public string CaseTitle { get; init; } = "";
        public string PresentationMd { get; init; } = "";
        public string QuestionMd { get; init; } = "";
        public string Language { get; init; } = "";
        public bool HideModel { get; init; }
        public bool AOnLeft { get; init; }
        public long LeftId { get; init; }
        public string LeftHandle { get; init; } = "";
        public string LeftContentMd { get; init; } = "";
        public string LeftModel { get; init; } = "";
        public long RightId { get; init; }
        public string RightHandle { get; init; } = "";
        public string RightContentMd { get; init; } = "";
        public string RightModel { get; init; } = "";
    }

    /// <summary>The pair if it is assigned to this rater, else null.</summary>
    public async Task<PairItem?> LoadItemAsync(long studyId, long raterId, long pairId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AssignedPairRow>(new CommandDefinition("""
            SELECT a.pair_id, p.handle, p.case_id, a.completed_at IS NOT NULL AS done, a.reasons_json, a.comment,
                   c.title AS case_title, c.presentation_md, c.question_md, COALESCE(c.language, s.language) AS language, s.hide_model,
                   a.left_response_id = p.response_a_id AS a_on_left,
                   l.id AS left_id, l.handle AS left_handle, l.content_md AS left_content_md, l.model AS left_model,
                   r.id AS right_id, r.handle AS right_handle, r.content_md AS right_content_md, r.model AS right_model
            FROM pair_assignments a
            JOIN pairs p ON p.id = a.pair_id
            JOIN cases c ON c.id = p.case_id
            JOIN studies s ON s.id = a.study_id
            JOIN responses l ON l.id = a.left_response_id
            JOIN responses r ON r.id = CASE WHEN a.left_response_id = p.response_a_id THEN p.response_b_id ELSE p.response_a_id END
            WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND a.pair_id = @PairId
            """, new { StudyId = studyId, RaterId = raterId, PairId = pairId }, cancellationToken: ct));
        if (row is null) return null;
        var questions = await PairwiseQuestions.LoadAsync(connection, null, studyId, ct);
        var votes = await connection.QueryAsync<(string Slug, string Choice)>(new CommandDefinition("""
            SELECT x.slug, v.choice FROM pair_votes v JOIN pairwise_axes x ON x.id = v.axis_id
            WHERE v.pair_id = @PairId AND v.rater_id = @RaterId AND v.choice IS NOT NULL
            """, new { PairId = pairId, RaterId = raterId }, cancellationToken: ct));
        string? Model(string model) => Blinding.Model(model, StudyRoles.Rater, row.HideModel, ResponseUse.Rating);
        return new PairItem
        {
            PairId = row.PairId,
            Handle = row.Handle,
            CaseTitle = row.CaseTitle,
            CaseId = row.CaseId,
            PresentationMd = row.PresentationMd,
            QuestionMd = row.QuestionMd,
            Language = row.Language,
            Left = new PairAnswer(row.LeftHandle, row.LeftContentMd, Model(row.LeftModel)) { ResponseId = row.LeftId },
            Right = new PairAnswer(row.RightHandle, row.RightContentMd, Model(row.RightModel)) { ResponseId = row.RightId },
            Axes = [.. questions.Axes.Select(a => a.Axis)],
            Reasons = [.. questions.Reasons.Select(r => r.Reason)],
            Choices = votes.ToDictionary(v => v.Slug, v => PairSides.Shown(PairSides.ParseStored(v.Choice)!.Value, row.AOnLeft)),
            ReasonsTicked = ReadReasons(row.ReasonsJson),
            Comment = row.Comment,
            Done = row.Done,
        };
    }

    /// <summary>The rater's name and their pairs done and assigned, as <c>DashboardQuery.SubmissionAsync</c> gives them
    /// for single answers: read after a submitted judgement is on disk, for the live views.</summary>
    public async Task<PairSubmissionFacts> SubmissionAsync(long studyId, long raterId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleAsync<PairSubmissionFacts>(new CommandDefinition("""
            SELECT (SELECT display_name FROM users WHERE id = @RaterId) AS rater_name,
                   (SELECT COUNT(*) FROM pair_assignments WHERE rater_id = @RaterId AND study_id = @StudyId AND completed_at IS NOT NULL) AS rater_done,
                   (SELECT COUNT(*) FROM pair_assignments WHERE rater_id = @RaterId AND study_id = @StudyId) AS rater_assigned
            """, new { StudyId = studyId, RaterId = raterId }, cancellationToken: ct));
    }

    static IReadOnlyList<string> ReadReasons(string? json) => json is null ? [] : JsonSerializer.Deserialize<string[]>(json)!;

    sealed class AssignmentRow
    {
        public bool AOnLeft { get; init; }
        public bool Done { get; init; }
        public string? ReasonsJson { get; init; }
        public string? Comment { get; init; }
    }

    sealed class StoredVote
    {
        public long Id { get; init; }
        public long AxisId { get; init; }
        public string? Choice { get; init; }
        public string Status { get; init; } = "";
    }

    /// <summary>Saves some of a rater's judgement of one pair; with <paramref name="submit"/> the judgement must have a
    /// choice on every axis and is recorded as submitted, which completes the rater's assignment of the pair. One
    /// transaction, durable on return; every changed vote, and only a changed one, gets a history line (source
    /// <c>web</c>), so repeating a request is harmless. A submitted judgement stays submitted when changed, and keeps a
    /// choice on every axis. Refused, storing nothing: a writer who is not a rater of the study, a pair not assigned to
    /// them, a study not open or paused, a pair whose other votes the rater has seen in adjudication (final), and an
    /// invalid judgement (an unknown axis or reason, "both unacceptable" where
    /// the axis does not offer it, a comment over <see cref="Criterion.MaxTextLength"/> characters, an axis left out of
    /// a submitted judgement).</summary>
    public async Task<PairWriteResult> SaveAsync(long studyId, long raterId, long pairId, PairJudgement judgement, bool submit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var questions = await PairwiseQuestions.LoadAsync(connection, null, studyId, ct);
        var axes = questions.Axes.ToDictionary(a => a.Axis.Id);
        var axisProblems = new Dictionary<string, Message>();
        var changes = new Dictionary<long, PairwiseChoice?>();
        foreach (var (slug, shown) in judgement.Choices)
        {
            if (!axes.TryGetValue(slug, out var axis)) axisProblems[slug] = new Message("Vote_NoSuchAxis");
            else if (shown == PairwiseChoice.BothBad && !axis.Axis.BothUnacceptable) axisProblems[slug] = new Message("Vote_BothBadNotOffered");
            else changes[axis.Id] = shown;
        }
        Message? reasonsProblem = null, commentProblem = null;
        string? reasonsJson = null;
        if (judgement.Reasons is { } reasons)
        {
            var unknown = reasons.Where(r => questions.Reasons.All(known => known.Reason.Id != r)).Distinct().ToList();
            if (unknown.Count > 0) reasonsProblem = new Message("Vote_NoSuchReason", string.Join(", ", unknown));
            // Kept in the study's order, so a judgement reads (and exports) the same however the boxes were ticked.
            var ticked = questions.Reasons.Select(r => r.Reason.Id).Where(reasons.Contains).ToArray();
            reasonsJson = ticked.Length == 0 ? null : JsonSerializer.Serialize(ticked);
        }
        if (judgement.Comment?.Length > Criterion.MaxTextLength) commentProblem = new Message("Value_TooLong", Criterion.MaxTextLength);
        var comment = string.IsNullOrWhiteSpace(judgement.Comment) ? null : judgement.Comment;
        if (axisProblems.Count > 0 || reasonsProblem is not null || commentProblem is not null)
            return Invalid(axisProblems, reasonsProblem, commentProblem);

        var now = clock.GetUtcNow();
        await using var transaction = await connection.BeginWriteAsync(ct);
        // An assignment outlives a removal (work begun stays on record), so standing is checked, not only the assignment.
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, raterId, ct) is not { } access || !StudyRoles.Rates(access.Role))
            return new PairWriteResult(PairWriteOutcome.NotRater);
        var assignment = await connection.QuerySingleOrDefaultAsync<AssignmentRow>("""
            SELECT a.left_response_id = p.response_a_id AS a_on_left, a.completed_at IS NOT NULL AS done, a.reasons_json, a.comment
            FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id
            WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND a.pair_id = @PairId
            """, new { StudyId = studyId, RaterId = raterId, PairId = pairId }, transaction);
        if (assignment is null) return new PairWriteResult(PairWriteOutcome.NotAssigned);
        if (access.State != "open") return new PairWriteResult(PairWriteOutcome.StudyNotOpen);
        if (access.Paused) return new PairWriteResult(PairWriteOutcome.StudyPaused);
        if (await RatingReveals.IsPairFrozenAsync(connection, transaction, studyId, raterId, pairId)) return new PairWriteResult(PairWriteOutcome.Frozen);

        var stored = (await connection.QueryAsync<StoredVote>("""
            SELECT id, axis_id, choice, status FROM pair_votes WHERE pair_id = @PairId AND rater_id = @RaterId
            """, new { PairId = pairId, RaterId = raterId }, transaction)).ToDictionary(v => v.AxisId);
        var wasSubmitted = assignment.Done || stored.Values.Any(v => v.Status == "submitted");
        var status = submit || wasSubmitted ? "submitted" : "draft";
        var after = stored.Values.Where(v => v.Choice is not null).ToDictionary(v => v.AxisId, v => v.Choice);
        foreach (var (axisId, shown) in changes)
            after[axisId] = shown is { } choice ? PairSides.Text(PairSides.Stored(choice, assignment.AOnLeft)) : null;
        if (status == "submitted")
        {
            foreach (var (axisId, axis) in questions.Axes)
                if (after.GetValueOrDefault(axisId) is null) axisProblems[axis.Id] = ChoiceRequired;
            if (axisProblems.Count > 0) return Invalid(axisProblems, null, null);
        }

        // A repeated request writes nothing and, having changed nothing, is not announced as a submission either.
        var wrote = false;
        foreach (var (axisId, choice) in after)
        {
            var before = stored.GetValueOrDefault(axisId);
            if (before is null ? choice is null : before.Choice == choice && before.Status == status) continue;
            wrote = true;
            if (before is not null) await PairVoteHistory.RecordImportedAsync(connection, transaction, before.Id);
            var voteId = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO pair_votes (pair_id, rater_id, axis_id, choice, status, updated_at, submitted_at)
                VALUES (@PairId, @RaterId, @AxisId, @Choice, @Status, @Now, CASE WHEN @Status = 'submitted' THEN @Now END)
                ON CONFLICT (pair_id, rater_id, axis_id) DO UPDATE SET
                    choice = excluded.choice, status = excluded.status, updated_at = excluded.updated_at,
                    submitted_at = COALESCE(pair_votes.submitted_at, excluded.submitted_at)
                RETURNING id
                """, new { PairId = pairId, RaterId = raterId, AxisId = axisId, Choice = choice, Status = status, Now = now }, transaction);
            await PairVoteHistory.RecordWebAsync(connection, transaction, voteId, choice, status, now, raterId);
        }
        var newReasons = judgement.Reasons is null ? assignment.ReasonsJson : reasonsJson;
        var newComment = judgement.Comment is null ? assignment.Comment : comment;
        if (newReasons != assignment.ReasonsJson || newComment != assignment.Comment)
        {
            wrote = true;
            await connection.ExecuteAsync("""
                UPDATE pair_assignments SET reasons_json = @Reasons, comment = @Comment
                WHERE study_id = @StudyId AND rater_id = @RaterId AND pair_id = @PairId
                """, new { Reasons = newReasons, Comment = newComment, StudyId = studyId, RaterId = raterId, PairId = pairId }, transaction);
        }
        if (status == "submitted")
        {
            await connection.ExecuteAsync("""
                UPDATE pair_assignments SET completed_at = @Now
                WHERE study_id = @StudyId AND rater_id = @RaterId AND pair_id = @PairId AND completed_at IS NULL
                """, new { StudyId = studyId, RaterId = raterId, PairId = pairId, Now = now }, transaction);
            if (wrote) await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        }
        await transaction.CommitAsync(ct);
        return new PairWriteResult(PairWriteOutcome.Saved) { Submitted = status == "submitted" && wrote, Wrote = wrote };
    }

    static PairWriteResult Invalid(Dictionary<string, Message> axisProblems, Message? reasonsProblem, Message? commentProblem) =>
        new(PairWriteOutcome.Invalid) { AxisProblems = axisProblems, ReasonsProblem = reasonsProblem, CommentProblem = commentProblem };

    /// <summary>The pair of the study that <paramref name="handle"/> names, or null (a malformed handle names none).</summary>
    static async Task<long?> PairIdAsync(DbConnection connection, long studyId, string? handle, CancellationToken ct) =>
        !ResponseHandle.TryParse(handle, out _) ? null : await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM pairs WHERE study_id = @StudyId AND handle = @Handle", new { StudyId = studyId, Handle = handle }, cancellationToken: ct));
}
