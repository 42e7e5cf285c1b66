using Dapper;
using GradeBench.Core.Spans.Interchange;

namespace GradeBench.Storage.Notes;

/// <summary>A study's note annotation as the interchange formats take it: its id, its note labels as an
/// <see cref="AnnotationScheme"/>, and one <see cref="AnnotatedDocument"/> per case with a marked passage.</summary>
public sealed record NoteDocuments(string Study, AnnotationScheme Scheme, IReadOnlyList<AnnotatedDocument> Documents);

/// <summary>Loads a study's note spans for brat and BioC (docs/spans.md, "Interchange"): each case that has a passage is
/// a document, in case order, its id the case's bundle id and its text the note (<c>presentation_md</c>); each passage
/// a <see cref="NoteAnnotation"/> by label id, code points and attribute values by attribute id, its rater named by
/// username as note-spans.csv names them (these are the coordinators' exports, which name raters), in note-spans.csv's
/// order. A passage's own note and its links to answer highlights are not carried.</summary>
public sealed class NoteDocumentsQuery(Database database)
{
    sealed class SpanRow
    {
        public long Id { get; init; }
        public long CaseId { get; init; }
        public string Rater { get; init; } = "";
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
        var cases = (await connection.QueryAsync<(long Id, string Slug, string Text)>(new CommandDefinition("""
            SELECT c.id, c.slug, c.presentation_md FROM cases c
            WHERE c.study_id = @StudyId AND EXISTS (SELECT 1 FROM note_spans n WHERE n.case_id = c.id)
            ORDER BY c.position, c.id
            """, keys, cancellationToken: ct))).AsList();
        var values = new Dictionary<long, Dictionary<string, string>>();
        foreach (var (spanId, slug, value) in await connection.QueryAsync<(long, string, string)>(new CommandDefinition("""
            SELECT v.note_span_id, a.slug, v.value
            FROM note_span_attributes v
            JOIN note_label_attributes a ON a.id = v.attribute_id
            JOIN note_spans n ON n.id = v.note_span_id
            JOIN cases c ON c.id = n.case_id
            WHERE c.study_id = @StudyId
            """, keys, cancellationToken: ct)))
        {
            if (!values.TryGetValue(spanId, out var ofSpan)) values[spanId] = ofSpan = new(StringComparer.Ordinal);
            ofSpan[slug] = value;
        }
        var spans = cases.ToDictionary(c => c.Id, _ => new List<NoteAnnotation>());
        var none = new Dictionary<string, string>();
        await foreach (var span in connection.QueryUnbufferedAsync<SpanRow>("""
            SELECT n.id, n.case_id, u.username AS rater, l.slug AS label, n.start_code_point AS start, n.end_code_point AS "end"
            FROM note_spans n
            JOIN cases c ON c.id = n.case_id
            JOIN users u ON u.id = n.rater_id
            JOIN note_labels l ON l.id = n.label_id
            WHERE c.study_id = @StudyId
            ORDER BY c.position, u.username, n.start_code_point, n.end_code_point, l.position, n.id
            """, keys).WithCancellation(ct))
            spans[span.CaseId].Add(new NoteAnnotation(span.Label, span.Start, span.End, values.GetValueOrDefault(span.Id) ?? none, span.Rater));
        return new NoteDocuments(study, scheme, [.. cases.Select(c => new AnnotatedDocument(c.Slug, c.Text, spans[c.Id]))]);
    }

    /// <summary>The study's note labels as an <see cref="AnnotationScheme"/>: labels and attributes by their ids.</summary>
    public static AnnotationScheme Scheme(IReadOnlyList<NoteLabelInfo> labels) =>
        new([.. labels.Select(l => new LabelDefinition(l.Slug, [.. l.Attributes.Select(a => new AttributeDefinition(a.Slug, a.Kind))]))]);
}
