using System.Data.Common;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Calibration;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Studies;

/// <summary>The outcome of adding responses: how many were added and how many assignments that made, or why not.</summary>
public sealed record AddResponsesResult(int Added, int AssignmentsAdded, IReadOnlyList<BundleError> Errors, IReadOnlyList<BundleError> Warnings, Message? Refusal = null)
{
    public bool Succeeded => Refusal is null && Errors.Count == 0;

    /// <summary>In a side-by-side study, the pairs the new answers formed (their assignments are <see cref="AssignmentsAdded"/>).</summary>
    public int PairsAdded { get; init; }
}

/// <summary>How many of a rater's unstarted assignments (pairs, in a side-by-side study) moved to another rater, and how
/// many could not (the target already had that response or pair), or why nothing was done.</summary>
public sealed record ReassignResult(int Moved, int NotMoved, Message? Refusal = null);

/// <summary>What removing someone from a study did: <see cref="Released"/> of their items nobody had started went back
/// into the plan for the remaining raters; <see cref="Begun"/> items they had started but not submitted stay on record as
/// theirs and are planned for another rater too; the <see cref="Submitted"/> responses they had submitted stay in the
/// study's data. <see cref="Calibration"/> is the running calibration round when it stopped waiting for them. Or why
/// nothing was done.</summary>
public sealed record RemovalResult(string Name, int Released, long Begun, long Submitted, CalibrationStatus? Calibration, Message? Refusal = null)
{
    public static RemovalResult Refused(Message refusal) => new("", 0, 0, 0, null, refusal);
}

/// <summary>Everything the rubric editor saves at once: the instructions and the texts of the criteria it lists
/// (criteria it does not list stay as they are).</summary>
public sealed record RubricEdit(string InstructionsMd, IReadOnlyList<CriterionEdit> Criteria);

/// <summary>One field of a rubric edit that cannot be saved, named as the editor shows it: the criterion by its stored
/// label (never its id), then the field ("Label", "Option 2", "Anchor 5") and what is wrong with it.</summary>
public sealed record RubricEditError(string Criterion, Message Field, Message Text)
{
    /// <summary>What is wrong, in English.</summary>
    public string Message => Text.ToString();

    public override string ToString() => $"{Criterion}, {Field}: {Message}";
}

/// <summary>What saving a rubric did: saved (no errors, no refusal), or nothing at all and why.</summary>
public sealed record RubricSaveResult(IReadOnlyList<RubricEditError> Errors, Message? Refusal = null)
{
    public bool Saved => Refusal is null && Errors.Count == 0;
}

/// <summary>A change to one criterion's texts in a draft study. Type and scale (bounds, option values, anchor points)
/// are not here: they are never changed in place, since ratings and agreement statistics depend on them.</summary>
public sealed record CriterionEdit(string Slug, string Label, string? HelpMd, bool Required,
    IReadOnlyDictionary<string, string> OptionLabels, IReadOnlyDictionary<int, string> AnchorLabels);

/// <summary>What the set-up page shows: the study's instructions, its rubric, its raters and its judges.</summary>
public sealed record StudySetup(long StudyId, string Title, StudyState State, string InstructionsMd, IReadOnlyList<Criterion> Criteria, IReadOnlyList<SetupRater> Raters)
{
    /// <summary>The study's language tag: its title, instructions and rubric are written in it.</summary>
    public string Language { get; init; } = "en";

    /// <summary>The study's LLM judges with their provenance.</summary>
    public IReadOnlyList<Judges.Judge> Judges { get; init; } = [];

    /// <summary>The rubric's version as it stands (<see cref="RubricVersion"/>), to tell whether a judge was added with it.</summary>
    public string RubricVersion { get; init; } = "";

    /// <summary>Whether the study compares answers side by side: its raters' items are pairs, and it has axes (fixed at
    /// import) instead of a rubric.</summary>
    public bool Pairwise { get; init; }
}

/// <summary>A rater as the set-up page lists them: their items (responses, or pairs in a side-by-side study) not yet
/// submitted, and those of them nobody has started.</summary>
public sealed record SetupRater
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public long Open { get; init; }
    public long Unstarted { get; init; }
}

/// <summary>Changes a study after its import: its texts while it is a draft, more responses while it is a draft or open,
/// and which rater holds which unstarted work. Only its coordinators (or an administrator) may; every check is made here,
/// on the server, whatever the page showed.</summary>
public sealed class StudySetupStore(Database database, StudyQuery studies, RubricQuery rubric, TimeProvider clock)
{
    public static readonly Message NotCoordinator = new("Setup_NotCoordinator");

    /// <summary>The study as the set-up page shows it, or null when the user is not one of its coordinators.</summary>
    public async Task<StudySetup?> LoadAsync(long studyId, long actorId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true } access) return null;
        var criteria = (await rubric.LoadAsync(studyId, ct)).Select(c => c.Criterion).ToList();
        await using var connection = await database.OpenAsync(ct);
        var study = await connection.QuerySingleAsync<(string? InstructionsMd, string Design)>(new CommandDefinition(
            "SELECT instructions_md, design FROM studies WHERE id = @StudyId", new { StudyId = studyId }, cancellationToken: ct));
        var pairwise = study.Design == "pairwise";
        var (table, unstarted) = pairwise ? ("pair_assignments", PairAssignments.Unstarted) : ("assignments", Assignments.Unstarted);
        var raters = await connection.QueryAsync<SetupRater>(new CommandDefinition($"""
            SELECT u.id, u.display_name AS name,
                (SELECT COUNT(*) FROM {table} a WHERE a.study_id = m.study_id AND a.rater_id = u.id AND a.completed_at IS NULL) AS open,
                (SELECT COUNT(*) FROM {table} a WHERE a.study_id = m.study_id AND a.rater_id = u.id AND {unstarted}) AS unstarted
            FROM study_members m JOIN users u ON u.id = m.user_id
            WHERE m.study_id = @StudyId AND m.role = 'rater'
            ORDER BY lower(u.display_name), u.id
            """, new { StudyId = studyId }, cancellationToken: ct));
        return new StudySetup(studyId, access.Title, StudyLifecycle.Parse(access.State), study.InstructionsMd ?? "", criteria, raters.AsList())
        {
            Language = access.Language,
            Judges = await Judges.JudgeStore.ListAsync(connection, studyId, ct),
            RubricVersion = Core.Rubrics.RubricVersion.Of(criteria),
            Pairwise = pairwise,
        };
    }

    static async Task<bool> IsPairwiseAsync(DbConnection connection, DbTransaction transaction, long studyId) =>
        await connection.ExecuteScalarAsync<string>("SELECT design FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction) == "pairwise";

    // ------------------------------------------------------------------ draft editing

    /// <summary>Saves the instructions and every listed criterion's label, help text, required flag and option and
    /// anchor labels in one transaction, or nothing when any field is invalid (every problem is listed) or the actor may
    /// not. Values and points that a criterion does not have are refused, never added.</summary>
    public async Task<RubricSaveResult> SaveRubricAsync(long studyId, long actorId, RubricEdit edit, CancellationToken ct = default)
    {
        // A first look before the edit is checked against the rubric; the one that counts is inside the transaction.
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true } access) return new([], NotCoordinator);
        if (RefuseUnlessDraft(access.State) is { } refusal) return new([], refusal);
        var criteria = (await rubric.LoadAsync(studyId, ct)).ToDictionary(c => c.Criterion.Id);
        var errors = edit.Criteria.SelectMany(e => RubricCheck.Problems(criteria.GetValueOrDefault(e.Slug).Criterion, e)).ToList();
        if (errors.Count > 0) return new(errors);

        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await RefusalAsync(connection, transaction, studyId, actorId, RefuseUnlessDraft, ct) is { } stillRefused) return new([], stillRefused);
        await connection.ExecuteAsync(
            "UPDATE studies SET instructions_md = @InstructionsMd WHERE id = @StudyId",
            new { StudyId = studyId, InstructionsMd = Lines(edit.InstructionsMd) }, transaction);
        foreach (var criterion in edit.Criteria)
        {
            var id = criteria[criterion.Slug].Id;
            await connection.ExecuteAsync("""
                UPDATE criteria SET label = @Label, help_md = @HelpMd, required = @Required WHERE id = @Id
                """, new { Id = id, Label = criterion.Label.Trim(), HelpMd = string.IsNullOrWhiteSpace(criterion.HelpMd) ? null : Lines(criterion.HelpMd), criterion.Required }, transaction);
            await connection.ExecuteAsync("""
                UPDATE criterion_options SET label = @Label WHERE criterion_id = @Id AND value = @Value
                """, criterion.OptionLabels.Select(o => new { Id = id, Value = o.Key, Label = o.Value.Trim() }), transaction);
            await connection.ExecuteAsync("""
                UPDATE criterion_anchors SET label = @Label WHERE criterion_id = @Id AND point = @Point
                """, criterion.AnchorLabels.Select(a => new { Id = id, Point = a.Key, Label = a.Value.Trim() }), transaction);
        }
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return new([]);
    }

    // A browser's textarea sends CRLF; stored Markdown keeps one line ending.
    static string Lines(string markdown) => markdown.Replace("\r\n", "\n", StringComparison.Ordinal);

    static Message? RefuseUnlessDraft(string state) =>
        state == "draft" ? null : new Message("Setup_RubricOnlyInDraft", StateName(state));

    /// <summary>A study's state as a refusal names it.</summary>
    static Message StateName(string state) => state switch
    {
        "draft" => new Message("Setup_StateDraft"),
        "open" => new Message("Setup_StateOpen"),
        "adjudication" => new Message("Setup_StateAdjudication"),
        "closed" => new Message("Setup_StateClosed"),
        _ => Message.Verbatim(state),
    };

    // ------------------------------------------------------------------ more responses

    /// <summary>Adds the responses of a responses.jsonl (the bundle format) to a draft or open study, all or nothing,
    /// then tops up the assignments so that each new response has its <c>raters_per_response</c> raters. In a
    /// side-by-side study that compares every pair, each new answer (at most one per model and case, as in a bundle)
    /// forms a pair with every other model's answer to its case, and the new pairs get their raters; a side-by-side
    /// study whose pairs were chosen at import (N per case, or a list) is refused (<see cref="AddedAnswerPairs"/>).</summary>
    public async Task<AddResponsesResult> AddResponsesAsync(long studyId, long actorId, byte[] responsesJsonl, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await RefusalAsync(connection, transaction, studyId, actorId,
                state => state is "draft" or "open" ? null : new Message("Setup_ResponsesOnlyDraftOrOpen", StateName(state)), ct) is { } refusal)
            return new AddResponsesResult(0, 0, [], [], refusal);
        // A note-only study's raters read notes only: an answer would have nobody to rate it.
        if (await Notes.NoteItems.IsAnnotationAsync(connection, transaction, studyId, ct))
            return new AddResponsesResult(0, 0, [], [], new Message("Setup_NoteOnlyNoAnswers"));
        var pairwise = await IsPairwiseAsync(connection, transaction, studyId);
        if (pairwise && !await AddedAnswerPairs.ComparesEveryPairAsync(connection, transaction, studyId))
            return new AddResponsesResult(0, 0, [], [], new Message("Setup_PairsFixedAtImport"));
        var cases = (await connection.QueryAsync<(string Slug, long Id)>(
            "SELECT slug, id FROM cases WHERE study_id = @StudyId", new { StudyId = studyId }, transaction)).ToDictionary(c => c.Slug, c => c.Id);
        var taken = (await connection.QueryAsync<string>(
            "SELECT slug FROM responses WHERE study_id = @StudyId", new { StudyId = studyId }, transaction)).ToHashSet();
        var (responses, errors, warnings) = BundleReader.ReadResponses(responsesJsonl, cases.Keys.ToHashSet(), taken,
            pairwise ? await AddedAnswerPairs.AnswersAsync(connection, transaction, studyId) : null);
        if (responses is null) return new AddResponsesResult(0, 0, errors, warnings);

        var start = await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM responses WHERE study_id = @StudyId", new { StudyId = studyId }, transaction);
        var positions = responses.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => start + p.i);
        // Each gets a random handle, the only name raters see, so the batch is interleaved with the rest of every queue.
        var handles = ResponseHandles.Draw(responses.Count, await ResponseHandles.TakenAsync(connection, transaction, studyId));
        await connection.ExecuteAsync("""
            INSERT INTO responses (study_id, case_id, slug, position, model, content_md, meta_json, handle)
            VALUES (@StudyId, @CaseId, @Slug, @Position, @Model, @ContentMd, @MetaJson, @Handle)
            """, InsertionOrder.Responses(responses, handles).Select(p => new
            {
                StudyId = studyId,
                CaseId = cases[p.Response.CaseId],
                Slug = p.Response.Id,
                Position = positions[p.Response.Id],
                p.Response.Model,
                p.Response.ContentMd,
                p.Response.MetaJson,
                p.Handle,
            }), transaction);
        var added = responses.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var pairsAdded = pairwise ? await AddedAnswerPairs.FormAsync(connection, transaction, studyId, added) : 0;
        await DrawHumanSubsetAsync(connection, transaction, studyId, added);
        var assigned = await Assignments.RebalanceAsync(connection, transaction, studyId, now);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return new AddResponsesResult(responses.Count, assigned, [], warnings) { PairsAdded = pairsAdded };
    }

    /// <summary>In a study whose physicians rate a subset (<see cref="HumanSubset"/>), decides which of the responses just
    /// added (<paramref name="added"/>, bundle ids) join it, keeping each model at its target; the others are the judges' alone.</summary>
    static async Task DrawHumanSubsetAsync(DbConnection connection, DbTransaction transaction, long studyId, IReadOnlySet<string> added)
    {
        var study = await connection.QuerySingleAsync<(string Slug, string? HumanSubset)>(
            "SELECT slug, human_subset FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction);
        if (study.HumanSubset is null) return;
        var rule = HumanSubset.Parse(study.HumanSubset) ?? throw new InvalidOperationException($"Study {studyId} stores human_subset \"{study.HumanSubset}\".");
        var responses = (await connection.QueryAsync<(string Slug, string Model, bool ForPhysicians)>(
            "SELECT slug, model, for_physicians FROM responses WHERE study_id = @StudyId", new { StudyId = studyId }, transaction))
            .Select(r => (r.Slug, r.Model, Chosen: r.ForPhysicians && !added.Contains(r.Slug))).ToList();
        var chosen = rule.Choose(study.Slug, responses, added);
        await connection.ExecuteAsync("UPDATE responses SET for_physicians = FALSE WHERE study_id = @StudyId AND slug = @Slug",
            added.Where(slug => !chosen.Contains(slug)).Select(slug => new { StudyId = studyId, Slug = slug }), transaction);
    }

    // ------------------------------------------------------------------ reassignment

    /// <summary>Moves <paramref name="fromRater"/>'s unstarted assignments to <paramref name="toRater"/>, except those of
    /// responses the target already holds (a response keeps distinct raters). One transaction; work begun never moves. In
    /// a side-by-side study the unstarted pairs move, each with the target's own side and queue place
    /// (<see cref="PairAssignments.MoveUnstartedAsync"/>).</summary>
    public async Task<ReassignResult> ReassignAsync(long studyId, long actorId, long fromRater, long toRater, CancellationToken ct = default)
    {
        if (fromRater == toRater) return new ReassignResult(0, 0, new Message("Setup_ChooseTwoRaters"));
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await RefusalAsync(connection, transaction, studyId, actorId,
                state => state is "draft" or "open" ? null : new Message("Setup_ReassignOnlyDraftOrOpen", StateName(state)), ct) is { } refusal)
            return new ReassignResult(0, 0, refusal);
        var members = await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM study_members WHERE study_id = @StudyId AND role = 'rater' AND user_id IN (@From, @To)
            """, new { StudyId = studyId, From = fromRater, To = toRater }, transaction);
        if (members != 2) return new ReassignResult(0, 0, new Message("Setup_BothRaters"));

        var now = clock.GetUtcNow();
        var (moved, notMoved) = await IsPairwiseAsync(connection, transaction, studyId)
            ? await PairAssignments.MoveUnstartedAsync(connection, transaction, studyId, fromRater, toRater, now)
            : await MoveUnstartedAsync(connection, transaction, studyId, fromRater, toRater, now);
        // Who holds what is part of the dashboard's counts, which are kept by data version.
        if (moved > 0) await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return new ReassignResult(moved, notMoved);
    }

    static async Task<(int Moved, int NotMoved)> MoveUnstartedAsync(DbConnection connection, DbTransaction transaction, long studyId,
        long fromRater, long toRater, DateTimeOffset now)
    {
        var unstarted = (await connection.QueryAsync<(long Id, long ResponseId, string Handle)>($"""
            SELECT a.id, a.response_id, r.handle FROM assignments a JOIN responses r ON r.id = a.response_id
            WHERE a.study_id = @StudyId AND a.rater_id = @From AND {Assignments.Unstarted}
            """, new { StudyId = studyId, From = fromRater }, transaction)).ToList();
        var targetHas = (await connection.QueryAsync<long>(
            "SELECT response_id FROM assignments WHERE study_id = @StudyId AND rater_id = @To", new { StudyId = studyId, To = toRater }, transaction)).ToHashSet();
        var movable = unstarted.Where(a => !targetHas.Contains(a.ResponseId)).ToList();
        await connection.ExecuteAsync("""
            UPDATE assignments SET rater_id = @To, queue_position = @QueuePosition, assigned_at = @Now WHERE id = @Id AND rater_id = @From
            """, movable.Select(a => new { a.Id, From = fromRater, To = toRater, QueuePosition = QueueOrder.Position(studyId, toRater, a.Handle), Now = now }), transaction);
        return (movable.Count, unstarted.Count - movable.Count);
    }

    // ------------------------------------------------------------------ removal

    /// <summary>Takes someone out of the study: their membership ends (recorded in <c>study_member_removals</c>), the
    /// items they had not started are released and the open work is planned again over the remaining raters (while the
    /// study is a draft or open), and a running calibration round stops waiting for them. Work they began stays theirs
    /// and their submitted ratings stay in the study's data. One transaction, which also checks that the actor still
    /// coordinates the study; nobody removes themselves. In a side-by-side study their items are pairs.</summary>
    public async Task<RemovalResult> RemoveMemberAsync(long studyId, long actorId, long userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var keys = new { StudyId = studyId, UserId = userId, ActorId = actorId, Now = now };
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, actorId, ct) is not { IsCoordinator: true } access)
            return RemovalResult.Refused(NotCoordinator);
        if (userId == actorId) return RemovalResult.Refused(new Message("Setup_CannotRemoveYourself"));
        var member = await connection.QuerySingleOrDefaultAsync<(string Role, string Name)>("""
            SELECT m.role, u.display_name FROM study_members m JOIN users u ON u.id = m.user_id WHERE m.study_id = @StudyId AND m.user_id = @UserId
            """, keys, transaction);
        if (member.Role is null) return RemovalResult.Refused(new Message("Setup_NotAMember"));

        await connection.ExecuteAsync("DELETE FROM study_members WHERE study_id = @StudyId AND user_id = @UserId", keys, transaction);
        var pairwise = await IsPairwiseAsync(connection, transaction, studyId);
        var released = pairwise
            ? await PairAssignments.ReleaseUnstartedAsync(connection, transaction, studyId, userId)
            : await connection.ExecuteAsync($"""
                DELETE FROM assignments WHERE id IN (SELECT a.id FROM assignments a WHERE a.study_id = @StudyId AND a.rater_id = @UserId AND {Assignments.Unstarted})
                """, keys, transaction);
        var (begun, submitted) = await connection.QuerySingleAsync<(long, long)>($"""
            SELECT COUNT(*) - COUNT(completed_at), COUNT(completed_at) FROM {(pairwise ? "pair_assignments" : "assignments")}
            WHERE study_id = @StudyId AND rater_id = @UserId
            """, keys, transaction);
        if (access.State is "draft" or "open") await Assignments.RebalanceAsync(connection, transaction, studyId, now);
        var calibration = await CalibrationStore.WithdrawAsync(connection, transaction, studyId, userId, now);
        await connection.ExecuteAsync("""
            INSERT INTO study_member_removals (study_id, user_id, role, removed_at, removed_by, released_assignments)
            VALUES (@StudyId, @UserId, @Role, @Now, @ActorId, @Released)
            """, new { keys.StudyId, keys.UserId, member.Role, keys.Now, keys.ActorId, Released = released }, transaction);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return new RemovalResult(member.Name, released, begun, submitted, calibration);
    }

    /// <summary>Why the actor may not make a change, or null: checked inside the change's (immediate) transaction, so
    /// that a removal, a disabling or a change of the study's state committed since the page loaded refuses it.</summary>
    static async Task<Message?> RefusalAsync(DbConnection connection, DbTransaction transaction, long studyId, long actorId,
        Func<string, Message?> refuseState, CancellationToken ct) =>
        await StudyQuery.AccessAsync(connection, transaction, studyId, actorId, ct) is { IsCoordinator: true } access
            ? refuseState(access.State)
            : NotCoordinator;
}
