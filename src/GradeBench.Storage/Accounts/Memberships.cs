using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Accounts;

/// <summary>Who belongs to which study, in which role.</summary>
public static class Memberships
{
    /// <summary>Adds the membership, or changes the role of an existing one (a rater made coordinator keeps their work).</summary>
    public static Task AddAsync(DbConnection connection, DbTransaction? transaction, long studyId, long userId, string role, DateTimeOffset now) =>
        connection.ExecuteAsync("""
            INSERT INTO study_members (study_id, user_id, role, joined_at) VALUES (@StudyId, @UserId, @Role, @Now)
            ON CONFLICT (study_id, user_id) DO UPDATE SET role = excluded.role
            """, new { StudyId = studyId, UserId = userId, Role = role, Now = now }, transaction);
}
