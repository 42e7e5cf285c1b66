using Dapper;
using GradeBench.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GradeBench.Web.Hosting;

public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_version", cancellationToken: ct));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The database is not reachable.", e);
        }
    }
}
