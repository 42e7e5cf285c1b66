using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Rubrics;

/// <summary>The rubric criteria that span labels and note labels bear on (study.json's <c>criteria</c> on a label;
/// tables span_label_criteria and note_label_criteria).</summary>
public enum LabelKind { Span, Note }

static class LabelCriteria
{
    static string Table(LabelKind kind) => kind == LabelKind.Span ? "span_label_criteria" : "note_label_criteria";

    static string Labels(LabelKind kind) => kind == LabelKind.Span ? "span_labels" : "note_labels";

    /// <summary>Stores the links of one label; <paramref name="criterionIds"/> maps the rubric's criterion ids to rows.</summary>
    internal static Task InsertAsync(DbConnection connection, DbTransaction transaction, LabelKind kind, long labelId, IReadOnlyList<string> criteria,
        IReadOnlyDictionary<string, long> criterionIds) =>
        connection.ExecuteAsync($"INSERT INTO {Table(kind)} (label_id, criterion_id, position) VALUES (@LabelId, @CriterionId, @Position)",
            criteria.Select((c, i) => new { LabelId = labelId, CriterionId = criterionIds[c], Position = i }), transaction);

    /// <summary>The criterion ids (slugs) each label of the study names, in its order, by label id (slug).</summary>
    internal static async Task<Dictionary<string, List<string>>> OfStudyAsync(DbConnection connection, DbTransaction? transaction, LabelKind kind,
        long studyId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(string Label, string Criterion)>(new CommandDefinition($"""
            SELECT l.slug, c.slug FROM {Labels(kind)} l JOIN {Table(kind)} k ON k.label_id = l.id JOIN criteria c ON c.id = k.criterion_id
            WHERE l.study_id = @StudyId ORDER BY l.position, k.position
            """, new { StudyId = studyId }, transaction, cancellationToken: ct));
        var linked = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (label, criterion) in rows)
        {
            if (!linked.TryGetValue(label, out var list)) linked[label] = list = [];
            list.Add(criterion);
        }
        return linked;
    }
}
