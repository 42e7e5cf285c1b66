using System.Data.Common;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Rubrics;

namespace GradeBench.Storage.Rubrics;

/// <summary>The cases' checklists (docs/bundle-format.md, "Checklists: criteria of one case"): rows of <c>criteria</c>
/// with a <c>case_id</c>, which <see cref="RubricQuery"/> never returns. Keyed by their database id, which marks
/// (<c>ratings.criterion_id</c>) name.</summary>
public sealed class ChecklistQuery(Database database)
{
    sealed class Row
    {
        public long Id { get; init; }
        public long CaseId { get; init; }
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string? LabelTranslationsJson { get; init; }
        public long Points { get; init; }
        public string? TagsJson { get; init; }

        public (long Id, CaseCriterion Criterion) ToCore() => (Id, new CaseCriterion(Slug, Label, (int)Points,
            JsonSerializer.Deserialize<List<string>>(TagsJson ?? "[]")!) { TextTranslations = Translations.FromJson(LabelTranslationsJson) });
    }

    const string Columns = "k.id, k.case_id, k.slug, k.label, k.label_translations_json, k.points, k.tags_json";

    /// <summary>The checklist of the case the response answers, in order; empty when it has none.</summary>
    public async Task<IReadOnlyList<(long Id, CaseCriterion Criterion)>> OfResponseAsync(long responseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await OfResponseAsync(connection, null, responseId, ct);
    }

    /// <inheritdoc cref="OfResponseAsync(long, CancellationToken)"/>
    /// <param name="assignedTo">When given, empty unless the response is assigned to that rater in that study: what a
    /// rater may be told of a response (a value's check never reveals another response's checklist).</param>
    internal static async Task<IReadOnlyList<(long Id, CaseCriterion Criterion)>> OfResponseAsync(DbConnection connection, DbTransaction? transaction,
        long responseId, CancellationToken ct, (long StudyId, long RaterId)? assignedTo = null) =>
        (await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM criteria k JOIN responses r ON r.case_id = k.case_id
            WHERE r.id = @ResponseId
              AND (@RaterId IS NULL OR EXISTS (SELECT 1 FROM assignments a WHERE a.response_id = r.id AND a.rater_id = @RaterId AND a.study_id = @StudyId))
            ORDER BY k.position
            """, new { ResponseId = responseId, StudyId = assignedTo?.StudyId, RaterId = assignedTo?.RaterId }, transaction, cancellationToken: ct))).Select(r => r.ToCore()).ToList();

    /// <summary>Every checklist of the study, by case database id, each in order; cases without one are left out.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<(long Id, CaseCriterion Criterion)>>> OfStudyAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await OfStudyAsync(connection, null, studyId, ct);
    }

    /// <inheritdoc cref="OfStudyAsync(long, CancellationToken)"/>
    internal static async Task<IReadOnlyDictionary<long, IReadOnlyList<(long Id, CaseCriterion Criterion)>>> OfStudyAsync(DbConnection connection,
        DbTransaction? transaction, long studyId, CancellationToken ct) =>
        (await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM criteria k JOIN cases c ON c.id = k.case_id
            WHERE c.study_id = @StudyId ORDER BY k.case_id, k.position
            """, new { StudyId = studyId }, transaction, cancellationToken: ct)))
            .GroupBy(r => r.CaseId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(long, CaseCriterion)>)g.Select(r => r.ToCore()).ToList());
}

/// <summary>The one way a query over a study's ratings leaves the cases' checklists out: statistics, progress and reports
/// per criterion speak of the rubric, and marks are ratings in the same table (<see cref="ChecklistQuery"/>).</summary>
static class CaseCriteria
{
    /// <summary>The database ids of the case criteria of the study <c>@StudyId</c>.</summary>
    public const string OfStudy = "(SELECT k.id FROM criteria k JOIN cases c ON c.id = k.case_id WHERE c.study_id = @StudyId)";

    /// <summary>The database ids of the study's case criteria, for a pass over its ratings that leaves the marks out as
    /// it reads them: a condition in its SQL changes the order SQLite gives the rows in, which the results' bootstrap
    /// numbers cases by and the agreement's unit matrix is built in.</summary>
    public static async Task<HashSet<long>> IdsOfStudyAsync(DbConnection connection, DbTransaction? transaction, long studyId, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        await RawRows.StepAsync(connection, transaction, "SELECT k.id FROM criteria k JOIN cases c ON c.id = k.case_id WHERE c.study_id = ?1", studyId,
            s => ids.Add(s.GetInt64(0)), ct);
        return ids;
    }
}
