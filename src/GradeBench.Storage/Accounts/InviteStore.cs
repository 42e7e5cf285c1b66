using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Accounts;

public sealed record Invite(long StudyId, string StudyTitle, string Role);

public enum InviteOutcome { Joined, InvalidInvite, UsernameTaken }

public sealed record InviteAcceptance(InviteOutcome Outcome, User? User);

/// <summary>Single-use, expiring links that let a person create an account and join a study in a role.</summary>
public sealed class InviteStore(Database database, TimeProvider clock)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    public async Task<string> CreateAsync(long studyId, string role, long? createdBy, TimeSpan lifetime, CancellationToken ct = default)
    {
        var token = Tokens.Create();
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO invites (token_hash, study_id, role, created_by, created_at, expires_at)
            VALUES (@Hash, @StudyId, @Role, @CreatedBy, @Now, @ExpiresAt)
            """, new { Hash = Tokens.Hash(token), StudyId = studyId, Role = role, CreatedBy = createdBy, Now = now, ExpiresAt = now + lifetime },
            cancellationToken: ct));
        return token;
    }

    // An invite speaks for whoever made it: once they are removed from the study or disabled, their unused links stop
    // working too (and work again if they are reinstated). Links made on the command line (no creator) are the operator's.
    const string CreatorStillStands = """
        (invites.created_by IS NULL OR EXISTS (
            SELECT 1 FROM users creator WHERE creator.id = invites.created_by AND creator.disabled_at IS NULL
            AND (creator.is_admin OR EXISTS (SELECT 1 FROM study_members m
                 WHERE m.study_id = invites.study_id AND m.user_id = creator.id AND m.role = 'coordinator'))))
        """;

    /// <summary>The invite behind a token while it can still be used; null when unknown, used or expired, or when the
    /// person who made it no longer coordinates the study.</summary>
    public async Task<Invite?> FindAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Invite>(new CommandDefinition($"""
            SELECT invites.study_id, s.title AS study_title, invites.role FROM invites JOIN studies s ON s.id = invites.study_id
            WHERE invites.token_hash = @Hash AND invites.used_at IS NULL AND invites.expires_at > @Now AND {CreatorStillStands}
            """, new { Hash = Tokens.Hash(token), Now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Uses up the invite, creates the account and the membership, all in one transaction: a taken user
    /// name or a spent invite changes nothing.</summary>
    public async Task<InviteAcceptance> AcceptAsync(string token, string username, string displayName, Func<User, string> hashPassword, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var invite = await connection.QuerySingleOrDefaultAsync<(long StudyId, string Role)>($"""
            UPDATE invites SET used_at = @Now WHERE token_hash = @Hash AND used_at IS NULL AND expires_at > @Now AND {CreatorStillStands}
            RETURNING study_id, role
            """, new { Hash = Tokens.Hash(token), Now = now }, transaction);
        if (invite == default) return new InviteAcceptance(InviteOutcome.InvalidInvite, null);
        var userId = await connection.QuerySingleOrDefaultAsync<long?>("""
            INSERT INTO users (username, display_name, is_admin, created_at) VALUES (@Username, @DisplayName, FALSE, @Now)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, new { Username = username, DisplayName = displayName, Now = now }, transaction);
        if (userId is null) return new InviteAcceptance(InviteOutcome.UsernameTaken, null);
        var user = new User { Id = userId.Value, Username = username, DisplayName = displayName };
        await connection.ExecuteAsync("UPDATE users SET password_hash = @Hash WHERE id = @Id",
            new { Hash = hashPassword(user), Id = user.Id }, transaction);
        await connection.ExecuteAsync("UPDATE invites SET used_by = @UserId WHERE token_hash = @Hash",
            new { UserId = user.Id, Hash = Tokens.Hash(token) }, transaction);
        await Memberships.AddAsync(connection, transaction, invite.StudyId, user.Id, invite.Role, now);
        if (invite.Role == StudyRoles.Rater) await Assignments.RebalanceAsync(connection, transaction, invite.StudyId, now);
        await transaction.CommitAsync(ct);
        return new InviteAcceptance(InviteOutcome.Joined, user);
    }
}
