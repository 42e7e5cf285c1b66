using Dapper;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Accounts;

public sealed record User
{
    public long Id { get; init; }
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public string? PasswordHash { get; init; }
    public bool IsAdmin { get; init; }
    /// <summary>When the account was disabled; null while it may sign in and act.</summary>
    public DateTimeOffset? DisabledAt { get; init; }
}

/// <summary>One account as the administrators' account list shows it.</summary>
public sealed record AccountSummary
{
    public long Id { get; init; }
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public bool IsAdmin { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }
    public long Studies { get; init; }
}

public enum AccountStatusOutcome { Changed, Unchanged, NotFound, NotAdministrator, Self, LastAdministrator }

public sealed class UserStore(Database database, TimeProvider clock)
{
    public const string AdministratorName = "admin";

    /// <summary>The shortest password accepted anywhere (web forms and the command line).</summary>
    public const int MinimumPasswordLength = 10;

    public async Task<User?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            "SELECT id, username, display_name, password_hash, is_admin, disabled_at FROM users WHERE id = @Id", new { Id = id }, cancellationToken: ct));
    }

    public async Task<User?> FindByUsernameAsync(string username, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            "SELECT id, username, display_name, password_hash, is_admin, disabled_at FROM users WHERE lower(username) = lower(@Username)",
            new { Username = username }, cancellationToken: ct));
    }

    /// <summary>The administrator who still has to choose a password, created on first run; null once any
    /// administrator can sign in with a password.</summary>
    public async Task<User?> AdministratorWithoutPasswordAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ready = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM users WHERE is_admin AND password_hash IS NOT NULL", transaction: transaction);
        if (ready > 0) return null;
        await connection.ExecuteAsync("""
            INSERT INTO users (username, display_name, is_admin, created_at) VALUES (@Name, 'Administrator', TRUE, @Now)
            ON CONFLICT DO NOTHING
            """, new { Name = AdministratorName, Now = clock.GetUtcNow() }, transaction);
        var admin = await connection.QuerySingleAsync<User>(
            "SELECT id, username, display_name, password_hash, is_admin, disabled_at FROM users WHERE is_admin ORDER BY id LIMIT 1", transaction: transaction);
        await transaction.CommitAsync(ct);
        return admin;
    }

    /// <summary>Creates an account; null when the user name is taken (names compare ignoring case).</summary>
    public async Task<User?> CreateAsync(string username, string displayName, bool isAdmin, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            INSERT INTO users (username, display_name, is_admin, created_at) VALUES (@Username, @DisplayName, @IsAdmin, @Now)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, new { Username = username, DisplayName = displayName, IsAdmin = isAdmin, Now = clock.GetUtcNow() }, cancellationToken: ct));
        return id is { } created ? new User { Id = created, Username = username, DisplayName = displayName, IsAdmin = isAdmin } : null;
    }

    public async Task MakeAdministratorAsync(long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE users SET is_admin = TRUE WHERE id = @UserId", new { UserId = userId }, cancellationToken: ct));
    }

    /// <summary>Gives the user a role in the study; a new rater gets a fair share of the open work at once.</summary>
    public async Task AddMembershipAsync(long studyId, long userId, string role, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Memberships.AddAsync(connection, transaction, studyId, userId, role, now);
        await Assignments.RebalanceAsync(connection, transaction, studyId, now);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Every account, by user name, with how many studies it belongs to.</summary>
    public async Task<IReadOnlyList<AccountSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<AccountSummary>(new CommandDefinition("""
            SELECT u.id, u.username, u.display_name, u.is_admin, u.disabled_at,
                   (SELECT COUNT(*) FROM study_members m WHERE m.user_id = u.id) AS studies
            FROM users u ORDER BY lower(u.username), u.id
            """, cancellationToken: ct))).AsList();
    }

    /// <summary>Disables the account (it can no longer sign in, use its API tokens or act in any study, from its next
    /// request on) or enables it again; recorded in <c>account_status_changes</c>. <paramref name="actorId"/> is the
    /// administrator doing it, checked in the same transaction; null for the command line, which has the database file
    /// anyway. Nobody disables their own account or the last administrator who can still sign in.</summary>
    public async Task<AccountStatusOutcome> SetDisabledAsync(long userId, bool disabled, long? actorId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (actorId is { } actor && !await connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM users WHERE id = @Actor AND is_admin AND disabled_at IS NULL)", new { Actor = actor }, transaction))
            return AccountStatusOutcome.NotAdministrator;
        var target = await connection.QuerySingleOrDefaultAsync<User>(
            "SELECT id, username, display_name, is_admin, disabled_at FROM users WHERE id = @UserId", new { UserId = userId }, transaction);
        if (target is null) return AccountStatusOutcome.NotFound;
        if ((target.DisabledAt is not null) == disabled) return AccountStatusOutcome.Unchanged;
        if (disabled && userId == actorId) return AccountStatusOutcome.Self;
        if (disabled && target.IsAdmin && await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM users WHERE is_admin AND disabled_at IS NULL AND id <> @UserId", new { UserId = userId }, transaction) == 0)
            return AccountStatusOutcome.LastAdministrator;
        await connection.ExecuteAsync("UPDATE users SET disabled_at = @DisabledAt WHERE id = @UserId",
            new { UserId = userId, DisabledAt = disabled ? now : (DateTimeOffset?)null }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO account_status_changes (user_id, disabled, changed_at, changed_by) VALUES (@UserId, @Disabled, @Now, @ActorId)
            """, new { UserId = userId, Disabled = disabled, Now = now, ActorId = actorId }, transaction);
        await transaction.CommitAsync(ct);
        return AccountStatusOutcome.Changed;
    }

    public async Task SetPasswordHashAsync(long userId, string passwordHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @PasswordHash WHERE id = @UserId", new { UserId = userId, PasswordHash = passwordHash }, cancellationToken: ct));
    }

    /// <summary>Creates a single-use sign-in token, ending any earlier unused one of the user's, so that only the
    /// newest printed link works. Only the token's SHA-256 is stored.</summary>
    public async Task<string> CreateSignInTokenAsync(long userId, TimeSpan lifetime, CancellationToken ct = default)
    {
        var token = Tokens.Create();
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync("""
            UPDATE sign_in_links SET expires_at = @Now WHERE user_id = @UserId AND used_at IS NULL AND expires_at > @Now
            """, new { UserId = userId, Now = now }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO sign_in_links (token_hash, user_id, created_at, expires_at) VALUES (@Hash, @UserId, @Now, @ExpiresAt)
            """, new { Hash = Tokens.Hash(token), UserId = userId, Now = now, ExpiresAt = now + lifetime }, transaction);
        await transaction.CommitAsync(ct);
        return token;
    }

    /// <summary>Uses up a sign-in token: the user it was made for, or null when it is unknown, used or expired.</summary>
    public async Task<long?> RedeemSignInTokenAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            UPDATE sign_in_links SET used_at = @Now
            WHERE token_hash = @Hash AND used_at IS NULL AND expires_at > @Now
            RETURNING user_id
            """, new { Hash = Tokens.Hash(token), Now = clock.GetUtcNow() }, cancellationToken: ct));
    }
}
