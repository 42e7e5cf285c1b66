using Dapper;

namespace GradeBench.Storage.Studies;

/// <summary>What is not done in a study, told before a coordinator ends independent rating or closes it. A rater's unit
/// of work is an assignment: a rating (one response × rater), or in a side-by-side study (<see cref="Pairwise"/>) one
/// pair × rater. <see cref="Missing"/> of <see cref="Expected"/> are not submitted yet; <see cref="RatersWithDrafts"/>
/// raters have begun such a unit without submitting it (a value or comment saved; of a pair, a vote, a reason ticked or
/// a comment). Physicians only.</summary>
public sealed record StudyCompletion
{
    /// <summary>The study's id as in study.json, which a coordinator types to close it.</summary>
    public required string Slug { get; init; }
    /// <summary>A side-by-side study: <see cref="Expected"/> and <see cref="Missing"/> count pair assignments.</summary>
    public bool Pairwise { get; init; }
    public long Expected { get; init; }
    public long Missing { get; init; }
    public long RatersWithDrafts { get; init; }
}

public sealed class StudyCompletionQuery(Database database)
{
    // The physicians' work: a judge's unrated responses never hold a study back.
    const string Judges = "(SELECT j.user_id FROM judges j WHERE j.study_id = s.id)";

    // An assignment (alias a) begun: a rating with a value or a comment saved as a draft.
    const string RatingBegun = """
        EXISTS (SELECT 1 FROM ratings g WHERE g.response_id = a.response_id AND g.rater_id = a.rater_id
                AND g.status = 'draft' AND (g.value IS NOT NULL OR g.comment IS NOT NULL))
        """;

    // A pair assignment (alias a) begun: a vote saved as a draft, a reason ticked or a comment typed.
    const string PairBegun = """
        (a.reasons_json IS NOT NULL OR a.comment IS NOT NULL
         OR EXISTS (SELECT 1 FROM pair_votes v WHERE v.pair_id = a.pair_id AND v.rater_id = a.rater_id
                    AND v.status = 'draft' AND v.choice IS NOT NULL))
        """;

    public async Task<StudyCompletion?> ReadAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var design = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT design FROM studies WHERE id = @StudyId", new { StudyId = studyId }, cancellationToken: ct));
        if (design is null) return null;
        var pairwise = design == "pairwise";
        var (work, begun) = pairwise ? ("pair_assignments", PairBegun) : ("assignments", RatingBegun);
        var completion = await connection.QuerySingleAsync<StudyCompletion>(new CommandDefinition($"""
            SELECT s.slug,
                   (SELECT COUNT(*) FROM {work} a WHERE a.study_id = s.id AND a.rater_id NOT IN {Judges}) AS expected,
                   (SELECT COUNT(*) FROM {work} a WHERE a.study_id = s.id AND a.completed_at IS NULL AND a.rater_id NOT IN {Judges}) AS missing,
                   (SELECT COUNT(DISTINCT a.rater_id) FROM {work} a
                     WHERE a.study_id = s.id AND a.completed_at IS NULL AND a.rater_id NOT IN {Judges} AND {begun}) AS raters_with_drafts
            FROM studies s WHERE s.id = @StudyId
            """, new { StudyId = studyId }, cancellationToken: ct));
        return completion with { Pairwise = pairwise };
    }
}
