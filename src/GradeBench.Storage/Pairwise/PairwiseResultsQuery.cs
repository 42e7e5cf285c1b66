using System.Text.Json;
using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Judges;

namespace GradeBench.Storage.Pairwise;

/// <summary>A side-by-side study's statistics: its design as stored, each axis with
/// <see cref="PairwiseAnalysis.Run(IReadOnlyList{PairwiseVote}, PairwiseOptions?)"/> of its submitted votes (default
/// bootstrap), how many times each reason tag (by id) was ticked, and when the first and last vote were submitted (null
/// without votes).</summary>
public sealed record PairwiseStudyResults(
    PairwiseDesign Design,
    IReadOnlyList<(PairwiseAxis Axis, PairwiseReport Report)> Axes,
    IReadOnlyDictionary<string, int> ReasonCounts,
    string? FirstVote,
    string? LastVote);

/// <summary>Loads and computes <see cref="PairwiseStudyResults"/>: the one computation behind the results page and the
/// report of a side-by-side study (docs/results.md, docs/exports.md). The votes are <see cref="PairwiseVotesQuery"/>'s
/// (the physicians' submitted votes, with the sides their raters saw); a reason counts once per rater's submitted
/// judgement of a pair, whatever the axes.</summary>
public sealed class PairwiseResultsQuery(Database database)
{
    sealed class StudyRow
    {
        public long RatersPerPair { get; init; }
        public string? Adjudication { get; init; }
        public long Pairs { get; init; }
        public long EveryPair { get; init; }
        // Read as times: PostgreSQL gives timestamps, which a string would take in the machine's culture.
        public DateTimeOffset? FirstVote { get; init; }
        public DateTimeOffset? LastVote { get; init; }
    }

    /// <summary>The statistics of the study's votes as they are now; null for a study of single answers.</summary>
    public async Task<PairwiseStudyResults?> ComputeAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // One snapshot for the design, the votes and the reasons.
        await using var transaction = await connection.BeginSnapshotAsync(ct);
        var parameters = new { StudyId = studyId };
        // Pairs are answers of one case by two models, at most one answer per model and case: as many as every case's
        // m(m − 1)/2 means every pair (as bundle.zip decides between "all" and a list).
        // The design first: a study of single answers (100,000 responses) reads nothing more. per_case: PostgreSQL 15
        // requires a name for a subquery in FROM.
        if (await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT design FROM studies WHERE id = @StudyId", parameters, transaction,
                cancellationToken: ct)) != "pairwise")
            return null;
        var study = await connection.QuerySingleAsync<StudyRow>(new CommandDefinition($"""
            SELECT s.raters_per_response AS raters_per_pair, s.pairwise_adjudication AS adjudication,
                   (SELECT COUNT(*) FROM pairs WHERE study_id = s.id) AS pairs,
                   (SELECT COALESCE(SUM(m * (m - 1) / 2), 0)
                    FROM (SELECT COUNT(DISTINCT model) AS m FROM responses WHERE study_id = s.id GROUP BY case_id) per_case) AS every_pair,
                   (SELECT MIN(v.submitted_at) FROM pairs p JOIN pair_votes v ON v.pair_id = p.id
                    WHERE p.study_id = s.id AND v.status = 'submitted' AND v.rater_id NOT IN {JudgeRaters.OfStudy}) AS first_vote,
                   (SELECT MAX(v.submitted_at) FROM pairs p JOIN pair_votes v ON v.pair_id = p.id
                    WHERE p.study_id = s.id AND v.status = 'submitted' AND v.rater_id NOT IN {JudgeRaters.OfStudy}) AS last_vote
            FROM studies s WHERE s.id = @StudyId
            """, parameters, transaction, cancellationToken: ct));
        var questions = await PairwiseQuestions.LoadAsync(connection, transaction, studyId, ct);
        var axes = await PairwiseVotesQuery.LoadAsync(connection, transaction, studyId, questions, ct);
        // Counted here rather than with SQLite's json_each, so that PostgreSQL gives the same counts; read row by row.
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var ticked in connection.QueryUnbufferedAsync<string>($"""
            SELECT a.reasons_json FROM pairs p JOIN pair_assignments a ON a.pair_id = p.id
            WHERE p.study_id = @StudyId AND a.completed_at IS NOT NULL AND a.reasons_json IS NOT NULL AND a.rater_id NOT IN {JudgeRaters.OfStudy}
            """, parameters, transaction).WithCancellation(ct))
            foreach (var reason in JsonSerializer.Deserialize<string[]>(ticked)!)
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
        // Only whether every pair was compared is stored: how a subset was chosen (drawn per case or listed) is not.
        var listed = study.Pairs == study.EveryPair ? null : (await connection.QueryAsync<(string A, string B)>(new CommandDefinition("""
            SELECT a.slug, b.slug FROM pairs p JOIN responses a ON a.id = p.response_a_id JOIN responses b ON b.id = p.response_b_id
            WHERE p.study_id = @StudyId ORDER BY p.position
            """, parameters, transaction, cancellationToken: ct))).Select(p => new ListedPair(p.A, p.B)).ToList();
        var design = new PairwiseDesign([.. questions.Axes.Select(a => a.Axis)], [.. questions.Reasons.Select(r => r.Reason)], null, (int)study.RatersPerPair)
        {
            Adjudicate = study.Adjudication != "never",
            ListedPairs = listed,
        };
        // CPU-bound (the bootstraps), as the single answers' results: off the caller's thread.
        var analysed = await Task.Run(() => axes.Select(a => (a.Axis, PairwiseAnalysis.Run(a.Votes))).ToList(), ct);
        return new PairwiseStudyResults(design, analysed, reasons, Stamp(study.FirstVote), Stamp(study.LastVote));
    }

    static string? Stamp(DateTimeOffset? at) => at is { } value ? Database.FormatTimestamp(value) : null;
}
