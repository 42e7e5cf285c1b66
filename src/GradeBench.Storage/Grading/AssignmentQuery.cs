using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;

namespace GradeBench.Storage.Grading;

/// <summary>One assigned response with its case, as its rater may see it: <see cref="Model"/> is null when the
/// study hides models.</summary>
public sealed record AssignedItem
{
    public long ResponseId { get; init; }
    /// <summary>The name the rater sees (<see cref="Core.Studies.ResponseHandle"/>).</summary>
    public string Handle { get; init; } = "";
    public long QueuePosition { get; init; }
    public bool Done { get; init; }
    public string CaseTitle { get; init; } = "";
    public string PresentationMd { get; init; } = "";
    public string QuestionMd { get; init; } = "";
    public string ContentMd { get; init; } = "";
    public string? Model { get; init; }
    /// <summary>The checklist of the response's case (<see cref="GradingItem.Checklist"/>); empty: none.</summary>
    public IReadOnlyList<CaseCriterion> Checklist { get; init; } = [];
}

/// <summary>A rater's whole queue with its texts in one query, for callers that want everything at once (the API)
/// rather than one item at a time (the grading page, through <see cref="GradingStore"/>).</summary>
public sealed class AssignmentQuery(Database database)
{
    /// <summary>The rater's assignments in their queue order, the model blinded by <see cref="Blinding"/> for the role
    /// they rate in (a judge never sees it); response and case slugs are left out because bundles often name the model in them.</summary>
    public async Task<IReadOnlyList<AssignedItem>> ListAsync(long studyId, long raterId, string role = StudyRoles.Rater, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<AssignedResponseRow>(new CommandDefinition(
            AssignedResponseRow.Sql + " ORDER BY a.queue_position, a.response_id",
            new { StudyId = studyId, RaterId = raterId }, cancellationToken: ct));
        var checklists = await Rubrics.ChecklistQuery.OfStudyAsync(connection, null, studyId, ct);
        return rows.Select(r => new AssignedItem
        {
            ResponseId = r.ResponseId,
            Handle = r.Handle,
            QueuePosition = r.QueuePosition,
            Done = r.Done,
            CaseTitle = r.CaseTitle,
            PresentationMd = r.PresentationMd,
            QuestionMd = r.QuestionMd,
            ContentMd = r.ContentMd,
            Model = r.ModelFor(role, ResponseUse.Rating),
            Checklist = checklists.TryGetValue(r.CaseId, out var checklist) ? [.. checklist.Select(c => c.Criterion)] : [],
        }).ToList();
    }
}
