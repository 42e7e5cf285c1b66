using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Accounts;

public sealed record Invite(long StudyId, string StudyTitle, string Role);

public enum InviteOutcome { Joined, InvalidInvite, UsernameTaken }

public sealed record InviteAcceptance(InviteOutcome Outcome, User? User);

/// <summary>Why an invite can or cannot be used: <see cref="Withdrawn"/> when the person who made it no longer
/// coordinates the study (or their account is disabled); <see cref="Revoked"/> when a coordinator revoked it.</summary>
public enum InviteState { Usable, Used, Expired, Withdrawn, Revoked }

/// <summary>An invite not yet used, revoked or expired, as the set-up page lists it. <see cref="Key"/> is the stored
/// hash: it names the invite for revocation and cannot be turned back into the link.</summary>
public sealed record PendingInvite
{
    /// <summary>The number <c>gradebench invite list</c> shows and <c>gradebench invite revoke --id</c> takes.</summary>
    public long Number { get; init; }
    public required string Key { get; init; }
    public required string Role { get; init; }
    public string? InvitedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

public enum InviteRevocation { Revoked, NotCoordinator, NotPending }

/// <summary>An invite as its page shows it, whatever its state.</summary>
public sealed record InviteView
{
    public long StudyId { get; init; }
    public required string StudyTitle { get; init; }
    /// <summary>The study's language tag, which its title is written in.</summary>
    public string StudyLanguage { get; init; } = "en";
    public required string Role { get; init; }
    /// <summary>The display name of the coordinator who made it; null for a link printed by <c>gradebench invite</c>.</summary>
    public string? InvitedBy { get; init; }
    public InviteState State { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    /// <summary>The viewer's present role in the study, when a signed-in viewer was given and is a member.</summary>
    public string? ViewerRole { get; init; }
}

/// <summary>What joining a study with an existing account did. <see cref="AlreadyMember"/> (same role) and
/// <see cref="AlreadyCoordinator"/> (a rater invite opened by a coordinator) change nothing and leave the invite usable.</summary>
public enum JoinOutcome { Joined, InvalidInvite, AlreadyMember, AlreadyCoordinator }

public sealed record InviteJoin(JoinOutcome Outcome, long StudyId, string? Role);

/// <summary>Single-use, expiring links that let a person create an account and join a study in a role.</summary>
public sealed class InviteStore(Database database, TimeProvider clock)
{
    /// <summary>How long an invite works, whether made in the browser or by <c>gradebench invite</c> (which can change it).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    /// <summary>The address a person opens to use an invite, on the server at <paramref name="baseUrl"/>.</summary>
    public static string Link(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/invite/{token}";

    public async Task<string> CreateAsync(long studyId, string role, long? createdBy, TimeSpan lifetime, CancellationToken ct = default)
    {
        var token = Tokens.Create();
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO invites (token_hash, study_id, role, created_by, created_at, expires_at, number)
            VALUES (@Hash, @StudyId, @Role, @CreatedBy, @Now, @ExpiresAt, {NextNumber})
            """, new { Hash = Tokens.Hash(token), StudyId = studyId, Role = role, CreatedBy = createdBy, Now = now, ExpiresAt = now + lifetime },
            transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return token;
    }

    // Read inside the inserting write transaction, which no other writer interleaves with.
    const string NextNumber = "(SELECT COALESCE(MAX(number), 0) + 1 FROM invites)";

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
    public async Task<Invite?> FindAsync(string token, CancellationToken ct = default) =>
        await ViewAsync(token, null, ct) is { State: InviteState.Usable } view ? new Invite(view.StudyId, view.StudyTitle, view.Role) : null;

    /// <summary>The invite behind a token in whatever state it is, with who made it and, given a signed-in
    /// <paramref name="viewerId"/>, the viewer's present role in its study; null only for an unknown token.</summary>
    public async Task<InviteView?> ViewAsync(string token, long? viewerId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<InviteView>(new CommandDefinition($"""
            SELECT invites.study_id, s.title AS study_title, s.language AS study_language, invites.role, inviter.display_name AS invited_by, invites.expires_at,
                CASE WHEN invites.used_at IS NOT NULL THEN 'Used' WHEN invites.revoked_at IS NOT NULL THEN 'Revoked'
                     WHEN invites.expires_at <= @Now THEN 'Expired'
                     WHEN NOT {CreatorStillStands} THEN 'Withdrawn' ELSE 'Usable' END AS state,
                (SELECT m.role FROM study_members m WHERE m.study_id = invites.study_id AND m.user_id = @ViewerId) AS viewer_role
            FROM invites JOIN studies s ON s.id = invites.study_id LEFT JOIN users inviter ON inviter.id = invites.created_by
            WHERE invites.token_hash = @Hash
            """, new { Hash = Tokens.Hash(token), Now = clock.GetUtcNow(), ViewerId = viewerId }, cancellationToken: ct));
    }

    /// <summary>Joins the study with an existing, enabled account: uses up the invite and adds the membership in one
    /// transaction. A member already in the invite's role, and a coordinator opening a rater invite, change nothing:
    /// an invite never takes a role away (a coordinator checking the link they made would otherwise demote themselves).
    /// A rater opening a coordinator invite becomes its coordinator, recorded as a role change.</summary>
    public async Task<InviteJoin> JoinAsync(string token, long userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var keys = new { Hash = Tokens.Hash(token), Now = now, UserId = userId };
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var invite = await connection.QuerySingleOrDefaultAsync<(long StudyId, string Role, string? Present)>($"""
            SELECT invites.study_id, invites.role,
                (SELECT m.role FROM study_members m WHERE m.study_id = invites.study_id AND m.user_id = @UserId) AS present
            FROM invites
            WHERE invites.token_hash = @Hash AND invites.used_at IS NULL AND invites.revoked_at IS NULL AND invites.expires_at > @Now
              AND {CreatorStillStands}
              AND EXISTS (SELECT 1 FROM users u WHERE u.id = @UserId AND u.disabled_at IS NULL)
            """, keys, transaction);
        if (invite == default) return new InviteJoin(JoinOutcome.InvalidInvite, 0, null);
        if (invite.Present == invite.Role) return new InviteJoin(JoinOutcome.AlreadyMember, invite.StudyId, invite.Role);
        if (invite.Present == StudyRoles.Coordinator) return new InviteJoin(JoinOutcome.AlreadyCoordinator, invite.StudyId, invite.Present);
        await connection.ExecuteAsync("UPDATE invites SET used_at = @Now, used_by = @UserId WHERE token_hash = @Hash", keys, transaction);
        await Memberships.AddAsync(connection, transaction, invite.StudyId, userId, invite.Role, now);
        await Assignments.RebalanceAsync(connection, transaction, invite.StudyId, now);
        await transaction.CommitAsync(ct);
        return new InviteJoin(JoinOutcome.Joined, invite.StudyId, invite.Role);
    }

    /// <summary>Uses up the invite, creates the account and the membership, all in one transaction: a taken user
    /// name or a spent invite changes nothing.</summary>
    public async Task<InviteAcceptance> AcceptAsync(string token, string username, string displayName, Func<User, string> hashPassword, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        var invite = await connection.QuerySingleOrDefaultAsync<(long StudyId, string Role)>($"""
            UPDATE invites SET used_at = @Now
            WHERE token_hash = @Hash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > @Now AND {CreatorStillStands}
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

    /// <summary>Creates an invite as <paramref name="actorId"/>, checked to coordinate the study (or administer GradeBench)
    /// in the same transaction; null when they do not. Lives <see cref="DefaultLifetime"/>.</summary>
    public async Task<string?> CreateAsCoordinatorAsync(long studyId, string role, long actorId, CancellationToken ct = default)
    {
        if (role is not (StudyRoles.Rater or StudyRoles.Coordinator)) throw new ArgumentOutOfRangeException(nameof(role), role, null);
        var token = Tokens.Create();
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, actorId, ct) is not { IsCoordinator: true }) return null;
        await connection.ExecuteAsync($"""
            INSERT INTO invites (token_hash, study_id, role, created_by, created_at, expires_at, number)
            VALUES (@Hash, @StudyId, @Role, @CreatedBy, @Now, @ExpiresAt, {NextNumber})
            """, new { Hash = Tokens.Hash(token), StudyId = studyId, Role = role, CreatedBy = actorId, Now = now, ExpiresAt = now + DefaultLifetime },
            transaction);
        await transaction.CommitAsync(ct);
        return token;
    }

    /// <summary>The study's invites that can still be used, soonest to expire first; null when <paramref name="actorId"/>
    /// does not coordinate the study. Withdrawn ones (their maker no longer coordinates) are left out: they no longer work.</summary>
    public async Task<IReadOnlyList<PendingInvite>?> ListPendingAsync(long studyId, long actorId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await StudyQuery.AccessAsync(connection, null, studyId, actorId, ct) is not { IsCoordinator: true }) return null;
        return await PendingAsync(connection, studyId, ct);
    }

    /// <summary>As <see cref="ListPendingAsync(long, long, CancellationToken)"/>, for <c>gradebench invite list</c>: whoever
    /// may open the database file may see them.</summary>
    public async Task<IReadOnlyList<PendingInvite>> ListPendingAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await PendingAsync(connection, studyId, ct);
    }

    async Task<IReadOnlyList<PendingInvite>> PendingAsync(System.Data.Common.DbConnection connection, long studyId, CancellationToken ct) =>
        (await connection.QueryAsync<PendingInvite>(new CommandDefinition($"""
            SELECT invites.number, invites.token_hash AS key, invites.role, inviter.display_name AS invited_by,
                   invites.created_at, invites.expires_at
            FROM invites LEFT JOIN users inviter ON inviter.id = invites.created_by
            WHERE invites.study_id = @StudyId AND {Pending} AND {CreatorStillStands}
            ORDER BY invites.expires_at, invites.token_hash
            """, new { StudyId = studyId, Now = clock.GetUtcNow() }, cancellationToken: ct))).AsList();

    /// <summary>Not used, revoked or expired (at <c>@Now</c>).</summary>
    const string Pending = "invites.used_at IS NULL AND invites.revoked_at IS NULL AND invites.expires_at > @Now";

    /// <summary>Revokes a pending invite of the study: its link is refused from then on, saying it was revoked.</summary>
    public async Task<InviteRevocation> RevokeAsync(long studyId, string key, long actorId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, actorId, ct) is not { IsCoordinator: true })
            return InviteRevocation.NotCoordinator;
        var revoked = await connection.ExecuteAsync($"""
            UPDATE invites SET revoked_at = @Now, revoked_by = @ActorId
            WHERE token_hash = @Key AND study_id = @StudyId AND {Pending}
            """, new { Key = key, StudyId = studyId, ActorId = actorId, Now = now }, transaction);
        await transaction.CommitAsync(ct);
        return revoked == 1 ? InviteRevocation.Revoked : InviteRevocation.NotPending;
    }

    /// <summary>Revokes pending invites of the study from the command line (no actor: whoever may open the database
    /// file): the one whose link holds <paramref name="token"/>, the one numbered <paramref name="number"/> in
    /// <see cref="ListPendingAsync(long, CancellationToken)"/>, or, with neither, all of them. Returns how many.</summary>
    public async Task<int> RevokePendingAsync(long studyId, string? token, long? number, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE invites SET revoked_at = @Now
            WHERE study_id = @StudyId AND {Pending}
              AND (@Hash IS NULL OR token_hash = @Hash) AND (@Number IS NULL OR number = @Number)
            """, new { StudyId = studyId, Hash = token is null ? null : Tokens.Hash(token), Number = number, Now = clock.GetUtcNow() },
            cancellationToken: ct));
    }
}
