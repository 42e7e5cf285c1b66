using System.Data;
using Dapper;

namespace GradeBench.Storage.Results;

/// <summary>The version of what a study's statistics are computed from (<c>studies.data_version</c>, migration 0016).
/// Every write that changes a statistic raises it in its own transaction; caches key their results by it.</summary>
public static class StudyDataVersion
{
    /// <summary>Raises the study's version; run it inside the transaction of the write. Returns the new version.</summary>
    public static Task<long> BumpAsync(IDbConnection connection, IDbTransaction? transaction, long studyId) =>
        connection.ExecuteScalarAsync<long>("UPDATE studies SET data_version = data_version + 1 WHERE id = @StudyId RETURNING data_version",
            new { StudyId = studyId }, transaction);

    /// <summary>The study's current version (0 when there is no such study).</summary>
    public static async Task<long> ReadAsync(Database database, long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT data_version FROM studies WHERE id = @StudyId", new { StudyId = studyId }, cancellationToken: ct)) ?? 0;
    }
}
