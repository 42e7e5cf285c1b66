using System.Data.Common;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;

namespace GradeBench.Storage.Pairwise;

/// <summary>What bundle.zip writes for a side-by-side study beside what every study has (<see cref="Export.BundleExport"/>):
/// study.json's <c>design</c>, <c>pairwise</c> object and <c>adjudication.pairwise</c>, with every text in the form it
/// came in; and votes.csv, every submitted vote with the sides its rater saw, instead of ratings.csv. The pairs are
/// written as <c>"all"</c> when the study compares every pair, else listed one by one: N per case is drawn from the
/// study's id, which an export under another id would change.</summary>
sealed class PairwiseBundleExport
{
    sealed class AxisRow
    {
        public string Slug { get; init; } = "";
        public string Question { get; init; } = "";
        public string? QuestionTranslationsJson { get; init; }
        public string? HelpMd { get; init; }
        public string? HelpTranslationsJson { get; init; }
        public bool BothBad { get; init; }
    }

    sealed class ReasonRow
    {
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string? LabelTranslationsJson { get; init; }
    }

    sealed class VoteRow
    {
        public string Rater { get; init; } = "";
        public string Axis { get; init; } = "";
        public string Left { get; init; } = "";
        public string Right { get; init; } = "";
        public string Choice { get; init; } = "";
        public bool AOnLeft { get; init; }
        public string? ReasonsJson { get; init; }
        public string? Comment { get; init; }
        public DateTimeOffset FirstSubmitted { get; init; }
        public DateTimeOffset LastChanged { get; init; }
    }

    readonly long _studyId;
    readonly string _language;
    readonly bool _adjudicate;
    readonly long _ratersPerPair;
    readonly List<AxisRow> _axes;
    readonly List<ReasonRow> _reasons;
    // Null when the study compares every pair of models that answered a case.
    readonly List<(string A, string B)>? _listed;

    PairwiseBundleExport(long studyId, string language, bool adjudicate, long ratersPerPair, List<AxisRow> axes, List<ReasonRow> reasons, List<(string, string)>? listed) =>
        (_studyId, _language, _adjudicate, _ratersPerPair, _axes, _reasons, _listed) = (studyId, language, adjudicate, ratersPerPair, axes, reasons, listed);

    /// <summary>The side-by-side part of study <paramref name="studyId"/>; null for a study of single answers.</summary>
    public static async Task<PairwiseBundleExport?> LoadAsync(DbConnection connection, long studyId, CancellationToken ct)
    {
        var study = await connection.QuerySingleAsync<(string Design, string Language, string? Adjudication, long RatersPerPair)>(new CommandDefinition(
            "SELECT design, language, pairwise_adjudication, raters_per_response FROM studies WHERE id = @StudyId", new { StudyId = studyId }, cancellationToken: ct));
        if (study.Design != "pairwise") return null;
        var axes = (await connection.QueryAsync<AxisRow>(new CommandDefinition("""
            SELECT slug, question, question_translations_json, help_md, help_translations_json, both_bad FROM pairwise_axes WHERE study_id = @StudyId ORDER BY position
            """, new { StudyId = studyId }, cancellationToken: ct))).AsList();
        var reasons = (await connection.QueryAsync<ReasonRow>(new CommandDefinition(
            "SELECT slug, label, label_translations_json FROM pairwise_reasons WHERE study_id = @StudyId ORDER BY position",
            new { StudyId = studyId }, cancellationToken: ct))).AsList();
        List<(string A, string B)>? listed = null;
        if (!await AddedAnswerPairs.ComparesEveryPairAsync(connection, null, studyId, ct))
            listed = (await connection.QueryAsync<(string A, string B)>(new CommandDefinition("""
            SELECT a.slug, b.slug FROM pairs p JOIN responses a ON a.id = p.response_a_id JOIN responses b ON b.id = p.response_b_id
            WHERE p.study_id = @StudyId ORDER BY p.position
            """, new { StudyId = studyId }, cancellationToken: ct))).AsList();
        return new PairwiseBundleExport(studyId, study.Language, study.Adjudication != "never", study.RatersPerPair, axes, reasons, listed);
    }

    /// <summary>The value of study.json's <c>adjudication.pairwise</c>.</summary>
    public string AdjudicationRule => _adjudicate ? "any" : "never";

    /// <summary>Writes study.json's <c>design</c> and <c>pairwise</c> into the study's object.</summary>
    public void WriteStudy(Utf8JsonWriter json)
    {
        json.WriteString("design", "pairwise");
        json.WriteStartObject("pairwise");
        json.WriteStartArray("axes");
        foreach (var axis in _axes)
        {
            json.WriteStartObject();
            json.WriteString("id", axis.Slug);
            WriteText(json, "question", axis.Question, axis.QuestionTranslationsJson);
            if (axis.HelpMd is not null) WriteText(json, "help_md", axis.HelpMd, axis.HelpTranslationsJson);
            json.WriteBoolean("both_unacceptable", axis.BothBad);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("reasons");
        foreach (var reason in _reasons)
        {
            json.WriteStartObject();
            json.WriteString("id", reason.Slug);
            WriteText(json, "label", reason.Label, reason.LabelTranslationsJson);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (_listed is null) json.WriteString("pairs", "all");
        else
        {
            json.WriteStartArray("pairs");
            foreach (var (a, b) in _listed)
            {
                json.WriteStartArray();
                json.WriteStringValue(a);
                json.WriteStringValue(b);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        json.WriteNumber("raters_per_pair", _ratersPerPair);
        json.WriteEndObject();
    }

    /// <summary>A text in study.json's form: a string, or a map by language (the study's first) when it has translations.</summary>
    void WriteText(Utf8JsonWriter json, string name, string text, string? translationsJson)
    {
        var translations = Translations.FromJson(translationsJson);
        if (translations.Count == 0)
        {
            json.WriteString(name, text);
            return;
        }
        json.WriteStartObject(name);
        foreach (var (tag, words) in translations.WithStudyText(text, _language)) json.WriteString(tag, words);
        json.WriteEndObject();
    }

    /// <summary>votes.csv: every submitted vote, by pair, rater and axis, with the sides the rater saw, the pair's reasons
    /// and comment on each of its rows, and when the vote was first submitted and last changed. Pilot raters go by their
    /// own names (<see cref="PilotRaters.BundleName"/>). Returns the rows written.</summary>
    public async Task<long> WriteVotesAsync(ZipArchive zip, DbConnection connection, string studySlug, CancellationToken ct)
    {
        var prefix = PilotRaters.Prefix(studySlug);
        var votes = await connection.QueryAsync<VoteRow>(new CommandDefinition("""
            SELECT CASE WHEN lower(substr(u.username, 1, @PrefixLength)) = @PrefixKey THEN substr(u.username, @PrefixLength + 1) ELSE u.username END AS rater,
                   x.slug AS axis, l.slug AS "left", r.slug AS "right", v.choice, a.left_response_id = p.response_a_id AS a_on_left,
                   a.reasons_json, a.comment, COALESCE(v.submitted_at, v.updated_at) AS first_submitted, v.updated_at AS last_changed
            FROM pair_votes v
            JOIN pairs p ON p.id = v.pair_id
            JOIN pair_assignments a ON a.pair_id = v.pair_id AND a.rater_id = v.rater_id
            JOIN responses l ON l.id = a.left_response_id
            JOIN responses r ON r.id = CASE WHEN a.left_response_id = p.response_a_id THEN p.response_b_id ELSE p.response_a_id END
            JOIN pairwise_axes x ON x.id = v.axis_id
            JOIN users u ON u.id = v.rater_id
            WHERE p.study_id = @StudyId AND v.status = 'submitted' AND v.choice IS NOT NULL
            ORDER BY p.position, u.username, x.position
            """, new { StudyId = _studyId, PrefixKey = UsernameKey.Of(prefix), PrefixLength = prefix.Length }, cancellationToken: ct));
        await using var entry = await zip.CreateEntry("votes.csv", CompressionLevel.Fastest).OpenAsync(ct);
        await using var text = new StreamWriter(entry, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await text.WriteAsync("rater,axis,left,right,choice,reasons,comment,first_submitted,last_changed\n".AsMemory(), ct);
        long rows = 0;
        foreach (var vote in votes)
        {
            var shown = PairSides.Shown(PairSides.ParseStored(vote.Choice) ?? throw new InvalidDataException($"pair_votes.choice \"{vote.Choice}\""), vote.AOnLeft);
            var reasons = vote.ReasonsJson is null ? "" : string.Join(';', JsonSerializer.Deserialize<string[]>(vote.ReasonsJson)!);
            string[] fields = [vote.Rater, vote.Axis, vote.Left, vote.Right, Shown(shown), reasons, vote.Comment ?? "",
                Database.FormatTimestamp(vote.FirstSubmitted), Database.FormatTimestamp(vote.LastChanged)];
            await text.WriteAsync((string.Join(',', fields.Select(Quoted)) + "\n").AsMemory(), ct);
            rows++;
        }
        return rows;
    }

    static string Shown(PairwiseChoice choice) => choice switch
    {
        PairwiseChoice.Left => "left",
        PairwiseChoice.Right => "right",
        PairwiseChoice.Tie => "tie",
        _ => "both_bad",
    };

    /// <summary>A CSV field (RFC 4180): quoted, its quotes doubled, when it holds a comma, a quote or a line end.</summary>
    static string Quoted(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
