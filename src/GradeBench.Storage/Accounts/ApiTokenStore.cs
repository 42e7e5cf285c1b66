using Dapper;

namespace GradeBench.Storage.Accounts;

/// <summary>Personal API tokens: a program grading on someone's behalf sends one as <c>Authorization: Bearer</c>.
/// The token is shown once, when created; only its SHA-256 is stored, so a copy of the database grants no access.</summary>
public sealed class ApiTokenStore(Database database, TimeProvider clock)
{
    public const string DefaultLabel = "default";

    /// <summary>Creates a token for the user and returns it; it cannot be shown again.</summary>
    public async Task<string> CreateAsync(long userId, string label, CancellationToken ct = default)
    {
        var token = Tokens.Create();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (@Hash, @UserId, @Label, @Now)
            """, new { Hash = Tokens.Hash(token), UserId = userId, Label = label, Now = clock.GetUtcNow() }, cancellationToken: ct));
        return token;
    }

    /// <summary>The user a token belongs to, or null when it is unknown or revoked or its user is disabled. Returns the whole user rather than
    /// the id so that authenticating a request costs one query.</summary>
    public async Task<User?> FindUserAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition("""
            SELECT u.id, u.username, u.display_name, u.password_hash, u.is_admin, u.disabled_at
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = @Hash AND t.revoked_at IS NULL AND u.disabled_at IS NULL
            """, new { Hash = Tokens.Hash(token) }, cancellationToken: ct));
    }

    /// <summary>Revokes the user's live tokens with this label, or all of them when <paramref name="label"/> is null;
    /// returns how many it revoked. Takes effect on the next request: tokens are checked on every request.</summary>
    public async Task<int> RevokeAsync(long userId, string? label, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE api_tokens SET revoked_at = @Now
            WHERE user_id = @UserId AND revoked_at IS NULL AND (@Label IS NULL OR label = @Label)
            """, new { UserId = userId, Label = label, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }
}
