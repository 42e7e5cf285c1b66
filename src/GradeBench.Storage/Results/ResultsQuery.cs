using Dapper;
using GradeBench.Core.Results;
using GradeBench.Storage.Export;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Results;

/// <summary>What the study results are computed from (<see cref="StudyResults"/>): the rubric, then, in one read
/// transaction, responses, submitted ratings, raters, timings, spans and consensus values, of the rubric's criteria (the
/// cases' checklists are not part of these results; a response's timing covers its marks too). Unblinded (models by
/// response): for coordinators and exports only. The physicians' ratings alone unless the caller includes the study's
/// judges (<see cref="RaterScope"/>).</summary>
public sealed class ResultsQuery(Database database, RubricQuery rubric)
{
    sealed class RaterRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
    }

    sealed class RatingRow
    {
        public long CriterionId { get; init; }
        public long ResponseId { get; init; }
        public string Value { get; init; } = "";
    }

    sealed class TimingRow
    {
        public long RaterId { get; init; }
        public long ResponseId { get; init; }
        public DateTimeOffset FirstSaved { get; init; }
        public DateTimeOffset? Submitted { get; init; }
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

    public Task<ResultsInput> LoadAsync(long studyId, CancellationToken ct = default) => LoadAsync(studyId, RaterScope.Physicians, ct);

    /// <inheritdoc cref="LoadAsync(long, CancellationToken)"/>
    public async Task<ResultsInput> LoadAsync(long studyId, RaterScope scope, CancellationToken ct = default)
    {
        var criteria = await rubric.LoadAsync(studyId, ct);
        await using var connection = await database.OpenAsync(ct);
        // One snapshot for every query: a rating submitted meanwhile is in all of them or none.
        await using var transaction = await connection.BeginSnapshotAsync(ct);
        var texts = new Utf8Texts();
        var responses = new List<ResultResponse>();
        var slugs = new List<(string Slug, long Id)>();
        await RawRows.StepAsync(connection, transaction, """
            SELECT r.id, c.slug, r.model, r.slug FROM responses r JOIN cases c ON c.id = r.case_id
            WHERE r.study_id = ?1 ORDER BY r.position
            """, studyId, s =>
            {
                responses.Add(new ResultResponse(s.GetInt64(0), texts.Get(s.GetUtf8(1)), texts.Get(s.GetUtf8(2))));
                slugs.Add((s.GetString(3), s.GetInt64(0)));
            }, ct);
        // ratings.csv's order: bundle ids are ASCII ([A-Za-z0-9._-]), so ordinal is the database's bytewise order.
        slugs.Sort((a, b) => string.CompareOrdinal(a.Slug, b.Slug));
        var unitOrder = new Dictionary<long, int>(slugs.Count);
        foreach (var (_, id) in slugs) unitOrder.Add(id, unitOrder.Count);
        // Every submitted rating (the units are numbered by unitOrder, whatever order they come in); the raters are those
        // with any, a value or not.
        var ratings = new List<ResultRating>();
        var raterIds = new HashSet<long>();
        // The rubric's ratings: marks of the cases' checklists have their own statistics.
        var marks = await CaseCriteria.IdsOfStudyAsync(connection, transaction, studyId, ct);
        // SQLite reads them through the responses' unique (study, slug) index, then the ratings' unique index.
        await RawRows.StepAsync(connection, transaction, (scope == RaterScope.PhysiciansAndJudges ? RatingsWithJudges : PhysicianRatings) + InUnitOrder, studyId, s =>
            {
                if (marks.Count > 0 && marks.Contains(s.GetInt64(0))) return;
                var rater = s.GetInt64(2);
                raterIds.Add(rater);
                if (!s.IsNull(3)) ratings.Add(new ResultRating(s.GetInt64(0), s.GetInt64(1), rater, texts.Get(s.GetUtf8(3))));
            }, ct);
        // Timing of a response by a rater: its first value saved in the browser to its first submit, both from the
        // append-only history, driven by the browser's rows (index rating_history_web): imported ratings have none.
        const string sql = $"""
            SELECT u.id, u.display_name AS name FROM users u ORDER BY u.display_name, u.id;

            SELECT g.rater_id, g.response_id, MIN(h.recorded_at) AS first_saved,
                   MIN(CASE WHEN h.status = 'submitted' THEN h.recorded_at END) AS submitted
            FROM rating_history h CROSS JOIN ratings g CROSS JOIN responses r
            WHERE h.source = 'web' AND g.id = h.rating_id AND r.id = g.response_id AND r.study_id = @StudyId
              AND (@WithJudges OR g.rater_id NOT IN {JudgeRaters.OfStudy})
            GROUP BY g.rater_id, g.response_id;

            SELECT slug AS id, label FROM span_labels WHERE study_id = @StudyId ORDER BY position;

            SELECT a.response_id, l.slug AS label
            FROM span_annotations a JOIN span_labels l ON l.id = a.label_id
            WHERE l.study_id = @StudyId;

            SELECT i.response_id, v.criterion_id, v.value
            FROM consensus_values v JOIN adjudication_items i ON i.id = v.item_id
            WHERE i.study_id = @StudyId;
            """;
        await using var batch = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { StudyId = studyId, WithJudges = scope == RaterScope.PhysiciansAndJudges }, transaction, cancellationToken: ct));
        // Every user, those with ratings kept here: people, a small table, and no list parameter (spelt differently on each database).
        var raters = (await batch.ReadAsync<RaterRow>()).Where(r => raterIds.Contains(r.Id)).Select(r => new ResultRater(r.Id, r.Name)).ToList();
        var timings = (await batch.ReadAsync<TimingRow>())
            .Where(t => t.Submitted is not null)
            .Select(t => new ItemTiming(t.RaterId, t.ResponseId, t.FirstSaved, t.Submitted!.Value))
            .ToList();
        var labels = (await batch.ReadAsync<SpanLabelRow>()).ToList();
        var spans = (await batch.ReadAsync<SpanRow>()).Select(s => new SpanMark(s.ResponseId, s.Label)).ToList();
        var consensus = (await batch.ReadAsync<RatingRow>()).Where(c => !marks.Contains(c.CriterionId))
            .Select(c => new ConsensusValue(c.ResponseId, c.CriterionId, c.Value)).ToList();
        return new ResultsInput(criteria.Select(c => new ResultCriterion(c.Id, c.Criterion)).ToList(), responses, raters, ratings, timings,
            labels.Select(l => l.Id).ToList(), spans, consensus, labels.ToDictionary(l => l.Id, l => l.Label)) { UnitOrder = unitOrder };
    }

    const string RatingsWithJudges = """
        SELECT g.criterion_id, g.response_id, g.rater_id, g.value
        FROM ratings g JOIN responses r ON r.id = g.response_id
        WHERE r.study_id = ?1 AND g.status = 'submitted'
        """;

    const string PhysicianRatings = RatingsWithJudges + $" AND g.rater_id NOT IN {JudgeRaters.OfStudyRaw}";

    /// <summary>ratings.csv's order, in which the dashboard's agreement numbers its units (as <see cref="ResultsInput.UnitOrder"/>
    /// does). Written out for SQLite too: its plan would otherwise take the first index on the study's responses, by their
    /// random handles.</summary>
    internal const string InUnitOrder = "\nORDER BY r.slug, g.rater_id, g.criterion_id";
}
