using System.Data.Common;
using Dapper;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Adjudication;

/// <summary>A submitted rating that reported severe possible harm. Names the response by its bundle id and the
/// rater: for coordinators only.</summary>
public sealed record SafetyAlert
{
    public long AlertId { get; init; }
    public long ResponseId { get; init; }
    public required string ResponseSlug { get; init; }
    public long RaterId { get; init; }
    public required string RaterName { get; init; }
    public required string CriterionId { get; init; }
    public required string CriterionLabel { get; init; }
    public required string Value { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>Safety alerts for the coordinator's dashboard. <c>GradingStore.SaveAsync</c> raises them in the rating's
/// own transaction; here coordinators list and acknowledge them.</summary>
public sealed class SafetyAlertStore(Database database, StudyQuery studies, TimeProvider clock)
{
    const string Select = """
        SELECT a.id AS alert_id, a.response_id, r.slug AS response_slug, a.rater_id, u.display_name AS rater_name,
               c.slug AS criterion_id, c.label AS criterion_label, a.value, a.raised_at AS at
        FROM safety_alerts a
        JOIN responses r ON r.id = a.response_id
        JOIN users u ON u.id = a.rater_id
        JOIN criteria c ON c.id = a.criterion_id
        """;

    internal static async Task<IReadOnlyList<SafetyAlert>> LoadAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> ids) =>
        (await connection.QueryAsync<SafetyAlert>(Select + " WHERE a.id IN @Ids ORDER BY a.id", new { Ids = ids }, transaction)).AsList();

    /// <summary>Raises the alerts of every submitted rating of the study that matches its safety rule and has none yet
    /// (at import, for the pilot ratings of ratings.csv), in the caller's transaction. Returns how many were raised.</summary>
    internal static Task<int> RaiseForStudyAsync(DbConnection connection, DbTransaction transaction, long studyId, DateTimeOffset now) =>
        connection.ExecuteAsync("""
            INSERT INTO safety_alerts (study_id, response_id, rater_id, criterion_id, value, raised_at)
            SELECT r.study_id, g.response_id, g.rater_id, g.criterion_id, g.value, @Now
            FROM ratings g
            JOIN responses r ON r.id = g.response_id
            JOIN safety_rules s ON s.criterion_id = g.criterion_id AND s.value = g.value
            WHERE r.study_id = @StudyId AND g.status = 'submitted'
            ORDER BY g.id
            ON CONFLICT (response_id, rater_id, criterion_id) DO NOTHING
            """, new { StudyId = studyId, Now = now }, transaction);

    /// <summary>The study's alerts no coordinator has acknowledged yet, oldest first; null unless the user coordinates the study.</summary>
    public async Task<IReadOnlyList<SafetyAlert>?> UnacknowledgedAsync(long studyId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { IsCoordinator: true }) return null;
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<SafetyAlert>(new CommandDefinition(
            Select + " WHERE a.study_id = @StudyId AND a.acknowledged_at IS NULL ORDER BY a.raised_at, a.id",
            new { StudyId = studyId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Marks the alert seen; false when the user does not coordinate the study or the alert is not one of its
    /// open alerts.</summary>
    public async Task<bool> AcknowledgeAsync(long studyId, long alertId, long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, userId, ct) is not { IsCoordinator: true }) return false;
        var acknowledged = await connection.ExecuteAsync("""
            UPDATE safety_alerts SET acknowledged_at = @Now, acknowledged_by = @UserId
            WHERE id = @AlertId AND study_id = @StudyId AND acknowledged_at IS NULL
            """, new { AlertId = alertId, StudyId = studyId, UserId = userId, Now = clock.GetUtcNow() }, transaction) == 1;
        await transaction.CommitAsync(ct);
        return acknowledged;
    }
}
