using System.Text.Json;
using Dapper;
using GradeBench.Core.Pairwise;

namespace GradeBench.Storage.Pairwise;

/// <summary>One pair of a rater's queue as a program grading through the API gets it, blinded as the side-by-side page
/// is: the case, the text of the answer on the <see cref="LeftContentMd">left</see> and on the
/// <see cref="RightContentMd">right</see> as the rater's assignment places them, and the rater's judgement so far
/// (<see cref="Choices"/> by axis id, shown by side). It carries no model, no bundle id and no response handle or id: the
/// pair's <see cref="Handle"/> is the only name in it.</summary>
public sealed record AssignedPair
{
    public long PairId { get; init; }
    public string Handle { get; init; } = "";
    public bool Done { get; init; }
    public string CaseTitle { get; init; } = "";
    public string PresentationMd { get; init; } = "";
    public string QuestionMd { get; init; } = "";
    public string LeftContentMd { get; init; } = "";
    public string RightContentMd { get; init; } = "";
    public IReadOnlyDictionary<string, PairwiseChoice> Choices { get; init; } = new Dictionary<string, PairwiseChoice>();
    /// <summary>Reason ids, in the study's order.</summary>
    public IReadOnlyList<string> ReasonsTicked { get; init; } = [];
    public string? Comment { get; init; }
}

/// <summary>A rater's queue of pairs (<see cref="Pairs"/>, in queue order) with the study's axes and reason tags.</summary>
public sealed record AssignedPairs(IReadOnlyList<PairwiseAxis> Axes, IReadOnlyList<PairwiseReasonTag> Reasons, IReadOnlyList<AssignedPair> Pairs);

/// <summary>A rater's whole queue of pairs with its texts in a few queries, for callers that want everything at once (the
/// API), as <see cref="Grading.AssignmentQuery"/> is for single answers; the side-by-side page reads one pair at a time
/// through <see cref="PairwiseStore.LoadItemAsync(long, long, long, CancellationToken)"/>, with the same sides and votes.</summary>
public sealed class PairQueueQuery(Database database)
{
    sealed class Row
    {
        public long PairId { get; init; }
        public string Handle { get; init; } = "";
        public bool Done { get; init; }
        public string? ReasonsJson { get; init; }
        public string? Comment { get; init; }
        public string CaseTitle { get; init; } = "";
        public string PresentationMd { get; init; } = "";
        public string QuestionMd { get; init; } = "";
        public bool AOnLeft { get; init; }
        public string LeftContentMd { get; init; } = "";
        public string RightContentMd { get; init; } = "";
    }

    /// <summary>The rater's pairs in queue order, done or not; none when the study has none for them.</summary>
    public async Task<AssignedPairs> ListAsync(long studyId, long raterId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var keys = new { StudyId = studyId, RaterId = raterId };
        // Models, bundle ids and response handles are never selected: what is not read cannot leak.
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT a.pair_id, p.handle, a.completed_at IS NOT NULL AS done, a.reasons_json, a.comment,
                   c.title AS case_title, c.presentation_md, c.question_md,
                   a.left_response_id = p.response_a_id AS a_on_left,
                   l.content_md AS left_content_md, r.content_md AS right_content_md
            FROM pair_assignments a
            JOIN pairs p ON p.id = a.pair_id
            JOIN cases c ON c.id = p.case_id
            JOIN responses l ON l.id = a.left_response_id
            JOIN responses r ON r.id = CASE WHEN a.left_response_id = p.response_a_id THEN p.response_b_id ELSE p.response_a_id END
            WHERE a.study_id = @StudyId AND a.rater_id = @RaterId
            ORDER BY a.queue_position, a.pair_id
            """, keys, cancellationToken: ct))).AsList();
        var votes = (await connection.QueryAsync<(long PairId, string Slug, string Choice)>(new CommandDefinition("""
            SELECT v.pair_id, x.slug, v.choice
            FROM pair_assignments a
            JOIN pair_votes v ON v.pair_id = a.pair_id AND v.rater_id = a.rater_id
            JOIN pairwise_axes x ON x.id = v.axis_id
            WHERE a.study_id = @StudyId AND a.rater_id = @RaterId AND v.choice IS NOT NULL
            """, keys, cancellationToken: ct))).ToLookup(v => v.PairId);
        var questions = await PairwiseQuestions.LoadAsync(connection, null, studyId, ct);
        return new AssignedPairs(
            [.. questions.Axes.Select(a => a.Axis)],
            [.. questions.Reasons.Select(r => r.Reason)],
            [.. rows.Select(row => new AssignedPair
            {
                PairId = row.PairId,
                Handle = row.Handle,
                Done = row.Done,
                CaseTitle = row.CaseTitle,
                PresentationMd = row.PresentationMd,
                QuestionMd = row.QuestionMd,
                LeftContentMd = row.LeftContentMd,
                RightContentMd = row.RightContentMd,
                // Stored by model; shown by the side this rater saw, as the side-by-side page shows it.
                Choices = votes[row.PairId].ToDictionary(v => v.Slug, v => PairSides.Shown(PairSides.ParseStored(v.Choice)!.Value, row.AOnLeft)),
                ReasonsTicked = row.ReasonsJson is null ? [] : JsonSerializer.Deserialize<string[]>(row.ReasonsJson)!,
                Comment = row.Comment,
            })]);
    }
}
