using Dapper;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Review;

/// <summary>One response as a coordinator reviews it: the case, the answer, the model, and every rater's submitted
/// rating with comments and highlights, whatever the study's state.</summary>
public sealed record ReviewItem
{
    public long ResponseId { get; init; }
    public required string ResponseSlug { get; init; }
    public required string Model { get; init; }
    public required string StudyTitle { get; init; }
    public required string StudyState { get; init; }
    public required string CaseTitle { get; init; }
    public required string PresentationMd { get; init; }
    public required string QuestionMd { get; init; }
    public string? ReferenceMd { get; init; }
    public required string ContentMd { get; init; }
    public required IReadOnlyList<Criterion> Criteria { get; init; }
    /// <summary>Raters with a submitted rating or a highlight on the response, by name.</summary>
    public required IReadOnlyList<RaterColumn> Raters { get; init; }
}

/// <summary>The read-only item view flags and safety alerts open. Coordinators of the study only: it names raters and
/// models, so anyone else gets null, as for a response that is not the study's.</summary>
public sealed class ReviewQuery(Database database, RubricQuery rubric, StudyQuery studies)
{
    sealed class ItemRow
    {
        public string Slug { get; init; } = "";
        public string Model { get; init; } = "";
        public string CaseTitle { get; init; } = "";
        public string PresentationMd { get; init; } = "";
        public string QuestionMd { get; init; } = "";
        public string? ReferenceMd { get; init; }
        public string ContentMd { get; init; } = "";
    }

    sealed class RatingRow
    {
        public long RaterId { get; init; }
        public string CriterionId { get; init; } = "";
        public string Value { get; init; } = "";
        public string? Comment { get; init; }
    }

    sealed class SpanRow
    {
        public long RaterId { get; init; }
        public string LabelSlug { get; init; } = "";
        public string Label { get; init; } = "";
        public string? Color { get; init; }
        public long StartOffset { get; init; }
        public long EndOffset { get; init; }
        public string Quote { get; init; } = "";
        public string? Note { get; init; }
    }

    public async Task<ReviewItem?> LoadAsync(long studyId, long responseId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { IsCoordinator: true } access) return null;
        await using var connection = await database.OpenAsync(ct);
        var keys = new { StudyId = studyId, ResponseId = responseId };
        var row = await connection.QuerySingleOrDefaultAsync<ItemRow>(new CommandDefinition("""
            SELECT r.slug, r.model, c.title AS case_title, c.presentation_md, c.question_md, c.reference_md, r.content_md
            FROM responses r JOIN cases c ON c.id = r.case_id
            WHERE r.id = @ResponseId AND r.study_id = @StudyId
            """, keys, cancellationToken: ct));
        if (row is null) return null;
        var ratings = (await connection.QueryAsync<RatingRow>(new CommandDefinition("""
            SELECT g.rater_id, c.slug AS criterion_id, g.value, g.comment
            FROM ratings g JOIN criteria c ON c.id = g.criterion_id
            WHERE g.response_id = @ResponseId AND g.status = 'submitted'
            """, keys, cancellationToken: ct))).ToLookup(r => r.RaterId);
        var spans = (await connection.QueryAsync<SpanRow>(new CommandDefinition("""
            SELECT a.rater_id, l.slug AS label_slug, l.label, l.color, a.start_offset, a.end_offset, a.quote, a.note
            FROM span_annotations a JOIN span_labels l ON l.id = a.label_id
            WHERE a.response_id = @ResponseId
            ORDER BY a.start_offset, a.id
            """, keys, cancellationToken: ct))).ToLookup(s => s.RaterId);
        var raterIds = ratings.Select(g => g.Key).Union(spans.Select(g => g.Key)).ToList();
        var names = (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition(
            "SELECT id, display_name FROM users WHERE id IN @Ids", new { Ids = raterIds }, cancellationToken: ct))).ToDictionary(u => u.Id, u => u.Name);
        return new ReviewItem
        {
            ResponseId = responseId,
            ResponseSlug = row.Slug,
            Model = row.Model,
            StudyTitle = access.Title,
            StudyState = access.State,
            CaseTitle = row.CaseTitle,
            PresentationMd = row.PresentationMd,
            QuestionMd = row.QuestionMd,
            ReferenceMd = row.ReferenceMd,
            ContentMd = row.ContentMd,
            Criteria = (await rubric.LoadAsync(studyId, ct)).Select(c => c.Criterion).ToList(),
            Raters = raterIds
                .Select(id => new RaterColumn(id, names.GetValueOrDefault(id, ""),
                    ratings[id].ToDictionary(r => r.CriterionId, r => r.Value),
                    ratings[id].Where(r => !string.IsNullOrWhiteSpace(r.Comment)).ToDictionary(r => r.CriterionId, r => r.Comment!),
                    spans[id].Select(s => new RaterSpan
                    {
                        LabelSlug = s.LabelSlug, Label = s.Label, Color = s.Color, StartOffset = s.StartOffset, EndOffset = s.EndOffset,
                        Quote = s.Quote, Note = s.Note,
                    }).ToList()))
                .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.RaterId)
                .ToList(),
        };
    }
}
