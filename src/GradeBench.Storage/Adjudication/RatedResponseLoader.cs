using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Adjudication;

/// <summary>A response of a study with its case, as the coordinator's review and the adjudication item show it.</summary>
public sealed record RatedResponseText
{
    public required string Slug { get; init; }
    public required string Model { get; init; }
    public required string CaseTitle { get; init; }
    public required string PresentationMd { get; init; }
    public required string QuestionMd { get; init; }
    public string? ReferenceMd { get; init; }
    public required string ContentMd { get; init; }
}

/// <summary>Reads one response side by side with its raters: the texts, and per rater their submitted values, comments
/// and highlights. Callers check the user's standing first; this reads whatever it is asked for.</summary>
public static class RatedResponseLoader
{
    sealed class RatingRow
    {
        public long RaterId { get; init; }
        public string CriterionId { get; init; } = "";
        public string Value { get; init; } = "";
        public string? Comment { get; init; }
    }

    sealed class SpanRow
    {
        public long Id { get; init; }
        public long RaterId { get; init; }
        public string LabelSlug { get; init; } = "";
        public string Label { get; init; } = "";
        public string? Color { get; init; }
        public long StartCodePoint { get; init; }
        public long EndCodePoint { get; init; }
        public string Quote { get; init; } = "";
        public string? Note { get; init; }
    }

    /// <summary>The response and its case, or null when the response is not the study's.</summary>
    public static Task<RatedResponseText?> LoadTextAsync(DbConnection connection, long studyId, long responseId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<RatedResponseText>(new CommandDefinition("""
            SELECT r.slug, r.model, c.title AS case_title, c.presentation_md, c.question_md, c.reference_md, r.content_md
            FROM responses r JOIN cases c ON c.id = r.case_id
            WHERE r.id = @ResponseId AND r.study_id = @StudyId
            """, new { StudyId = studyId, ResponseId = responseId }, cancellationToken: ct));

    /// <summary>One column per rater, ordered by name: the given <paramref name="raters"/>, or, when null, every physician
    /// with a submitted rating or a highlight on the response (judges' ratings are not shown beside theirs).</summary>
    public static async Task<IReadOnlyList<RaterColumn>> LoadRaterColumnsAsync(DbConnection connection, long responseId,
        IReadOnlyCollection<long>? raters, CancellationToken ct)
    {
        var keys = new { ResponseId = responseId, Raters = raters?.ToArray() ?? [], AllRaters = raters is null };
        var ratings = (await connection.QueryAsync<RatingRow>(new CommandDefinition("""
            SELECT g.rater_id, c.slug AS criterion_id, g.value, g.comment
            FROM ratings g JOIN criteria c ON c.id = g.criterion_id
            WHERE g.response_id = @ResponseId AND g.status = 'submitted' AND g.rater_id NOT IN (SELECT user_id FROM judges)
            """, keys, cancellationToken: ct))).ToLookup(r => r.RaterId);
        var spans = (await connection.QueryAsync<SpanRow>(new CommandDefinition($"""
            SELECT a.id, a.rater_id, l.slug AS label_slug, l.label, l.color, a.start_code_point, a.end_code_point, a.quote, a.note
            FROM span_annotations a JOIN span_labels l ON l.id = a.label_id
            WHERE a.response_id = @ResponseId AND (@AllRaters OR {ListParameter.In(connection, "a.rater_id", "@Raters")})
            ORDER BY a.start_code_point, a.id
            """, keys, cancellationToken: ct))).ToLookup(s => s.RaterId);
        var evidence = (await connection.QueryAsync<(long AnswerSpanId, string Label, string Quote)>(new CommandDefinition($"""
            SELECT k.answer_span_id, l.label, n.quote
            FROM span_links k
            JOIN span_annotations a ON a.id = k.answer_span_id
            JOIN note_spans n ON n.id = k.note_span_id
            JOIN note_labels l ON l.id = n.label_id
            WHERE a.response_id = @ResponseId AND (@AllRaters OR {ListParameter.In(connection, "a.rater_id", "@Raters")})
            ORDER BY n.start_code_point, n.id
            """, keys, cancellationToken: ct))).ToLookup(e => e.AnswerSpanId, e => new NoteEvidence(e.Label, e.Quote));
        var raterIds = raters?.ToList() ?? ratings.Select(g => g.Key).Union(spans.Select(g => g.Key)).ToList();
        var names = (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition(
            $"SELECT id, display_name FROM users WHERE {ListParameter.In(connection, "id", "@Ids")}", new { Ids = raterIds }, cancellationToken: ct))).ToDictionary(u => u.Id, u => u.Name);
        return raterIds
            .Select(id => new RaterColumn(id, names.GetValueOrDefault(id, ""),
                ratings[id].ToDictionary(r => r.CriterionId, r => r.Value),
                ratings[id].Where(r => !string.IsNullOrWhiteSpace(r.Comment)).ToDictionary(r => r.CriterionId, r => r.Comment!),
                spans[id].Select(s => new RaterSpan
                {
                    LabelSlug = s.LabelSlug, Label = s.Label, Color = s.Color, StartCodePoint = s.StartCodePoint, EndCodePoint = s.EndCodePoint,
                    Quote = s.Quote, Note = s.Note, Evidence = [.. evidence[s.Id]],
                }).ToList()))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.RaterId)
            .ToList();
    }
}
