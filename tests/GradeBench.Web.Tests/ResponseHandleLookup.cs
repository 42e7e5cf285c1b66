using Dapper;
using GradeBench.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests;

/// <summary>Tests pick responses by database id; raters' addresses and the API name them by handle.</summary>
static class ResponseHandleLookup
{
    public static async Task<string> HandleOfAsync(this IServiceProvider services, long responseId)
    {
        await using var connection = await services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT handle FROM responses WHERE id = @Id", new { Id = responseId })
            ?? throw new InvalidOperationException($"No response {responseId}.");
    }
}
