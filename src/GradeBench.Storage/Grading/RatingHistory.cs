using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Grading;

/// <summary>The rule that keeps <c>rating_history</c> complete although an import writes no lines to it (a line per
/// imported rating was a tenth of a large import, docs/benchmarks.md). Every writer of <c>ratings</c> other than the
/// importer records a line in the same transaction, so a rating without lines is an imported one, never changed since:
/// its one line is implied, "import" at the import's time (the study's <c>created_at</c>) with no recorder. The first
/// change of such a rating writes that implied line first (<see cref="RecordImportedAsync"/>), and readers of the whole
/// history add it for ratings that have none (<see cref="WithImportedLines"/>): history.csv and the report read as when
/// the import wrote every line itself (docs/exports.md).</summary>
static class RatingHistory
{
    /// <summary>Writes the implied import line of a rating that has no history yet; a no-op for any other rating. Call
    /// it, in the writer's transaction, before changing the rating.</summary>
    public static Task RecordImportedAsync(DbConnection connection, DbTransaction transaction, long ratingId) => connection.ExecuteAsync("""
        INSERT INTO rating_history (rating_id, value, comment, status, source, recorded_at, recorded_by)
        SELECT g.id, g.value, g.comment, g.status, 'import', s.created_at, NULL
        FROM ratings g JOIN responses r ON r.id = g.response_id JOIN studies s ON s.id = r.study_id
        WHERE g.id = @RatingId AND NOT EXISTS (SELECT 1 FROM rating_history h WHERE h.rating_id = g.id)
        """, new { RatingId = ratingId }, transaction);

    /// <summary>A table expression (for a FROM clause) of the history of the study <c>@StudyId</c>: the lines of
    /// <c>rating_history</c> plus the implied import line of every rating without lines, with its columns, the
    /// rating's id (<c>rating_id</c>) and <c>seq</c>. Ordered by <c>seq</c> it is the order the lines would have had
    /// if the import had written them: import lines first in rating order (the import wrote them with the ratings),
    /// then every later line by id.</summary>
    public const string WithImportedLines = """
        (SELECT h.rating_id, h.value, h.comment, h.status, h.source, h.recorded_at, h.recorded_by,
                CASE WHEN h.source = 'import' THEN h.rating_id ELSE h.id END AS seq_id,
                CASE WHEN h.source = 'import' THEN 0 ELSE 1 END AS seq_part
         FROM rating_history h JOIN ratings g ON g.id = h.rating_id JOIN responses r ON r.id = g.response_id
         WHERE r.study_id = @StudyId
         UNION ALL
         SELECT g.id, g.value, g.comment, g.status, 'import', s.created_at, NULL, g.id, 0
         FROM ratings g JOIN responses r ON r.id = g.response_id JOIN studies s ON s.id = r.study_id
         WHERE r.study_id = @StudyId AND NOT EXISTS (SELECT 1 FROM rating_history h WHERE h.rating_id = g.id))
        """;
}
