using Dapper;
using GradeBench.Core.Rubrics;

namespace GradeBench.Storage.Rubrics;

public sealed class RubricQuery(Database database)
{
    // Property-mapped: SQLite hands booleans and integers back as Int64, which constructor mapping would refuse.
    sealed class CriterionRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string? LabelTranslationsJson { get; init; }
        public string? HelpMd { get; init; }
        public string? HelpTranslationsJson { get; init; }
        public string Type { get; init; } = "";
        public bool Required { get; init; }
        public double? MinValue { get; init; }
        public double? MaxValue { get; init; }
    }

    sealed class OptionRow
    {
        public long CriterionId { get; init; }
        public string Value { get; init; } = "";
        public string Label { get; init; } = "";
        public string? LabelTranslationsJson { get; init; }
    }

    static CriterionOption Option(OptionRow row) =>
        new(row.Value, row.Label) { LabelTranslations = Translations.FromJson(row.LabelTranslationsJson) };

    /// <summary>The study's rubric, its shared criteria, in rubric order, keyed by their database id, as the Core type that
    /// checks values (with their texts' translations). The cases' checklists are not part of it (<see cref="ChecklistQuery"/>).</summary>
    public async Task<IReadOnlyList<(long Id, Criterion Criterion)>> LoadAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<CriterionRow>(new CommandDefinition("""
            SELECT id, slug, label, label_translations_json, help_md, help_translations_json, type, required, min_value, max_value FROM criteria WHERE study_id = @StudyId AND case_id IS NULL ORDER BY position
            """, new { StudyId = studyId }, cancellationToken: ct))).AsList();
        var options = (await connection.QueryAsync<OptionRow>(new CommandDefinition("""
            SELECT o.criterion_id, o.value, o.label, o.label_translations_json FROM criterion_options o JOIN criteria c ON c.id = o.criterion_id
            WHERE c.study_id = @StudyId AND c.case_id IS NULL ORDER BY o.criterion_id, o.position
            """, new { StudyId = studyId }, cancellationToken: ct))).ToLookup(o => o.CriterionId);
        var anchors = (await connection.QueryAsync<OptionRow>(new CommandDefinition("""
            SELECT a.criterion_id, CAST(a.point AS TEXT) AS value, a.label, a.label_translations_json FROM criterion_anchors a JOIN criteria c ON c.id = a.criterion_id
            WHERE c.study_id = @StudyId AND c.case_id IS NULL ORDER BY a.criterion_id, a.point
            """, new { StudyId = studyId }, cancellationToken: ct))).ToLookup(o => o.CriterionId);
        return rows.Select(r =>
        {
            Criterion.TryParseType(r.Type, out var type);
            return (r.Id, new Criterion(r.Slug, r.Label, r.HelpMd, type, r.Required, r.MinValue, r.MaxValue,
                anchors[r.Id].Select(Option).ToList(), options[r.Id].Select(Option).ToList())
            {
                LabelTranslations = Translations.FromJson(r.LabelTranslationsJson),
                HelpTranslations = Translations.FromJson(r.HelpTranslationsJson),
            });
        }).ToList();
    }
}
