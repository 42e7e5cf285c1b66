using System.Data.Common;
using Dapper;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Grading;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Adjudication;

/// <summary>The adjudication queue of a study: built from the independent ratings when the study enters adjudication,
/// discussed by the raters of each response and the coordinators, settled by coordinators with a consensus value per
/// criterion. Nothing here writes <c>ratings</c> or <c>rating_history</c>. Every method checks the user's standing.</summary>
public sealed partial class AdjudicationStore(Database database, RubricQuery rubric, StudyQuery studies, TimeProvider clock)
{
    public const int MaxMessageLength = 4000;
    public const int MaxReasonLength = 4000;

    sealed class ItemRow
    {
        public long Id { get; init; }
        public long ResponseId { get; init; }
        public bool Disagreement { get; init; }
        public bool Safety { get; init; }
        public string DisagreeingCriteria { get; init; } = "";
        public string Status { get; init; } = "";
    }

    sealed class RatingRow
    {
        public long ResponseId { get; init; }
        public long RaterId { get; init; }
        public string CriterionId { get; init; } = "";
        public string Value { get; init; } = "";
    }

    /// <summary>The study's disagreement and safety rules.</summary>
    public async Task<AdjudicationSettings> SettingsAsync(long studyId, CancellationToken ct = default)
    {
        var criteria = await rubric.LoadAsync(studyId, ct);
        await using var connection = await database.OpenAsync(ct);
        return await StoredSettings.LoadAsync(connection, null, studyId, criteria);
    }

    /// <summary>Adds every response that needs adjudication and is not queued yet: its physicians' submitted ratings disagree under
    /// the study's rules, or one of them (now or when it was submitted) matched the safety rule; in a side-by-side study,
    /// every pair whose votes disagree (<see cref="QueuePairsAsync"/>). Items already queued keep their discussion and
    /// consensus and gain any new reason. Does nothing unless the study is in adjudication; running it again adds nothing
    /// new. Returns the items added.</summary>
    public async Task<IReadOnlyList<QueuedItem>> BuildQueueAsync(long studyId, CancellationToken ct = default)
    {
        var criteria = await rubric.LoadAsync(studyId, ct);
        var plain = criteria.Select(c => c.Criterion).ToList();
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var keys = new { StudyId = studyId };
        var state = await connection.QuerySingleOrDefaultAsync<string>("SELECT state FROM studies WHERE id = @StudyId", keys, transaction);
        if (state != "adjudication") return [];

        var settings = await StoredSettings.LoadAsync(connection, transaction, studyId, criteria);
        var ratings = await connection.QueryAsync<RatingRow>($"""
            SELECT g.response_id, g.rater_id, c.slug AS criterion_id, g.value
            FROM ratings g JOIN criteria c ON c.id = g.criterion_id
            WHERE c.study_id = @StudyId AND g.status = 'submitted' AND g.value IS NOT NULL AND g.rater_id NOT IN {JudgeRaters.OfStudy}
            """, keys, transaction);
        var checklists = await ChecklistsByResponseAsync(connection, transaction, studyId);
        IReadOnlyList<Criterion> ChecklistOf(long responseId) => checklists.GetValueOrDefault(responseId) ?? [];
        var needs = AdjudicationTriage.Decide(plain, settings, ratings.Select(r => new SubmittedValue(r.ResponseId, r.RaterId, r.CriterionId, r.Value)), ChecklistOf)
            .ToDictionary(n => n.ResponseId);
        var alerted = (await connection.QueryAsync<long>(
            "SELECT DISTINCT response_id FROM safety_alerts WHERE study_id = @StudyId", keys, transaction)).ToHashSet();
        // The responses' items: a pair's has no response (QueuePairsAsync keeps those).
        var existing = (await connection.QueryAsync<ItemRow>("""
            SELECT id, response_id, disagreement, safety, disagreeing_criteria, status FROM adjudication_items
            WHERE study_id = @StudyId AND response_id IS NOT NULL
            """, keys, transaction)).ToDictionary(i => i.ResponseId);

        var handles = (await connection.QueryAsync<(long Id, string Handle)>(
            "SELECT id, handle FROM responses WHERE study_id = @StudyId", keys, transaction)).ToDictionary(r => r.Id, r => r.Handle);
        var added = new List<QueuedItem>();
        // New items are numbered in the order of the responses' random handles, so item numbers follow no bundle order.
        foreach (var responseId in needs.Keys.Union(alerted).OrderBy(id => handles[id], StringComparer.Ordinal))
        {
            var need = needs.GetValueOrDefault(responseId);
            var known = existing.GetValueOrDefault(responseId);
            var disagreeing = Split(known?.DisagreeingCriteria).Union(need?.DisagreeingCriteria ?? []).ToHashSet();
            var item = new
            {
                StudyId = studyId,
                ResponseId = responseId,
                Disagreement = disagreeing.Count > 0,
                Safety = known?.Safety == true || need?.Safety == true || alerted.Contains(responseId),
                DisagreeingCriteria = string.Join(",", plain.Concat(ChecklistOf(responseId)).Select(c => c.Id).Where(disagreeing.Contains)),
                Now = now,
            };
            if (known is not null)
            {
                if (known.Disagreement != item.Disagreement || known.Safety != item.Safety || known.DisagreeingCriteria != item.DisagreeingCriteria)
                    await connection.ExecuteAsync("""
                        UPDATE adjudication_items SET disagreement = @Disagreement, safety = @Safety, disagreeing_criteria = @DisagreeingCriteria
                        WHERE study_id = @StudyId AND response_id = @ResponseId
                        """, item, transaction);
                continue;
            }
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO adjudication_items (study_id, response_id, disagreement, safety, disagreeing_criteria, status, created_at)
                VALUES (@StudyId, @ResponseId, @Disagreement, @Safety, @DisagreeingCriteria, 'open', @Now)
                RETURNING id
                """, item, transaction);
            added.Add(new QueuedItem(id, responseId, "open", await ParticipantsAsync(connection, transaction, responseId)));
        }
        added.AddRange(await QueuePairsAsync(connection, transaction, studyId, now));
        await transaction.CommitAsync(ct);
        return added;
    }

    static IEnumerable<string> Split(string? criteria) => string.IsNullOrEmpty(criteria) ? [] : criteria.Split(',');

    /// <summary>The checklist of each response of the study whose case has one, as the criteria its marks are judged by.</summary>
    static async Task<Dictionary<long, IReadOnlyList<Criterion>>> ChecklistsByResponseAsync(DbConnection connection, DbTransaction? transaction, long studyId)
    {
        var byCase = await ChecklistQuery.OfStudyAsync(connection, transaction, studyId, CancellationToken.None);
        if (byCase.Count == 0) return [];
        var responses = await connection.QueryAsync<(long Id, long CaseId)>(
            "SELECT id, case_id FROM responses WHERE study_id = @StudyId", new { StudyId = studyId }, transaction);
        return responses.Where(r => byCase.ContainsKey(r.CaseId))
            .ToDictionary(r => r.Id, r => (IReadOnlyList<Criterion>)[.. byCase[r.CaseId].Select(c => c.Criterion.AsCriterion())]);
    }

    /// <summary>The rubric and the checklist of the response's case: the criteria of an item, each with its database id.</summary>
    static async Task<IReadOnlyList<(long Id, Criterion Criterion)>> WithChecklistAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<(long Id, Criterion Criterion)> rubric, long responseId, CancellationToken ct)
    {
        var checklist = await ChecklistQuery.OfResponseAsync(connection, transaction, responseId, ct);
        return checklist.Count == 0 ? rubric : [.. rubric, .. checklist.Select(c => (c.Id, c.Criterion.AsCriterion()))];
    }

    /// <summary>The raters of a response: every physician who submitted a rating of it (judges take no part in adjudication).</summary>
    static async Task<IReadOnlyList<long>> ParticipantsAsync(DbConnection connection, DbTransaction? transaction, long responseId) =>
        (await connection.QueryAsync<long>("""
            SELECT DISTINCT rater_id FROM ratings WHERE response_id = @ResponseId AND status = 'submitted'
              AND rater_id NOT IN (SELECT user_id FROM judges)
            ORDER BY rater_id
            """, new { ResponseId = responseId }, transaction)).AsList();

    /// <summary>What a viewer who may not see the model reads for a response: its handle, never an item or response id
    /// (both follow orders a rater could reconstruct).</summary>
    static string BlindLabel(string handle) => $"Response {handle}";

    /// <summary>The item of the response <paramref name="handle"/> names (the addresses of item pages carry the handle), or null.</summary>
    public async Task<long?> ItemIdAsync(long studyId, string? handle, CancellationToken ct = default)
    {
        if (!ResponseHandle.TryParse(handle, out _)) return null;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            SELECT i.id FROM adjudication_items i JOIN responses r ON r.id = i.response_id
            WHERE i.study_id = @StudyId AND r.handle = @Handle
            """, new { StudyId = studyId, Handle = handle }, cancellationToken: ct));
    }

    /// <summary>The handle of the item's response or pair, which live events name it by; null for no such item.</summary>
    public async Task<string?> HandleAsync(long itemId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT COALESCE(r.handle, p.handle) FROM adjudication_items i
            LEFT JOIN responses r ON r.id = i.response_id LEFT JOIN pairs p ON p.id = i.pair_id
            WHERE i.id = @ItemId
            """, new { ItemId = itemId }, cancellationToken: ct));
    }

    /// <summary>Raters see the queue only once independent rating has ended.</summary>
    static bool RatersMaySee(string state) => state is "adjudication" or "closed";

    sealed class SummaryRow
    {
        public long ItemId { get; init; }
        public long ResponseId { get; init; }
        public string Handle { get; init; } = "";
        public long CaseId { get; init; }
        public string CaseTitle { get; init; } = "";
        public string Slug { get; init; } = "";
        public string Model { get; init; } = "";
        public bool Disagreement { get; init; }
        public bool Safety { get; init; }
        public string DisagreeingCriteria { get; init; } = "";
        public string Status { get; init; } = "";
        public long Messages { get; init; }
        public long Decided { get; init; }
    }

    /// <summary>The items the user may see, open ones first and safety before disagreement: all of them for a coordinator;
    /// for a rater those of responses they rated and pairs they submitted, and none before the study is in adjudication.
    /// Null for a non-member.</summary>
    public async Task<IReadOnlyList<AdjudicationItemSummary>?> ListAsync(long studyId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { } access) return null;
        if (!access.IsCoordinator && !RatersMaySee(access.State)) return [];
        var labels = (await rubric.LoadAsync(studyId, ct)).ToDictionary(c => c.Criterion.Id, c => c.Criterion.Label);
        const string sql = """
            SELECT i.id AS item_id, i.response_id, r.handle, r.case_id, c.title AS case_title, r.slug, r.model, i.disagreement, i.safety,
                   i.disagreeing_criteria, i.status,
                   (SELECT COUNT(*) FROM adjudication_messages m WHERE m.item_id = i.id) AS messages,
                   (SELECT COUNT(*) FROM consensus_values v WHERE v.item_id = i.id) AS decided
            FROM adjudication_items i
            JOIN responses r ON r.id = i.response_id
            JOIN cases c ON c.id = r.case_id
            WHERE i.study_id = @StudyId
              AND (@All OR EXISTS (SELECT 1 FROM ratings g WHERE g.response_id = i.response_id AND g.rater_id = @UserId AND g.status = 'submitted'))
            ORDER BY i.status, i.safety DESC, r.handle
            """;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<SummaryRow>(new CommandDefinition(sql,
            new { StudyId = studyId, UserId = userId, All = access.IsCoordinator }, cancellationToken: ct));
        var checklists = await ChecklistQuery.OfStudyAsync(connection, null, studyId, ct);
        string Label(long caseId, string id) => labels.GetValueOrDefault(id)
            ?? checklists.GetValueOrDefault(caseId)?.FirstOrDefault(c => c.Criterion.Id == id).Criterion?.TextMd ?? id;
        var showModel = Blinding.MaySeeModel(access.Role, access.HideModel, ResponseUse.Adjudication);
        var pairs = await ListPairsAsync(connection, studyId, userId, access.IsCoordinator, showModel, ct);
        return rows.Select(r => new AdjudicationItemSummary
        {
            ItemId = r.ItemId,
            ResponseId = r.ResponseId,
            Handle = r.Handle,
            CaseTitle = r.CaseTitle,
            ResponseLabel = showModel ? r.Slug : BlindLabel(r.Handle),
            Model = showModel ? r.Model : null,
            Disagreement = r.Disagreement,
            Safety = r.Safety,
            DisagreeingCriteria = Split(r.DisagreeingCriteria).Select(id => Label(r.CaseId, id)).ToList(),
            DisagreeingCriterionIds = Split(r.DisagreeingCriteria).ToList(),
            Status = r.Status,
            Messages = r.Messages,
            Decided = r.Decided,
        }).Concat(pairs).OrderBy(i => i.Status, StringComparer.Ordinal).ThenByDescending(i => i.Safety).ThenBy(i => i.Handle, StringComparer.Ordinal).ToList();
    }

    sealed class ViewRow
    {
        public long Id { get; init; }
        public long ResponseId { get; init; }
        public string Handle { get; init; } = "";
        public string Status { get; init; } = "";
        public bool Disagreement { get; init; }
        public bool Safety { get; init; }
        public string DisagreeingCriteria { get; init; } = "";
    }

    /// <summary>The item side by side, or null when the user may not see it (see <see cref="ListAsync"/>).</summary>
    public async Task<AdjudicationItemView?> LoadAsync(long studyId, long itemId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { } access) return null;
        if (!access.IsCoordinator && !RatersMaySee(access.State)) return null;
        var rubricCriteria = await rubric.LoadAsync(studyId, ct);
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ViewRow>(new CommandDefinition("""
            SELECT i.id, i.response_id, r.handle, i.status, i.disagreement, i.safety, i.disagreeing_criteria
            FROM adjudication_items i JOIN responses r ON r.id = i.response_id
            WHERE i.id = @ItemId AND i.study_id = @StudyId
            """, new { ItemId = itemId, StudyId = studyId }, cancellationToken: ct));
        if (row is null) return null;
        var participants = await ParticipantsAsync(connection, null, row.ResponseId);
        if (!access.IsCoordinator && !participants.Contains(userId)) return null;
        // Before any value leaves: from now on this rater's independent rating of the response is final.
        if (!access.IsCoordinator) await RevealAsync(connection, studyId, userId, row.ResponseId, ct);
        var text = await RatedResponseLoader.LoadTextAsync(connection, studyId, row.ResponseId, ct)
            ?? throw new InvalidOperationException($"Adjudication item {itemId} names a response outside its study.");
        var criteria = (await WithChecklistAsync(connection, null, rubricCriteria, row.ResponseId, ct)).Select(c => c.Criterion).ToList();

        var keys = new { ItemId = itemId };
        var consensus = await connection.QueryAsync<ConsensusValue>(new CommandDefinition("""
            SELECT c.slug AS criterion_id, v.value, v.reason, u.display_name AS decided_by_name, v.decided_at AS at
            FROM consensus_values v JOIN criteria c ON c.id = v.criterion_id JOIN users u ON u.id = v.decided_by
            WHERE v.item_id = @ItemId ORDER BY c.position
            """, keys, cancellationToken: ct));

        var showModel = Blinding.MaySeeModel(access.Role, access.HideModel, ResponseUse.Adjudication);
        var inAdjudication = access.State == "adjudication";
        return new AdjudicationItemView
        {
            ItemId = row.Id,
            ResponseId = row.ResponseId,
            Handle = row.Handle,
            Status = row.Status,
            Disagreement = row.Disagreement,
            Safety = row.Safety,
            DisagreeingCriteria = Split(row.DisagreeingCriteria).ToList(),
            CaseTitle = text.CaseTitle,
            PresentationMd = text.PresentationMd,
            QuestionMd = text.QuestionMd,
            ContentMd = text.ContentMd,
            ResponseLabel = showModel ? text.Slug : BlindLabel(row.Handle),
            Model = showModel ? text.Model : null,
            CanDecide = access.IsCoordinator && inAdjudication,
            CanPost = inAdjudication,
            Criteria = criteria,
            Raters = await RatedResponseLoader.LoadRaterColumnsAsync(connection, row.ResponseId, participants, ct),
            Messages = await MessagesAsync(connection, itemId, ct),
            Consensus = consensus.AsList(),
            Participants = participants,
        };
    }

    /// <summary>The discussion of an item, oldest first.</summary>
    static async Task<IReadOnlyList<AdjudicationMessage>> MessagesAsync(DbConnection connection, long itemId, CancellationToken ct) =>
        (await connection.QueryAsync<AdjudicationMessage>(new CommandDefinition("""
            SELECT m.id, m.author_id, u.display_name AS author_name, m.body, m.posted_at AS at
            FROM adjudication_messages m JOIN users u ON u.id = m.author_id
            WHERE m.item_id = @ItemId ORDER BY m.id
            """, new { ItemId = itemId }, cancellationToken: ct))).AsList();

    sealed class Target
    {
        /// <summary>0 for a pair's item.</summary>
        public long ResponseId { get; init; }
        public long? PairId { get; init; }
        public string Status { get; init; } = "";
        public string State { get; init; } = "";
        public string DisagreeingCriteria { get; init; } = "";
    }

    /// <summary>The item and its study's state, read in the writing transaction; null when it is not an item of the study.</summary>
    static Task<Target?> TargetAsync(DbConnection connection, DbTransaction transaction, long studyId, long itemId) =>
        connection.QuerySingleOrDefaultAsync<Target>("""
            SELECT COALESCE(i.response_id, 0) AS response_id, i.pair_id, i.status, s.state, i.disagreeing_criteria
            FROM adjudication_items i JOIN studies s ON s.id = i.study_id
            WHERE i.id = @ItemId AND i.study_id = @StudyId
            """, new { ItemId = itemId, StudyId = studyId }, transaction);

    /// <summary>Who takes part in the item: the raters of its response or of its pair.</summary>
    static Task<IReadOnlyList<long>> ParticipantsAsync(DbConnection connection, DbTransaction transaction, Target target) =>
        target.PairId is { } pairId ? PairParticipantsAsync(connection, transaction, pairId) : ParticipantsAsync(connection, transaction, target.ResponseId);

    /// <summary>Adds a message to the item's discussion: a coordinator or a rater of the response (or pair), while the study
    /// is in adjudication; the body (trimmed) must hold 1 to <see cref="MaxMessageLength"/> characters.</summary>
    public async Task<MessagePosted> PostMessageAsync(long studyId, long itemId, long userId, string? body, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, userId, ct) is not { } access) return new(AdjudicationOutcome.NotFound, null, 0, []);
        if (await TargetAsync(connection, transaction, studyId, itemId) is not { } target) return new(AdjudicationOutcome.NotFound, null, 0, []);
        var participants = await ParticipantsAsync(connection, transaction, target);
        if (!access.IsCoordinator && !participants.Contains(userId))
            return new(AdjudicationOutcome.NotAllowed, null, target.ResponseId, participants,
                $"Only the raters of this {(target.PairId is null ? "response" : "pair")} and the coordinators take part.");
        if (target.State != "adjudication")
            return new(AdjudicationOutcome.StudyNotInAdjudication, null, target.ResponseId, participants, "The study is not in adjudication.");
        var text = body?.Trim() ?? "";
        if (text.Length is 0 or > MaxMessageLength)
            return new(AdjudicationOutcome.Invalid, null, target.ResponseId, participants, $"A message holds 1 to {MaxMessageLength} characters.");
        var message = await connection.QuerySingleAsync<AdjudicationMessage>("""
            INSERT INTO adjudication_messages (item_id, author_id, body, posted_at) VALUES (@ItemId, @UserId, @Body, @Now)
            RETURNING id, author_id, (SELECT display_name FROM users WHERE id = @UserId) AS author_name, body, posted_at AS at
            """, new { ItemId = itemId, UserId = userId, Body = text, Now = clock.GetUtcNow() }, transaction);
        await transaction.CommitAsync(ct);
        return new(AdjudicationOutcome.Done, message, target.ResponseId, participants);
    }

    /// <summary>Records that the rater has seen the others' values, under the write lock: a submit of theirs that checked
    /// the rating was not yet final commits before this, never after.</summary>
    async Task RevealAsync(DbConnection connection, long studyId, long userId, long responseId, CancellationToken ct)
    {
        await using var transaction = await connection.BeginWriteAsync(ct);
        await RatingReveals.RecordAsync(connection, transaction, studyId, userId, responseId, RatingReveals.Adjudication, clock.GetUtcNow());
        await transaction.CommitAsync(ct);
    }
}
