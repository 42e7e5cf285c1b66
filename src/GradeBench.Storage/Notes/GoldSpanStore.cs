using System.Data.Common;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Notes;
using GradeBench.Core.Spans;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Notes;

public enum GoldDecision { Accepted, Edited, Rejected }

/// <summary>What a decision did. <see cref="Stale"/>: the group is not one of the note's groups now (its passages
/// changed since the page was read); <see cref="Decided"/>: the group is rejected and takes no gold passage, or has gold
/// passages and cannot be rejected (undo first); <see cref="Duplicate"/>: the group has that gold passage already.</summary>
public enum GoldSpanOutcome { Done, NotFound, NotAllowed, StudyNotInAdjudication, Invalid, Stale, Decided, Duplicate }

/// <summary>A case whose note has passages to adjudicate (or gold passages): how many groups its passages make, how many
/// of them have no decision yet, and how many gold passages it has.</summary>
public sealed record GoldDocumentSummary(long CaseId, string CaseSlug, string CaseTitle, int Groups, int Undecided, int GoldSpans);

/// <summary>A highlight of an answer a rater linked to their passage of the note: what in the answer the passage is
/// evidence for.</summary>
public sealed record LinkedHighlight(long Id, string Label, string Quote);

/// <summary>A rater's passage of the note in a group, with its rater's name (coordinators see raters' names, as on the
/// adjudication pages), its attribute values by attribute id, and the rater's answer highlights linked to it.</summary>
public sealed record GroupedNoteSpan(long Id, long RaterId, string RaterName, long LabelId, int Start, int End, string Quote, string? Note,
    IReadOnlyDictionary<long, string> Attributes, IReadOnlyList<LinkedHighlight> Links);

/// <summary>A decision of the gold set: a gold passage (accepted as a rater marked it, or edited) or a rejection (no
/// passage: <see cref="LabelId"/>, <see cref="Start"/>, <see cref="End"/> and <see cref="Quote"/> null), with its
/// provenance: who decided and when, the raters whose passages it took (usernames), whether it was imported, and the
/// group it decides (null for an imported one).</summary>
public sealed record GoldSpan(long Id, GoldDecision Decision, long? LabelId, int? Start, int? End, string? Quote, string TextSha256,
    IReadOnlyDictionary<long, string> Attributes, IReadOnlyList<string> SourceRaters, string DecidedBy, DateTimeOffset DecidedAt, bool Imported,
    IReadOnlyList<long>? GroupKey);

/// <summary>A group of the note's passages (<see cref="SpanGrouping"/>) with the decisions taken on it.</summary>
public sealed record GoldSpanGroup(SpanGroupKind Kind, int Start, int End, IReadOnlyList<long> Key, IReadOnlyList<GroupedNoteSpan> Spans,
    IReadOnlyList<GoldSpan> Decisions)
{
    public bool IsDecided => Decisions.Count > 0;
    public bool IsRejected => Decisions.Any(d => d.Decision == GoldDecision.Rejected);
}

/// <summary>A case's note under adjudication: the note, its readers (by name), the study's note labels, the groups of
/// the readers' passages with their decisions, and the decisions that decide no group here (imported rejections and
/// imported passages no reader marked, or decisions of a group whose passages have changed since). <see cref="CanDecide"/>:
/// the study is in adjudication.</summary>
public sealed record GoldDocument(long CaseId, string CaseSlug, string CaseTitle, string NoteMd, string TextSha256, bool CanDecide,
    IReadOnlyList<NoteLabelInfo> Labels, IReadOnlyList<string> Readers, IReadOnlyList<GoldSpanGroup> Groups, IReadOnlyList<GoldSpan> Unattached);

/// <summary>Span adjudication (docs/spans.md, "Gold spans"): for the coordinators of a study, the raters' passages of each
/// case's note grouped by <see cref="SpanGrouping"/>, each group accepted, edited or rejected into the gold set with its
/// provenance, and decisions undone. Every method checks that the user coordinates the study (administrators do every
/// study); decisions are taken, as consensus values are, only while the study is in adjudication, when raters can no
/// longer change their passages. The gold set's history is kept: an undone decision is marked, not deleted.</summary>
public sealed class GoldSpanStore(Database database, TimeProvider clock)
{
    sealed class SpanRow
    {
        public long Id { get; init; }
        public long CaseId { get; init; }
        public long RaterId { get; init; }
        public string RaterName { get; init; } = "";
        public string Username { get; init; } = "";
        public long LabelId { get; init; }
        public string LabelSlug { get; init; } = "";
        public int StartCodePoint { get; init; }
        public int EndCodePoint { get; init; }
        public string Quote { get; init; } = "";
        public string? Note { get; init; }
    }

    sealed class GoldRow
    {
        public long Id { get; init; }
        public long CaseId { get; init; }
        public string Decision { get; init; } = "";
        public long? LabelId { get; init; }
        public int? StartCodePoint { get; init; }
        public int? EndCodePoint { get; init; }
        public string? Quote { get; init; }
        public string TextSha256 { get; init; } = "";
        public string? GroupSpanIds { get; init; }
        public string SourceRaters { get; init; } = "[]";
        public string DecidedByName { get; init; } = "";
        public string? DeciderDisplayName { get; init; }
        public DateTimeOffset DecidedAt { get; init; }
        public string Source { get; init; } = "";
    }

    /// <summary>A case's note, readers and passages, read in one go.</summary>
    sealed record Note(long CaseId, string Slug, string Title, string Text, IReadOnlyList<(long Id, string Name, string Username)> Readers,
        IReadOnlyList<SpanRow> Spans, IReadOnlyDictionary<long, Dictionary<long, string>> Values)
    {
        public IReadOnlyList<SpanGroup> Groups() =>
            SpanGrouping.Group([.. Readers.Select(r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                [.. Spans.Select(s => new GroupedSpan(s.Id, s.RaterId.ToString(System.Globalization.CultureInfo.InvariantCulture), s.LabelSlug, s.StartCodePoint, s.EndCodePoint))]);
    }

    static string KeyJson(IEnumerable<long> ids) => JsonSerializer.Serialize(ids.Order().ToArray());

    /// <summary>The key of the group each decision decides: the group it was taken on or, for an imported gold passage
    /// (which names no group), the group with a reader's passage of the same label and code points in the case, so that
    /// a gold set brought back from gold-spans.csv stands beside the passages it decides. An imported rejection, or a
    /// passage no reader marked, decides none (null).</summary>
    static Dictionary<long, string?> GroupKeys(Note note, IReadOnlyList<SpanGroup> groups, IEnumerable<GoldRow> live)
    {
        var byId = note.Spans.ToDictionary(s => s.Id);
        // Passages with the same label and code points overlap, so they are always in one group.
        var marks = new Dictionary<(long, int, int), string>();
        foreach (var group in groups)
        {
            var key = KeyJson(group.Key);
            foreach (var span in group.Spans.Select(s => byId[s.Id]))
                marks.TryAdd((span.LabelId, span.StartCodePoint, span.EndCodePoint), key);
        }
        return live.ToDictionary(g => g.Id, g => g.GroupSpanIds
            ?? (g is { Source: "import", LabelId: { } label, StartCodePoint: { } start, EndCodePoint: { } end } ? marks.GetValueOrDefault((label, start, end)) : null));
    }

    /// <summary>The cases of the study whose notes have passages or gold passages, in case order, with their groups'
    /// counts; null unless the user coordinates the study.</summary>
    public async Task<IReadOnlyList<GoldDocumentSummary>?> DocumentsAsync(long studyId, long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await StudyQuery.AccessAsync(connection, null, studyId, userId, ct) is not { IsCoordinator: true }) return null;
        var cases = await connection.QueryAsync<(long Id, string Slug, string Title)>(new CommandDefinition("""
            SELECT c.id, c.slug, c.title FROM cases c
            WHERE c.study_id = @StudyId
              AND (EXISTS (SELECT 1 FROM note_spans n WHERE n.case_id = c.id)
                   OR EXISTS (SELECT 1 FROM gold_spans g WHERE g.case_id = c.id AND g.undone_at IS NULL))
            ORDER BY c.position, c.id
            """, new { StudyId = studyId }, cancellationToken: ct));
        var documents = new List<GoldDocumentSummary>();
        foreach (var (id, slug, title) in cases)
        {
            var note = await NoteAsync(connection, null, id, ct);
            var live = await LiveAsync(connection, null, id, ct);
            var groups = note.Groups();
            var decided = GroupKeys(note, groups, live).Values.OfType<string>().ToHashSet(StringComparer.Ordinal);
            documents.Add(new GoldDocumentSummary(id, slug, title, groups.Count, groups.Count(g => !decided.Contains(KeyJson(g.Key))),
                live.Count(g => g.Decision != "rejected")));
        }
        return documents;
    }

    /// <summary>The case of the study with the bundle id <paramref name="caseSlug"/>, under adjudication; null unless the
    /// user coordinates the study and it has that case.</summary>
    public async Task<GoldDocument?> DocumentAsync(long studyId, string caseSlug, long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await StudyQuery.AccessAsync(connection, null, studyId, userId, ct) is not { IsCoordinator: true } access) return null;
        var caseId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM cases WHERE study_id = @StudyId AND slug = @Slug", new { StudyId = studyId, Slug = caseSlug }, cancellationToken: ct));
        if (caseId is null) return null;
        var note = await NoteAsync(connection, null, caseId.Value, ct);
        var links = (await connection.QueryAsync<(long NoteSpanId, long Id, string Label, string Quote)>(new CommandDefinition("""
            SELECT k.note_span_id, a.id, l.label, a.quote
            FROM span_links k JOIN note_spans n ON n.id = k.note_span_id
            JOIN span_annotations a ON a.id = k.answer_span_id JOIN span_labels l ON l.id = a.label_id
            WHERE n.case_id = @CaseId ORDER BY a.start_code_point, a.id
            """, new { CaseId = caseId }, cancellationToken: ct))).ToLookup(k => k.NoteSpanId, k => new LinkedHighlight(k.Id, k.Label, k.Quote));
        var live = await LiveAsync(connection, null, caseId.Value, ct);
        var gold = await GoldSpansAsync(connection, live, ct);
        var byId = note.Spans.ToDictionary(s => s.Id);
        var spanGroups = note.Groups();
        var decides = GroupKeys(note, spanGroups, live);
        var groups = spanGroups.Select(g =>
        {
            var key = KeyJson(g.Key);
            return new GoldSpanGroup(g.Kind, g.Start, g.End, g.Key,
                [.. g.Spans.Select(s => byId[s.Id]).Select(s => new GroupedNoteSpan(s.Id, s.RaterId, s.RaterName, s.LabelId, s.StartCodePoint, s.EndCodePoint,
                    s.Quote, s.Note, note.Values.GetValueOrDefault(s.Id) ?? [], [.. links[s.Id]]))],
                [.. gold.Where(d => decides[d.Row.Id] == key).Select(d => d.Span)]);
        }).ToList();
        var keys = groups.Select(g => KeyJson(g.Key)).ToHashSet(StringComparer.Ordinal);
        return new GoldDocument(note.CaseId, note.Slug, note.Title, note.Text, TextHash.Sha256(note.Text), access.State == "adjudication",
            await NoteSpanStore.LabelsAsync(connection, studyId, ct), [.. note.Readers.Select(r => r.Name)], groups,
            [.. gold.Where(d => decides[d.Row.Id] is not { } key || !keys.Contains(key)).Select(d => d.Span)]);
    }

    /// <summary>Puts a version of the group into the gold set as it is: the passage <paramref name="spanId"/> of the
    /// group (its label, code points and attributes), or, without one, the group's only version (a group whose passages
    /// differ needs one chosen: <see cref="GoldSpanOutcome.Invalid"/>). Its source is every passage of the group that is
    /// that version, and their raters.</summary>
    public Task<(GoldSpanOutcome Outcome, long? Id)> AcceptAsync(long studyId, string caseSlug, long userId, IReadOnlyList<long> groupKey, long? spanId,
        CancellationToken ct = default) =>
        DecideAsync(studyId, caseSlug, userId, groupKey, (_, _, note, group) =>
        {
            var versions = group.Spans.Select(s => VersionOf(note, s)).DistinctBy(v => v.Identity).ToList();
            Version? chosen = spanId is { } id
                ? group.Spans.FirstOrDefault(s => s.Id == id) is { } span ? VersionOf(note, span) : null
                : versions.Count == 1 ? versions[0] : null;
            // A note changed since it was marked (a draft's case edited) no longer has the passage's code points.
            if (chosen is null || chosen.End > CodePoints.Length(note.Text)) return Task.FromResult<(GoldSpanOutcome, Decision?)>((GoldSpanOutcome.Invalid, null));
            var sources = group.Spans.Where(s => VersionOf(note, s).Identity == chosen.Identity).ToList();
            return Task.FromResult<(GoldSpanOutcome, Decision?)>((GoldSpanOutcome.Done,
                new Decision("accepted", chosen.LabelId, chosen.Start, chosen.End, CodePoints.Slice(note.Text, chosen.Start, chosen.End), chosen.Values, sources)));
        }, ct);

    /// <summary>Puts a passage the coordinator made into the gold set: a label of the study, code points of the note and
    /// attribute values checked as a rater's are. Its source is the group's passages that are the version of
    /// <paramref name="fromSpanId"/> it was edited from, or every passage of the group without one.</summary>
    public Task<(GoldSpanOutcome Outcome, long? Id)> EditAsync(long studyId, string caseSlug, long userId, IReadOnlyList<long> groupKey, long? fromSpanId,
        long labelId, int start, int end, IReadOnlyDictionary<long, string>? attributes, CancellationToken ct = default) =>
        DecideAsync(studyId, caseSlug, userId, groupKey, async (connection, transaction, note, group) =>
        {
            var sources = group.Spans.ToList();
            if (fromSpanId is { } from)
            {
                if (group.Spans.FirstOrDefault(s => s.Id == from) is not { } origin) return (GoldSpanOutcome.Invalid, null);
                var identity = VersionOf(note, origin).Identity;
                sources = [.. group.Spans.Where(s => VersionOf(note, s).Identity == identity)];
            }
            if (await NoteSpanStore.CheckAsync(connection, transaction, studyId, note.CaseId, labelId, start, end, attributes) is not { } checkedSpan)
                return (GoldSpanOutcome.Invalid, null);
            var values = checkedSpan.Values.ToDictionary(v => v.AttributeId, v => v.Value);
            return (GoldSpanOutcome.Done, new Decision("edited", labelId, start, end, checkedSpan.Quote, values, sources));
        }, ct);

    /// <summary>Decides that the group gives no gold passage. A group that has gold passages is not rejected
    /// (<see cref="GoldSpanOutcome.Decided"/>): undo them first.</summary>
    public Task<(GoldSpanOutcome Outcome, long? Id)> RejectAsync(long studyId, string caseSlug, long userId, IReadOnlyList<long> groupKey,
        CancellationToken ct = default) =>
        DecideAsync(studyId, caseSlug, userId, groupKey, (_, _, _, group) =>
            Task.FromResult<(GoldSpanOutcome, Decision?)>((GoldSpanOutcome.Done, new Decision("rejected", null, null, null, null, new Dictionary<long, string>(), [.. group.Spans]))), ct);

    /// <summary>Takes a decision back (a gold passage or a rejection, taken here or imported): it stays in the history,
    /// marked undone by the user, and leaves the gold set.</summary>
    public async Task<GoldSpanOutcome> UndoAsync(long studyId, long userId, long goldSpanId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await AllowedAsync(connection, transaction, studyId, userId, ct) is { } refusal) return refusal;
        var undone = await connection.ExecuteAsync("""
            UPDATE gold_spans SET undone_at = @Now, undone_by = @UserId
            WHERE id = @Id AND undone_at IS NULL AND case_id IN (SELECT id FROM cases WHERE study_id = @StudyId)
            """, new { Id = goldSpanId, UserId = userId, StudyId = studyId, Now = clock.GetUtcNow() }, transaction);
        if (undone == 0) return GoldSpanOutcome.NotFound;
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return GoldSpanOutcome.Done;
    }

    /// <summary>A decision to store: a gold passage, or a rejection (label and code points null), and the group's
    /// passages it was taken from.</summary>
    sealed record Decision(string Kind, long? LabelId, int? Start, int? End, string? Quote, IReadOnlyDictionary<long, string> Values,
        IReadOnlyList<GroupedSpan> Sources);

    /// <summary>A passage as a gold passage would take it: label, code points and attribute values.</summary>
    sealed record Version(long LabelId, int Start, int End, IReadOnlyDictionary<long, string> Values)
    {
        public string Identity => $"{LabelId}:{Start}:{End}:{string.Join(";", Values.OrderBy(v => v.Key).Select(v => $"{v.Key}={v.Value}"))}";
    }

    static Version VersionOf(Note note, GroupedSpan span)
    {
        var row = note.Spans.First(s => s.Id == span.Id);
        return new Version(row.LabelId, row.StartCodePoint, row.EndCodePoint, note.Values.GetValueOrDefault(row.Id) ?? []);
    }

    /// <summary>Whether the user may decide in the study now: null when they may, else why not.</summary>
    static async Task<GoldSpanOutcome?> AllowedAsync(DbConnection connection, DbTransaction transaction, long studyId, long userId, CancellationToken ct) =>
        await StudyQuery.AccessAsync(connection, transaction, studyId, userId, ct) switch
        {
            not { IsCoordinator: true } => GoldSpanOutcome.NotAllowed,
            { State: not "adjudication" } => GoldSpanOutcome.StudyNotInAdjudication,
            _ => null,
        };

    async Task<(GoldSpanOutcome Outcome, long? Id)> DecideAsync(long studyId, string caseSlug, long userId, IReadOnlyList<long> groupKey,
        Func<DbConnection, DbTransaction, Note, SpanGroup, Task<(GoldSpanOutcome, Decision?)>> decide, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await AllowedAsync(connection, transaction, studyId, userId, ct) is { } refusal) return (refusal, null);
        var caseId = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT id FROM cases WHERE study_id = @StudyId AND slug = @Slug", new { StudyId = studyId, Slug = caseSlug }, transaction);
        if (caseId is null) return (GoldSpanOutcome.NotFound, null);
        var note = await NoteAsync(connection, transaction, caseId.Value, ct);
        var key = KeyJson(groupKey);
        var groups = note.Groups();
        if (groups.FirstOrDefault(g => KeyJson(g.Key) == key) is not { } group) return (GoldSpanOutcome.Stale, null);
        var (outcome, decision) = await decide(connection, transaction, note, group);
        if (decision is null) return (outcome, null);
        // Imported decisions attached to the group count as its own: a group with an imported gold passage is not rejected.
        var all = await LiveAsync(connection, transaction, caseId.Value, ct);
        var decides = GroupKeys(note, groups, all);
        var live = all.Where(g => decides[g.Id] == key).ToList();
        if (decision.Kind == "rejected" ? live.Count > 0 : live.Any(g => g.Decision == "rejected")) return (GoldSpanOutcome.Decided, null);
        var values = await ValuesAsync(connection, transaction, live.Select(g => g.Id), ct);
        if (live.Any(g => g.LabelId == decision.LabelId && g.StartCodePoint == decision.Start && g.EndCodePoint == decision.End
                          && SameValues(values.GetValueOrDefault(g.Id) ?? [], decision.Values)))
            return (GoldSpanOutcome.Duplicate, null);

        // In the readers' order, as the page lists raters.
        var raters = note.Readers.Select(r => KeyValuePair.Create(r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Username)).ToList();
        var username = await connection.ExecuteScalarAsync<string>("SELECT username FROM users WHERE id = @UserId", new { UserId = userId }, transaction);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO gold_spans (case_id, decision, label_id, start_code_point, end_code_point, quote, text_sha256, group_span_ids,
                                    source_span_ids, source_raters, decided_by, decided_by_name, decided_at, source)
            VALUES (@CaseId, @Kind, @LabelId, @Start, @End, @Quote, @TextSha256, @GroupSpanIds, @SourceSpanIds, @SourceRaters,
                    @UserId, @Username, @Now, 'web')
            RETURNING id
            """, new
        {
            CaseId = caseId,
            decision.Kind,
            decision.LabelId,
            decision.Start,
            decision.End,
            decision.Quote,
            TextSha256 = TextHash.Sha256(note.Text),
            GroupSpanIds = key,
            SourceSpanIds = KeyJson(decision.Sources.Select(s => s.Id)),
            SourceRaters = JsonSerializer.Serialize(raters.Where(r => decision.Sources.Any(s => s.Rater == r.Key)).Select(r => r.Value).ToArray()),
            UserId = userId,
            Username = username,
            Now = clock.GetUtcNow(),
        }, transaction);
        await InsertValuesAsync(connection, transaction, id, decision.Values);
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return (GoldSpanOutcome.Done, id);
    }

    static bool SameValues(IReadOnlyDictionary<long, string> a, IReadOnlyDictionary<long, string> b) =>
        a.Count == b.Count && a.All(v => b.TryGetValue(v.Key, out var other) && other == v.Value);

    internal static Task InsertValuesAsync(DbConnection connection, DbTransaction transaction, long goldSpanId, IReadOnlyDictionary<long, string> values) =>
        connection.ExecuteAsync("INSERT INTO gold_span_attributes (gold_span_id, attribute_id, value) VALUES (@GoldSpanId, @AttributeId, @Value)",
            values.Select(v => new { GoldSpanId = goldSpanId, AttributeId = v.Key, v.Value }), transaction);

    /// <summary>The case's note, its readers and their passages with their attribute values. The readers, by name, are
    /// its readers for the agreement figures (<see cref="NoteReaders"/>: a reader who marked nothing here keeps the others
    /// from agreeing), and whoever marked a passage of it while still at work on the case, so that no passage is hidden
    /// from adjudication.</summary>
    static async Task<Note> NoteAsync(DbConnection connection, DbTransaction? transaction, long caseId, CancellationToken ct)
    {
        var keys = new { CaseId = caseId };
        var (slug, title, text) = await connection.QuerySingleAsync<(string, string, string)>(new CommandDefinition(
            "SELECT slug, title, presentation_md FROM cases WHERE id = @CaseId", keys, transaction, cancellationToken: ct));
        var readers = await connection.QueryAsync<(long Id, string Name, string Username)>(new CommandDefinition($"""
            SELECT u.id, u.display_name, u.username FROM users u
            WHERE u.id IN (SELECT rater_id FROM note_spans WHERE case_id = @CaseId)
               OR u.id IN (SELECT readers.rater_id FROM ({NoteReaders.Of("(SELECT study_id FROM cases WHERE id = @CaseId)")}) readers
                           WHERE readers.case_id = @CaseId)
            ORDER BY u.display_name, u.id
            """, keys, transaction, cancellationToken: ct));
        var spans = await connection.QueryAsync<SpanRow>(new CommandDefinition("""
            SELECT n.id, n.case_id, n.rater_id, u.display_name AS rater_name, u.username, n.label_id, l.slug AS label_slug,
                   n.start_code_point, n.end_code_point, n.quote, n.note
            FROM note_spans n JOIN users u ON u.id = n.rater_id JOIN note_labels l ON l.id = n.label_id
            WHERE n.case_id = @CaseId
            """, keys, transaction, cancellationToken: ct));
        var values = (await connection.QueryAsync<(long SpanId, long AttributeId, string Value)>(new CommandDefinition("""
            SELECT v.note_span_id, v.attribute_id, v.value FROM note_span_attributes v JOIN note_spans n ON n.id = v.note_span_id
            WHERE n.case_id = @CaseId
            """, keys, transaction, cancellationToken: ct))).GroupBy(v => v.SpanId).ToDictionary(g => g.Key, g => g.ToDictionary(v => v.AttributeId, v => v.Value));
        return new Note(caseId, slug, title, text, readers.AsList(), spans.AsList(), values);
    }

    /// <summary>The case's decisions that are not undone, oldest first.</summary>
    static async Task<IReadOnlyList<GoldRow>> LiveAsync(DbConnection connection, DbTransaction? transaction, long caseId, CancellationToken ct) =>
        (await connection.QueryAsync<GoldRow>(new CommandDefinition("""
            SELECT g.id, g.case_id, g.decision, g.label_id, g.start_code_point, g.end_code_point, g.quote, g.text_sha256, g.group_span_ids,
                   g.source_raters, g.decided_by_name, u.display_name AS decider_display_name, g.decided_at, g.source
            FROM gold_spans g LEFT JOIN users u ON u.id = g.decided_by
            WHERE g.case_id = @CaseId AND g.undone_at IS NULL
            ORDER BY g.id
            """, new { CaseId = caseId }, transaction, cancellationToken: ct))).AsList();

    static async Task<Dictionary<long, Dictionary<long, string>>> ValuesAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<long> ids,
        CancellationToken ct) =>
        (await connection.QueryAsync<(long GoldSpanId, long AttributeId, string Value)>(new CommandDefinition(
            $"SELECT gold_span_id, attribute_id, value FROM gold_span_attributes WHERE {ListParameter.In(connection, "gold_span_id", "@Ids")}", new { Ids = ids.ToArray() }, transaction,
            cancellationToken: ct)))
        .GroupBy(v => v.GoldSpanId).ToDictionary(g => g.Key, g => g.ToDictionary(v => v.AttributeId, v => v.Value));

    static async Task<IReadOnlyList<(GoldRow Row, GoldSpan Span)>> GoldSpansAsync(DbConnection connection, IReadOnlyList<GoldRow> rows, CancellationToken ct)
    {
        var values = await ValuesAsync(connection, null, rows.Select(r => r.Id), ct);
        var names = (await connection.QueryAsync<(string Username, string Name)>(new CommandDefinition(
            $"SELECT username, display_name FROM users WHERE {ListParameter.In(connection, "username", "@Usernames")}",
            new { Usernames = rows.SelectMany(r => Usernames(r.SourceRaters)).Distinct().ToArray() }, cancellationToken: ct)))
            .ToDictionary(u => u.Username, u => u.Name, StringComparer.OrdinalIgnoreCase);
        return [.. rows.Select(r => (r, new GoldSpan(r.Id, Enum.Parse<GoldDecision>(r.Decision, ignoreCase: true), r.LabelId, r.StartCodePoint, r.EndCodePoint,
            r.Quote, r.TextSha256, values.GetValueOrDefault(r.Id) ?? [], [.. Usernames(r.SourceRaters).Select(u => names.GetValueOrDefault(u, u))],
            r.DeciderDisplayName ?? r.DecidedByName, r.DecidedAt, r.Source == "import",
            r.GroupSpanIds is null ? null : JsonSerializer.Deserialize<long[]>(r.GroupSpanIds))))];
    }

    static string[] Usernames(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];
}
