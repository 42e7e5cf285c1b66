using System.Data.Common;
using System.Text.Json;
using GradeBench.Core.Rubrics;

namespace GradeBench.Storage.Studies;

/// <summary>Writes the cases' checklists at import, each right after its case: rows of <c>criteria</c> with the case's
/// id, binary and required, the text as the label (docs/bundle-format.md, "Checklists: criteria of one case").</summary>
sealed class ChecklistInsert(DbConnection connection, long studyId) : IDisposable
{
    readonly RowInsert _insert = RowInsert.Prepare(connection, """
        INSERT INTO criteria (study_id, case_id, slug, position, label, label_translations_json, type, required, points, tags_json)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'binary', TRUE, ?7, ?8)
        """);

    /// <summary>Writes one case's checklist in order; returns the database ids by criterion id.</summary>
    public IReadOnlyDictionary<string, long> Insert(long caseId, IReadOnlyList<CaseCriterion> criteria)
    {
        var ids = new Dictionary<string, long>(criteria.Count);
        foreach (var (criterion, position) in criteria.Select((c, i) => (c, i)))
            ids[criterion.Id] = _insert.Bind(1, studyId).Bind(2, caseId).Bind(3, criterion.Id).Bind(4, position).Bind(5, criterion.TextMd)
                .Bind(6, criterion.TextTranslations.ToJson()).Bind(7, criterion.Points).Bind(8, JsonSerializer.Serialize(criterion.Tags)).RunReturningId();
        return ids;
    }

    public void Dispose() => _insert.Dispose();
}
