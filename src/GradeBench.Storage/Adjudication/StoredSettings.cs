using System.Data.Common;
using Dapper;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Rubrics;

namespace GradeBench.Storage.Adjudication;

/// <summary>A study's adjudication rules in <c>adjudication_rules</c> and <c>safety_rules</c> (the rubric's), and
/// <c>studies.checklist_adjudication</c> (every case criterion's), written at import.</summary>
static class StoredSettings
{
    sealed class RuleRow
    {
        public long CriterionId { get; init; }
        public string Disagreement { get; init; } = "";
        public double? MinRange { get; init; }
    }

    sealed class SafetyRow
    {
        public long CriterionId { get; init; }
        public string Value { get; init; } = "";
    }

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, long studyId, AdjudicationSettings settings,
        IReadOnlyList<Criterion> criteria, IReadOnlyDictionary<string, long> criterionIds)
    {
        const string insertRule = """
            INSERT INTO adjudication_rules (criterion_id, study_id, disagreement, min_range) VALUES (@CriterionId, @StudyId, @Disagreement, @MinRange)
            """;
        const string insertSafety = "INSERT INTO safety_rules (criterion_id, value) VALUES (@CriterionId, @Value)";
        await connection.ExecuteAsync(insertRule, criteria.Select(c => settings.RuleFor(c)).Zip(criteria, (rule, c) => new
        {
            CriterionId = criterionIds[c.Id],
            StudyId = studyId,
            Disagreement = rule.Kind.ToString().ToLowerInvariant(),
            MinRange = rule.Kind == DisagreementKind.Range ? rule.MinRange : (double?)null,
        }), transaction);
        await connection.ExecuteAsync(insertSafety, settings.Safety
            .SelectMany(t => t.Values.Select(v => new { CriterionId = criterionIds[t.CriterionId], Value = v })), transaction);
        if (settings.Checklist.Kind == DisagreementKind.Never)
            await connection.ExecuteAsync("UPDATE studies SET checklist_adjudication = 'never' WHERE id = @StudyId", new { StudyId = studyId }, transaction);
    }

    /// <summary>The study's settings; the defaults for a study imported before rules were stored.</summary>
    public static async Task<AdjudicationSettings> LoadAsync(DbConnection connection, DbTransaction? transaction, long studyId,
        IReadOnlyList<(long Id, Criterion Criterion)> criteria)
    {
        const string rulesSql = """
            SELECT criterion_id, disagreement, min_range FROM adjudication_rules WHERE study_id = @StudyId
            """;
        const string safetySql = """
            SELECT s.criterion_id, s.value FROM safety_rules s JOIN criteria c ON c.id = s.criterion_id
            WHERE c.study_id = @StudyId ORDER BY c.position, s.value
            """;
        var rules = (await connection.QueryAsync<RuleRow>(rulesSql, new { StudyId = studyId }, transaction)).AsList();
        var checklist = await connection.ExecuteScalarAsync<string>("SELECT checklist_adjudication FROM studies WHERE id = @StudyId",
            new { StudyId = studyId }, transaction) == "never" ? DisagreementRule.Never : DisagreementRule.Any;
        var plain = criteria.Select(c => c.Criterion).ToList();
        if (rules.Count == 0) return AdjudicationSettings.Defaults(plain) with { Checklist = checklist };
        var slugs = criteria.ToDictionary(c => c.Id, c => c.Criterion.Id);
        var safety = (await connection.QueryAsync<SafetyRow>(safetySql, new { StudyId = studyId }, transaction))
            .GroupBy(s => s.CriterionId)
            .Select(g => new SafetyTrigger(slugs[g.Key], g.Select(s => s.Value).ToList()))
            .ToList();
        return new AdjudicationSettings(rules.ToDictionary(r => slugs[r.CriterionId], r => r.Disagreement switch
        {
            "any" => DisagreementRule.Any,
            "range" => DisagreementRule.Range(r.MinRange ?? 0),
            _ => DisagreementRule.Never,
        }), safety) { Checklist = checklist };
    }
}
