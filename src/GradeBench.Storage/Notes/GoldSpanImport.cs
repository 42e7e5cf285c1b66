using System.Text.Json;
using Dapper;
using GradeBench.Core.Agreement;
using GradeBench.Core.Notes;
using GradeBench.Core.Spans;

namespace GradeBench.Storage.Notes;

/// <summary>Reads a gold-spans.csv back into a study (docs/spans.md, "Gold spans"): every row is checked against the
/// study — a case of it whose note has the row's hash, a note label of it, code points within the note with the row's
/// quote there, attributes of the label of the right kind — and the file replaces the study's gold set whole: the
/// decisions that stood are marked undone (kept in the history) and the file's are added as imported, keeping who decided,
/// when and from which raters. A file with one bad row changes nothing. An imported gold passage names no group of the
/// raters' passages: the adjudication page shows it with the group that has a passage of its label and code points, and
/// lists the others (and imported rejections) apart.</summary>
public sealed class GoldSpanImport(Database database, TimeProvider clock)
{
    /// <summary>Imports <paramref name="records"/> (read by <see cref="GoldSpansCsv.Read"/>) into the study; returns how
    /// many decisions were imported.</summary>
    /// <param name="importedBy">The user who imports, if any (none from the command line, which has the database file):
    /// one who does not coordinate the study is refused, and so is one whose study is not in adjudication, where deciding
    /// a group is refused too.</param>
    /// <exception cref="RatingsCsvException">A row that does not fit the study, naming its line and field; nothing is
    /// written then.</exception>
    /// <exception cref="UnauthorizedAccessException"><paramref name="importedBy"/> does not coordinate the study; nothing
    /// is written.</exception>
    /// <exception cref="InvalidOperationException">The study of <paramref name="importedBy"/> is not in adjudication;
    /// nothing is written.</exception>
    public async Task<int> ImportAsync(long studyId, IReadOnlyList<GoldSpanRecord> records, long? importedBy, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (importedBy is { } user)
        {
            var access = await Studies.StudyQuery.AccessAsync(connection, transaction, studyId, user, ct);
            if (access is not { IsCoordinator: true }) throw new UnauthorizedAccessException($"Only a coordinator of study {studyId} can import its gold set.");
            if (access.State != "adjudication") throw new InvalidOperationException("The gold set is decided while the study is in adjudication.");
        }
        var cases = (await connection.QueryAsync<(long Id, string Slug, string Text)>(
                "SELECT id, slug, presentation_md FROM cases WHERE study_id = @StudyId", new { StudyId = studyId }, transaction))
            .ToDictionary(c => c.Slug, c => (c.Id, c.Text, Hash: TextHash.Sha256(c.Text), Length: CodePoints.Length(c.Text)), StringComparer.Ordinal);
        var labels = (await NoteSpanStore.LabelsAsync(connection, studyId, ct)).ToDictionary(l => l.Slug, StringComparer.Ordinal);
        var users = (await connection.QueryAsync<(long Id, string Username)>("SELECT id, username FROM users", transaction: transaction))
            .ToDictionary(u => u.Username, u => u.Id, StringComparer.OrdinalIgnoreCase);

        var rows = new List<(long CaseId, GoldSpanRecord Record, long? LabelId, Dictionary<long, string> Values)>();
        var passages = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var line = record.Line;
            if (!cases.TryGetValue(record.CaseId, out var note)) throw new RatingsCsvException(line, $"case_id: the study has no case \"{record.CaseId}\"");
            if (record.TextSha256 != note.Hash)
                throw new RatingsCsvException(line, $"text_sha256: not the hash of case \"{record.CaseId}\"'s note ({note.Hash}): the row was made on another text");
            if (record.Label is null)
            {
                rows.Add((note.Id, record, null, []));
                continue;
            }
            if (!labels.TryGetValue(record.Label, out var label)) throw new RatingsCsvException(line, $"label: the study has no note label \"{record.Label}\"");
            if (record.End > note.Length) throw new RatingsCsvException(line, $"end: {record.End} is beyond the end of the note ({note.Length} code points)");
            var quoted = CodePoints.Slice(note.Text, record.Start!.Value, record.End!.Value);
            if (record.Quote != quoted) throw new RatingsCsvException(line, $"quote: \"{record.Quote}\" is not the note's text at these code points, \"{quoted}\"");
            var values = new Dictionary<long, string>();
            foreach (var (name, (kind, value)) in record.Attributes)
            {
                var attribute = label.Attributes.FirstOrDefault(a => a.Slug == name)
                    ?? throw new RatingsCsvException(line, $"attributes: {name} is no attribute of the label \"{label.Slug}\"");
                var expected = attribute.Kind switch
                {
                    Core.Spans.Interchange.AttributeKind.Flag => JsonValueKind.True,
                    Core.Spans.Interchange.AttributeKind.Number => JsonValueKind.Number,
                    _ => JsonValueKind.String,
                };
                var stored = kind == expected ? new NoteAttribute(attribute.Slug, attribute.Label, attribute.Kind).Normalize(value) : null;
                values[attribute.Id] = stored ?? throw new RatingsCsvException(line,
                    $"attributes: {name} takes {NoteAttribute.KindName(attribute.Kind) switch { "flag" => "true", "number" => "a number", _ => $"a text of 1 to {NoteAttribute.MaxTextLength} characters" }}, found {JsonSerializer.Serialize(value)}");
            }
            var identity = $"{record.CaseId}\n{record.Label}\n{record.Start}\n{record.End}\n{string.Join(";", values.OrderBy(v => v.Key).Select(v => $"{v.Key}={v.Value}"))}";
            if (!passages.TryAdd(identity, line)) throw new RatingsCsvException(line, $"label: the same gold passage as line {passages[identity]}");
            rows.Add((note.Id, record, label.Id, values));
        }

        var now = clock.GetUtcNow();
        await connection.ExecuteAsync("""
            UPDATE gold_spans SET undone_at = @Now, undone_by = @ImportedBy
            WHERE undone_at IS NULL AND case_id IN (SELECT id FROM cases WHERE study_id = @StudyId)
            """, new { Now = now, ImportedBy = importedBy, StudyId = studyId }, transaction);
        foreach (var (caseId, record, labelId, values) in rows)
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO gold_spans (case_id, decision, label_id, start_code_point, end_code_point, quote, text_sha256, group_span_ids,
                                        source_span_ids, source_raters, decided_by, decided_by_name, decided_at, source, imported_at, imported_by)
                VALUES (@CaseId, @Decision, @LabelId, @Start, @End, @Quote, @TextSha256, NULL, '[]', @SourceRaters,
                        @DecidedById, @DecidedBy, @DecidedAt, 'import', @Now, @ImportedBy)
                RETURNING id
                """, new
            {
                CaseId = caseId,
                record.Decision,
                LabelId = labelId,
                record.Start,
                record.End,
                record.Quote,
                record.TextSha256,
                SourceRaters = JsonSerializer.Serialize(record.SourceRaters),
                DecidedById = users.TryGetValue(record.DecidedBy, out var decider) ? decider : (long?)null,
                record.DecidedBy,
                record.DecidedAt,
                Now = now,
                ImportedBy = importedBy,
            }, transaction);
            await GoldSpanStore.InsertValuesAsync(connection, transaction, id, values);
        }
        await Results.StudyDataVersion.BumpAsync(connection, transaction, studyId);
        await transaction.CommitAsync(ct);
        return rows.Count;
    }
}
