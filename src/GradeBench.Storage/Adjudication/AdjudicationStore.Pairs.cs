using System.Data.Common;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Grading;
using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Pairwise;

namespace GradeBench.Storage.Adjudication;

/// <summary>The side-by-side pairs of the queue (docs/adjudication.md, "Side-by-side pairs"): items of the same queue as
/// responses, judged by the same rules engine with each axis as a nominal criterion of the stored choices
/// (<see cref="PairwiseAxis.AsCriterion"/>), so votes are compared by model and never by side. Nothing here writes
/// <c>pair_votes</c> or <c>pair_vote_history</c>; consensus votes are appended to <c>pair_consensus_votes</c>.</summary>
public sealed partial class AdjudicationStore
{
    sealed class PairVoteRow
    {
        public long PairId { get; init; }
        public long RaterId { get; init; }
        public string AxisId { get; init; } = "";
        public string Choice { get; init; } = "";
    }

    sealed class PairItemRow
    {
        public long PairId { get; init; }
        public string DisagreeingCriteria { get; init; } = "";
    }

    /// <summary>In a side-by-side study, queues every pair whose physicians' submitted votes differ on some axis, compared
    /// as stored (by model), under study.json's <c>adjudication.pairwise</c> (<c>never</c> queues none; a study without
    /// the setting has the default, <c>any</c>); a queued pair gains any new disagreeing axis. Inside the caller's
    /// transaction; returns the items added, numbered in the order of the pairs' random handles.</summary>
    async Task<IReadOnlyList<QueuedItem>> QueuePairsAsync(DbConnection connection, DbTransaction transaction, long studyId, DateTimeOffset now)
    {
        var keys = new { StudyId = studyId };
        var study = await connection.QuerySingleAsync<(string Design, string? Rule)>(
            "SELECT design, pairwise_adjudication FROM studies WHERE id = @StudyId", keys, transaction);
        if (study.Design != "pairwise") return [];
        var axes = (await PairwiseQuestions.LoadAsync(connection, transaction, studyId, CancellationToken.None)).Axes.Select(a => a.Axis).ToList();
        var votes = await connection.QueryAsync<PairVoteRow>($"""
            SELECT v.pair_id, v.rater_id, x.slug AS axis_id, v.choice
            FROM pair_votes v JOIN pairs p ON p.id = v.pair_id JOIN pairwise_axes x ON x.id = v.axis_id
            WHERE p.study_id = @StudyId AND v.status = 'submitted' AND v.choice IS NOT NULL AND v.rater_id NOT IN {JudgeRaters.OfStudy}
            """, keys, transaction);
        var needs = AdjudicationTriage.Decide([.. axes.Select(a => a.AsCriterion())], PairwiseDesign.RulesFor(axes, study.Rule != "never"),
            votes.Select(v => new SubmittedValue(v.PairId, v.RaterId, v.AxisId, v.Choice)));
        if (needs.Count == 0) return [];
        var existing = (await connection.QueryAsync<PairItemRow>(
            "SELECT pair_id, disagreeing_criteria FROM adjudication_items WHERE study_id = @StudyId AND pair_id IS NOT NULL", keys, transaction))
            .ToDictionary(i => i.PairId);
        var handles = (await connection.QueryAsync<(long Id, string Handle)>(
            "SELECT id, handle FROM pairs WHERE study_id = @StudyId", keys, transaction)).ToDictionary(p => p.Id, p => p.Handle);
        var added = new List<QueuedItem>();
        foreach (var need in needs.OrderBy(n => handles[n.ResponseId], StringComparer.Ordinal))
        {
            var pairId = need.ResponseId;
            var known = existing.GetValueOrDefault(pairId);
            var disagreeing = Split(known?.DisagreeingCriteria).Union(need.DisagreeingCriteria).ToHashSet();
            var item = new
            {
                StudyId = studyId,
                PairId = pairId,
                DisagreeingCriteria = string.Join(",", axes.Select(a => a.Id).Where(disagreeing.Contains)),
                Now = now,
            };
            if (known is not null)
            {
                if (known.DisagreeingCriteria != item.DisagreeingCriteria)
                    await connection.ExecuteAsync("""
                        UPDATE adjudication_items SET disagreeing_criteria = @DisagreeingCriteria WHERE study_id = @StudyId AND pair_id = @PairId
                        """, item, transaction);
                continue;
            }
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO adjudication_items (study_id, pair_id, disagreement, safety, disagreeing_criteria, status, created_at)
                VALUES (@StudyId, @PairId, TRUE, FALSE, @DisagreeingCriteria, 'open', @Now)
                RETURNING id
                """, item, transaction);
            added.Add(new QueuedItem(id, 0, "open", await PairParticipantsAsync(connection, transaction, pairId)));
        }
        return added;
    }

    /// <summary>The raters of a pair: every physician who submitted votes on it (judges take no part in adjudication).</summary>
    static async Task<IReadOnlyList<long>> PairParticipantsAsync(DbConnection connection, DbTransaction? transaction, long pairId) =>
        (await connection.QueryAsync<long>("""
            SELECT DISTINCT rater_id FROM pair_votes WHERE pair_id = @PairId AND status = 'submitted'
              AND rater_id NOT IN (SELECT user_id FROM judges)
            ORDER BY rater_id
            """, new { PairId = pairId }, transaction)).AsList();

    /// <summary>What a viewer who may not see the models reads for a pair: its handle.</summary>
    static string BlindPairLabel(string handle) => $"Pair {handle}";

    sealed class PairSummaryRow
    {
        public long ItemId { get; init; }
        public long PairId { get; init; }
        public string Handle { get; init; } = "";
        public string CaseTitle { get; init; } = "";
        public string ASlug { get; init; } = "";
        public string BSlug { get; init; } = "";
        public string AModel { get; init; } = "";
        public string BModel { get; init; } = "";
        public string DisagreeingCriteria { get; init; } = "";
        public string Status { get; init; } = "";
        public long Messages { get; init; }
        public long Decided { get; init; }
    }

    /// <summary>The queue's lines of pairs: every one for a coordinator, for a rater those they submitted.</summary>
    static async Task<IReadOnlyList<AdjudicationItemSummary>> ListPairsAsync(DbConnection connection, long studyId, long userId, bool all, bool showModel,
        CancellationToken ct)
    {
        const string sql = """
            SELECT i.id AS item_id, i.pair_id, p.handle, c.title AS case_title, a.slug AS a_slug, b.slug AS b_slug, a.model AS a_model,
                   b.model AS b_model, i.disagreeing_criteria, i.status,
                   (SELECT COUNT(*) FROM adjudication_messages m WHERE m.item_id = i.id) AS messages,
                   (SELECT COUNT(DISTINCT v.axis_id) FROM pair_consensus_votes v WHERE v.item_id = i.id) AS decided
            FROM adjudication_items i
            JOIN pairs p ON p.id = i.pair_id
            JOIN cases c ON c.id = p.case_id
            JOIN responses a ON a.id = p.response_a_id
            JOIN responses b ON b.id = p.response_b_id
            WHERE i.study_id = @StudyId
              AND (@All OR EXISTS (SELECT 1 FROM pair_votes v WHERE v.pair_id = i.pair_id AND v.rater_id = @UserId AND v.status = 'submitted'))
            """;
        var rows = (await connection.QueryAsync<PairSummaryRow>(new CommandDefinition(sql,
            new { StudyId = studyId, UserId = userId, All = all }, cancellationToken: ct))).AsList();
        if (rows.Count == 0) return [];
        var questions = (await PairwiseQuestions.LoadAsync(connection, null, studyId, ct)).Axes.ToDictionary(a => a.Axis.Id, a => a.Axis.Question);
        return [.. rows.Select(r => new AdjudicationItemSummary
        {
            ItemId = r.ItemId,
            PairId = r.PairId,
            Handle = r.Handle,
            CaseTitle = r.CaseTitle,
            ResponseLabel = showModel ? $"{r.ASlug} / {r.BSlug}" : BlindPairLabel(r.Handle),
            Model = showModel ? $"{r.AModel} / {r.BModel}" : null,
            Disagreement = true,
            DisagreeingCriteria = [.. Split(r.DisagreeingCriteria).Select(id => questions.GetValueOrDefault(id, id))],
            DisagreeingCriterionIds = [.. Split(r.DisagreeingCriteria)],
            Status = r.Status,
            Messages = r.Messages,
            Decided = r.Decided,
        })];
    }

    /// <summary>The item of the pair <paramref name="handle"/> names (pair item pages carry the pair's handle), or null.</summary>
    public async Task<long?> PairItemIdAsync(long studyId, string? handle, CancellationToken ct = default)
    {
        if (!ResponseHandle.TryParse(handle, out _)) return null;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            SELECT i.id FROM adjudication_items i JOIN pairs p ON p.id = i.pair_id
            WHERE i.study_id = @StudyId AND p.study_id = @StudyId AND p.handle = @Handle
            """, new { StudyId = studyId, Handle = handle }, cancellationToken: ct));
    }

    sealed class PairViewRow
    {
        public long Id { get; init; }
        public long PairId { get; init; }
        public string Handle { get; init; } = "";
        public string Status { get; init; } = "";
        public string DisagreeingCriteria { get; init; } = "";
        public string CaseTitle { get; init; } = "";
        public string PresentationMd { get; init; } = "";
        public string QuestionMd { get; init; } = "";
        public string AHandle { get; init; } = "";
        public string AContentMd { get; init; } = "";
        public string ASlug { get; init; } = "";
        public string AModel { get; init; } = "";
        public string BHandle { get; init; } = "";
        public string BContentMd { get; init; } = "";
        public string BSlug { get; init; } = "";
        public string BModel { get; init; } = "";
    }

    sealed class PairJudgementRow
    {
        public long RaterId { get; init; }
        public string? ReasonsJson { get; init; }
        public string? Comment { get; init; }
    }

    sealed class PairConsensusRow
    {
        public string AxisId { get; init; } = "";
        public string Choice { get; init; } = "";
        public string Reason { get; init; } = "";
        public string DecidedByName { get; init; } = "";
        public DateTimeOffset At { get; init; }
    }

    /// <summary>The pair's item side by side, or null when the user may not see it: as <see cref="LoadAsync"/>, a rater
    /// only an item of a pair they submitted, once the study is in adjudication or closed. For a rater, the reveal is
    /// recorded before any vote is read: from now on their votes on the pair are final (<see cref="RatingReveals"/>).</summary>
    public async Task<PairAdjudicationView?> LoadPairAsync(long studyId, long itemId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { } access) return null;
        if (!access.IsCoordinator && !RatersMaySee(access.State)) return null;
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<PairViewRow>(new CommandDefinition("""
            SELECT i.id, i.pair_id, p.handle, i.status, i.disagreeing_criteria, c.title AS case_title, c.presentation_md, c.question_md,
                   a.handle AS a_handle, a.content_md AS a_content_md, a.slug AS a_slug, a.model AS a_model,
                   b.handle AS b_handle, b.content_md AS b_content_md, b.slug AS b_slug, b.model AS b_model
            FROM adjudication_items i
            JOIN pairs p ON p.id = i.pair_id
            JOIN cases c ON c.id = p.case_id
            JOIN responses a ON a.id = p.response_a_id
            JOIN responses b ON b.id = p.response_b_id
            WHERE i.id = @ItemId AND i.study_id = @StudyId AND p.study_id = @StudyId
            """, new { ItemId = itemId, StudyId = studyId }, cancellationToken: ct));
        if (row is null) return null;
        var participants = await PairParticipantsAsync(connection, null, row.PairId);
        if (!access.IsCoordinator && !participants.Contains(userId)) return null;
        // Before any vote leaves: from now on this rater's votes on the pair are final.
        if (!access.IsCoordinator)
        {
            // Under the write lock, as the response's reveal (RevealAsync).
            await using var reveal = await connection.BeginWriteAsync(ct);
            await RatingReveals.RecordPairAsync(connection, reveal, studyId, userId, row.PairId, clock.GetUtcNow());
            await reveal.CommitAsync(ct);
        }

        var questions = await PairwiseQuestions.LoadAsync(connection, null, studyId, ct);
        var keys = new { row.PairId, Raters = participants.ToArray() };
        var votes = (await connection.QueryAsync<PairVoteRow>(new CommandDefinition($"""
            SELECT v.pair_id, v.rater_id, x.slug AS axis_id, v.choice FROM pair_votes v JOIN pairwise_axes x ON x.id = v.axis_id
            WHERE v.pair_id = @PairId AND v.status = 'submitted' AND v.choice IS NOT NULL AND {ListParameter.In(connection, "v.rater_id", "@Raters")}
            """, keys, cancellationToken: ct))).ToLookup(v => v.RaterId);
        var judgements = (await connection.QueryAsync<PairJudgementRow>(new CommandDefinition($"""
            SELECT rater_id, reasons_json, comment FROM pair_assignments WHERE pair_id = @PairId AND {ListParameter.In(connection, "rater_id", "@Raters")}
            """, keys, cancellationToken: ct))).ToDictionary(j => j.RaterId);
        var names = (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition(
            $"SELECT id, display_name FROM users WHERE {ListParameter.In(connection, "id", "@Raters")}", keys, cancellationToken: ct))).ToDictionary(u => u.Id, u => u.Name);
        var raters = participants
            .Select(id => new PairRaterColumn(id, names.GetValueOrDefault(id, ""),
                votes[id].ToDictionary(v => v.AxisId, v => PairSides.ParseStored(v.Choice)!.Value),
                judgements.GetValueOrDefault(id)?.ReasonsJson is { } json ? JsonSerializer.Deserialize<string[]>(json)! : [],
                judgements.GetValueOrDefault(id)?.Comment))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.RaterId)
            .ToList();
        var consensus = await connection.QueryAsync<PairConsensusRow>(new CommandDefinition($"""
            SELECT x.slug AS axis_id, v.choice, v.reason, u.display_name AS decided_by_name, v.decided_at AS at
            FROM {LatestPairConsensus} v JOIN pairwise_axes x ON x.id = v.axis_id JOIN users u ON u.id = v.decided_by
            ORDER BY x.position, x.id
            """, new { ItemId = itemId }, cancellationToken: ct));

        var showModel = Blinding.MaySeeModel(access.Role, access.HideModel, ResponseUse.Adjudication);
        var inAdjudication = access.State == "adjudication";
        return new PairAdjudicationView
        {
            ItemId = row.Id,
            PairId = row.PairId,
            Handle = row.Handle,
            Status = row.Status,
            DisagreeingAxes = [.. Split(row.DisagreeingCriteria)],
            CaseTitle = row.CaseTitle,
            PresentationMd = row.PresentationMd,
            QuestionMd = row.QuestionMd,
            A = new PairAnswerView(row.AHandle, row.AContentMd, showModel ? row.ASlug : null, showModel ? row.AModel : null),
            B = new PairAnswerView(row.BHandle, row.BContentMd, showModel ? row.BSlug : null, showModel ? row.BModel : null),
            Axes = [.. questions.Axes.Select(a => a.Axis)],
            Reasons = [.. questions.Reasons.Select(r => r.Reason)],
            CanDecide = access.IsCoordinator && inAdjudication,
            CanPost = inAdjudication,
            Raters = raters,
            Messages = await MessagesAsync(connection, itemId, ct),
            Consensus = [.. consensus.Select(c => new PairConsensusVote
            {
                AxisId = c.AxisId, Choice = PairSides.ParseStored(c.Choice)!.Value, Reason = c.Reason, DecidedByName = c.DecidedByName, At = c.At,
            })],
            Participants = participants,
        };
    }

    /// <summary>The consensus of the item <c>@ItemId</c>: the latest of its appended decisions on each axis (a table
    /// expression, aliased by its user).</summary>
    const string LatestPairConsensus = """
        (SELECT * FROM pair_consensus_votes c
         WHERE c.item_id = @ItemId AND c.id = (SELECT MAX(l.id) FROM pair_consensus_votes l WHERE l.item_id = c.item_id AND l.axis_id = c.axis_id))
        """;

    /// <summary>Appends the consensus votes of a pair's item in one transaction, all or none, for <see cref="SaveConsensusAsync"/>
    /// (which has checked the coordinator, the item and the study's state): each entry names an axis of the study by id
    /// and a choice by model (<c>a</c>, <c>b</c>, <c>tie</c>, or <c>both_bad</c> where the axis offers it) with a reason of 1
    /// to <see cref="MaxReasonLength"/> characters. An entry equal to the axis's consensus (choice and reason) is not
    /// written again; a changed one is a new row, the earlier ones kept. The item is resolved once every axis that
    /// disagreed has a consensus vote.</summary>
    async Task<ItemChanged> SavePairConsensusAsync(DbConnection connection, DbTransaction transaction, long studyId, long itemId, long userId,
        Target target, IReadOnlyList<long> participants, IReadOnlyList<ConsensusEntry> entries, CancellationToken ct)
    {
        var axes = (await PairwiseQuestions.LoadAsync(connection, transaction, studyId, ct)).Axes;
        var stored = (await connection.QueryAsync<(string Slug, string Choice, string Reason)>($"""
            SELECT x.slug, v.choice, v.reason FROM {LatestPairConsensus} v JOIN pairwise_axes x ON x.id = v.axis_id
            """, new { ItemId = itemId }, transaction)).ToDictionary(v => v.Slug);
        var problems = new Dictionary<string, Message>();
        var rows = new List<object>();
        var now = clock.GetUtcNow();
        foreach (var entry in entries)
        {
            var (axisId, axis) = axes.FirstOrDefault(a => a.Axis.Id == entry.CriterionId);
            if (axis is null)
            {
                problems[entry.CriterionId] = new Message("Vote_NoSuchAxis");
                continue;
            }
            var given = entry.Value?.Trim() ?? "";
            var why = entry.Reason?.Trim() ?? "";
            var problem = given.Length == 0 ? PairwiseStore.ChoiceRequired
                : given == PairSides.Text(PairChoice.BothBad) && !axis.BothUnacceptable ? new Message("Vote_BothBadNotOffered")
                : axis.AsCriterion().CheckValue(given) ?? (why.Length is 0 or > MaxReasonLength ? new Message("Value_ReasonRequired", MaxReasonLength) : null);
            if (problem is not null)
            {
                problems[entry.CriterionId] = problem;
                continue;
            }
            if (stored.TryGetValue(axis.Id, out var old) && old.Choice == given && old.Reason == why) continue;
            rows.Add(new { ItemId = itemId, AxisId = axisId, Choice = given, Reason = why, UserId = userId, Now = now });
        }
        if (problems.Count > 0)
            return new(AdjudicationOutcome.Invalid, target.ResponseId, target.Status, participants, "Nothing was saved: some values need attention.")
            {
                CriterionProblems = problems,
            };

        await connection.ExecuteAsync("""
            INSERT INTO pair_consensus_votes (item_id, axis_id, choice, reason, decided_by, decided_at)
            VALUES (@ItemId, @AxisId, @Choice, @Reason, @UserId, @Now)
            """, rows, transaction);
        if (rows.Count > 0) await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        var decided = stored.Keys.Concat(entries.Select(e => e.CriterionId)).ToHashSet();
        var disagreeing = Split(target.DisagreeingCriteria).ToHashSet();
        var status = target.Status;
        if (status == "open" && AdjudicationTriage.IsSettled([.. axes.Where(a => disagreeing.Contains(a.Axis.Id)).Select(a => a.Axis.AsCriterion())], decided))
            status = await ResolveAsync(connection, transaction, itemId, userId, now);
        await transaction.CommitAsync(ct);
        return new(AdjudicationOutcome.Done, target.ResponseId, status, participants) { Saved = rows.Count };
    }

    /// <summary>The questions, in axis order, of the pair's axes whose physicians' submitted votes differ (by model) and
    /// that have no consensus vote: what Mark resolved warns about.</summary>
    static async Task<IReadOnlyList<string>> PairStillDisagreeingAsync(DbConnection connection, DbTransaction transaction, long studyId, long itemId,
        long pairId, CancellationToken ct)
    {
        var axes = (await PairwiseQuestions.LoadAsync(connection, transaction, studyId, ct)).Axes.Select(a => a.Axis).ToList();
        var votes = (await connection.QueryAsync<(string Slug, string Choice)>("""
            SELECT x.slug, v.choice FROM pair_votes v JOIN pairwise_axes x ON x.id = v.axis_id
            WHERE v.pair_id = @PairId AND v.status = 'submitted' AND v.choice IS NOT NULL AND v.rater_id NOT IN (SELECT user_id FROM judges)
            """, new { PairId = pairId }, transaction)).ToLookup(v => v.Slug, v => v.Choice);
        var decided = (await connection.QueryAsync<string>($"""
            SELECT x.slug FROM {LatestPairConsensus} v JOIN pairwise_axes x ON x.id = v.axis_id
            """, new { ItemId = itemId }, transaction)).ToHashSet();
        return [.. axes.Where(a => !decided.Contains(a.Id) && ConsensusSuggestion.Differ(a.AsCriterion(), votes[a.Id])).Select(a => a.Question)];
    }
}
