using System.Data.Common;
using Dapper;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Adjudication;

/// <summary>The coordinator's decisions on an item: consensus values (saved all together) and Mark resolved.</summary>
public sealed partial class AdjudicationStore
{
    /// <summary>Records (or replaces) the consensus value of one criterion with its reason: <see cref="SaveConsensusAsync"/>
    /// with one entry.</summary>
    public async Task<ItemChanged> RecordConsensusAsync(long studyId, long itemId, long userId, string criterionId, string? value, string? reason,
        CancellationToken ct = default)
    {
        var change = await SaveConsensusAsync(studyId, itemId, userId, [new ConsensusEntry(criterionId, value, reason)], ct);
        return change.CriterionProblems.Count == 0 ? change : change with { Problem = change.CriterionProblems.Values.First().ToString() };
    }

    /// <summary>Records the consensus values of an item in one transaction, all or none: coordinators only, while the study
    /// is in adjudication; each value must be on its criterion's scale (text criteria have none) and come with a reason of
    /// 1 to <see cref="MaxReasonLength"/> characters. An entry equal to what is stored is not written again. The item is
    /// resolved once every criterion but free text has a consensus value. A pair's item takes consensus votes by axis
    /// instead (<see cref="SavePairConsensusAsync"/>).</summary>
    public async Task<ItemChanged> SaveConsensusAsync(long studyId, long itemId, long userId, IReadOnlyList<ConsensusEntry> entries,
        CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { IsCoordinator: true })
            return new(AdjudicationOutcome.NotAllowed, 0, "", [], "Only a coordinator of this study records consensus.");
        var criteria = await rubric.LoadAsync(studyId, ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, userId, ct) is not { IsCoordinator: true })
            return new(AdjudicationOutcome.NotAllowed, 0, "", [], "Only a coordinator of this study records consensus.");
        if (await TargetAsync(connection, transaction, studyId, itemId) is not { } target) return new(AdjudicationOutcome.NotFound, 0, "", []);
        var participants = await ParticipantsAsync(connection, transaction, target);
        if (target.State != "adjudication")
            return new(AdjudicationOutcome.StudyNotInAdjudication, target.ResponseId, target.Status, participants, "The study is not in adjudication.");
        if (target.PairId is not null)
            return await SavePairConsensusAsync(connection, transaction, studyId, itemId, userId, target, participants, entries, ct);
        criteria = await WithChecklistAsync(connection, transaction, criteria, target.ResponseId, ct);

        var problems = new Dictionary<string, Message>();
        var rows = new List<object>();
        var stored = (await connection.QueryAsync<(string Slug, string Value, string Reason)>("""
            SELECT c.slug, v.value, v.reason FROM consensus_values v JOIN criteria c ON c.id = v.criterion_id WHERE v.item_id = @ItemId
            """, new { ItemId = itemId }, transaction)).ToDictionary(v => v.Slug);
        var now = clock.GetUtcNow();
        foreach (var entry in entries)
        {
            var match = criteria.FirstOrDefault(c => c.Criterion.Id == entry.CriterionId);
            if (match.Criterion is null or { Type: CriterionType.Text })
            {
                problems[entry.CriterionId] = new Message("Value_UnknownCriterion", entry.CriterionId);
                continue;
            }
            var given = entry.Value?.Trim() ?? "";
            var why = entry.Reason?.Trim() ?? "";
            var problem = given.Length == 0 ? new Message("Value_ValueRequired")
                : match.Criterion.CheckValue(given) ?? (why.Length is 0 or > MaxReasonLength ? new Message("Value_ReasonRequired", MaxReasonLength) : null);
            if (problem is not null)
            {
                problems[entry.CriterionId] = problem;
                continue;
            }
            var value = match.Criterion.Canonical(given);
            if (stored.TryGetValue(entry.CriterionId, out var old) && old.Value == value && old.Reason == why) continue;
            rows.Add(new { ItemId = itemId, CriterionId = match.Id, Value = value, Reason = why, UserId = userId, Now = now });
        }
        if (problems.Count > 0)
            return new(AdjudicationOutcome.Invalid, target.ResponseId, target.Status, participants, "Nothing was saved: some values need attention.")
            {
                CriterionProblems = problems,
            };

        await connection.ExecuteAsync("""
            INSERT INTO consensus_values (item_id, criterion_id, value, reason, decided_by, decided_at)
            VALUES (@ItemId, @CriterionId, @Value, @Reason, @UserId, @Now)
            ON CONFLICT (item_id, criterion_id) DO UPDATE SET
                value = excluded.value, reason = excluded.reason, decided_by = excluded.decided_by, decided_at = excluded.decided_at
            """, rows, transaction);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        var decided = stored.Keys.Concat(entries.Select(e => e.CriterionId)).ToHashSet();
        var status = target.Status;
        if (status == "open" && AdjudicationTriage.IsSettled(criteria.Select(c => c.Criterion).ToList(), decided))
            status = await ResolveAsync(connection, transaction, itemId, userId, now);
        await transaction.CommitAsync(ct);
        return new(AdjudicationOutcome.Done, target.ResponseId, status, participants) { Saved = rows.Count };
    }

    /// <summary>Closes the item: coordinators only, while the study is in adjudication. While some criterion's ratings
    /// differ and it has no consensus value, the item stays open (<see cref="AdjudicationOutcome.StillDisagrees"/>, naming
    /// them) unless <paramref name="evenIfDisagreeing"/> says the coordinator saw that and resolves anyway.</summary>
    public async Task<ItemChanged> MarkResolvedAsync(long studyId, long itemId, long userId, bool evenIfDisagreeing = false, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { IsCoordinator: true })
            return new(AdjudicationOutcome.NotAllowed, 0, "", [], "Only a coordinator of this study resolves items.");
        var rubricCriteria = await rubric.LoadAsync(studyId, ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, userId, ct) is not { IsCoordinator: true })
            return new(AdjudicationOutcome.NotAllowed, 0, "", [], "Only a coordinator of this study resolves items.");
        if (await TargetAsync(connection, transaction, studyId, itemId) is not { } target) return new(AdjudicationOutcome.NotFound, 0, "", []);
        var participants = await ParticipantsAsync(connection, transaction, target);
        if (target.State != "adjudication")
            return new(AdjudicationOutcome.StudyNotInAdjudication, target.ResponseId, target.Status, participants, "The study is not in adjudication.");
        if (target.Status == "open" && !evenIfDisagreeing && await StillDisagreeingAsync(connection, transaction, studyId, rubricCriteria, itemId, target, ct) is { Count: > 0 } left)
            return new(AdjudicationOutcome.StillDisagrees, target.ResponseId, target.Status, participants,
                $"Still disagreeing without a consensus value: {string.Join(", ", left)}.") { StillDisagreeing = left };
        var status = target.Status == "open" ? await ResolveAsync(connection, transaction, itemId, userId, clock.GetUtcNow()) : target.Status;
        await transaction.CommitAsync(ct);
        return new(AdjudicationOutcome.Done, target.ResponseId, status, participants);
    }

    /// <summary>Labels, in rubric order then the checklist's, of the criteria whose physicians' submitted ratings differ and
    /// that have no consensus value; for a pair's item, the questions of its axes likewise (<see cref="PairStillDisagreeingAsync"/>).</summary>
    static async Task<IReadOnlyList<string>> StillDisagreeingAsync(DbConnection connection, DbTransaction transaction, long studyId,
        IReadOnlyList<(long Id, Criterion Criterion)> rubricCriteria, long itemId, Target target, CancellationToken ct)
    {
        if (target.PairId is { } pairId) return await PairStillDisagreeingAsync(connection, transaction, studyId, itemId, pairId, ct);
        var responseId = target.ResponseId;
        var criteria = (await WithChecklistAsync(connection, transaction, rubricCriteria, responseId, ct)).Select(c => c.Criterion).ToList();
        var values = (await connection.QueryAsync<(string Slug, string Value)>("""
            SELECT c.slug, g.value FROM ratings g JOIN criteria c ON c.id = g.criterion_id
            WHERE g.response_id = @ResponseId AND g.status = 'submitted' AND g.value IS NOT NULL
              AND g.rater_id NOT IN (SELECT user_id FROM judges)
            """, new { ResponseId = responseId }, transaction)).ToLookup(v => v.Slug, v => v.Value);
        var decided = (await connection.QueryAsync<string>("""
            SELECT c.slug FROM consensus_values v JOIN criteria c ON c.id = v.criterion_id WHERE v.item_id = @ItemId
            """, new { ItemId = itemId }, transaction)).ToHashSet();
        return criteria.Where(c => !decided.Contains(c.Id) && ConsensusSuggestion.Differ(c, values[c.Id])).Select(c => c.Label).ToList();
    }

    static async Task<string> ResolveAsync(DbConnection connection, DbTransaction transaction, long itemId, long userId, DateTimeOffset now)
    {
        await connection.ExecuteAsync("""
            UPDATE adjudication_items SET status = 'resolved', resolved_at = @Now, resolved_by = @UserId WHERE id = @ItemId AND status = 'open'
            """, new { ItemId = itemId, UserId = userId, Now = now }, transaction);
        return "resolved";
    }
}
