using System.Data.Common;
using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;

namespace GradeBench.Storage.Pairwise;

/// <summary>A side-by-side study's axes and reason tags as stored (migration 0020), in display order, each with its
/// database id.</summary>
sealed record StoredPairwiseQuestions(IReadOnlyList<(long Id, PairwiseAxis Axis)> Axes, IReadOnlyList<(long Id, PairwiseReasonTag Reason)> Reasons);

/// <summary>Reads <see cref="StoredPairwiseQuestions"/>: what the pair page shows and what a vote is checked against.</summary>
static class PairwiseQuestions
{
    sealed class AxisRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Question { get; init; } = "";
        public string? QuestionTranslationsJson { get; init; }
        public string? HelpMd { get; init; }
        public string? HelpTranslationsJson { get; init; }
        public bool BothBad { get; init; }
    }

    sealed class ReasonRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string? LabelTranslationsJson { get; init; }
    }

    public static async Task<StoredPairwiseQuestions> LoadAsync(DbConnection connection, DbTransaction? transaction, long studyId, CancellationToken ct)
    {
        var axes = await connection.QueryAsync<AxisRow>(new CommandDefinition("""
            SELECT id, slug, question, question_translations_json, help_md, help_translations_json, both_bad
            FROM pairwise_axes WHERE study_id = @StudyId ORDER BY position, id
            """, new { StudyId = studyId }, transaction, cancellationToken: ct));
        var reasons = await connection.QueryAsync<ReasonRow>(new CommandDefinition("""
            SELECT id, slug, label, label_translations_json FROM pairwise_reasons WHERE study_id = @StudyId ORDER BY position, id
            """, new { StudyId = studyId }, transaction, cancellationToken: ct));
        return new StoredPairwiseQuestions(
            [.. axes.Select(a => (a.Id, new PairwiseAxis(a.Slug, a.Question, a.HelpMd, a.BothBad)
            {
                QuestionTranslations = Translations.FromJson(a.QuestionTranslationsJson),
                HelpTranslations = Translations.FromJson(a.HelpTranslationsJson),
            }))],
            [.. reasons.Select(r => (r.Id, new PairwiseReasonTag(r.Slug, r.Label) { LabelTranslations = Translations.FromJson(r.LabelTranslationsJson) }))]);
    }
}
