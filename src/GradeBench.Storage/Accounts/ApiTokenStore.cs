using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Accounts;

/// <summary>The user behind a live API token, and which token it is (its SHA-256) and until when it works, so that a
/// connection it opens can be closed when it is revoked or expires.</summary>
public sealed record ApiTokenOwner(User User, string TokenHash, DateTimeOffset? ExpiresAt);

/// <summary>One API token as <c>gradebench token list</c> shows it (never the token itself).</summary>
public sealed record ApiTokenSummary
{
    public required string Username { get; init; }
    public required string Label { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>Personal API tokens: a program grading on someone's behalf sends one as <c>Authorization: Bearer</c>.
/// The token is shown once, when created; only its SHA-256 is stored, so a copy of the database grants no access.</summary>
public sealed class ApiTokenStore(Database database, TimeProvider clock)
{
    public const string DefaultLabel = "default";

    /// <summary>Creates a token for the user and returns it; it cannot be shown again. With <paramref name="expiresAt"/>
    /// it stops working at that moment.</summary>
    public async Task<string> CreateAsync(long userId, string label, DateTimeOffset? expiresAt = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await CreateAsync(connection, null, userId, label, clock.GetUtcNow(), expiresAt);
    }

    /// <summary><see cref="CreateAsync(long, string, DateTimeOffset?, CancellationToken)"/> inside the caller's transaction
    /// (an account made with its first token, as a judge is).</summary>
    internal static async Task<string> CreateAsync(DbConnection connection, DbTransaction? transaction, long userId, string label,
        DateTimeOffset now, DateTimeOffset? expiresAt = null)
    {
        var token = Tokens.Create();
        await connection.ExecuteAsync("""
            INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at) VALUES (@Hash, @UserId, @Label, @Now, @ExpiresAt)
            """, new { Hash = Tokens.Hash(token), UserId = userId, Label = label, Now = now, ExpiresAt = expiresAt }, transaction);
        return token;
    }

    /// <summary>The user a token belongs to, or null when it is unknown, revoked or expired or its user is disabled.</summary>
    public async Task<User?> FindUserAsync(string token, CancellationToken ct = default) => (await FindOwnerAsync(token, ct))?.User;

    /// <summary>As <see cref="FindUserAsync"/>, with the token's hash and expiry. One query, so that authenticating a
    /// request costs one read.</summary>
    public async Task<ApiTokenOwner?> FindOwnerAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<OwnerRow>(new CommandDefinition("""
            SELECT u.id, u.username, u.display_name, u.password_hash, u.is_admin, u.disabled_at, t.token_hash, t.expires_at
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = @Hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > @Now) AND u.disabled_at IS NULL
            """, new { Hash = Tokens.Hash(token), Now = clock.GetUtcNow() }, cancellationToken: ct));
        return row is null ? null : new ApiTokenOwner(
            new User { Id = row.Id, Username = row.Username, DisplayName = row.DisplayName, PasswordHash = row.PasswordHash, IsAdmin = row.IsAdmin, DisabledAt = row.DisabledAt },
            row.TokenHash, row.ExpiresAt);
    }

    sealed class OwnerRow
    {
        public long Id { get; init; }
        public string Username { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string? PasswordHash { get; init; }
        public bool IsAdmin { get; init; }
        public DateTimeOffset? DisabledAt { get; init; }
        public string TokenHash { get; init; } = "";
        public DateTimeOffset? ExpiresAt { get; init; }
    }

    /// <summary>Whether the token with this SHA-256 still works (not revoked, not expired, its user not disabled): checked
    /// on every call of a hub connection it opened.</summary>
    public async Task<bool> IsLiveAsync(string tokenHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = @Hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > @Now) AND u.disabled_at IS NULL)
            """, new { Hash = tokenHash, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Every token, or the user's, newest first.</summary>
    public async Task<IReadOnlyList<ApiTokenSummary>> ListAsync(long? userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ApiTokenSummary>(new CommandDefinition("""
            SELECT u.username, t.label, t.created_at, t.expires_at, t.revoked_at
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE @UserId IS NULL OR t.user_id = @UserId
            ORDER BY t.created_at DESC, lower(u.username), t.label
            """, new { UserId = userId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Revokes the user's live tokens with this label, or all of them when <paramref name="label"/> is null;
    /// returns how many it revoked. Takes effect on the next request (tokens are checked on every request), and the
    /// revocation is recorded for a running server to close the hub connections those tokens opened.</summary>
    public async Task<int> RevokeAsync(long userId, string? label, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var revoked = (await connection.QueryAsync<string>("""
            UPDATE api_tokens SET revoked_at = @Now
            WHERE user_id = @UserId AND revoked_at IS NULL AND (@Label IS NULL OR label = @Label)
            RETURNING token_hash
            """, new { UserId = userId, Label = label, Now = now }, transaction)).AsList();
        await connection.ExecuteAsync("""
            INSERT INTO credential_revocations (user_id, token_hash, recorded_at) VALUES (@UserId, @Hash, @Now)
            """, revoked.Select(hash => new { UserId = userId, Hash = hash, Now = now }), transaction);
        await transaction.CommitAsync(ct);
        return revoked.Count;
    }
}
