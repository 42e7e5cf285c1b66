using Dapper;

namespace GradeBench.Storage.Nodes;

/// <summary>Named leases (migration 0029) for work that must run on one node at a time: a node holds a lease by renewing
/// it before it expires, and another may take it once it has. Times are the nodes' clocks, which must agree to well
/// within a lease's length.</summary>
public sealed class LeaseStore(Database database, TimeProvider clock)
{
    /// <summary>Takes the lease, or renews it when <paramref name="holder"/> has it, until <paramref name="length"/> from
    /// now; false while another holder's lease runs.</summary>
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan length, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var got = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            INSERT INTO leases (name, holder, expires_at) VALUES (@Name, @Me, @ExpiresAt)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.expires_at < @Now OR leases.holder = @Me
            RETURNING holder
            """, new { Name = name, Me = holder, Now = now, ExpiresAt = now + length }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return got == holder;
    }

    /// <summary>Gives the lease up at once if <paramref name="holder"/> has it, so that another node need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string name, string holder, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM leases WHERE name = @Name AND holder = @Me",
            new { Name = name, Me = holder }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>Who holds the lease now; null when nobody does (never taken, given up, or expired).</summary>
    public async Task<string?> HolderAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT holder FROM leases WHERE name = @Name AND expires_at >= @Now", new { Name = name, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }
}
