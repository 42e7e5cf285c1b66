using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Accounts;

/// <summary>Who belongs to which study, in which role.</summary>
public static class Memberships
{
    /// <summary>Adds the membership, or changes the role of an existing one (a rater made coordinator keeps their work);
    /// a change of role is recorded in <c>study_role_changes</c>.</summary>
    public static async Task AddAsync(DbConnection connection, DbTransaction? transaction, long studyId, long userId, string role, DateTimeOffset now)
    {
        var keys = new { StudyId = studyId, UserId = userId, Role = role, Now = now };
        var previous = await connection.ExecuteScalarAsync<string?>(
            "SELECT role FROM study_members WHERE study_id = @StudyId AND user_id = @UserId", keys, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO study_members (study_id, user_id, role, joined_at) VALUES (@StudyId, @UserId, @Role, @Now)
            ON CONFLICT (study_id, user_id) DO UPDATE SET role = excluded.role
            """, keys, transaction);
        if (previous is not null && previous != role)
            await connection.ExecuteAsync("""
                INSERT INTO study_role_changes (study_id, user_id, old_role, new_role, changed_at)
                VALUES (@StudyId, @UserId, @Previous, @Role, @Now)
                """, new { keys.StudyId, keys.UserId, Previous = previous, keys.Role, keys.Now }, transaction);
    }
}
