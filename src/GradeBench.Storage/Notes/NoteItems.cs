using System.Data.Common;
using Dapper;
using GradeBench.Core.Studies;

namespace GradeBench.Storage.Notes;

/// <summary>A note-only study's unit of work (<c>"design": "annotation"</c>) is a case. Each case is stored as one hidden
/// row of <c>responses</c>, its note item: the case's slug, an empty model and no content. Assignments, queue order,
/// random handles, <c>raters_per_response</c> (the raters per case) and the rebalancing of work then apply unchanged, and
/// the note's passages are the rater's by case as in any study. No bundle answer looks like one: a model is an identifier,
/// never empty. <c>studies.design</c> stays <c>'single'</c> (its CHECK allows no third value without rebuilding the
/// table); a study is note-only when its responses are note items, which <see cref="IsAnnotation"/> tells.</summary>
public static class NoteItems
{
    /// <summary>The model of a note item.</summary>
    public const string Model = "";

    /// <summary>SQL true when the study whose id is the SQL expression <paramref name="studyId"/> is a note-only one. A
    /// note-only study has note items only, and no other study has any, so one response of the study tells: an index seek,
    /// not a scan of a large study's answers (the home page asks it of every study).</summary>
    public static string IsAnnotation(string studyId) =>
        $"COALESCE((SELECT note_item.model FROM responses note_item WHERE note_item.study_id = {studyId} LIMIT 1) = '', FALSE)";

    /// <summary>The study's design as the app names it: <c>"single"</c>, <c>"pairwise"</c> or <c>"annotation"</c>.</summary>
    public static string Design(string study) => $"CASE WHEN {IsAnnotation($"{study}.id")} THEN 'annotation' ELSE {study}.design END";

    public static async Task<bool> IsAnnotationAsync(DbConnection connection, DbTransaction? transaction, long studyId, CancellationToken ct = default) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT {IsAnnotation("@StudyId")}", new { StudyId = studyId }, transaction, cancellationToken: ct));

    /// <summary>One note item per case, in case order, for an import to write as it writes answers.</summary>
    public static IReadOnlyList<ModelResponse> Of(IReadOnlyList<StudyCase> cases) => [.. cases.Select(c => new ModelResponse(c.Id, c.Id, Model, "", null))];
}
