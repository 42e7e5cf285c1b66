using System.Text.Json;
using Dapper;
using GradeBench.Core.Checklists;
using GradeBench.Storage.Judges;

namespace GradeBench.Storage.Rubrics;

/// <summary>A study's checklist marks as <see cref="ChecklistAnalysis"/> takes them: every mark of a rating that counts,
/// and how many ratings were left out for lacking a mark (<see cref="ChecklistMarksQuery"/>).</summary>
/// <param name="IncompleteRatings">The (answer, rater) pairs with some submitted marks of the case's checklist but not one
/// of each criterion (a pilot rating imported without them all), left out.</param>
/// <param name="RaterNames">The display names of the raters by the user names the marks carry.</param>
public sealed record StudyChecklistMarks(IReadOnlyList<ChecklistMark> Marks, int IncompleteRatings, IReadOnlyDictionary<string, string> RaterNames);

/// <summary>The marks of a study's case checklists (docs/designs.md, "Checklist studies: statistics"; docs/results.md,
/// "Checklists") for their statistics: the physicians' independent submitted marks (judges', drafts and consensus values
/// left out), each as (response id, model, case id, rater's username, criterion id, points, met, tags). A mark is a
/// rating of a case criterion whose value is <c>true</c> (met) or <c>false</c>. The statistics need every criterion of an
/// answer marked by each of its raters, which a submit in the app guarantees; a rater whose submitted marks of an answer
/// miss a criterion (a pilot rating imported without it, a warning at import) has that answer's marks left out, counted in
/// <see cref="StudyChecklistMarks.IncompleteRatings"/>. Read through the study's case criteria and their cases' answers
/// (index lookups): a study without checklists reads no ratings.</summary>
public sealed class ChecklistMarksQuery(Database database)
{
    sealed class MarkRow
    {
        public long ResponseId { get; init; }
        public long RaterId { get; init; }
        public long CaseId { get; init; }
        public string Response { get; init; } = "";
        public string Model { get; init; } = "";
        public string Case { get; init; } = "";
        public string Rater { get; init; } = "";
        public string RaterName { get; init; } = "";
        public string Criterion { get; init; } = "";
        public long Points { get; init; }
        public string Value { get; init; } = "";
        public string TagsJson { get; init; } = "[]";
    }

    // The criteria table is small (rubrics and checklists): read by its study column, never through the study's cases.
    const string CaseCriteriaOfStudy = "k.study_id = @StudyId AND k.case_id IS NOT NULL";

    /// <summary>Whether a case of the study has a checklist.</summary>
    public async Task<bool> HasChecklistsAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM criteria k WHERE {CaseCriteriaOfStudy})", new { StudyId = studyId }, cancellationToken: ct));
    }

    /// <summary>The study's marks in a stable order (case, response, rater, criterion position), so that the bootstrap
    /// numbers cases the same on every read; null when no case of the study has a checklist.</summary>
    public async Task<StudyChecklistMarks?> LoadAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // One snapshot for the checklists and their marks.
        await using var transaction = await connection.BeginSnapshotAsync(ct);
        var parameters = new { StudyId = studyId };
        var criteriaPerCase = (await connection.QueryAsync<(long CaseId, long Criteria)>(new CommandDefinition($"""
            SELECT k.case_id, COUNT(*) FROM criteria k WHERE {CaseCriteriaOfStudy} GROUP BY k.case_id
            """, parameters, transaction, cancellationToken: ct))).ToDictionary(c => c.CaseId, c => c.Criteria);
        if (criteriaPerCase.Count == 0) return null;
        var rows = (await connection.QueryAsync<MarkRow>(new CommandDefinition($"""
            SELECT g.response_id, g.rater_id, c.id AS case_id, r.slug AS response, r.model, c.slug AS "case", u.username AS rater,
                   u.display_name AS rater_name, k.slug AS criterion, k.points, g.value, k.tags_json
            FROM criteria k
            JOIN cases c ON c.id = k.case_id
            JOIN responses r ON r.case_id = k.case_id
            JOIN ratings g ON g.response_id = r.id AND g.criterion_id = k.id
            JOIN users u ON u.id = g.rater_id
            WHERE {CaseCriteriaOfStudy} AND g.status = 'submitted' AND g.value IN ('true', 'false')
              AND g.rater_id NOT IN {JudgeRaters.OfStudy}
            ORDER BY c.position, c.id, r.position, r.id, u.id, k.position
            """, parameters, transaction, cancellationToken: ct))).AsList();

        var marks = new List<ChecklistMark>(rows.Count);
        var incomplete = 0;
        foreach (var rating in rows.GroupBy(m => (m.ResponseId, m.RaterId)))
        {
            var own = rating.ToList();
            if (own.Count < criteriaPerCase[own[0].CaseId])
            {
                incomplete++;
                continue;
            }
            marks.AddRange(own.Select(m => new ChecklistMark(m.Response, m.Model, m.Case, m.Rater, m.Criterion, (int)m.Points, m.Value == "true",
                JsonSerializer.Deserialize<List<string>>(m.TagsJson)!)));
        }
        return new StudyChecklistMarks(marks, incomplete, rows.DistinctBy(m => m.Rater).ToDictionary(m => m.Rater, m => m.RaterName, StringComparer.Ordinal));
    }

    /// <summary>The study's checklist statistics (<see cref="StudyChecklistResults"/>); null when it has no checklists.
    /// The one computation behind the results page and the report.</summary>
    public async Task<StudyChecklistResults?> ComputeAsync(long studyId, CancellationToken ct = default)
    {
        if (await LoadAsync(studyId, ct) is not { } loaded) return null;
        // CPU-bound (the bootstrap): off the caller's thread.
        var report = loaded.Marks.Count == 0 ? null : await Task.Run(() => ChecklistAnalysis.Run(loaded.Marks), ct);
        return new StudyChecklistResults(report, loaded.IncompleteRatings, loaded.RaterNames);
    }
}
