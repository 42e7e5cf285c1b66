using GradeBench.Core.Grading;
using GradeBench.Core.Studies;

namespace GradeBench.Storage.Grading;

/// <summary>The texts a rater reads for one response, with its model and the study's <c>hide_model</c> flag, as the
/// grading, API and calibration queries select them; <see cref="ModelFor"/> applies <see cref="Blinding"/>.</summary>
class ResponseTextsRow
{
    public string CaseTitle { get; init; } = "";
    public string PresentationMd { get; init; } = "";
    public string QuestionMd { get; init; } = "";
    public string ContentMd { get; init; } = "";
    public string Model { get; init; } = "";
    public bool HideModel { get; init; }

    public string? ModelFor(string? role, ResponseUse use) => Blinding.Model(Model, role, HideModel, use);
}

/// <summary>One of a rater's assignments with its texts: <see cref="Sql"/> selects a rater's whole queue in a study
/// (<c>@StudyId</c>, <c>@RaterId</c>); callers add a filter or an order.</summary>
sealed class AssignedResponseRow : ResponseTextsRow
{
    public const string Sql = """
        SELECT a.response_id, r.handle, a.queue_position, a.completed_at IS NOT NULL AS done, r.case_id,
               c.title AS case_title, c.presentation_md, c.question_md, r.content_md, r.model, s.hide_model,
               COALESCE(c.language, s.language) AS language
        FROM assignments a
        JOIN responses r ON r.id = a.response_id
        JOIN cases c ON c.id = r.case_id
        JOIN studies s ON s.id = a.study_id
        WHERE a.study_id = @StudyId AND a.rater_id = @RaterId
        """;

    public long ResponseId { get; init; }
    public string Handle { get; init; } = "";
    public long QueuePosition { get; init; }
    public bool Done { get; init; }
    /// <summary>The case's database id (its checklist's key, <see cref="Rubrics.ChecklistQuery"/>).</summary>
    public long CaseId { get; init; }
    /// <summary>The case's language tag, or the study's when the case names none.</summary>
    public string Language { get; init; } = "";

    /// <summary>The texts as a rater may see them: rating blinds the model for everyone when the study hides it.</summary>
    public string? RaterModel => ModelFor(StudyRoles.Rater, ResponseUse.Rating);
}
