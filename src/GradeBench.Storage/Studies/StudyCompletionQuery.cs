using Dapper;

namespace GradeBench.Storage.Studies;

/// <summary>What is not done in a study, told before a coordinator ends independent rating or closes it. A rating is one
/// response × rater (an assignment): <see cref="Missing"/> of <see cref="Expected"/> are not submitted yet;
/// <see cref="RatersWithDrafts"/> raters have saved values of such a rating without submitting it. Physicians only.</summary>
public sealed record StudyCompletion
{
    /// <summary>The study's id as in study.json, which a coordinator types to close it.</summary>
    public required string Slug { get; init; }
    public long Expected { get; init; }
    public long Missing { get; init; }
    public long RatersWithDrafts { get; init; }
}

public sealed class StudyCompletionQuery(Database database)
{
    // The physicians' work: a judge's unrated responses never hold a study back.
    const string Judges = "(SELECT j.user_id FROM judges j WHERE j.study_id = s.id)";

    public async Task<StudyCompletion?> ReadAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StudyCompletion>(new CommandDefinition($"""
            SELECT s.slug,
                   (SELECT COUNT(*) FROM assignments a WHERE a.study_id = s.id AND a.rater_id NOT IN {Judges}) AS expected,
                   (SELECT COUNT(*) FROM assignments a WHERE a.study_id = s.id AND a.completed_at IS NULL AND a.rater_id NOT IN {Judges}) AS missing,
                   (SELECT COUNT(DISTINCT a.rater_id) FROM assignments a
                     WHERE a.study_id = s.id AND a.completed_at IS NULL AND a.rater_id NOT IN {Judges}
                       AND EXISTS (SELECT 1 FROM ratings g WHERE g.response_id = a.response_id AND g.rater_id = a.rater_id
                                   AND g.status = 'draft' AND (g.value IS NOT NULL OR g.comment IS NOT NULL))) AS raters_with_drafts
            FROM studies s WHERE s.id = @StudyId
            """, new { StudyId = studyId }, cancellationToken: ct));
    }
}
