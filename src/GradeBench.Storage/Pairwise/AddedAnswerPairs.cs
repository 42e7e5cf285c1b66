using System.Data.Common;
using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Pairwise;

/// <summary>The pairs a side-by-side study gains when answers are added to it on the set-up page (docs/setup.md, "Add
/// responses"). The rule study.json gave (<c>pairwise.pairs</c>) is not stored; what is stored tells whether the study
/// compares every pair of models that answered a case, which is what <c>"all"</c> gives. Only such a study takes new
/// answers, each compared with every other model's answer to its case; pairs chosen at import (N per case, a list) stay
/// as they are.</summary>
static class AddedAnswerPairs
{
    /// <summary>Whether the study's pairs are every two answers to a case by different models. A case has at most one
    /// answer per model and a pair is stored once, so this holds exactly when there are m(m − 1)/2 pairs for each case
    /// answered by m models. bundle.zip writes such a study's pairs as <c>"all"</c>
    /// (<see cref="PairwiseBundleExport"/>).</summary>
    internal static async Task<bool> ComparesEveryPairAsync(DbConnection connection, DbTransaction? transaction, long studyId, CancellationToken ct = default)
    {
        var (pairs, every) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM pairs WHERE study_id = @StudyId),
                   (SELECT CAST(COALESCE(SUM(m * (m - 1) / 2), 0) AS BIGINT) FROM (SELECT COUNT(DISTINCT model) AS m FROM responses WHERE study_id = @StudyId GROUP BY case_id) per_case)
            """, new { StudyId = studyId }, transaction, cancellationToken: ct));
        return pairs == every;
    }

    /// <summary>The id of the study's answer to each case by each model, both as the bundle names them: a new answer by
    /// a model that answered its case already is refused (<see cref="BundleReader.ReadResponses"/>).</summary>
    internal static async Task<IReadOnlyDictionary<(string Case, string Model), string>> AnswersAsync(DbConnection connection, DbTransaction transaction, long studyId)
    {
        var answers = new Dictionary<(string Case, string Model), string>();
        foreach (var (caseSlug, model, slug) in await connection.QueryAsync<(string, string, string)>(
                     "SELECT c.slug, r.model, r.slug FROM responses r JOIN cases c ON c.id = r.case_id WHERE r.study_id = @StudyId ORDER BY r.position",
                     new { StudyId = studyId }, transaction))
            answers.TryAdd((caseSlug, model), slug);
        return answers;
    }

    /// <summary>Stores the pairs of the answers just added (<paramref name="added"/>, their bundle ids): each with every
    /// other model's answer to its case, A the one whose model comes first (<see cref="PairFormation"/>, every pair).
    /// They follow the study's pairs, in case order, each with a random handle of its own. Returns how many.</summary>
    internal static async Task<int> FormAsync(DbConnection connection, DbTransaction transaction, long studyId, IReadOnlySet<string> added)
    {
        var keys = new { StudyId = studyId };
        var all = (await connection.QueryAsync<(long Id, string Slug, string Model, long CaseId, string Case)>("""
            SELECT r.id, r.slug, r.model, c.id, c.slug FROM responses r JOIN cases c ON c.id = r.case_id
            WHERE r.study_id = @StudyId ORDER BY c.position, r.model
            """, keys, transaction)).AsList();
        var casesWithNew = all.Where(a => added.Contains(a.Slug)).Select(a => a.CaseId).ToHashSet();
        var answers = all.Where(a => casesWithNew.Contains(a.CaseId)).ToList();
        var studySlug = await connection.ExecuteScalarAsync<string>("SELECT slug FROM studies WHERE id = @StudyId", keys, transaction);
        var formed = PairFormation.Form(studySlug!, [.. answers.Select(a => a.Case).Distinct()],
            [.. answers.Select(a => new ModelResponse(a.Slug, a.Case, a.Model, ContentMd: "", MetaJson: null))], perCase: null);
        var pairs = formed.Where(p => added.Contains(p.ResponseA) || added.Contains(p.ResponseB)).ToList();
        if (pairs.Count == 0) return 0;

        var bySlug = answers.ToDictionary(a => a.Slug, StringComparer.Ordinal);
        var start = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(position) + 1, 0) FROM pairs WHERE study_id = @StudyId", keys, transaction);
        var taken = (await connection.QueryAsync<string>("SELECT handle FROM pairs WHERE study_id = @StudyId", keys, transaction)).ToHashSet();
        var handles = ResponseHandles.Draw(pairs.Count, taken);
        await connection.ExecuteAsync("""
            INSERT INTO pairs (study_id, case_id, response_a_id, response_b_id, position, handle)
            VALUES (@StudyId, @CaseId, @A, @B, @Position, @Handle)
            """, pairs.Select((p, i) => new
            {
                StudyId = studyId, bySlug[p.ResponseA].CaseId, A = bySlug[p.ResponseA].Id, B = bySlug[p.ResponseB].Id, Position = start + i, Handle = handles[i],
            }), transaction);
        return pairs.Count;
    }
}
