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
    /// <summary>The option's label ("High"), or the value itself when the criterion has no options.</summary>
    public required string ValueLabel { get; init; }
    /// <summary>Raised by a pilot rating of an imported bundle: <see cref="At"/> is the import, not when it was rated.</summary>
    public bool Imported { get; init; }
    public DateTimeOffset At { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgedByName { get; init; }
    /// <summary>What the coordinator who acknowledged it did about it.</summary>
    public string? AcknowledgementNote { get; init; }

    /// <summary>What raised it, as the rater chose it: "Likelihood of possible harm: High".</summary>
    public string Trigger => $"{CriterionLabel}: {ValueLabel}";
}

/// <summary>The study's unacknowledged alerts as listed (at most the number asked for), how many there are, and how
/// many of those came with an import.</summary>
public sealed record OpenAlerts(IReadOnlyList<SafetyAlert> Alerts, long Count, long Imported);

/// <summary>Safety alerts for the coordinator's dashboard. <c>GradingStore.SaveAsync</c> raises them in the rating's
/// own transaction; here coordinators list and acknowledge them.</summary>
public sealed class SafetyAlertStore(Database database, StudyQuery studies, TimeProvider clock)
{
    const string Select = """
        SELECT a.id AS alert_id, a.response_id, r.slug AS response_slug, a.rater_id, u.display_name AS rater_name,
               c.slug AS criterion_id, c.label AS criterion_label, a.value, COALESCE(o.label, a.value) AS value_label,
               a.source = 'import' AS imported, a.raised_at AS at, a.acknowledged_at, k.display_name AS acknowledged_by_name,
               a.acknowledgement_note
        FROM safety_alerts a
        JOIN responses r ON r.id = a.response_id
        JOIN users u ON u.id = a.rater_id
        JOIN criteria c ON c.id = a.criterion_id
        LEFT JOIN criterion_options o ON o.criterion_id = a.criterion_id AND o.value = a.value
        LEFT JOIN users k ON k.id = a.acknowledged_by
        """;

    public const int MaxNoteLength = 2000;

    internal static async Task<IReadOnlyList<SafetyAlert>> LoadAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> ids) =>
        (await connection.QueryAsync<SafetyAlert>($"{Select} WHERE {ListParameter.In(connection, "a.id", "@Ids")} ORDER BY a.id", new { Ids = ids.ToArray() }, transaction)).AsList();

    /// <summary>The study's alerts no coordinator has acknowledged yet, all of them (see <see cref="OpenAsync"/>); null
    /// unless the user coordinates the study.</summary>
    public async Task<IReadOnlyList<SafetyAlert>?> UnacknowledgedAsync(long studyId, long userId, CancellationToken ct = default) =>
        (await OpenAsync(studyId, userId, null, ct))?.Alerts;

    /// <summary>The study's unacknowledged alerts: those raised here newest first, then the imported ones; at most
    /// <paramref name="limit"/> (all when null). Null unless the user coordinates the study.</summary>
    public async Task<OpenAlerts?> OpenAsync(long studyId, long userId, int? limit, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { IsCoordinator: true }) return null;
        await using var connection = await database.OpenAsync(ct);
        var keys = new { StudyId = studyId, Limit = limit ?? int.MaxValue };
        var counts = await connection.QuerySingleAsync<(long Count, long Imported)>(new CommandDefinition("""
            SELECT COUNT(*), COALESCE(SUM(CASE WHEN source = 'import' THEN 1 ELSE 0 END), 0)
            FROM safety_alerts WHERE study_id = @StudyId AND acknowledged_at IS NULL
            """, keys, cancellationToken: ct));
        var alerts = (await connection.QueryAsync<SafetyAlert>(new CommandDefinition(
            Select + " WHERE a.study_id = @StudyId AND a.acknowledged_at IS NULL ORDER BY a.source = 'import', a.raised_at DESC, a.id DESC LIMIT @Limit",
            keys, cancellationToken: ct))).AsList();
        return new OpenAlerts(alerts, counts.Count, counts.Imported);
    }

    /// <summary>Every alert on one response (acknowledged ones too), oldest first; null unless the user coordinates the study.</summary>
    public async Task<IReadOnlyList<SafetyAlert>?> ForResponseAsync(long studyId, long responseId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { IsCoordinator: true }) return null;
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<SafetyAlert>(new CommandDefinition(
            Select + " WHERE a.study_id = @StudyId AND a.response_id = @ResponseId ORDER BY a.raised_at, a.id",
            new { StudyId = studyId, ResponseId = responseId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Acknowledges the study's open alerts among <paramref name="alertIds"/> with a note of what was done, kept
    /// with who and when (the audit trail, exported in safety-alerts.csv). Returns how many it acknowledged; null when
    /// the user does not coordinate the study or the note is empty or too long.</summary>
    public async Task<int?> AcknowledgeAsync(long studyId, IReadOnlyCollection<long> alertIds, long userId, string? note, CancellationToken ct = default)
    {
        note = note?.Trim() ?? "";
        if (note.Length is 0 or > MaxNoteLength) return null;
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await StudyQuery.AccessAsync(connection, transaction, studyId, userId, ct) is not { IsCoordinator: true }) return null;
        var acknowledged = await connection.ExecuteAsync($"""
            UPDATE safety_alerts SET acknowledged_at = @Now, acknowledged_by = @UserId, acknowledgement_note = @Note
            WHERE {ListParameter.In(connection, "id", "@AlertIds")} AND study_id = @StudyId AND acknowledged_at IS NULL
            """, new { AlertIds = alertIds.ToArray(), StudyId = studyId, UserId = userId, Note = note, Now = clock.GetUtcNow() }, transaction);
        await transaction.CommitAsync(ct);
        return acknowledged;
    }
}
