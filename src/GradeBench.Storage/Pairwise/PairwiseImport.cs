using System.Data.Common;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Pairwise;

/// <summary>What an import writes for a side-by-side study beyond its cases and answers, inside the import's
/// transaction: the design (axes, reason tags, the adjudication rule), the pairs with random handles, votes.csv's votes
/// as submitted by pilot raters (named as ratings.csv's are, <see cref="PilotRaterAccounts"/>) on completed pair
/// assignments with the sides the file gives, and the pairs planned for the raters (<see cref="PairAssignments"/>).
/// As for ratings, no history line is written: a vote without one is an imported vote never changed since, whose
/// <c>import</c> line its first change writes (docs/grading.md).</summary>
static class PairwiseImport
{
    /// <summary>Writes the study's side-by-side part; returns the pilot raters refused (as errors naming votes.csv), in
    /// which case the caller rolls back.</summary>
    internal static async Task<IReadOnlyList<BundleError>> WriteAsync(DbConnection connection, DbTransaction transaction, long studyId,
        StudyBundle bundle, IReadOnlyDictionary<string, StoredResponse> responses, long? importedBy, PilotRaterAccounts pilotRaters, DateTimeOffset now)
    {
        var design = bundle.Study.Pairwise ?? throw new ArgumentException("not a side-by-side study", nameof(bundle));
        await connection.ExecuteAsync("UPDATE studies SET design = 'pairwise', pairwise_adjudication = @Rule WHERE id = @StudyId",
            new { StudyId = studyId, Rule = design.Adjudicate ? "any" : "never" }, transaction);
        var axisIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (axis, position) in design.Axes.Select((a, i) => (a, i)))
            axisIds[axis.Id] = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO pairwise_axes (study_id, slug, position, question, question_translations_json, help_md, help_translations_json, both_bad)
                VALUES (@StudyId, @Slug, @Position, @Question, @QuestionTranslations, @HelpMd, @HelpTranslations, @BothBad)
                RETURNING id
                """, new
                {
                    StudyId = studyId, Slug = axis.Id, Position = position, axis.Question, QuestionTranslations = axis.QuestionTranslations.ToJson(),
                    axis.HelpMd, HelpTranslations = axis.HelpTranslations.ToJson(), BothBad = axis.BothUnacceptable,
                }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO pairwise_reasons (study_id, slug, position, label, label_translations_json)
            VALUES (@StudyId, @Slug, @Position, @Label, @LabelTranslations)
            """, design.Reasons.Select((r, i) => new { StudyId = studyId, Slug = r.Id, Position = i, r.Label, LabelTranslations = r.LabelTranslations.ToJson() }),
            transaction);

        var caseIds = (await connection.QueryAsync<(string Slug, long Id)>("SELECT slug, id FROM cases WHERE study_id = @StudyId",
            new { StudyId = studyId }, transaction)).ToDictionary(c => c.Slug, c => c.Id, StringComparer.Ordinal);
        // Raters name a pair only by its handle, drawn at random as a response's is.
        var handles = ResponseHandles.Draw(bundle.Pairs.Count, new HashSet<string>());
        var pairs = new List<StoredPair>(bundle.Pairs.Count);
        var byAnswers = new Dictionary<(string A, string B), StoredPair>();
        foreach (var (pair, position) in bundle.Pairs.Select((p, i) => (p, i)))
        {
            var (a, b) = (responses[pair.ResponseA].Id, responses[pair.ResponseB].Id);
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO pairs (study_id, case_id, response_a_id, response_b_id, position, handle)
                VALUES (@StudyId, @CaseId, @A, @B, @Position, @Handle)
                RETURNING id
                """, new { StudyId = studyId, CaseId = caseIds[pair.CaseId], A = a, B = b, Position = position, Handle = handles[position] }, transaction);
            pairs.Add(byAnswers[(pair.ResponseA, pair.ResponseB)] = new StoredPair(id, handles[position], a, b));
        }

        var raterIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var refused = new List<BundleError>();
        foreach (var rater in bundle.Votes.Select(v => v.Rater).Distinct(StringComparer.Ordinal))
        {
            if (pilotRaters == PilotRaterAccounts.ExistingByName
                && await StudyImporter.RefusalAsync(connection, transaction, rater, importedBy, "votes.csv") is { } refusal)
                refused.Add(refusal);
            else raterIds[rater] = await StudyImporter.PilotRaterIdAsync(connection, transaction, studyId, bundle.Study.Id, rater, pilotRaters, now);
        }
        if (refused.Count > 0) return refused;

        var assigned = await WriteVotesAsync(connection, transaction, studyId, bundle, byAnswers, raterIds, axisIds, now);
        await PairAssignments.TopUpAsync(connection, transaction, studyId, pairs, assigned, now);
        return [];
    }

    /// <summary>The votes, submitted, on pair assignments completed at the import's time; returns those assignments.</summary>
    static async Task<List<Assignment>> WriteVotesAsync(DbConnection connection, DbTransaction transaction, long studyId, StudyBundle bundle,
        Dictionary<(string A, string B), StoredPair> byAnswers, Dictionary<string, long> raterIds, Dictionary<string, long> axisIds, DateTimeOffset now)
    {
        var importedAt = now;
        DateTimeOffset Stamp(DateTimeOffset? at) => at ?? importedAt;
        var models = bundle.Responses.ToDictionary(r => r.Id, r => r.Model, StringComparer.Ordinal);
        var assigned = new List<Assignment>();
        foreach (var judgement in bundle.Votes.GroupBy(v => (v.Rater, Pair: string.CompareOrdinal(models[v.Left], models[v.Right]) < 0 ? (v.Left, v.Right) : (v.Right, v.Left))))
        {
            var pair = byAnswers[judgement.Key.Pair];
            var rater = raterIds[judgement.Key.Rater];
            var first = judgement.First();
            var aOnLeft = first.Left == judgement.Key.Pair.Item1;
            await connection.ExecuteAsync("""
                INSERT INTO pair_assignments (study_id, pair_id, rater_id, left_response_id, queue_position, assigned_at, completed_at, reasons_json, comment)
                VALUES (@StudyId, @PairId, @RaterId, @LeftResponseId, @QueuePosition, @ImportedAt, @ImportedAt, @ReasonsJson, @Comment)
                """, new
                {
                    StudyId = studyId, PairId = pair.Id, RaterId = rater, LeftResponseId = aOnLeft ? pair.ResponseA : pair.ResponseB,
                    QueuePosition = QueueOrder.Position(studyId, rater, pair.Handle), ImportedAt = importedAt,
                    ReasonsJson = first.Reasons.Count == 0 ? null : JsonSerializer.Serialize(first.Reasons), first.Comment,
                }, transaction);
            assigned.Add(new Assignment(pair.Id, rater));
            foreach (var vote in judgement)
            {
                await connection.ExecuteAsync("""
                    INSERT INTO pair_votes (pair_id, rater_id, axis_id, choice, status, updated_at, submitted_at)
                    VALUES (@PairId, @RaterId, @AxisId, @Choice, 'submitted', @UpdatedAt, @SubmittedAt)
                    """, new
                    {
                        PairId = pair.Id, RaterId = rater, AxisId = axisIds[vote.AxisId], Choice = PairSides.Text(PairSides.Stored(vote.Choice, aOnLeft)),
                        UpdatedAt = Stamp(vote.LastChanged), SubmittedAt = Stamp(vote.FirstSubmitted),
                    }, transaction);
            }
        }
        return assigned;
    }
}
