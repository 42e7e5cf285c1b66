using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Core.Messages;
using GradeBench.Core.Notes;
using GradeBench.Core.Spans;
using GradeBench.Core.Spans.Interchange;

namespace GradeBench.Storage.Notes;

public enum NoteImportOutcome { Imported, NoSuchUser, NotARater, Invalid }

/// <summary>What an import did: the notes and passages stored, what brat had that GradeBench left out, or the errors
/// (each naming the file, the line where there is one, and the field) when nothing was stored.</summary>
public sealed record NoteImportResult(NoteImportOutcome Outcome, int Notes, int Spans, BratSkipped Skipped, IReadOnlyList<InterchangeException> Errors)
{
    internal static NoteImportResult Refused(NoteImportOutcome outcome, IReadOnlyList<InterchangeException>? errors = null) =>
        new(outcome, 0, 0, BratSkipped.None, errors ?? []);
}

/// <summary>Brings a rater's passages of the cases' notes in from a brat folder (docs/spans.md, "Interchange"), such as
/// pilot annotations or those made in another tool: each <c>CASE.txt</c> must be the note of the study's case
/// <c>CASE</c> exactly, and <c>CASE.ann</c> its spans with the study's note labels and attributes
/// (<see cref="BratStandoff.Read"/> against the study's scheme). The passages are stored as the rater's, all in one
/// transaction or none, with the quote and the note's hash taken here as <see cref="NoteSpanStore"/> takes them. Unlike
/// the rater's own writes this needs no assignment, open study or reveal check: it is the coordinators' bulk import, and
/// the user need only be a rater of the study.</summary>
public sealed partial class NoteSpanImport(Database database, TimeProvider clock)
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    sealed record Attribute(long Id, NoteAttribute Definition);

    sealed record Label(long Id, IReadOnlyDictionary<string, Attribute> Attributes);

    /// <summary>A passage to store, and where its <c>T</c> line is (duplicates are told there).</summary>
    sealed record NewSpan(string File, int Line, long CaseId, long LabelId, int Start, int End, string Quote, string TextSha256,
        IReadOnlyList<(long AttributeId, string Value)> Values);

    /// <param name="files">The folder's files by name (those in subfolders, with a <c>/</c>, are not read).</param>
    /// <param name="username">The rater whose passages these are.</param>
    public async Task<NoteImportResult> ImportBratAsync(long studyId, string username, IReadOnlyDictionary<string, byte[]> files, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<(long Id, string? Role)?>(new CommandDefinition("""
            SELECT u.id, m.role FROM users u LEFT JOIN study_members m ON m.user_id = u.id AND m.study_id = @StudyId
            WHERE lower(u.username) = @Key
            """, new { StudyId = studyId, Key = UsernameKey.Of(username) }, cancellationToken: ct));
        if (user is not { } rater) return NoteImportResult.Refused(NoteImportOutcome.NoSuchUser);
        if (rater.Role != "rater") return NoteImportResult.Refused(NoteImportOutcome.NotARater);
        var labelInfos = await NoteSpanStore.LabelsAsync(connection, studyId, ct);
        var scheme = NoteDocumentsQuery.Scheme(labelInfos);
        var labels = labelInfos.ToDictionary(l => l.Slug, l => new Label(l.Id,
            l.Attributes.ToDictionary(a => a.Slug, a => new Attribute(a.Id, new NoteAttribute(a.Slug, a.Label, a.Kind)))));

        var stems = files.Keys.Where(k => !k.Contains('/') && (k.EndsWith(".txt", StringComparison.Ordinal) || k.EndsWith(".ann", StringComparison.Ordinal)))
            .Select(k => k[..^4]).Distinct().Order(StringComparer.Ordinal).ToList();
        if (!stems.Any(s => files.ContainsKey(s + ".txt")))
            return NoteImportResult.Refused(NoteImportOutcome.Invalid, [new InterchangeException("", 0, "folder", new Message("Interchange_NoNotes"))]);
        var cases = (await connection.QueryAsync<(long Id, string Slug, string Text)>(new CommandDefinition(
            $"SELECT id, slug, presentation_md FROM cases WHERE study_id = @StudyId AND {ListParameter.In(connection, "slug", "@Stems")}",
            new { StudyId = studyId, Stems = stems }, cancellationToken: ct))).ToDictionary(c => c.Slug, StringComparer.Ordinal);

        var errors = new List<InterchangeException>();
        var spans = new List<NewSpan>();
        var skipped = BratSkipped.None;
        var notes = 0;
        foreach (var stem in stems)
        {
            try
            {
                var (read, ofNote) = ReadNote(stem, files, cases, labels, username, scheme, errors);
                if (read is null) continue;
                skipped = skipped.Plus(read.Skipped);
                spans.AddRange(ofNote);
                notes++;
            }
            catch (InterchangeException e)
            {
                errors.Add(e);
            }
        }
        if (errors.Count > 0) return NoteImportResult.Refused(NoteImportOutcome.Invalid, errors);

        await using var transaction = await connection.BeginWriteAsync(ct);
        var existing = (await connection.QueryAsync<(long CaseId, long LabelId, int Start, int End)>($"""
            SELECT case_id, label_id, start_code_point, end_code_point FROM note_spans
            WHERE rater_id = @RaterId AND {ListParameter.In(connection, "case_id", "@Cases")}
            """, new { RaterId = rater.Id, Cases = spans.Select(s => s.CaseId).Distinct().ToArray() }, transaction)).ToHashSet();
        errors.AddRange(spans.Where(s => existing.Contains((s.CaseId, s.LabelId, s.Start, s.End)))
            .Select(s => new InterchangeException(s.File, s.Line, "offsets", new Message("Interchange_RaterHasSpan", username))));
        if (errors.Count > 0) return NoteImportResult.Refused(NoteImportOutcome.Invalid, errors);
        var now = clock.GetUtcNow();
        foreach (var span in spans)
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO note_spans (case_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, note, created_at, updated_at)
                VALUES (@CaseId, @RaterId, @LabelId, @Start, @End, @TextSha256, @Quote, NULL, @Now, @Now)
                RETURNING id
                """, new { span.CaseId, RaterId = rater.Id, span.LabelId, span.Start, span.End, span.TextSha256, span.Quote, Now = now }, transaction);
            await connection.ExecuteAsync("INSERT INTO note_span_attributes (note_span_id, attribute_id, value) VALUES (@NoteSpanId, @AttributeId, @Value)",
                span.Values.Select(v => new { NoteSpanId = id, v.AttributeId, v.Value }), transaction);
        }
        if (spans.Count > 0) await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return new NoteImportResult(NoteImportOutcome.Imported, notes, spans.Count, skipped, []);
    }

    /// <summary>One note's files: null (with the errors added) when they cannot be stored, else what was read and the
    /// passages to store.</summary>
    /// <exception cref="InterchangeException">A file brat could not read, or a label or attribute the study lacks.</exception>
    static (BratImport? Read, List<NewSpan> Spans) ReadNote(string stem, IReadOnlyDictionary<string, byte[]> files,
        Dictionary<string, (long Id, string Slug, string Text)> cases, Dictionary<string, Label> labels, string username, AnnotationScheme scheme,
        List<InterchangeException> errors)
    {
        var (txt, annFile) = (stem + ".txt", stem + ".ann");
        var own = files.Where(f => f.Key == txt || f.Key == annFile).ToDictionary(f => f.Key, f => f.Value);
        if (own.ContainsKey(txt) && !cases.ContainsKey(stem))
            throw new InterchangeException(txt, 0, "document", new Message("Interchange_NoSuchCase", stem));
        if (own.TryGetValue(txt, out var bytes) && Decoded(bytes) is { } text && text != cases[stem].Text)
            throw new InterchangeException(txt, FirstDifferingLine(text, cases[stem].Text), "text", new Message("Interchange_NotTheNote", stem));
        // An .ann without its .txt, a .txt that is not UTF-8 and every line brat cannot read are refused here.
        var read = BratStandoff.Read(own, username, scheme);
        var note = cases[stem];
        var ann = own.TryGetValue(annFile, out var annBytes) ? StrictUtf8.GetString(annBytes).TrimStart('\uFEFF') : "";
        var (places, attributeLines) = Places(ann);
        var document = read.Documents.Single();
        var spans = new List<NewSpan>();
        var errorsBefore = errors.Count;
        var seen = new Dictionary<(string, int, int), string>();
        var hash = TextHash.Sha256(note.Text);
        for (var i = 0; i < document.Annotations.Count; i++)
        {
            var (span, (line, id)) = (document.Annotations[i], places[i]);
            if (span.Start == span.End)
            {
                errors.Add(new InterchangeException(annFile, line, "offsets", new Message("Interchange_EmptySpan", id)));
                continue;
            }
            if (!seen.TryAdd((span.Label, span.Start, span.End), id))
            {
                errors.Add(new InterchangeException(annFile, line, "offsets", new Message("Interchange_SameSpan", id, seen[(span.Label, span.Start, span.End)])));
                continue;
            }
            var label = labels[span.Label];
            var values = new List<(long, string)>();
            foreach (var (name, value) in span.Attributes)
            {
                var attribute = label.Attributes[name];
                // brat's checks against the scheme leave only a text too long for GradeBench to refuse here.
                if (attribute.Definition.Normalize(value) is { } stored) values.Add((attribute.Id, stored));
                else errors.Add(new InterchangeException(annFile, attributeLines[(id, name)], "value",
                    new Message("Interchange_TextTooLong", name, NoteAttribute.MaxTextLength)));
            }
            spans.Add(new NewSpan(annFile, line, note.Id, label.Id, span.Start, span.End, CodePoints.Slice(note.Text, span.Start, span.End), hash, values));
        }
        return errors.Count > errorsBefore ? (null, []) : (read, spans);
    }

    /// <summary>The text, or null when it is not UTF-8 (which <see cref="BratStandoff.Read"/> then refuses).</summary>
    static string? Decoded(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    static int FirstDifferingLine(string text, string note)
    {
        var same = 0;
        while (same < text.Length && same < note.Length && text[same] == note[same]) same++;
        return LineBreak().Count(text[..same]) + 1;
    }

    /// <summary>Where the spans of an <c>.ann</c> that <see cref="BratStandoff.Read"/> has read are: each text-bound
    /// annotation's line and id, in the order read, and each attribute's line by its target and name, lines counted as
    /// brat (and the reader) counts them.</summary>
    static (List<(int Line, string Id)> Spans, Dictionary<(string Target, string Name), int> Attributes) Places(string ann)
    {
        var spans = new List<(int, string)>();
        var attributes = new Dictionary<(string, string), int>();
        var lines = LineBreak().Split(ann);
        for (var i = 0; i < lines.Length; i++)
        {
            var (line, tab) = (lines[i], lines[i].IndexOf('\t'));
            if (string.IsNullOrWhiteSpace(line) || tab <= 0) continue;
            var id = line[..tab];
            if (id[0] == 'T') spans.Add((i + 1, id));
            else if (id[0] is 'A' or 'M')
            {
                var rest = line[(tab + 1)..];
                var parts = (rest.IndexOf('\t') is var end and >= 0 ? rest[..end] : rest).TrimEnd().Split(' ', 3);
                attributes.TryAdd((parts[1], parts[0]), i + 1);
            }
        }
        return (spans, attributes);
    }

    /// <summary>Where Python's <c>str.splitlines</c> ends a line, as brat reads an <c>.ann</c>: <c>\r\n</c> as one.</summary>
    [GeneratedRegex("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")]
    private static partial Regex LineBreak();
}
