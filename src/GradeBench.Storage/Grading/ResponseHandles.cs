using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using GradeBench.Core.Studies;

namespace GradeBench.Storage.Grading;

/// <summary>Draws and looks up the random handles raters see instead of response ids (<see cref="ResponseHandle"/>).</summary>
public static class ResponseHandles
{
    /// <summary><paramref name="count"/> new handles from the system's cryptographic generator, distinct from each other
    /// and from <paramref name="taken"/> (the study's handles so far).</summary>
    public static IReadOnlyList<string> Draw(int count, IReadOnlySet<string> taken)
    {
        var drawn = new HashSet<string>(count);
        var handles = new List<string>(count);
        while (handles.Count < count)
        {
            // One call for the whole batch: 100,000 calls of 8 bytes took a tenth of a large import's response writing.
            var random = RandomNumberGenerator.GetBytes((count - handles.Count) * 8);
            for (var at = 0; at < random.Length; at += 8)
            {
                var handle = ResponseHandle.From(random.AsSpan(at, 8));
                if (!taken.Contains(handle) && drawn.Add(handle)) handles.Add(handle);
            }
        }
        return handles;
    }

    /// <summary>The study's handles so far.</summary>
    public static async Task<IReadOnlySet<string>> TakenAsync(DbConnection connection, DbTransaction transaction, long studyId) =>
        (await connection.QueryAsync<string>("SELECT handle FROM responses WHERE study_id = @StudyId", new { StudyId = studyId }, transaction)).ToHashSet();

    /// <summary>The response of the study that <paramref name="handle"/> names, or null (a malformed handle names none).</summary>
    public static async Task<long?> ResponseIdAsync(DbConnection connection, long studyId, string? handle, CancellationToken ct = default) =>
        !ResponseHandle.TryParse(handle, out _) ? null : await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM responses WHERE study_id = @StudyId AND handle = @Handle", new { StudyId = studyId, Handle = handle }, cancellationToken: ct));
}

/// <summary>Handles of responses, for the live events that reach raters (<c>Features/Live/StudyEvent.cs</c>).</summary>
public sealed class ResponseHandleQuery(Database database)
{
    public async Task<string> HandleAsync(long responseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT handle FROM responses WHERE id = @ResponseId", new { ResponseId = responseId }, cancellationToken: ct));
    }

    /// <summary>The response of the study that <paramref name="handle"/> names, or null.</summary>
    public async Task<long?> ResponseIdAsync(long studyId, string? handle, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ResponseHandles.ResponseIdAsync(connection, studyId, handle, ct);
    }
}
