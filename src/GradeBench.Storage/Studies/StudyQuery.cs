using System.Data.Common;
using Dapper;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;

namespace GradeBench.Storage.Studies;

public sealed record StudySummary
{
    public long Id { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public required string State { get; init; }
    public long Cases { get; init; }
    public long Responses { get; init; }
    public long Raters { get; init; }
    /// <summary>Submitted ratings of physicians: one per response × rater (its criterion values are not counted apart).</summary>
    public long Ratings { get; init; }
    /// <summary>The viewer's role in the study, if they are a member.</summary>
    public string? Role { get; init; }
    /// <summary>The viewer's own assignments in the study (responses, or pairs in a side-by-side study), and how many of
    /// them they have submitted.</summary>
    public long Assigned { get; init; }
    public long Done { get; init; }
    /// <summary><c>single</c>, <c>pairwise</c> for a side-by-side study, whose raters compare pairs, or <c>annotation</c>
    /// for a note-only study, whose raters mark its cases' notes.</summary>
    public string Design { get; init; } = "single";
    /// <summary>The study's language tag: its title and texts are written in it.</summary>
    public string Language { get; init; } = "en";
}

/// <summary>What a member needs to know about a study they belong to.</summary>
public sealed record StudyMembership
{
    public long StudyId { get; init; }
    public required string Title { get; init; }
    public required string InstructionsMd { get; init; }
    public required string State { get; init; }
    public required string Role { get; init; }
    /// <summary>The study's language tag: its rubric and guidelines are written in it.</summary>
    public string Language { get; init; } = "en";
    /// <summary>The instructions in other languages (<see cref="Translations.ToJson"/>'s form).</summary>
    public string? InstructionsTranslationsJson { get; init; }

    /// <summary>The instructions in the reader's language where the study gives them, else the study's.</summary>
    public ShownText InstructionsIn(TextLanguages languages) => Translations.FromJson(InstructionsTranslationsJson).Show(InstructionsMd, languages);
}

/// <summary>How a user may act in a study: as its <c>coordinator</c> (administrators always may) or as a <c>rater</c>.</summary>
public sealed record StudyAccess
{
    public long StudyId { get; init; }
    public required string Title { get; init; }
    public required string State { get; init; }
    public bool Paused { get; init; }
    public bool HideModel { get; init; }
    public required string Role { get; init; }
    /// <summary>The study's language tag: its title, texts and rubric are written in it.</summary>
    public string Language { get; init; } = "en";
    public bool IsCoordinator => Role == StudyRoles.Coordinator;
}

public sealed class StudyQuery(Database database)
{
    /// <summary>The user's standing in the study, or null when they have none. An administrator who is not a member
    /// acts as a coordinator; a member's own role wins otherwise. A disabled account has no standing anywhere.</summary>
    public async Task<StudyAccess?> AccessAsync(long studyId, long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await AccessAsync(connection, null, studyId, userId, ct);
    }

    /// <summary><see cref="AccessAsync(long, long, CancellationToken)"/> inside the caller's transaction, so that a write
    /// checks the writer's standing in the same snapshot it writes in: a removal or a disabling committed before the write
    /// began refuses it.</summary>
    public static async Task<StudyAccess?> AccessAsync(DbConnection connection, DbTransaction? transaction, long studyId, long userId, CancellationToken ct = default)
    {
        var row = await connection.QuerySingleOrDefaultAsync<AccessRow>(new CommandDefinition("""
            SELECT s.id AS study_id, s.title, s.state, s.paused, s.hide_model, s.language, m.role AS member_role, u.is_admin AS is_administrator
            FROM studies s JOIN users u ON u.id = @UserId
            LEFT JOIN study_members m ON m.study_id = s.id AND m.user_id = u.id
            WHERE s.id = @StudyId AND u.disabled_at IS NULL
            """, new { StudyId = studyId, UserId = userId }, transaction, cancellationToken: ct));
        return row is not null && StudyRoles.Acting(row.IsAdministrator, row.MemberRole) is { } role
            ? new StudyAccess { StudyId = row.StudyId, Title = row.Title, State = row.State, Paused = row.Paused, HideModel = row.HideModel, Role = role, Language = row.Language }
            : null;
    }

    sealed class AccessRow
    {
        public long StudyId { get; init; }
        public string Title { get; init; } = "";
        public string State { get; init; } = "";
        public bool Paused { get; init; }
        public bool HideModel { get; init; }
        public string Language { get; init; } = "en";
        public string? MemberRole { get; init; }
        public bool IsAdministrator { get; init; }
    }

    /// <summary>Whether the study is a note-only one (<see cref="Notes.NoteItems"/>).</summary>
    public async Task<bool> IsNoteOnlyAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await Notes.NoteItems.IsAnnotationAsync(connection, null, studyId, ct);
    }

    /// <summary>The user's role in the study, or null when they are not a member (or their account is disabled).</summary>
    public async Task<StudyMembership?> MembershipAsync(long studyId, long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StudyMembership>(new CommandDefinition("""
            SELECT s.id AS study_id, s.title, s.instructions_md, s.state, m.role, s.language, s.instructions_translations_json
            FROM studies s JOIN study_members m ON m.study_id = s.id JOIN users u ON u.id = m.user_id
            WHERE s.id = @StudyId AND m.user_id = @UserId AND u.disabled_at IS NULL
            """, new { StudyId = studyId, UserId = userId }, cancellationToken: ct));
    }

    /// <summary>The studies a user may see: all of them for an administrator, else those they are a member of; none
    /// for a disabled account.</summary>
    public async Task<IReadOnlyList<StudySummary>> ListVisibleAsync(long userId, bool isAdmin, CancellationToken ct = default)
    {
        string sql = $"""
            SELECT s.id, s.slug, s.title, s.state, s.language, {Notes.NoteItems.Design("s")} AS design,
                (SELECT COUNT(*) FROM cases c WHERE c.study_id = s.id) AS cases,
                (SELECT COUNT(*) FROM responses r WHERE r.study_id = s.id) AS responses,
                (SELECT COUNT(*) FROM study_members m WHERE m.study_id = s.id AND m.role = 'rater') AS raters,
                (SELECT COUNT(DISTINCT g.response_id || ':' || g.rater_id) FROM ratings g JOIN responses r ON r.id = g.response_id
                    WHERE r.study_id = s.id AND g.status = 'submitted'
                      AND g.rater_id NOT IN (SELECT j.user_id FROM judges j WHERE j.study_id = s.id)) AS ratings,
                (SELECT m.role FROM study_members m WHERE m.study_id = s.id AND m.user_id = @UserId) AS role,
                -- The viewer's own progress, counted in the covering index assignments_queue alone (pairs: in pair_assignments_rater).
                (SELECT COUNT(*) FROM assignments a WHERE a.rater_id = @UserId AND a.study_id = s.id)
                  + (SELECT COUNT(*) FROM pair_assignments a WHERE a.rater_id = @UserId AND a.study_id = s.id) AS assigned,
                (SELECT COUNT(*) FROM assignments a WHERE a.rater_id = @UserId AND a.study_id = s.id AND a.completed_at IS NOT NULL)
                  + (SELECT COUNT(*) FROM pair_assignments a WHERE a.rater_id = @UserId AND a.study_id = s.id AND a.completed_at IS NOT NULL) AS done
            FROM studies s
            WHERE (@IsAdmin OR EXISTS (SELECT 1 FROM study_members m WHERE m.study_id = s.id AND m.user_id = @UserId))
              AND NOT EXISTS (SELECT 1 FROM users d WHERE d.id = @UserId AND d.disabled_at IS NOT NULL)
            ORDER BY s.created_at DESC, s.id DESC
            """;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<StudySummary>(new CommandDefinition(sql, new { UserId = userId, IsAdmin = isAdmin }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Whether the user may create studies: an administrator, or the coordinator of a study, whose account is
    /// not disabled. Read from the database, not from the sign-in cookie, so an open page cannot outlive a disabling.</summary>
    public async Task<bool> MayCreateStudiesAsync(long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await MayCreateStudiesAsync(connection, null, userId, ct);
    }

    /// <summary><see cref="MayCreateStudiesAsync(long, CancellationToken)"/> inside the caller's transaction.</summary>
    public static Task<bool> MayCreateStudiesAsync(DbConnection connection, DbTransaction? transaction, long userId, CancellationToken ct = default) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM users u WHERE u.id = @UserId AND u.disabled_at IS NULL
                AND (u.is_admin OR EXISTS (SELECT 1 FROM study_members m WHERE m.user_id = u.id AND m.role = 'coordinator')))
            """, new { UserId = userId }, transaction, cancellationToken: ct));

    public static readonly Message MayNotCreateStudies = new("Setup_MayNotCreateStudies");

    /// <summary>The database id of the study with this bundle id, or null.</summary>
    public async Task<long?> FindIdAsync(string slug, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM studies WHERE slug = @Slug", new { Slug = slug }, cancellationToken: ct));
    }

    /// <summary>The bundle id of the study with this database id, or null (export file names carry it).</summary>
    public async Task<string?> SlugAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT slug FROM studies WHERE id = @StudyId", new { StudyId = studyId }, cancellationToken: ct));
    }

    /// <summary>Whether a study with this database id exists (an API answers 404 for one that does not).</summary>
    public async Task<bool> ExistsAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM studies WHERE id = @StudyId)", new { StudyId = studyId }, cancellationToken: ct));
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM studies", cancellationToken: ct));
    }
}
