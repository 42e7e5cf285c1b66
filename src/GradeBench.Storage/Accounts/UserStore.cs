using System.Data.Common;
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
    /// <summary>An LLM judge's account (<c>users.kind</c>): it acts through API tokens only and never signs in.</summary>
    public bool IsJudge { get; init; }
}

/// <summary>An account and its session version: a sign-in cookie issued at a lower version no longer works.
/// <see cref="Language"/> is the interface language the user chose, null if none.</summary>
public sealed record UserSession(User User, long SessionVersion, string? Language = null);

/// <summary>One account as the administrators' account list shows it.</summary>
public sealed record AccountSummary
{
    public long Id { get; init; }
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public bool IsAdmin { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }
    public long Studies { get; init; }
    /// <summary>Null until the account first signs in (by password, link or invite).</summary>
    public DateTimeOffset? LastSignInAt { get; init; }
}

public enum AccountStatusOutcome { Changed, Unchanged, NotFound, NotAdministrator, Self, LastAdministrator }

public enum NewAccountOutcome { Created, UsernameTaken, NotAdministrator }

/// <summary>An account made by an administrator, with its set-password link's token when <see cref="Outcome"/> is
/// <see cref="NewAccountOutcome.Created"/>.</summary>
public sealed record NewAccount(NewAccountOutcome Outcome, string? Token);

public enum SetPasswordLinkState { Usable, Used, Expired }

/// <summary>A set-password link as its page shows it; see <see cref="UserStore.FindSetPasswordLinkAsync"/>.</summary>
public sealed record SetPasswordLinkView
{
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public SetPasswordLinkState State { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

public sealed class UserStore(Database database, TimeProvider clock)
{
    public const string AdministratorName = "admin";

    /// <summary>The shortest password accepted anywhere (web forms and the command line).</summary>
    public const int MinimumPasswordLength = 10;

    /// <summary>How long a set-password link (new account or password reset) works: long enough for an administrator
    /// to pass it on by hand over a weekend, short enough that a forgotten link soon stops working.</summary>
    public static readonly TimeSpan SetPasswordLinkLifetime = TimeSpan.FromDays(3);

    /// <summary>The address a person opens to choose their password with a set-password link.</summary>
    public static string SetPasswordLink(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/account/set-password/{token}";

    const string SignInPurpose = "sign-in", SetPasswordPurpose = "set-password";

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
            "SELECT id, username, display_name, password_hash, is_admin, disabled_at, kind = 'judge' AS is_judge FROM users WHERE lower(username) = @Key",
            new { Key = UsernameKey.Of(username) }, cancellationToken: ct));
    }

    /// <summary>The administrator who still has to choose a password, created on first run; null once any
    /// administrator can sign in with a password.</summary>
    public async Task<User?> AdministratorWithoutPasswordAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
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
        await connection.ExecuteAsync(new CommandDefinition("UPDATE users SET is_admin = TRUE WHERE id = @UserId AND kind = 'person'", new { UserId = userId }, cancellationToken: ct));
    }

    /// <summary>Gives the user a role in the study; a new rater gets a fair share of the open work at once.</summary>
    public async Task AddMembershipAsync(long studyId, long userId, string role, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        await Memberships.AddAsync(connection, transaction, studyId, userId, role, now);
        await Assignments.RebalanceAsync(connection, transaction, studyId, now);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Every person's account, by user name, with how many studies it belongs to. Judges' accounts are listed
    /// with their study (<see cref="Judges.JudgeStore"/>): there is nothing to sign in or administer about them.</summary>
    public async Task<IReadOnlyList<AccountSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<AccountSummary>(new CommandDefinition("""
            SELECT u.id, u.username, u.display_name, u.is_admin, u.disabled_at, u.last_sign_in_at,
                   (SELECT COUNT(*) FROM study_members m WHERE m.user_id = u.id) AS studies
            FROM users u WHERE u.kind = 'person' ORDER BY lower(u.username), u.id
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
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (actorId is { } actor && !await IsAdministratorAsync(connection, transaction, actor)) return AccountStatusOutcome.NotAdministrator;
        var target = await connection.QuerySingleOrDefaultAsync<User>(
            "SELECT id, username, display_name, is_admin, disabled_at FROM users WHERE id = @UserId", new { UserId = userId }, transaction);
        if (target is null) return AccountStatusOutcome.NotFound;
        if ((target.DisabledAt is not null) == disabled) return AccountStatusOutcome.Unchanged;
        if (disabled && userId == actorId) return AccountStatusOutcome.Self;
        if (disabled && target.IsAdmin && !await OtherAdministratorExistsAsync(connection, transaction, userId))
            return AccountStatusOutcome.LastAdministrator;
        await connection.ExecuteAsync("UPDATE users SET disabled_at = @DisabledAt WHERE id = @UserId",
            new { UserId = userId, DisabledAt = disabled ? now : (DateTimeOffset?)null }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO account_status_changes (user_id, disabled, changed_at, changed_by) VALUES (@UserId, @Disabled, @Now, @ActorId)
            """, new { UserId = userId, Disabled = disabled, Now = now, ActorId = actorId }, transaction);
        // Its cookies stay void if it is enabled again; the status change above already closes what it holds open.
        if (disabled) await RaiseSessionVersionAsync(connection, transaction, userId, now, record: false);
        await transaction.CommitAsync(ct);
        return AccountStatusOutcome.Changed;
    }

    /// <summary>Sets the password and ends every sign-in of the user's (see <see cref="EndSessionsAsync"/>); returns the
    /// new session version, for the browser that changed it to stay signed in. A judge's account takes no password.</summary>
    public async Task<long> SetPasswordHashAsync(long userId, string passwordHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        await connection.ExecuteAsync("UPDATE users SET password_hash = @PasswordHash WHERE id = @UserId AND kind = 'person'", new { UserId = userId, PasswordHash = passwordHash }, transaction);
        var version = await RaiseSessionVersionAsync(connection, transaction, userId, clock.GetUtcNow());
        await transaction.CommitAsync(ct);
        return version;
    }

    /// <summary>The account with its session version; one read by primary key, made on every request a cookie signs in.
    /// Null for a judge's account: whatever cookie names one is refused, so a judge never holds a web session.</summary>
    public async Task<UserSession?> FindSessionAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            "SELECT id, username, display_name, password_hash, is_admin, disabled_at, session_version, language FROM users WHERE id = @Id AND kind = 'person'",
            new { Id = id }, cancellationToken: ct));
        return row is null ? null : new UserSession(new User
        {
            Id = row.Id, Username = row.Username, DisplayName = row.DisplayName, PasswordHash = row.PasswordHash, IsAdmin = row.IsAdmin, DisabledAt = row.DisabledAt,
        }, row.SessionVersion, row.Language);
    }

    /// <summary>Saves the interface language the user chose; it follows them to every browser they sign in on.</summary>
    public async Task SetLanguageAsync(long userId, string language, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE users SET language = @Language WHERE id = @Id",
            new { Id = userId, Language = language }, cancellationToken: ct));
    }

    sealed class SessionRow
    {
        public long Id { get; init; }
        public string Username { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string? PasswordHash { get; init; }
        public bool IsAdmin { get; init; }
        public DateTimeOffset? DisabledAt { get; init; }
        public long SessionVersion { get; init; }
        public string? Language { get; init; }
    }

    /// <summary>Ends every sign-in of the user's (sign-out, "sign out everywhere"): cookies issued before, copies
    /// included, are refused from their next request, and a running server closes what they hold open. Returns the new
    /// session version.</summary>
    public async Task<long> EndSessionsAsync(long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var version = await RaiseSessionVersionAsync(connection, transaction, userId, clock.GetUtcNow());
        await transaction.CommitAsync(ct);
        return version;
    }

    static async Task<long> RaiseSessionVersionAsync(DbConnection connection, DbTransaction transaction, long userId, DateTimeOffset now, bool record = true)
    {
        var version = await connection.ExecuteScalarAsync<long>(
            "UPDATE users SET session_version = session_version + 1 WHERE id = @UserId RETURNING session_version", new { UserId = userId }, transaction);
        if (record)
            await connection.ExecuteAsync("""
                INSERT INTO credential_revocations (user_id, session_version, recorded_at) VALUES (@UserId, @Version, @Now)
                """, new { UserId = userId, Version = version, Now = now }, transaction);
        return version;
    }

    /// <summary>Creates a single-use sign-in token, ending any earlier unused link of the user's, so that only the
    /// newest printed link works. Only the token's SHA-256 is stored.</summary>
    public async Task<string> CreateSignInTokenAsync(long userId, TimeSpan lifetime, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var token = await CreateLinkAsync(connection, transaction, userId, SignInPurpose, lifetime);
        await transaction.CommitAsync(ct);
        return token;
    }

    /// <summary>A new link of the user's in <c>sign_in_links</c>; any earlier unused one (of either purpose) ends, so
    /// only the newest link handed out works. Never for a judge's account, which does not sign in.</summary>
    async Task<string> CreateLinkAsync(DbConnection connection, DbTransaction transaction,
        long userId, string purpose, TimeSpan lifetime)
    {
        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE id = @UserId AND kind = 'judge')", new { UserId = userId }, transaction))
            throw new InvalidOperationException($"User {userId} is a judge, which never signs in.");
        var token = Tokens.Create();
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync("""
            UPDATE sign_in_links SET expires_at = @Now WHERE user_id = @UserId AND used_at IS NULL AND expires_at > @Now
            """, new { UserId = userId, Now = now }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO sign_in_links (token_hash, user_id, created_at, expires_at, purpose) VALUES (@Hash, @UserId, @Now, @ExpiresAt, @Purpose)
            """, new { Hash = Tokens.Hash(token), UserId = userId, Now = now, ExpiresAt = now + lifetime, Purpose = purpose }, transaction);
        return token;
    }

    /// <summary>Uses up a sign-in token: the user it was made for, or null when it is unknown, used or expired.</summary>
    public async Task<long?> RedeemSignInTokenAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            UPDATE sign_in_links SET used_at = @Now
            WHERE token_hash = @Hash AND purpose = @Purpose AND used_at IS NULL AND expires_at > @Now
              AND user_id IN (SELECT id FROM users WHERE kind = 'person')
            RETURNING user_id
            """, new { Hash = Tokens.Hash(token), Now = clock.GetUtcNow(), Purpose = SignInPurpose }, cancellationToken: ct));
    }

    /// <summary>Notes the moment the user signed in, for the account list.</summary>
    public async Task RecordSignInAsync(long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE users SET last_sign_in_at = @Now WHERE id = @UserId",
            new { UserId = userId, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Creates an account without a password, and the set-password link to give its owner, as the administrator
    /// <paramref name="actorId"/> (checked in the same transaction).</summary>
    public async Task<NewAccount> CreateWithSetPasswordLinkAsync(string username, string displayName, bool isAdmin, long actorId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (!await IsAdministratorAsync(connection, transaction, actorId)) return new NewAccount(NewAccountOutcome.NotAdministrator, null);
        var id = await connection.QuerySingleOrDefaultAsync<long?>("""
            INSERT INTO users (username, display_name, is_admin, created_at) VALUES (@Username, @DisplayName, @IsAdmin, @Now)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, new { Username = username, DisplayName = displayName, IsAdmin = isAdmin, Now = clock.GetUtcNow() }, transaction);
        if (id is not { } created) return new NewAccount(NewAccountOutcome.UsernameTaken, null);
        var token = await CreateLinkAsync(connection, transaction, created, SetPasswordPurpose, SetPasswordLinkLifetime);
        await transaction.CommitAsync(ct);
        return new NewAccount(NewAccountOutcome.Created, token);
    }

    /// <summary>A password reset: a new set-password link for the user, made by the administrator <paramref name="actorId"/>;
    /// null when the actor is not an administrator or the user is not a person's account that exists. The present password keeps working until
    /// the link is used; an earlier unused link of the user's stops working at once.</summary>
    public async Task<string?> CreateSetPasswordLinkAsync(long userId, long actorId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (!await IsAdministratorAsync(connection, transaction, actorId)
            || !await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE id = @UserId AND kind = 'person')", new { UserId = userId }, transaction))
            return null;
        var token = await CreateLinkAsync(connection, transaction, userId, SetPasswordPurpose, SetPasswordLinkLifetime);
        await transaction.CommitAsync(ct);
        return token;
    }

    /// <summary>The set-password link behind a token in whatever state it is; null for an unknown token (or a sign-in link).</summary>
    public async Task<SetPasswordLinkView?> FindSetPasswordLinkAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<SetPasswordLinkView>(new CommandDefinition("""
            SELECT u.username, u.display_name, l.expires_at,
                   CASE WHEN l.used_at IS NOT NULL THEN 'Used' WHEN l.expires_at <= @Now THEN 'Expired' ELSE 'Usable' END AS state
            FROM sign_in_links l JOIN users u ON u.id = l.user_id
            WHERE l.token_hash = @Hash AND l.purpose = @Purpose
            """, new { Hash = Tokens.Hash(token), Now = clock.GetUtcNow(), Purpose = SetPasswordPurpose }, cancellationToken: ct));
    }

    /// <summary>Uses up a set-password link and sets the password it was made for, in one transaction: from then on only
    /// the new password works, and every earlier sign-in of the account has ended. Null when the link is unknown, used or expired.</summary>
    public async Task<User?> SetPasswordWithLinkAsync(string token, Func<User, string> hashPassword, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var userId = await connection.QuerySingleOrDefaultAsync<long?>("""
            UPDATE sign_in_links SET used_at = @Now
            WHERE token_hash = @Hash AND purpose = @Purpose AND used_at IS NULL AND expires_at > @Now
              AND user_id IN (SELECT id FROM users WHERE kind = 'person')
            RETURNING user_id
            """, new { Hash = Tokens.Hash(token), Now = clock.GetUtcNow(), Purpose = SetPasswordPurpose }, transaction);
        if (userId is null) return null;
        var user = await connection.QuerySingleAsync<User>(
            "SELECT id, username, display_name, is_admin, disabled_at FROM users WHERE id = @UserId", new { UserId = userId }, transaction);
        var hash = hashPassword(user);
        await connection.ExecuteAsync("UPDATE users SET password_hash = @Hash WHERE id = @UserId", new { Hash = hash, UserId = user.Id }, transaction);
        await RaiseSessionVersionAsync(connection, transaction, user.Id, clock.GetUtcNow());
        await transaction.CommitAsync(ct);
        return user with { PasswordHash = hash };
    }

    /// <summary>Gives or takes administrator rights, as the administrator <paramref name="actorId"/>. The last administrator
    /// who can sign in keeps theirs (also when giving up their own), so GradeBench is never left without one.</summary>
    public async Task<AccountStatusOutcome> SetAdministratorAsync(long userId, bool isAdmin, long actorId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (!await IsAdministratorAsync(connection, transaction, actorId)) return AccountStatusOutcome.NotAdministrator;
        var target = await connection.QuerySingleOrDefaultAsync<User>(
            "SELECT id, username, display_name, is_admin, disabled_at FROM users WHERE id = @UserId AND kind = 'person'", new { UserId = userId }, transaction);
        if (target is null) return AccountStatusOutcome.NotFound;
        if (target.IsAdmin == isAdmin) return AccountStatusOutcome.Unchanged;
        if (!isAdmin && target.DisabledAt is null && !await OtherAdministratorExistsAsync(connection, transaction, userId))
            return AccountStatusOutcome.LastAdministrator;
        await connection.ExecuteAsync("UPDATE users SET is_admin = @IsAdmin WHERE id = @UserId", new { IsAdmin = isAdmin, UserId = userId }, transaction);
        await transaction.CommitAsync(ct);
        return AccountStatusOutcome.Changed;
    }

    static Task<bool> IsAdministratorAsync(DbConnection connection, DbTransaction transaction, long userId) =>
        connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE id = @UserId AND is_admin AND disabled_at IS NULL)",
            new { UserId = userId }, transaction);

    /// <summary>Whether an administrator who can sign in remains besides <paramref name="userId"/>.</summary>
    static Task<bool> OtherAdministratorExistsAsync(DbConnection connection, DbTransaction transaction, long userId) =>
        connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE is_admin AND disabled_at IS NULL AND id <> @UserId)",
            new { UserId = userId }, transaction);
}
