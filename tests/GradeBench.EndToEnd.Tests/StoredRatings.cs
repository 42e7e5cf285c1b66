using Dapper;

namespace GradeBench.EndToEnd.Tests;

/// <summary>A rater's ratings as the app's database holds them. Each read opens its own unpooled connection
/// (<see cref="AppDatabase"/>), so nothing of the test's stays open on the file when a server is killed and another one
/// starts on it.</summary>
static class StoredRatings
{
    public sealed record Version(string Criterion, string? Value, string Status);

    /// <summary>The response a handle names (the demo study is the only one with it).</summary>
    public static async Task<long> ResponseIdAsync(string database, string handle)
    {
        await using var connection = await AppDatabase.OpenAsync(database);
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM responses WHERE handle = @Handle", new { Handle = handle });
    }

    /// <summary>The handle a rater's addresses carry for the response.</summary>
    public static async Task<string> HandleAsync(string database, long responseId)
    {
        await using var connection = await AppDatabase.OpenAsync(database);
        return await connection.ExecuteScalarAsync<string>("SELECT handle FROM responses WHERE id = @Id", new { Id = responseId }) ?? "";
    }

    /// <summary>The rater's assigned responses in queue order.</summary>
    public static async Task<List<long>> QueueAsync(string database, string username)
    {
        await using var connection = await AppDatabase.OpenAsync(database);
        return (await connection.QueryAsync<long>("""
            SELECT a.response_id FROM assignments a JOIN users u ON u.id = a.rater_id
            WHERE u.username = @Username ORDER BY a.queue_position, a.response_id
            """, new { Username = username })).AsList();
    }

    /// <summary>criterion slug → (value, status) of the rater's rating of one response.</summary>
    public static async Task<Dictionary<string, (string? Value, string Status)>> CurrentAsync(string database, string username, long responseId)
    {
        await using var connection = await AppDatabase.OpenAsync(database);
        var rows = await connection.QueryAsync<Version>("""
            SELECT c.slug AS criterion, g.value, g.status FROM ratings g
            JOIN criteria c ON c.id = g.criterion_id JOIN users u ON u.id = g.rater_id
            WHERE u.username = @Username AND g.response_id = @ResponseId
            """, new { Username = username, ResponseId = responseId });
        return rows.ToDictionary(r => r.Criterion, r => (r.Value, r.Status));
    }

    /// <summary>Every version of the rater's rating of one response, oldest first.</summary>
    public static async Task<List<Version>> HistoryAsync(string database, string username, long responseId)
    {
        await using var connection = await AppDatabase.OpenAsync(database);
        return (await connection.QueryAsync<Version>("""
            SELECT c.slug AS criterion, h.value, h.status FROM rating_history h
            JOIN ratings g ON g.id = h.rating_id JOIN criteria c ON c.id = g.criterion_id JOIN users u ON u.id = g.rater_id
            WHERE u.username = @Username AND g.response_id = @ResponseId ORDER BY h.id
            """, new { Username = username, ResponseId = responseId })).AsList();
    }

    /// <summary>The versions of one criterion, oldest first.</summary>
    public static List<(string? Value, string Status)> Of(this IEnumerable<Version> history, string criterion) =>
        history.Where(v => v.Criterion == criterion).Select(v => (v.Value, v.Status)).ToList();
}
