using System.Text.Json;
using Dapper;
using GradeBench.Core.Reports;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Export;

/// <summary>Loads <see cref="StudyFacts"/> in one batch of queries: the physicians' design and work (judges are the
/// study's too, but rate outside its plan).</summary>
public sealed class ReportQuery(Database database)
{
    sealed class StudyRow
    {
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public string Language { get; init; } = "";
        public long RatersPerResponse { get; init; }
        public bool HideModel { get; init; }
        public bool Shuffle { get; init; }
        public string State { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string? HumanSubset { get; init; }
        public long PhysicianResponses { get; init; }
    }

    sealed class CountRow
    {
        public string Key { get; init; } = "";
        public long Count { get; init; }
    }

    sealed class RatingSpanRow
    {
        public long Ratings { get; init; }
        public DateTimeOffset? FirstSubmitted { get; init; }
        public DateTimeOffset? LastSubmitted { get; init; }
    }

    sealed class AdjudicationRow
    {
        public long Items { get; init; }
        public long? Resolved { get; init; }
        public long? Disagreement { get; init; }
        public long? Safety { get; init; }
    }

    sealed class MetaRow
    {
        public string Model { get; init; } = "";
        public string MetaJson { get; init; } = "";
    }

    /// <summary>The facts of a study, or null when there is no such study.</summary>
    public async Task<StudyFacts?> LoadAsync(long studyId, CancellationToken ct = default)
    {
        const string sql = $"""
            SELECT slug, title, language, raters_per_response, hide_model, shuffle, state, created_at, human_subset,
                   (SELECT COUNT(*) FROM responses r WHERE r.study_id = s.id AND r.for_physicians) AS physician_responses
            FROM studies s WHERE id = @StudyId;

            SELECT role AS key, COUNT(*) AS count FROM study_members WHERE study_id = @StudyId GROUP BY role;

            SELECT COALESCE(c.language, s.language) AS key, COUNT(*) AS count
            FROM cases c JOIN studies s ON s.id = c.study_id
            WHERE c.study_id = @StudyId
            GROUP BY COALESCE(c.language, s.language)
            ORDER BY COUNT(*) DESC, COALESCE(c.language, s.language);

            SELECT COUNT(*) FROM cases WHERE study_id = @StudyId AND reference_md IS NOT NULL AND reference_md <> '';

            SELECT COUNT(*) FROM assignments WHERE study_id = @StudyId AND rater_id NOT IN {JudgeRaters.OfStudy} GROUP BY rater_id;

            SELECT COUNT(*) FROM assignments WHERE study_id = @StudyId AND rater_id NOT IN {JudgeRaters.OfStudy} GROUP BY response_id;

            SELECT COUNT(*) AS ratings, MIN(g.submitted_at) AS first_submitted, MAX(g.submitted_at) AS last_submitted
            FROM ratings g JOIN responses r ON r.id = g.response_id
            WHERE r.study_id = @StudyId AND g.status = 'submitted' AND g.rater_id NOT IN {JudgeRaters.OfStudy}
              AND g.criterion_id NOT IN {CaseCriteria.OfStudy};

            SELECT h.source AS key, COUNT(DISTINCT h.rating_id) AS count
            FROM {RatingHistory.WithImportedLines} h JOIN ratings g ON g.id = h.rating_id
            WHERE h.status = 'submitted' AND g.status = 'submitted' AND g.rater_id NOT IN {JudgeRaters.OfStudy}
              AND g.criterion_id NOT IN {CaseCriteria.OfStudy}
            GROUP BY h.source;

            SELECT COUNT(*) FROM calibration_sessions WHERE study_id = @StudyId;

            SELECT COUNT(*) FROM calibration_items i JOIN calibration_sessions s ON s.id = i.session_id
            WHERE s.study_id = @StudyId AND i.started_at IS NOT NULL;

            SELECT COUNT(*) AS items,
                   SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END) AS resolved,
                   SUM(CASE WHEN disagreement THEN 1 ELSE 0 END) AS disagreement,
                   SUM(CASE WHEN safety THEN 1 ELSE 0 END) AS safety
            FROM adjudication_items WHERE study_id = @StudyId;

            SELECT COUNT(*) FROM consensus_values v JOIN adjudication_items i ON i.id = v.item_id WHERE i.study_id = @StudyId;

            SELECT model, meta_json FROM responses
            WHERE study_id = @StudyId AND meta_json IS NOT NULL AND meta_json <> ''
            ORDER BY model, position;
            """;
        await using var connection = await database.OpenAsync(ct);
        await using var batch = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { StudyId = studyId }, cancellationToken: ct));
        var study = await batch.ReadSingleOrDefaultAsync<StudyRow>();
        if (study is null) return null;
        var members = (await batch.ReadAsync<CountRow>()).ToDictionary(r => r.Key, r => (int)r.Count);
        var languages = (await batch.ReadAsync<CountRow>()).Select(r => (r.Key, (int)r.Count)).ToList();
        var withReference = (int)await batch.ReadSingleAsync<long>();
        var loads = (await batch.ReadAsync<long>()).Select(n => (int)n).Order().ToList();
        var perResponse = (await batch.ReadAsync<long>()).Select(n => (int)n).Order().ToList();
        var span = await batch.ReadSingleAsync<RatingSpanRow>();
        var sources = (await batch.ReadAsync<CountRow>()).ToDictionary(r => r.Key, r => (int)r.Count);
        var sessions = (int)await batch.ReadSingleAsync<long>();
        var rounds = (int)await batch.ReadSingleAsync<long>();
        var adjudication = await batch.ReadSingleAsync<AdjudicationRow>();
        var consensus = (int)await batch.ReadSingleAsync<long>();
        var meta = await batch.ReadAsync<MetaRow>();
        return new StudyFacts(study.Slug, study.Title, study.Language, (int)study.RatersPerResponse, study.HideModel, study.Shuffle,
            study.State, Database.FormatTimestamp(study.CreatedAt), members.GetValueOrDefault(StudyRoles.Rater), members.GetValueOrDefault(StudyRoles.Coordinator),
            languages, withReference, loads, perResponse, (int)span.Ratings, Stamp(span.FirstSubmitted), Stamp(span.LastSubmitted), sources,
            sessions, rounds, (int)adjudication.Items, (int)(adjudication.Resolved ?? 0), (int)(adjudication.Disagreement ?? 0),
            (int)(adjudication.Safety ?? 0), consensus, Metadata(meta))
        {
            HumanSubset = study.HumanSubset, PhysicianResponses = (int)study.PhysicianResponses,
        };
    }

    /// <summary>Per model, each top-level key of its responses' metadata with its distinct values (JSON text, strings
    /// unquoted) in first-seen order and how many distinct values there are; metadata that is not a JSON object is skipped.</summary>
    static List<ModelMetadata> Metadata(IEnumerable<MetaRow> rows)
    {
        var order = new List<(string Model, string Key)>();
        var values = new Dictionary<(string Model, string Key), (List<string> List, HashSet<string> Set)>();
        foreach (var row in rows)
        {
            JsonDocument document;
            try { document = JsonDocument.Parse(row.MetaJson); }
            catch (JsonException) { continue; }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object) continue;
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    if (!values.TryGetValue((row.Model, property.Name), out var entry))
                    {
                        values[(row.Model, property.Name)] = entry = ([], []);
                        order.Add((row.Model, property.Name));
                    }
                    if (entry.Set.Add(value) && entry.List.Count < ModelMetadata.ValuesKept) entry.List.Add(value);
                }
            }
        }
        return order.Select(k => new ModelMetadata(k.Model, k.Key, values[k].List, values[k].Set.Count)).ToList();
    }

    // The facts carry times as SQLite stores them, whichever database was read.
    static string? Stamp(DateTimeOffset? at) => at is { } value ? Database.FormatTimestamp(value) : null;
}
