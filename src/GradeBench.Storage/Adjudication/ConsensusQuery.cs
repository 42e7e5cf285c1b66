using Dapper;

namespace GradeBench.Storage.Adjudication;

public sealed record ConsensusRow
{
    public long ResponseId { get; init; }
    public required string ResponseSlug { get; init; }
    public required string CriterionId { get; init; }
    public required string Value { get; init; }
}

/// <summary>Consensus values for reporting: results "on consensus where present" take these beside the independent
/// ratings, which adjudication never changes. Unblinded (response ids name the model): for coordinators and exports only.</summary>
public sealed class ConsensusQuery(Database database)
{
    /// <summary>One row per response × rubric criterion that has a consensus value, in response and rubric order (the results
    /// leave the cases' checklists out).</summary>
    public async Task<IReadOnlyList<ConsensusRow>> ValuesAsync(long studyId, CancellationToken ct = default)
    {
        const string sql = """
            SELECT i.response_id, r.slug AS response_slug, c.slug AS criterion_id, v.value
            FROM consensus_values v
            JOIN adjudication_items i ON i.id = v.item_id
            JOIN responses r ON r.id = i.response_id
            JOIN criteria c ON c.id = v.criterion_id
            WHERE i.study_id = @StudyId AND c.case_id IS NULL
            ORDER BY r.position, c.position
            """;
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ConsensusRow>(new CommandDefinition(sql, new { StudyId = studyId }, cancellationToken: ct))).AsList();
    }
}
