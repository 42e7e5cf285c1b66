using System.Data.Common;
using System.Globalization;
using Dapper;
using GradeBench.Core.Calibration;
using GradeBench.Core.Grading;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Calibration;

/// <summary>What calibration shows each user (<see cref="CalibrationStore"/> writes it): the session and its round,
/// revealing others' values only after the reveal, and the coordinators' summary against the gold references.</summary>
public sealed class CalibrationQuery(Database database, StudyQuery studies, RubricQuery rubric, TimeProvider clock)
{
    sealed class ItemRow
    {
        public long Id { get; init; }
        public long ResponseId { get; init; }
        public string ResponseSlug { get; init; } = "";
        public string CaseTitle { get; init; } = "";
        public long Position { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public DateTimeOffset? RevealedAt { get; init; }
    }

    sealed class ValueRow
    {
        public long ItemId { get; init; }
        public long RaterId { get; init; }
        public string Criterion { get; init; } = "";
        public string Value { get; init; } = "";
    }

    /// <summary>What the calibration page shows this user, or null when they are not a member of the study.</summary>
    public async Task<CalibrationView?> ViewAsync(long studyId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { } access) return null;
        await using var connection = await database.OpenAsync(ct);
        var session = await connection.QuerySingleOrDefaultAsync<CalibrationStore.SessionRow>(new CommandDefinition("""
            SELECT id, phase, current_item_id FROM calibration_sessions WHERE study_id = @StudyId
            ORDER BY CASE WHEN phase = 'ended' THEN 1 ELSE 0 END, id DESC LIMIT 1
            """, new { StudyId = studyId }, cancellationToken: ct));
        if (session is null) return new CalibrationView(access, null, null);

        var items = (await connection.QueryAsync<ItemRow>(new CommandDefinition("""
            SELECT i.id, i.response_id, r.slug AS response_slug, c.title AS case_title, i.position, i.started_at, i.revealed_at
            FROM calibration_items i JOIN responses r ON r.id = i.response_id JOIN cases c ON c.id = r.case_id
            WHERE i.session_id = @SessionId ORDER BY i.position
            """, new { SessionId = session.Id }, cancellationToken: ct))).AsList();
        var gold = (await connection.QueryAsync<ValueRow>(new CommandDefinition("""
            SELECT g.item_id, c.slug AS criterion, g.value FROM calibration_gold g
            JOIN calibration_items i ON i.id = g.item_id JOIN criteria c ON c.id = g.criterion_id
            WHERE i.session_id = @SessionId
            """, new { SessionId = session.Id }, cancellationToken: ct))).ToLookup(g => g.ItemId);
        var managed = access.IsCoordinator
            ? items.Select(i => new CalibrationItem(i.Id, i.ResponseId, i.ResponseSlug, i.CaseTitle, i.Position, i.StartedAt is not null,
                i.RevealedAt is not null, gold[i.Id].ToDictionary(g => g.Criterion, g => g.Value))).ToList()
            : [];
        var view = new CalibrationSession(session.Id, session.Phase, session.CurrentItemId, items.Count, managed);
        var current = items.FirstOrDefault(i => i.Id == session.CurrentItemId);
        if (session.Phase == CalibrationPhase.Ended || current is null) return new CalibrationView(access, view, null);

        var revealed = current.RevealedAt is not null;
        // A rater who was not waited for but opens the revealed round sees the spread too.
        if (revealed && access.Role == StudyRoles.Rater)
        {
            await using var transaction = await connection.BeginWriteAsync(ct);
            if (await RatingReveals.RecordAsync(connection, transaction, studyId, userId, current.ResponseId, RatingReveals.Calibration, clock.GetUtcNow()))
                await RatingReveals.ReleaseAsync(connection, transaction, studyId, clock.GetUtcNow());
            await transaction.CommitAsync(ct);
        }
        var round = await RoundAsync(connection, studyId, userId, access, current, items.Count, revealed,
            gold[current.Id].ToDictionary(g => g.Criterion, g => g.Value), ct);
        return new CalibrationView(access, view, round);
    }

    sealed class ParticipantRow
    {
        public long RaterId { get; init; }
        public string RaterName { get; init; } = "";
        public bool Submitted { get; init; }
    }

    async Task<CalibrationRound> RoundAsync(DbConnection connection, long studyId, long userId, StudyAccess access, ItemRow item, int itemCount,
        bool revealed, Dictionary<string, string> gold, CancellationToken ct)
    {
        var content = await connection.QuerySingleAsync<ResponseTextsRow>(new CommandDefinition("""
            SELECT c.title AS case_title, c.presentation_md, c.question_md, r.content_md, r.model, s.hide_model
            FROM responses r JOIN cases c ON c.id = r.case_id JOIN studies s ON s.id = r.study_id
            WHERE r.id = @ResponseId
            """, new { item.ResponseId }, cancellationToken: ct));
        var participants = (await connection.QueryAsync<ParticipantRow>(new CommandDefinition("""
            SELECT p.rater_id, u.display_name AS rater_name, p.submitted_at IS NOT NULL AS submitted
            FROM calibration_participants p JOIN users u ON u.id = p.rater_id
            WHERE p.item_id = @ItemId ORDER BY u.display_name, p.rater_id
            """, new { ItemId = item.Id }, cancellationToken: ct))).AsList();
        // Before the reveal only the caller's own values are read at all.
        var values = (await connection.QueryAsync<ValueRow>(new CommandDefinition("""
            SELECT g.item_id, g.rater_id, c.slug AS criterion, g.value FROM calibration_ratings g JOIN criteria c ON c.id = g.criterion_id
            WHERE g.item_id = @ItemId AND (@Revealed OR g.rater_id = @UserId)
            """, new { ItemId = item.Id, Revealed = revealed, UserId = userId }, cancellationToken: ct))).AsList();

        var criteria = (await rubric.LoadAsync(studyId, ct)).Select(c => c.Criterion).ToList();
        var spread = revealed ? Spread(criteria, values, participants.Count(p => p.Submitted)) : [];
        var distances = revealed && gold.Count > 0
            ? participants.Where(p => p.Submitted && (access.IsCoordinator || p.RaterId == userId))
                .Select(p => new RaterGoldDistances(p.RaterId, p.RaterName, Distances(criteria, gold, values.Where(v => v.RaterId == p.RaterId))))
                .ToList()
            : [];
        return new CalibrationRound(item.Id, item.Position, itemCount, revealed, content.CaseTitle, content.PresentationMd, content.QuestionMd,
            content.ContentMd, content.ModelFor(access.Role, ResponseUse.Rating),
            participants.Count(p => p.Submitted), participants.Count, participants.Any(p => p.RaterId == userId && p.Submitted),
            values.Where(v => v.RaterId == userId).ToDictionary(v => v.Criterion, v => v.Value),
            access.IsCoordinator ? participants.Where(p => p.Submitted).Select(p => p.RaterName).ToList() : [],
            spread,
            access.IsCoordinator || revealed ? gold : new Dictionary<string, string>(),
            distances);
    }

    static List<CriterionSpread> Spread(IReadOnlyList<Criterion> criteria, IReadOnlyList<ValueRow> values, int submitted) =>
        criteria.Where(GoldComparison.HasScale).Select(criterion =>
        {
            var chosen = values.Where(v => v.Criterion == criterion.Id).Select(v => v.Value).ToList();
            var scale = criterion.Type == CriterionType.Numeric
                ? chosen.Distinct().OrderBy(v => double.Parse(v, CultureInfo.InvariantCulture)).Select(v => new CriterionOption(v, v))
                : RubricScale.Choices(criterion);
            return new CriterionSpread(criterion.Id, criterion.Label, submitted,
                scale.Select(c => new ValueCount(c.Value, c.Label, chosen.Count(v => v == c.Value))).ToList());
        }).ToList();

    static List<GoldDistance> Distances(IReadOnlyList<Criterion> criteria, IReadOnlyDictionary<string, string> gold, IEnumerable<ValueRow> values)
    {
        var given = values.ToDictionary(v => v.Criterion, v => v.Value);
        return criteria
            .Where(c => gold.ContainsKey(c.Id) && given.ContainsKey(c.Id))
            .Select(c => GoldComparison.Compare(c, given[c.Id], gold[c.Id]))
            .ToList();
    }

    sealed class ComparisonRow
    {
        public long ItemId { get; init; }
        public long RaterId { get; init; }
        public string Criterion { get; init; } = "";
        public string Value { get; init; } = "";
        public string Reference { get; init; } = "";
    }

    /// <summary>Each rater's agreement with the gold references over every revealed gold item of the study (all its
    /// sessions), for its coordinators only: null for anyone else.</summary>
    public async Task<IReadOnlyList<GoldResult>?> ResultsAsync(long studyId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { IsCoordinator: true }) return null;
        var criteria = (await rubric.LoadAsync(studyId, ct)).ToDictionary(c => c.Criterion.Id, c => c.Criterion);
        await using var connection = await database.OpenAsync(ct);
        var raters = await connection.QueryAsync<ParticipantRow>(new CommandDefinition("""
            SELECT p.rater_id, u.display_name AS rater_name
            FROM calibration_participants p
            JOIN users u ON u.id = p.rater_id
            JOIN calibration_items i ON i.id = p.item_id
            JOIN calibration_sessions s ON s.id = i.session_id
            WHERE s.study_id = @StudyId AND i.revealed_at IS NOT NULL AND p.submitted_at IS NOT NULL
              AND EXISTS (SELECT 1 FROM calibration_gold g WHERE g.item_id = i.id)
            GROUP BY p.rater_id, u.display_name
            ORDER BY u.display_name, p.rater_id
            """, new { StudyId = studyId }, cancellationToken: ct));
        var comparisons = (await connection.QueryAsync<ComparisonRow>(new CommandDefinition("""
            SELECT g.item_id, g.rater_id, c.slug AS criterion, g.value, gold.value AS reference
            FROM calibration_ratings g
            JOIN calibration_gold gold ON gold.item_id = g.item_id AND gold.criterion_id = g.criterion_id
            JOIN criteria c ON c.id = g.criterion_id
            JOIN calibration_items i ON i.id = g.item_id
            JOIN calibration_sessions s ON s.id = i.session_id
            WHERE s.study_id = @StudyId AND i.revealed_at IS NOT NULL
            """, new { StudyId = studyId }, cancellationToken: ct))).ToLookup(c => c.RaterId);
        return raters.Select(rater =>
        {
            var mine = comparisons[rater.RaterId].Where(c => criteria.ContainsKey(c.Criterion)).ToList();
            var items = mine.Select(c => c.ItemId).Distinct().Count();
            return GoldComparison.Summarize(rater.RaterId, rater.RaterName, items,
                mine.Select(c => (criteria[c.Criterion].Type, GoldComparison.Compare(criteria[c.Criterion], c.Value, c.Reference))));
        }).ToList();
    }

    /// <summary>The study's responses a coordinator can choose from; null for anyone else.</summary>
    public async Task<IReadOnlyList<CalibrationResponse>?> ResponsesAsync(long studyId, long userId, CancellationToken ct = default)
    {
        if (await studies.AccessAsync(studyId, userId, ct) is not { IsCoordinator: true }) return null;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Slug, string CaseTitle)>(new CommandDefinition("""
            SELECT r.id, r.slug, c.title FROM responses r JOIN cases c ON c.id = r.case_id
            WHERE r.study_id = @StudyId ORDER BY c.position, r.position, r.id
            """, new { StudyId = studyId }, cancellationToken: ct));
        return rows.Select(r => new CalibrationResponse(r.Id, r.Slug, r.CaseTitle)).ToList();
    }
}
