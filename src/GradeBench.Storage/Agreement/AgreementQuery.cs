using Dapper;
using GradeBench.Core.Agreement;

namespace GradeBench.Storage.Agreement;

/// <summary>The submitted ratings that agreement is computed on: independent ratings only (adjudicated consensus
/// values live elsewhere and never enter here), drafts excluded.</summary>
public sealed class AgreementQuery(Database database)
{
    sealed class Row
    {
        public long CriterionId { get; init; }
        public long ResponseId { get; init; }
        public long RaterId { get; init; }
        public string Value { get; init; } = "";
    }

    /// <summary>The study's submitted ratings, grouped by criterion database id. Reached through the study's responses
    /// (ratings are indexed by response), not its criteria: that scanned every study's ratings.</summary>
    public async Task<ILookup<long, StoredRating>> SubmittedAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT g.criterion_id, g.response_id, g.rater_id, g.value
            FROM responses r JOIN ratings g ON g.response_id = r.id
            WHERE r.study_id = @StudyId AND g.status = 'submitted' AND g.value IS NOT NULL
            """, new { StudyId = studyId }, cancellationToken: ct));
        return rows.ToLookup(r => r.CriterionId, r => new StoredRating(r.ResponseId, r.RaterId, r.Value));
    }
}
