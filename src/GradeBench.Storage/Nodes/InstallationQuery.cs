using Dapper;

namespace GradeBench.Storage.Nodes;

/// <summary>The installation's id (migration 0029): every node on one database shares it, and it keeps their live
/// messages apart from another installation's on the same Redis.</summary>
public sealed class InstallationQuery(Database database)
{
    public async Task<string> IdAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleAsync<string>(new CommandDefinition("SELECT id FROM installation", cancellationToken: ct));
    }
}
