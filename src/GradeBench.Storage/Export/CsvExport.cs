using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using GradeBench.Core.Results;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using Sylvan.Data.Csv;

namespace GradeBench.Storage.Export;

/// <summary>The study's tables as CSV, streamed row by row from the database to the writer (constant memory whatever
/// the size). Columns are named in snake_case; timestamps are UTC ISO-8601 as stored; empty cells are missing values.</summary>
public sealed class CsvExport(Database database)
{
    /// <summary>Every submitted rating: one row per response × rater × criterion, drafts excluded.</summary>
    public Task<long> WriteRatingsAsync(long studyId, TextWriter output, CancellationToken ct = default) => WriteAsync("""
        SELECT s.slug AS study, c.slug AS case_id, r.slug AS response_id, r.model, u.username AS rater, k.slug AS criterion,
               g.value, g.comment, g.submitted_at AS first_submitted, g.updated_at AS last_changed
        FROM responses r
        JOIN studies s ON s.id = r.study_id
        JOIN cases c ON c.id = r.case_id
        JOIN ratings g ON g.response_id = r.id
        JOIN users u ON u.id = g.rater_id
        JOIN criteria k ON k.id = g.criterion_id
        WHERE r.study_id = @StudyId AND g.status = 'submitted'
        ORDER BY r.id, g.rater_id, k.position
        """, studyId, output, ct);

    /// <summary>The audit trail: every value a rating has had, who recorded it and how (import, web, adjudication).</summary>
    public Task<long> WriteHistoryAsync(long studyId, TextWriter output, CancellationToken ct = default) => WriteAsync("""
        SELECT s.slug AS study, r.slug AS response_id, u.username AS rater, k.slug AS criterion,
               h.value, h.comment, h.status, h.source, h.recorded_at, b.username AS recorded_by
        FROM responses r
        JOIN studies s ON s.id = r.study_id
        JOIN ratings g ON g.response_id = r.id
        JOIN rating_history h ON h.rating_id = g.id
        JOIN users u ON u.id = g.rater_id
        JOIN criteria k ON k.id = g.criterion_id
        LEFT JOIN users b ON b.id = h.recorded_by
        WHERE r.study_id = @StudyId
        ORDER BY h.id
        """, studyId, output, ct);

    /// <summary>Agreement per criterion and coefficient, computed as the results page computes it
    /// (<see cref="StudyResults.Agreement"/>, default bootstrap seed and resamples): values in full precision.</summary>
    public async Task<long> WriteAgreementAsync(long studyId, TextWriter output, CancellationToken ct = default)
    {
        var input = await new ResultsQuery(database, new RubricQuery(database)).LoadAsync(studyId, ct);
        var table = new DataTable();
        foreach (var column in new[] { "criterion", "level", "metric", "value", "ci_lower", "ci_upper", "units", "raters", "reading" })
            table.Columns.Add(column, typeof(string));
        foreach (var row in StudyResults.Rows(StudyResults.Agreement(input.Criteria, input.Ratings)))
            table.Rows.Add(row.Criterion, row.Level, row.Metric, Number(row.Value), Number(row.CiLower), Number(row.CiUpper),
                row.Units.ToString(CultureInfo.InvariantCulture), row.Raters.ToString(CultureInfo.InvariantCulture), (object?)row.Reading ?? DBNull.Value);
        await using var reader = table.CreateDataReader();
        await using var csv = CsvDataWriter.Create(output, new CsvDataWriterOptions { NewLine = "\r\n" });
        return await csv.WriteAsync(reader, ct);
    }

    // Round-trip precision, so a reader gets the very number the page rounds.
    static object Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : DBNull.Value;

    async Task<long> WriteAsync(string sql, long studyId, TextWriter output, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var reader = (DbDataReader)await connection.ExecuteReaderAsync(new CommandDefinition(sql, new { StudyId = studyId }, cancellationToken: ct));
        await using var csv = CsvDataWriter.Create(output, new CsvDataWriterOptions { NewLine = "\r\n" });
        return await csv.WriteAsync(reader, ct);
    }
}
