using System.Globalization;
using Dapper;
using GradeBench.Core.Results;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Results;

/// <summary>What the study results are computed from (<see cref="StudyResults"/>): the rubric, then one batch of
/// queries for responses, raters, submitted ratings, timings, spans and consensus values. Unblinded (models by
/// response): for coordinators and exports only.</summary>
public sealed class ResultsQuery(Database database, RubricQuery rubric)
{
    sealed class ResponseRow
    {
        public long Id { get; init; }
        public string CaseId { get; init; } = "";
        public string Model { get; init; } = "";
    }

    sealed class RaterRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
    }

    sealed class RatingRow
    {
        public long CriterionId { get; init; }
        public long ResponseId { get; init; }
        public long RaterId { get; init; }
        public string Value { get; init; } = "";
    }

    sealed class TimingRow
    {
        public long RaterId { get; init; }
        public long ResponseId { get; init; }
        public string FirstSaved { get; init; } = "";
        public string? Submitted { get; init; }
    }

    sealed class SpanLabelRow
    {
        public string Id { get; init; } = "";
        public string Label { get; init; } = "";
    }

    sealed class SpanRow
    {
        public long ResponseId { get; init; }
        public string Label { get; init; } = "";
    }

    public async Task<ResultsInput> LoadAsync(long studyId, CancellationToken ct = default)
    {
        var criteria = await rubric.LoadAsync(studyId, ct);
        // Timing of a response by a rater: its first value saved in the browser to its first submit, both from the
        // append-only history (imported ratings have no web history, so no timing).
        const string sql = """
            SELECT r.id, c.slug AS case_id, r.model FROM responses r JOIN cases c ON c.id = r.case_id
            WHERE r.study_id = @StudyId ORDER BY r.position;

            SELECT u.id, u.display_name AS name FROM users u
            WHERE u.id IN (SELECT g.rater_id FROM ratings g JOIN responses r ON r.id = g.response_id
                           WHERE r.study_id = @StudyId AND g.status = 'submitted')
            ORDER BY u.display_name, u.id;

            SELECT g.criterion_id, g.response_id, g.rater_id, g.value
            FROM ratings g JOIN responses r ON r.id = g.response_id
            WHERE r.study_id = @StudyId AND g.status = 'submitted' AND g.value IS NOT NULL;

            SELECT g.rater_id, g.response_id, MIN(h.recorded_at) AS first_saved,
                   MIN(CASE WHEN h.status = 'submitted' THEN h.recorded_at END) AS submitted
            FROM rating_history h JOIN ratings g ON g.id = h.rating_id JOIN responses r ON r.id = g.response_id
            WHERE r.study_id = @StudyId AND h.source = 'web'
            GROUP BY g.rater_id, g.response_id;

            SELECT slug AS id, label FROM span_labels WHERE study_id = @StudyId ORDER BY position;

            SELECT a.response_id, l.slug AS label
            FROM span_annotations a JOIN span_labels l ON l.id = a.label_id
            WHERE l.study_id = @StudyId;

            SELECT i.response_id, v.criterion_id, v.value
            FROM consensus_values v JOIN adjudication_items i ON i.id = v.item_id
            WHERE i.study_id = @StudyId;
            """;
        await using var connection = await database.OpenAsync(ct);
        await using var batch = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { StudyId = studyId }, cancellationToken: ct));
        var responses = (await batch.ReadAsync<ResponseRow>()).Select(r => new ResultResponse(r.Id, r.CaseId, r.Model)).ToList();
        var raters = (await batch.ReadAsync<RaterRow>()).Select(r => new ResultRater(r.Id, r.Name)).ToList();
        var ratings = (await batch.ReadAsync<RatingRow>()).Select(r => new ResultRating(r.CriterionId, r.ResponseId, r.RaterId, r.Value)).ToList();
        var timings = (await batch.ReadAsync<TimingRow>())
            .Where(t => t.Submitted is not null)
            .Select(t => new ItemTiming(t.RaterId, t.ResponseId, Timestamp(t.FirstSaved), Timestamp(t.Submitted!)))
            .ToList();
        var labels = (await batch.ReadAsync<SpanLabelRow>()).ToList();
        var spans = (await batch.ReadAsync<SpanRow>()).Select(s => new SpanMark(s.ResponseId, s.Label)).ToList();
        var consensus = (await batch.ReadAsync<RatingRow>()).Select(c => new ConsensusValue(c.ResponseId, c.CriterionId, c.Value)).ToList();
        return new ResultsInput(criteria.Select(c => new ResultCriterion(c.Id, c.Criterion)).ToList(), responses, raters, ratings, timings,
            labels.Select(l => l.Id).ToList(), spans, consensus, labels.ToDictionary(l => l.Id, l => l.Label));
    }

    static DateTimeOffset Timestamp(string stored) =>
        DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
