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
    /// <summary>The study's language tag: its case, answer and rubric texts are written in it.</summary>
    public string Language { get; init; } = "en";
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
    public async Task<ReviewItem?> LoadAsync(long studyId, long responseId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { IsCoordinator: true } access) return null;
        await using var connection = await database.OpenAsync(ct);
        if (await RatedResponseLoader.LoadTextAsync(connection, studyId, responseId, ct) is not { } text) return null;
        return new ReviewItem
        {
            ResponseId = responseId,
            ResponseSlug = text.Slug,
            Model = text.Model,
            StudyTitle = access.Title,
            StudyState = access.State,
            Language = access.Language,
            CaseTitle = text.CaseTitle,
            PresentationMd = text.PresentationMd,
            QuestionMd = text.QuestionMd,
            ReferenceMd = text.ReferenceMd,
            ContentMd = text.ContentMd,
            Criteria = (await rubric.LoadAsync(studyId, ct)).Select(c => c.Criterion).ToList(),
            Raters = await RatedResponseLoader.LoadRaterColumnsAsync(connection, responseId, raters: null, ct),
        };
    }
}
