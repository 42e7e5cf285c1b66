using Dapper;
using GradeBench.Core.Studies;

namespace GradeBench.Storage.Accounts;

/// <summary>Someone lost access: to one study (<see cref="StudyId"/>), or, when it is null, everywhere (the account
/// was disabled). With <see cref="CoordinatorRoleLost"/> they are still a member of the study but no longer one of its
/// coordinators. With <see cref="SessionVersion"/> or <see cref="TokenHash"/> (and no study) one way in ended instead:
/// their sign-ins issued before that version, or one API token.</summary>
public sealed record Revocation(long UserId, long? StudyId, bool CoordinatorRoleLost = false)
{
    /// <summary>Sign-ins (cookies, and the circuits and hub connections they opened) issued before this version ended.</summary>
    public long? SessionVersion { get; init; }

    /// <summary>The SHA-256 of an API token that was revoked: the hub connections it opened end.</summary>
    public string? TokenHash { get; init; }

    public bool AccountDisabled => StudyId is null && SessionVersion is null && TokenHash is null;
}

/// <summary>How far <see cref="RevocationQuery.SinceAsync"/> has read: the last removal, account change, role change and
/// credential revocation seen.</summary>
public sealed record RevocationCursor(long Removal, long StatusChange, long RoleChange, long Credential = 0);

/// <summary>Disabled accounts, removals from studies, coordinators made raters, ended sign-ins and revoked API tokens
/// (each kind in the order recorded),
/// whichever process recorded them, for a running server to pass on to the connections it holds open.</summary>
public sealed class RevocationQuery(Database database)
{
    /// <summary>The cursor after everything recorded so far.</summary>
    public async Task<RevocationCursor> CursorAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var (removal, statusChange, roleChange, credential) = await connection.QuerySingleAsync<(long, long, long, long)>(new CommandDefinition("""
            SELECT (SELECT COALESCE(MAX(id), 0) FROM study_member_removals), (SELECT COALESCE(MAX(id), 0) FROM account_status_changes),
                   (SELECT COALESCE(MAX(id), 0) FROM study_role_changes), (SELECT COALESCE(MAX(id), 0) FROM credential_revocations)
            """, cancellationToken: ct));
        return new RevocationCursor(removal, statusChange, roleChange, credential);
    }

    /// <summary>The revocations recorded after <paramref name="cursor"/> (enabling an account revokes nothing), and the
    /// cursor after them.</summary>
    public async Task<(IReadOnlyList<Revocation> Found, RevocationCursor Cursor)> SinceAsync(RevocationCursor cursor, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var removals = (await connection.QueryAsync<(long Id, long UserId, long StudyId)>(new CommandDefinition("""
            SELECT id, user_id, study_id FROM study_member_removals WHERE id > @Removal ORDER BY id
            """, cursor, cancellationToken: ct))).AsList();
        var changes = (await connection.QueryAsync<(long Id, long UserId, bool Disabled)>(new CommandDefinition("""
            SELECT id, user_id, disabled FROM account_status_changes WHERE id > @StatusChange ORDER BY id
            """, cursor, cancellationToken: ct))).AsList();
        var roleChanges = (await connection.QueryAsync<(long Id, long UserId, long StudyId, string OldRole, string NewRole)>(new CommandDefinition("""
            SELECT id, user_id, study_id, old_role, new_role FROM study_role_changes WHERE id > @RoleChange ORDER BY id
            """, cursor, cancellationToken: ct))).AsList();
        var credentials = (await connection.QueryAsync<(long Id, long UserId, long? SessionVersion, string? TokenHash)>(new CommandDefinition("""
            SELECT id, user_id, session_version, token_hash FROM credential_revocations WHERE id > @Credential ORDER BY id
            """, cursor, cancellationToken: ct))).AsList();
        List<Revocation> found =
        [
            .. changes.Where(c => c.Disabled).Select(c => new Revocation(c.UserId, null)),
            .. removals.Select(r => new Revocation(r.UserId, r.StudyId)),
            .. roleChanges.Where(c => c.OldRole == StudyRoles.Coordinator && c.NewRole != StudyRoles.Coordinator)
                .Select(c => new Revocation(c.UserId, c.StudyId, CoordinatorRoleLost: true)),
            .. credentials.Select(c => new Revocation(c.UserId, null) { SessionVersion = c.SessionVersion, TokenHash = c.TokenHash }),
        ];
        return (found, new RevocationCursor(
            removals.Count == 0 ? cursor.Removal : removals[^1].Id,
            changes.Count == 0 ? cursor.StatusChange : changes[^1].Id,
            roleChanges.Count == 0 ? cursor.RoleChange : roleChanges[^1].Id,
            credentials.Count == 0 ? cursor.Credential : credentials[^1].Id));
    }
}
