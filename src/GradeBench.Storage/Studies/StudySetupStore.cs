using System.Data.Common;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Studies;

/// <summary>The outcome of adding responses: how many were added and how many assignments that made, or why not.</summary>
public sealed record AddResponsesResult(int Added, int AssignmentsAdded, IReadOnlyList<BundleError> Errors, IReadOnlyList<BundleError> Warnings, string? Refusal = null)
{
    public bool Succeeded => Refusal is null && Errors.Count == 0;
}

/// <summary>How many of a rater's unstarted assignments moved to another rater, and how many could not (the target
/// already had that response), or why nothing was done.</summary>
public sealed record ReassignResult(int Moved, int NotMoved, string? Refusal = null);

/// <summary>A change to one criterion's texts in a draft study. Type and scale (bounds, option values, anchor points)
/// are not here: they are never changed in place, since ratings and agreement statistics depend on them.</summary>
public sealed record CriterionEdit(string Slug, string Label, string? HelpMd, bool Required,
    IReadOnlyDictionary<string, string> OptionLabels, IReadOnlyDictionary<int, string> AnchorLabels);

/// <summary>What the set-up page shows: the study's instructions, its rubric and its raters.</summary>
public sealed record StudySetup(long StudyId, string Title, StudyState State, string InstructionsMd, IReadOnlyList<Criterion> Criteria, IReadOnlyList<SetupRater> Raters);

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
    public const string NotCoordinator = "Only a coordinator of this study can change its set-up.";

    /// <summary>The study as the set-up page shows it, or null when the user is not one of its coordinators.</summary>
    public async Task<StudySetup?> LoadAsync(long studyId, long actorId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true } access) return null;
        var criteria = (await rubric.LoadAsync(studyId, ct)).Select(c => c.Criterion).ToList();
        await using var connection = await database.OpenAsync(ct);
        var instructions = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT instructions_md FROM studies WHERE id = @StudyId", new { StudyId = studyId }, cancellationToken: ct));
        var raters = await connection.QueryAsync<SetupRater>(new CommandDefinition($"""
            SELECT u.id, u.display_name AS name,
                (SELECT COUNT(*) FROM assignments a WHERE a.study_id = m.study_id AND a.rater_id = u.id AND a.completed_at IS NULL) AS open,
                (SELECT COUNT(*) FROM assignments a WHERE a.study_id = m.study_id AND a.rater_id = u.id AND {Unstarted}) AS unstarted
            FROM study_members m JOIN users u ON u.id = m.user_id
            WHERE m.study_id = @StudyId AND m.role = 'rater'
            ORDER BY lower(u.display_name), u.id
            """, new { StudyId = studyId }, cancellationToken: ct));
        return new StudySetup(studyId, access.Title, StudyLifecycle.Parse(access.State), instructions ?? "", criteria, raters.AsList());
    }

    /// <summary>An assignment (alias <c>a</c>) nobody has begun: not completed, and no rating or marked span by its rater.</summary>
    const string Unstarted = """
        a.completed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM ratings g WHERE g.response_id = a.response_id AND g.rater_id = a.rater_id)
        AND NOT EXISTS (SELECT 1 FROM span_annotations s WHERE s.response_id = a.response_id AND s.rater_id = a.rater_id)
        """;

    // ------------------------------------------------------------------ draft editing

    public async Task<string?> UpdateInstructionsAsync(long studyId, long actorId, string instructionsMd, CancellationToken ct = default)
    {
        if (await RefuseDraftEditAsync(studyId, actorId, ct) is { } refusal) return refusal;
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE studies SET instructions_md = @InstructionsMd WHERE id = @StudyId AND state = 'draft'",
            new { StudyId = studyId, InstructionsMd = instructionsMd.Replace("\r\n", "\n", StringComparison.Ordinal) }, cancellationToken: ct));
        return null;
    }

    /// <summary>Changes a criterion's label, help text, required flag and the labels of its options and anchors; null
    /// when done, else why not. Values and points that the criterion does not have are refused, never added.</summary>
    public async Task<string?> UpdateCriterionAsync(long studyId, long actorId, CriterionEdit edit, CancellationToken ct = default)
    {
        if (await RefuseDraftEditAsync(studyId, actorId, ct) is { } refusal) return refusal;
        if (string.IsNullOrWhiteSpace(edit.Label)) return "A criterion needs a label.";
        if (edit.OptionLabels.Values.Concat(edit.AnchorLabels.Values).Any(string.IsNullOrWhiteSpace)) return "Option and anchor labels cannot be empty.";
        var criterion = (await rubric.LoadAsync(studyId, ct)).FirstOrDefault(c => c.Criterion.Id == edit.Slug);
        if (criterion.Criterion is null) return $"The study has no criterion \"{edit.Slug}\".";
        if (edit.OptionLabels.Keys.Except(criterion.Criterion.Options.Select(o => o.Value)).FirstOrDefault() is { } unknownOption)
            return $"{edit.Slug} has no option \"{unknownOption}\"; options are part of the scale and cannot be added here.";
        if (edit.AnchorLabels.Keys.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Except(criterion.Criterion.Anchors.Select(a => a.Value)).FirstOrDefault() is { } unknownAnchor)
            return $"{edit.Slug} has no anchor at {unknownAnchor}; anchors are part of the scale and cannot be added here.";

        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync("""
            UPDATE criteria SET label = @Label, help_md = @HelpMd, required = @Required WHERE id = @Id
            """, new { criterion.Id, Label = edit.Label.Trim(), HelpMd = string.IsNullOrWhiteSpace(edit.HelpMd) ? null : edit.HelpMd, edit.Required }, transaction);
        await connection.ExecuteAsync("""
            UPDATE criterion_options SET label = @Label WHERE criterion_id = @Id AND value = @Value
            """, edit.OptionLabels.Select(o => new { criterion.Id, Value = o.Key, Label = o.Value.Trim() }), transaction);
        await connection.ExecuteAsync("""
            UPDATE criterion_anchors SET label = @Label WHERE criterion_id = @Id AND point = @Point
            """, edit.AnchorLabels.Select(a => new { criterion.Id, Point = a.Key, Label = a.Value.Trim() }), transaction);
        // Checked again inside the transaction: the study may have been opened meanwhile.
        if (await connection.ExecuteScalarAsync<string>("SELECT state FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction) != "draft")
            return "The study is no longer a draft; nothing was changed.";
        await transaction.CommitAsync(ct);
        return null;
    }

    async Task<string?> RefuseDraftEditAsync(long studyId, long actorId, CancellationToken ct)
    {
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true } access) return NotCoordinator;
        return access.State == "draft" ? null : $"The rubric and instructions can be changed only while the study is a draft; it is {access.State}.";
    }

    // ------------------------------------------------------------------ more responses

    /// <summary>Adds the responses of a responses.jsonl (the bundle format) to a draft or open study, all or nothing,
    /// then tops up the assignments so that each new response has its <c>raters_per_response</c> raters.</summary>
    public async Task<AddResponsesResult> AddResponsesAsync(long studyId, long actorId, byte[] responsesJsonl, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true } access)
            return new AddResponsesResult(0, 0, [], [], NotCoordinator);
        if (access.State is not ("draft" or "open"))
            return new AddResponsesResult(0, 0, [], [], $"Responses can be added only while the study is a draft or open; it is {access.State}.");

        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var slug = await connection.ExecuteScalarAsync<string>("SELECT slug FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction);
        var cases = (await connection.QueryAsync<(string Slug, long Id)>(
            "SELECT slug, id FROM cases WHERE study_id = @StudyId", new { StudyId = studyId }, transaction)).ToDictionary(c => c.Slug, c => c.Id);
        var taken = (await connection.QueryAsync<string>(
            "SELECT slug FROM responses WHERE study_id = @StudyId", new { StudyId = studyId }, transaction)).ToHashSet();
        var (responses, errors, warnings) = BundleReader.ReadResponses(responsesJsonl, cases.Keys.ToHashSet(), taken);
        if (responses is null) return new AddResponsesResult(0, 0, errors, warnings);

        var start = await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM responses WHERE study_id = @StudyId", new { StudyId = studyId }, transaction);
        var positions = responses.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => start + p.i);
        // Stored in the hashed order an import uses, so that new ids give away no model either.
        await connection.ExecuteAsync("""
            INSERT INTO responses (study_id, case_id, slug, position, model, content_md, meta_json)
            VALUES (@StudyId, @CaseId, @Slug, @Position, @Model, @ContentMd, @MetaJson)
            """, InsertionOrder.Responses(slug!, responses).Select(r => new
            {
                StudyId = studyId,
                CaseId = cases[r.CaseId],
                Slug = r.Id,
                Position = positions[r.Id],
                r.Model,
                r.ContentMd,
                r.MetaJson,
            }), transaction);
        var assigned = await Assignments.RebalanceAsync(connection, transaction, studyId, now);
        await transaction.CommitAsync(ct);
        return new AddResponsesResult(responses.Count, assigned, [], warnings);
    }

    // ------------------------------------------------------------------ reassignment

    /// <summary>Moves <paramref name="fromRater"/>'s unstarted assignments to <paramref name="toRater"/>, except those of
    /// responses the target already holds (a response keeps distinct raters). One transaction; work begun never moves.</summary>
    public async Task<ReassignResult> ReassignAsync(long studyId, long actorId, long fromRater, long toRater, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, actorId, ct) is not { IsCoordinator: true } access)
            return new ReassignResult(0, 0, NotCoordinator);
        if (access.State is not ("draft" or "open"))
            return new ReassignResult(0, 0, $"Work can be reassigned only while the study is a draft or open; it is {access.State}.");
        if (fromRater == toRater) return new ReassignResult(0, 0, "Choose two different raters.");

        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var members = await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM study_members WHERE study_id = @StudyId AND role = 'rater' AND user_id IN (@From, @To)
            """, new { StudyId = studyId, From = fromRater, To = toRater }, transaction);
        if (members != 2) return new ReassignResult(0, 0, "Both must be raters of this study.");

        var unstarted = (await connection.QueryAsync<(long Id, long ResponseId)>($"""
            SELECT a.id, a.response_id FROM assignments a WHERE a.study_id = @StudyId AND a.rater_id = @From AND {Unstarted}
            """, new { StudyId = studyId, From = fromRater }, transaction)).ToList();
        var targetHas = (await connection.QueryAsync<long>(
            "SELECT response_id FROM assignments WHERE study_id = @StudyId AND rater_id = @To", new { StudyId = studyId, To = toRater }, transaction)).ToHashSet();
        var movable = unstarted.Where(a => !targetHas.Contains(a.ResponseId)).ToList();
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync("""
            UPDATE assignments SET rater_id = @To, queue_position = @QueuePosition, assigned_at = @Now WHERE id = @Id AND rater_id = @From
            """, movable.Select(a => new { a.Id, From = fromRater, To = toRater, QueuePosition = QueueOrder.Position(studyId, toRater, a.ResponseId), Now = now }), transaction);
        await transaction.CommitAsync(ct);
        return new ReassignResult(movable.Count, unstarted.Count - movable.Count);
    }
}
