using System.Data.Common;
using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Judges;

namespace GradeBench.Storage.Pairwise;

/// <summary>One axis of a side-by-side study with its submitted votes, ready for <see cref="PairwiseAnalysis.Run(IReadOnlyList{PairwiseVote}, PairwiseOptions?)"/>.</summary>
public sealed record PairwiseAxisVotes(PairwiseAxis Axis, IReadOnlyList<PairwiseVote> Votes);

/// <summary>The submitted votes of a side-by-side study as the statistics take them (docs/designs.md, "Votes"): per
/// axis, each vote as (case id, rater's username, left model, right model, choice) with the sides its rater saw.</summary>
public sealed class PairwiseVotesQuery(Database database)
{
    sealed class VoteRow
    {
        public long AxisId { get; init; }
        public string CaseSlug { get; init; } = "";
        public string Rater { get; init; } = "";
        public string LeftModel { get; init; } = "";
        public string RightModel { get; init; } = "";
        public string Choice { get; init; } = "";
        public bool AOnLeft { get; init; }
    }

    /// <summary>Every axis of the study in display order (an axis without votes has an empty list), its votes those of
    /// the physicians (a judge's are left out) by pair position, then rater id: one query over the votes, so the order,
    /// and with it every number computed from it, is the same on every read.</summary>
    public async Task<IReadOnlyList<PairwiseAxisVotes>> LoadAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // One snapshot for the axes and the votes.
        await using var transaction = await connection.BeginSnapshotAsync(ct);
        return await LoadAsync(connection, transaction, studyId, await PairwiseQuestions.LoadAsync(connection, transaction, studyId, ct), ct);
    }

    /// <inheritdoc cref="LoadAsync(long, CancellationToken)"/>
    internal static async Task<IReadOnlyList<PairwiseAxisVotes>> LoadAsync(DbConnection connection, DbTransaction transaction, long studyId,
        StoredPairwiseQuestions questions, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<VoteRow>(new CommandDefinition($"""
            SELECT v.axis_id, c.slug AS case_slug, u.username AS rater, l.model AS left_model, r.model AS right_model, v.choice,
                   a.left_response_id = p.response_a_id AS a_on_left
            {SubmittedPairVotes.From}
            """, new { StudyId = studyId }, transaction, cancellationToken: ct));
        var byAxis = rows.ToLookup(v => v.AxisId);
        return [.. questions.Axes.Select(axis => new PairwiseAxisVotes(axis.Axis, [.. byAxis[axis.Id].Select(v =>
            new PairwiseVote(v.CaseSlug, v.Rater, v.LeftModel, v.RightModel, PairSides.Shown(PairSides.ParseStored(v.Choice)!.Value, v.AOnLeft)))]))];
    }
}

/// <summary>The one statement of which votes of a side-by-side study count, shared by <see cref="PairwiseVotesQuery"/> and
/// pairwise.csv (<see cref="Export.TextExport.WritePairwiseAsync"/>).</summary>
static class SubmittedPairVotes
{
    /// <summary>FROM … WHERE … ORDER BY over the submitted votes of the study <c>@StudyId</c>, the physicians' only: each
    /// vote <c>v</c> with its pair <c>p</c>, its rater's assignment <c>a</c>, the answer that rater saw on the left
    /// <c>l</c> and on the right <c>r</c>, its axis <c>x</c>, case <c>c</c> and rater <c>u</c>; by pair position, rater id,
    /// then axis order.</summary>
    public const string From = $"""
        FROM pair_votes v
        JOIN pairs p ON p.id = v.pair_id
        JOIN pair_assignments a ON a.pair_id = v.pair_id AND a.rater_id = v.rater_id
        JOIN responses l ON l.id = a.left_response_id
        JOIN responses r ON r.id = CASE WHEN a.left_response_id = p.response_a_id THEN p.response_b_id ELSE p.response_a_id END
        JOIN pairwise_axes x ON x.id = v.axis_id
        JOIN cases c ON c.id = p.case_id
        JOIN users u ON u.id = v.rater_id
        WHERE p.study_id = @StudyId AND v.status = 'submitted' AND v.choice IS NOT NULL AND v.rater_id NOT IN {JudgeRaters.OfStudy}
        ORDER BY p.position, p.id, v.rater_id, x.position, x.id
        """;

    /// <summary>A stored choice (<c>a</c>, <c>b</c>, <c>tie</c>, <c>both_bad</c>) as its rater saw it (<c>left</c>,
    /// <c>right</c>, <c>tie</c>, <c>both_bad</c>), by <see cref="PairSides"/>, so that pairwise.csv turns sides exactly as the
    /// statistics do.</summary>
    public static string ShownChoice(string stored, bool aOnLeft) => ShownText(PairSides.Shown(PairSides.ParseStored(stored)!.Value, aOnLeft));

    /// <summary>A choice as the votes files write it (docs/bundle-format.md, "votes.csv").</summary>
    static string ShownText(PairwiseChoice choice) => choice switch
    {
        PairwiseChoice.Left => "left",
        PairwiseChoice.Right => "right",
        PairwiseChoice.Tie => "tie",
        _ => "both_bad",
    };
}
