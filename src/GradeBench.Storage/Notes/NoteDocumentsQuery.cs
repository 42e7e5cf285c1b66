using System.Data.Common;
using Dapper;
using GradeBench.Core.Spans.Interchange;

namespace GradeBench.Storage.Notes;

/// <summary>A study's note annotation as the interchange formats take it: its id, its note labels as an
/// <see cref="AnnotationScheme"/>, and one <see cref="AnnotatedDocument"/> per case with a marked passage.</summary>
public sealed record NoteDocuments(string Study, AnnotationScheme Scheme, IReadOnlyList<AnnotatedDocument> Documents);

/// <summary>Loads a study's note spans for brat and BioC (docs/spans.md, "Interchange"): each case that has a passage (a
/// rater's, or a gold one) is a document, in case order, its id the case's bundle id and its text the note
/// (<c>presentation_md</c>); each passage a <see cref="NoteAnnotation"/> by label, code points and attribute values,
/// each by its id in study.json: first the gold set's (the decisions of span adjudication that stand, as gold-spans.csv gives them,
/// without a rater), then each rater's, named by username as note-spans.csv names them (these are the coordinators'
/// exports, which name raters), in note-spans.csv's order. A passage's own note, its links to answer highlights and a
/// gold passage's provenance are not carried.</summary>
public sealed class NoteDocumentsQuery(Database database)
{
    sealed class SpanRow
    {
        public long Id { get; init; }
        public long CaseId { get; init; }
        public string? Rater { get; init; }
        public string Label { get; init; } = "";
        public int Start { get; init; }
        public int End { get; init; }
    }

    public async Task<NoteDocuments> LoadAsync(long studyId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var keys = new { StudyId = studyId };
        var study = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT slug FROM studies WHERE id = @StudyId", keys, cancellationToken: ct))
            ?? throw new ArgumentException($"There is no study {studyId}.", nameof(studyId));
        var scheme = Scheme(await NoteSpanStore.LabelsAsync(connection, studyId, ct));
        var cases = (await connection.QueryAsync<(long Id, string Slug, string Text)>(new CommandDefinition($"""
            SELECT c.id, c.slug, c.presentation_md FROM cases c
            WHERE c.study_id = @StudyId
              AND (EXISTS (SELECT 1 FROM note_spans n WHERE n.case_id = c.id) OR EXISTS (SELECT 1 FROM gold_spans g WHERE g.case_id = c.id AND {GoldStands}))
            ORDER BY c.position, c.id
            """, keys, cancellationToken: ct))).AsList();
        var spans = cases.ToDictionary(c => c.Id, _ => new List<NoteAnnotation>());
        var gold = await ValuesAsync(connection, $"""
            SELECT v.gold_span_id, a.slug, v.value
            FROM gold_span_attributes v
            JOIN note_label_attributes a ON a.id = v.attribute_id
            JOIN gold_spans g ON g.id = v.gold_span_id
            JOIN cases c ON c.id = g.case_id
            WHERE c.study_id = @StudyId AND {GoldStands}
            """, studyId, ct);
        await foreach (var span in connection.QueryUnbufferedAsync<SpanRow>($"""
            SELECT g.id, g.case_id, l.slug AS label, g.start_code_point AS start, g.end_code_point AS "end"
            FROM gold_spans g
            JOIN cases c ON c.id = g.case_id
            JOIN note_labels l ON l.id = g.label_id
            WHERE c.study_id = @StudyId AND {GoldStands}
            ORDER BY c.position, g.start_code_point, g.end_code_point, l.position, g.id
            """, keys).WithCancellation(ct))
            spans[span.CaseId].Add(new NoteAnnotation(span.Label, span.Start, span.End, gold.GetValueOrDefault(span.Id) ?? None, null));
        var values = await ValuesAsync(connection, """
            SELECT v.note_span_id, a.slug, v.value
            FROM note_span_attributes v
            JOIN note_label_attributes a ON a.id = v.attribute_id
            JOIN note_spans n ON n.id = v.note_span_id
            JOIN cases c ON c.id = n.case_id
            WHERE c.study_id = @StudyId
            """, studyId, ct);
        await foreach (var span in connection.QueryUnbufferedAsync<SpanRow>("""
            SELECT n.id, n.case_id, u.username AS rater, l.slug AS label, n.start_code_point AS start, n.end_code_point AS "end"
            FROM note_spans n
            JOIN cases c ON c.id = n.case_id
            JOIN users u ON u.id = n.rater_id
            JOIN note_labels l ON l.id = n.label_id
            WHERE c.study_id = @StudyId
            ORDER BY c.position, u.username, n.start_code_point, n.end_code_point, l.position, n.id
            """, keys).WithCancellation(ct))
            spans[span.CaseId].Add(new NoteAnnotation(span.Label, span.Start, span.End, values.GetValueOrDefault(span.Id) ?? None, span.Rater));
        return new NoteDocuments(study, scheme, [.. cases.Select(c => new AnnotatedDocument(c.Slug, c.Text, spans[c.Id]))]);
    }

    /// <summary>A gold passage that stands: a decision not undone that is not a rejection (docs/spans.md, "Gold spans").</summary>
    const string GoldStands = "g.undone_at IS NULL AND g.decision <> 'rejected'";

    static readonly Dictionary<string, string> None = [];

    /// <summary>Attribute values (<paramref name="sql"/>: span id, the attribute's id in study.json, value) by span and attribute.</summary>
    static async Task<Dictionary<long, Dictionary<string, string>>> ValuesAsync(DbConnection connection, string sql, long studyId, CancellationToken ct)
    {
        var values = new Dictionary<long, Dictionary<string, string>>();
        foreach (var (spanId, slug, value) in await connection.QueryAsync<(long, string, string)>(new CommandDefinition(sql, new { StudyId = studyId }, cancellationToken: ct)))
        {
            if (!values.TryGetValue(spanId, out var ofSpan)) values[spanId] = ofSpan = new(StringComparer.Ordinal);
            ofSpan[slug] = value;
        }
        return values;
    }

    /// <summary>The study's note labels as an <see cref="AnnotationScheme"/>: labels and attributes by their ids.</summary>
    public static AnnotationScheme Scheme(IReadOnlyList<NoteLabelInfo> labels) =>
        new([.. labels.Select(l => new LabelDefinition(l.Slug, [.. l.Attributes.Select(a => new AttributeDefinition(a.Slug, a.Kind))]))]);
}
