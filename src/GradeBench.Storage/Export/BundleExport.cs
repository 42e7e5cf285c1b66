using System.Data.Common;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Notes;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Rubrics;
using Sylvan.Data.Csv;

namespace GradeBench.Storage.Export;

/// <summary>bundle.zip: a whole study as a study bundle (docs/bundle-format.md) that <c>gradebench import</c> turns back
/// into the same study: study.json with the rubric, blinding, adjudication and safety rules; cases.jsonl (with each case's
/// checklist) and responses.jsonl in their bundle order; ratings.csv with every submitted rating (marks included) under
/// the rater's username (a side-by-side study: its design and votes.csv, <see cref="PairwiseBundleExport"/>). Written
/// entry by entry into a <see cref="ZipArchive"/> straight to the output stream (which need not be seekable), with
/// rows streamed from the database. What a bundle cannot carry stays behind: drafts, the audit trail, spans (of answers and
/// of notes: the note labels come along), flags, adjudication decisions, members without ratings, and every timestamp but
/// a rating's first submission and last change.</summary>
public sealed class BundleExport(Database database)
{
    static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    sealed class StudyRow
    {
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public string DescriptionMd { get; init; } = "";
        public string InstructionsMd { get; init; } = "";
        public string? InstructionsTranslationsJson { get; init; }
        public string Language { get; init; } = "";
        public long RatersPerResponse { get; init; }
        public string State { get; init; } = "";
        public bool HideModel { get; init; }
        public bool Shuffle { get; init; }
        public string? HumanSubset { get; init; }
    }

    sealed class CaseRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Language { get; init; }
        public string TagsJson { get; init; } = "[]";
        public string PresentationMd { get; init; } = "";
        public string QuestionMd { get; init; } = "";
        public string? ReferenceMd { get; init; }
    }

    sealed class ResponseRow
    {
        public string Slug { get; init; } = "";
        public string CaseSlug { get; init; } = "";
        public string Model { get; init; } = "";
        public string ContentMd { get; init; } = "";
        public string? MetaJson { get; init; }
    }

    sealed class SpanLabelRow
    {
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string? LabelTranslationsJson { get; init; }
        public string? Color { get; init; }
    }

    /// <summary>Writes the bundle of study <paramref name="studyId"/>; <paramref name="asId"/> renames the study in
    /// study.json (so the bundle can be imported beside the original). Returns the number of rows written (cases,
    /// responses and ratings).</summary>
    public async Task<long> WriteAsync(long studyId, Stream output, string? asId = null, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        if (asId is not null && !BundleReader.IsIdentifier(asId)) throw new ArgumentException("not a study identifier", nameof(asId));
        var criteria = await new RubricQuery(database).LoadAsync(studyId, ct);
        await using var connection = await database.OpenAsync(ct);
        var settings = await StoredSettings.LoadAsync(connection, null, studyId, criteria);
        var study = await connection.QuerySingleAsync<StudyRow>(new CommandDefinition("""
            SELECT slug, title, description_md, instructions_md, instructions_translations_json, language, raters_per_response, state, hide_model, shuffle,
                   human_subset
            FROM studies WHERE id = @StudyId
            """, new { StudyId = studyId }, cancellationToken: ct));
        var spanLabels = (await connection.QueryAsync<SpanLabelRow>(new CommandDefinition(
            "SELECT slug, label, label_translations_json, color FROM span_labels WHERE study_id = @StudyId ORDER BY position", new { StudyId = studyId }, cancellationToken: ct))).AsList();
        var noteLabels = await NoteSpanStore.LabelsAsync(connection, studyId, ct);
        var linked = (Span: await LabelCriteria.OfStudyAsync(connection, null, LabelKind.Span, studyId, ct),
            Note: await LabelCriteria.OfStudyAsync(connection, null, LabelKind.Note, studyId, ct));
        var pairwise = await PairwiseBundleExport.LoadAsync(connection, studyId, ct);
        var checklists = await ChecklistQuery.OfStudyAsync(connection, null, studyId, ct);
        // A note-only study's note items are no answers: its bundle has cases and note labels only.
        var annotation = await NoteItems.IsAnnotationAsync(connection, null, studyId, ct);

        long rows = 0;
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Utf8, ct);
        await using (var entry = await zip.CreateEntry("study.json", CompressionLevel.Fastest).OpenAsync(ct))
        {
            await using var json = new Utf8JsonWriter(entry, JsonOptions with { Indented = true });
            WriteStudy(json, study, asId ?? study.Slug, criteria.Select(c => c.Criterion).ToList(), spanLabels, noteLabels, linked, settings, pairwise,
                checklists.Count > 0, annotation);
            await json.FlushAsync(ct);
        }

        await using (var entry = await zip.CreateEntry("cases.jsonl", CompressionLevel.Fastest).OpenAsync(ct))
        {
            const string sql = """
                SELECT id, slug, title, language, tags_json, presentation_md, question_md, reference_md
                FROM cases WHERE study_id = @StudyId ORDER BY position
                """;
            await using var json = new Utf8JsonWriter(entry, JsonOptions);
            await foreach (var row in connection.QueryUnbufferedAsync<CaseRow>(sql, new { StudyId = studyId }).WithCancellation(ct))
            {
                json.WriteStartObject();
                json.WriteString("id", row.Slug);
                json.WriteString("title", row.Title);
                if (row.Language is not null) json.WriteString("language", row.Language);
                json.WritePropertyName("tags");
                json.WriteRawValue(row.TagsJson);
                json.WriteString("presentation_md", row.PresentationMd);
                json.WriteString("question_md", row.QuestionMd);
                if (row.ReferenceMd is not null) json.WriteString("reference_md", row.ReferenceMd);
                if (checklists.TryGetValue(row.Id, out var checklist)) WriteChecklist(json, checklist.Select(c => c.Criterion), study.Language);
                json.WriteEndObject();
                await EndLineAsync(json, entry, ct);
                progress?.Report(++rows);
            }
        }

        if (annotation) return rows;
        await using (var entry = await zip.CreateEntry("responses.jsonl", CompressionLevel.Fastest).OpenAsync(ct))
        {
            const string sql = """
                SELECT r.slug, c.slug AS case_slug, r.model, r.content_md, r.meta_json
                FROM responses r JOIN cases c ON c.id = r.case_id
                WHERE r.study_id = @StudyId ORDER BY r.position
                """;
            await using var json = new Utf8JsonWriter(entry, JsonOptions);
            await foreach (var row in connection.QueryUnbufferedAsync<ResponseRow>(sql, new { StudyId = studyId }).WithCancellation(ct))
            {
                json.WriteStartObject();
                json.WriteString("id", row.Slug);
                json.WriteString("case_id", row.CaseSlug);
                json.WriteString("model", row.Model);
                json.WriteString("content_md", row.ContentMd);
                if (row.MetaJson is not null)
                {
                    json.WritePropertyName("meta");
                    json.WriteRawValue(row.MetaJson);
                }
                json.WriteEndObject();
                await EndLineAsync(json, entry, ct);
                progress?.Report(++rows);
            }
        }

        // A side-by-side study has votes instead of ratings.
        if (pairwise is not null) return rows + await pairwise.WriteVotesAsync(zip, connection, study.Slug, ct);
        await using (var entry = await zip.CreateEntry("ratings.csv", CompressionLevel.Fastest).OpenAsync(ct))
        {
            // Submitted ratings only (a draft is not a rating yet), the checklists' marks after the rubric's ratings of a
            // response, and only those with a value: the bundle format has
            // no way to say "submitted, left empty", and an empty value of a scored criterion would not import.
            // Pilot raters by their own names (PilotRaters.BundleName), which the import turns back into study accounts.
            const string sql = $"""
                SELECT r.slug AS response_id,
                       CASE WHEN lower(substr(u.username, 1, @PrefixLength)) = @PrefixKey THEN substr(u.username, @PrefixLength + 1) ELSE u.username END AS rater,
                       k.slug AS criterion, g.value, g.comment, COALESCE(g.submitted_at, g.updated_at) AS first_submitted, g.updated_at AS last_changed
                FROM responses r
                JOIN ratings g ON g.response_id = r.id
                JOIN users u ON u.id = g.rater_id
                JOIN criteria k ON k.id = g.criterion_id
                WHERE r.study_id = @StudyId AND g.status = 'submitted' AND g.value IS NOT NULL AND g.value <> ''
                  AND g.rater_id NOT IN {JudgeRaters.OfStudy}
                ORDER BY r.position, u.username, k.case_id IS NOT NULL, k.position
                """;
            await using var text = new StreamWriter(entry, Utf8, bufferSize: 1 << 16);
            await using var reader = (DbDataReader)await connection.ExecuteReaderAsync(new CommandDefinition(sql,
                new { StudyId = studyId, PrefixKey = UsernameKey.Of(PilotRaters.Prefix(study.Slug)), PrefixLength = PilotRaters.Prefix(study.Slug).Length }, cancellationToken: ct));
            // PostgreSQL gives timestamps as DateTime, which Sylvan would write in its own shorter form; SQLite gives the text.
            await using var csv = CsvDataWriter.Create(text, new CsvDataWriterOptions { NewLine = "\n", DateTimeFormat = Database.TimestampFormat });
            rows += await csv.WriteAsync(reader, ct);
            progress?.Report(rows);
        }
        return rows;
    }

    static async Task EndLineAsync(Utf8JsonWriter json, Stream entry, CancellationToken ct)
    {
        await json.FlushAsync(ct);
        // Asynchronous all the way down: the web server refuses synchronous writes to a response.
        await entry.WriteAsync(NewLine, ct);
        json.Reset(entry);
    }

    /// <summary>A text in study.json's form: a string, or a map by language when it has translations (the study's first).</summary>
    static void WriteText(Utf8JsonWriter json, string name, string text, Translations translations, string language)
    {
        if (translations.Count == 0)
        {
            json.WriteString(name, text);
            return;
        }
        json.WriteStartObject(name);
        foreach (var (tag, words) in translations.WithStudyText(text, language)) json.WriteString(tag, words);
        json.WriteEndObject();
    }

    /// <summary>A case's <c>criteria</c> as cases.jsonl gives them (docs/bundle-format.md, "Checklists").</summary>
    static void WriteChecklist(Utf8JsonWriter json, IEnumerable<CaseCriterion> checklist, string language)
    {
        json.WriteStartArray("criteria");
        foreach (var criterion in checklist)
        {
            json.WriteStartObject();
            json.WriteString("id", criterion.Id);
            WriteText(json, "text_md", criterion.TextMd, criterion.TextTranslations, language);
            json.WriteNumber("points", criterion.Points);
            if (criterion.Tags.Count > 0)
            {
                json.WriteStartArray("tags");
                foreach (var tag in criterion.Tags) json.WriteStringValue(tag);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>A label's <c>criteria</c>, left out when it names none.</summary>
    static void WriteCriteria(Utf8JsonWriter json, Dictionary<string, List<string>> linked, string label)
    {
        if (!linked.TryGetValue(label, out var criteria)) return;
        json.WriteStartArray("criteria");
        foreach (var criterion in criteria) json.WriteStringValue(criterion);
        json.WriteEndArray();
    }

    static void WriteStudy(Utf8JsonWriter json, StudyRow study, string id, IReadOnlyList<Criterion> criteria,
        IReadOnlyList<SpanLabelRow> spanLabels, IReadOnlyList<NoteLabelInfo> noteLabels,
        (Dictionary<string, List<string>> Span, Dictionary<string, List<string>> Note) linked, AdjudicationSettings settings, PairwiseBundleExport? pairwise,
        bool hasChecklists, bool annotation)
    {
        json.WriteStartObject();
        json.WriteString("format", BundleReader.Format);
        json.WriteString("id", id);
        json.WriteString("title", study.Title);
        json.WriteString("description_md", study.DescriptionMd);
        // A text with translations is written in study.json's map form, the study's language first.
        void WriteText(string name, string text, Translations translations) => BundleExport.WriteText(json, name, text, translations, study.Language);
        WriteText("instructions_md", study.InstructionsMd, Translations.FromJson(study.InstructionsTranslationsJson));
        json.WriteString("language", study.Language);
        // A side-by-side study keeps its raters per pair there (pairwise.raters_per_pair); a note-only study counts per case.
        if (annotation)
        {
            json.WriteString("design", "annotation");
            json.WriteNumber("raters_per_case", study.RatersPerResponse);
        }
        else if (pairwise is null) json.WriteNumber("raters_per_response", study.RatersPerResponse);
        // A bundle knows two states; a study in adjudication or closed comes back open (its ratings are all there).
        json.WriteString("state", study.State == "draft" ? "draft" : "open");
        json.WriteStartObject("blinding");
        json.WriteBoolean("hide_model", study.HideModel);
        json.WriteBoolean("shuffle", study.Shuffle);
        json.WriteEndObject();
        // Stored as study.json gave it (HumanSubset.ToString), so a fraction keeps its decimal point. Under the same id
        // the copy draws the same responses.
        if (study.HumanSubset is { } subset)
        {
            json.WritePropertyName("human_subset");
            json.WriteRawValue(subset);
        }

        if (annotation)
        {
            WriteNoteLabels(json, noteLabels, linked.Note, WriteText);
            json.WriteEndObject();
            return;
        }
        json.WriteStartObject("rubric");
        json.WriteStartArray("criteria");
        foreach (var c in criteria)
        {
            json.WriteStartObject();
            json.WriteString("id", c.Id);
            WriteText("label", c.Label, c.LabelTranslations);
            if (c.HelpMd is not null) WriteText("help_md", c.HelpMd, c.HelpTranslations);
            json.WriteString("type", c.TypeName);
            if (c.Min is { } min) json.WriteNumber("min", min);
            if (c.Max is { } max) json.WriteNumber("max", max);
            if (c.Anchors.Count > 0)
            {
                json.WriteStartObject("anchors");
                foreach (var anchor in c.Anchors) WriteText(anchor.Value, anchor.Label, anchor.LabelTranslations);
                json.WriteEndObject();
            }
            if (c.Options.Count > 0)
            {
                json.WriteStartArray("options");
                foreach (var option in c.Options)
                {
                    json.WriteStartObject();
                    json.WriteString("value", option.Value);
                    WriteText("label", option.Label, option.LabelTranslations);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteBoolean("required", c.Required);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("span_labels");
        foreach (var label in spanLabels)
        {
            json.WriteStartObject();
            json.WriteString("id", label.Slug);
            WriteText("label", label.Label, Translations.FromJson(label.LabelTranslationsJson));
            if (label.Color is not null) json.WriteString("color", label.Color);
            WriteCriteria(json, linked.Span, label.Slug);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        WriteNoteLabels(json, noteLabels, linked.Note, WriteText);
        // The rules as stored (defaults filled in at import), written out in full so the copy needs no defaults of its own.
        json.WriteStartObject("adjudication");
        json.WriteStartObject("rules");
        foreach (var c in criteria)
        {
            var rule = settings.RuleFor(c);
            // "any" on a text criterion is refused by the importer; a text criterion is never adjudicated anyway.
            if (c.Type == CriterionType.Text) continue;
            json.WritePropertyName(c.Id);
            switch (rule.Kind)
            {
                case DisagreementKind.Range:
                    json.WriteStartObject();
                    json.WriteNumber("min_range", rule.MinRange);
                    json.WriteEndObject();
                    break;
                case DisagreementKind.Any: json.WriteStringValue("any"); break;
                default: json.WriteStringValue("never"); break;
            }
        }
        json.WriteEndObject();
        if (pairwise is not null) json.WriteString("pairwise", pairwise.AdjudicationRule);
        if (hasChecklists || settings.Checklist.Kind == DisagreementKind.Never)
            json.WriteString("checklist", settings.Checklist.Kind == DisagreementKind.Never ? "never" : "any");
        json.WriteEndObject();
        json.WriteStartArray("safety");
        foreach (var trigger in settings.Safety)
        {
            json.WriteStartObject();
            json.WriteString("criterion", trigger.CriterionId);
            json.WriteStartArray("values");
            foreach (var value in trigger.Values) json.WriteStringValue(value);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        pairwise?.WriteStudy(json);
        json.WriteEndObject();
    }
    /// <param name="writeText">Writes a text in study.json's form (with its translations, if any).</param>
    static void WriteNoteLabels(Utf8JsonWriter json, IReadOnlyList<NoteLabelInfo> noteLabels, Dictionary<string, List<string>> linked,
        Action<string, string, Translations> writeText)
    {
        // Left out when there are none, so that a study without note annotation exports the study.json it always has.
        if (noteLabels.Count == 0) return;
        json.WriteStartArray("note_labels");
        foreach (var label in noteLabels)
        {
            json.WriteStartObject();
            json.WriteString("id", label.Slug);
            writeText("label", label.Label, label.LabelTranslations);
            if (label.Color is not null) json.WriteString("color", label.Color);
            if (label.Attributes.Count > 0)
            {
                json.WriteStartArray("attributes");
                foreach (var attribute in label.Attributes)
                {
                    json.WriteStartObject();
                    json.WriteString("id", attribute.Slug);
                    writeText("label", attribute.Label, attribute.LabelTranslations);
                    json.WriteString("kind", NoteAttribute.KindName(attribute.Kind));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            WriteCriteria(json, linked, label.Slug);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
