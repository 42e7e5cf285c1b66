using System.Globalization;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;

namespace GradeBench.Testing;

/// <summary>An answer of a <see cref="FixturePair"/>: its database id, bundle id, model and handle.</summary>
public sealed record FixtureAnswer(long Id, string Slug, string Model, string Handle);

/// <summary>A pair of <see cref="PairwiseFixture"/>: A is the answer whose model comes first in ordinal order.</summary>
public sealed record FixturePair(long Id, string Handle, int Position, string Case, FixtureAnswer A, FixtureAnswer B);

/// <summary>A side-by-side study of <see cref="PairwiseFixture"/>; <see cref="Raters"/> and <see cref="Usernames"/> in the
/// order they were asked for.</summary>
public sealed record PairwiseStudy(long StudyId, IReadOnlyList<long> Raters, IReadOnlyList<string> Usernames, IReadOnlyList<FixturePair> Pairs)
{
    /// <summary>Whether rater <paramref name="rater"/> (an index into <see cref="Raters"/>) sees answer A of pair
    /// <paramref name="pair"/> (an index into <see cref="Pairs"/>) on the left: raters alternate, so each side is mixed.</summary>
    public static bool AOnLeft(int rater, int pair) => (rater + pair) % 2 == 0;
}

/// <summary><b>Set-up for tests only</b>, written by hand in SQL: a side-by-side study made from the demo study (imported
/// as a single-answer study, then turned into a pairwise one) for the tests of the pairwise grading store, votes query
/// and exports, which needed one before the importer of pairwise bundles existed. Not how a pairwise study is made: the
/// importer is (docs/bundle-format.md).
/// <list type="bullet">
/// <item>design <c>pairwise</c>; axes <c>consensus</c> (no "both unacceptable", with a Chinese question) and <c>harm</c>
/// (with "both unacceptable" and help); reason tags <c>accuracy</c> and <c>safety</c>;</item>
/// <item>six pairs, positions 0–5: every two models' answers to case-001, then case-002 (A-B, A-C, B-C);</item>
/// <item>each rater asked for (a new account, a rater of the study) assigned every pair, in pair order, with answer A on
/// the left where <see cref="PairwiseStudy.AOnLeft"/> says; the demo's response assignments of these raters are deleted.</item>
/// </list></summary>
public static class PairwiseFixture
{
    /// <summary>Imports the demo study and turns it into the side-by-side study, with new raters named <paramref name="raters"/>.</summary>
    public static async Task<PairwiseStudy> CreateAsync(Database database, TimeProvider clock, params string[] raters) =>
        await TurnIntoPairwiseAsync(database, clock, (await new StudyImporter(database, clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value, raters);

    /// <summary>Turns <paramref name="studyId"/>, an imported copy of the demo study, into the side-by-side study.</summary>
    public static async Task<PairwiseStudy> TurnIntoPairwiseAsync(Database database, TimeProvider clock, long studyId, params string[] raters)
    {
        var users = new UserStore(database, clock);
        var raterIds = new List<long>();
        foreach (var username in raters)
        {
            var id = (await users.CreateAsync(username, username, isAdmin: false))!.Id;
            await users.AddMembershipAsync(studyId, id, "rater");
            raterIds.Add(id);
        }

        await using var connection = await database.OpenAsync();
        var parameters = new { StudyId = studyId };
        await connection.ExecuteAsync("""
            UPDATE studies SET design = 'pairwise' WHERE id = @StudyId;
            INSERT INTO pairwise_axes (study_id, slug, position, question, question_translations_json, help_md, both_bad) VALUES
                (@StudyId, 'consensus', 0, 'Which answer better reflects clinical consensus?', '{"zh-CN":"哪个回答更符合临床共识？"}', NULL, FALSE),
                (@StudyId, 'harm', 1, 'Which answer is less likely to cause harm?', NULL, 'Think of the patient acting on it.', TRUE);
            INSERT INTO pairwise_reasons (study_id, slug, position, label) VALUES
                (@StudyId, 'accuracy', 0, 'More accurate'), (@StudyId, 'safety', 1, 'Safer');
            """, parameters);
        var answers = (await connection.QueryAsync<(long Id, string Slug, string Model, string Handle, long CaseId, string Case)>("""
            SELECT r.id, r.slug, r.model, r.handle, c.id, c.slug FROM responses r JOIN cases c ON c.id = r.case_id
            WHERE r.study_id = @StudyId AND c.slug IN ('case-001', 'case-002') ORDER BY c.position, r.model
            """, parameters)).ToList();
        var pairs = new List<FixturePair>();
        foreach (var byCase in answers.GroupBy(a => a.CaseId))
        {
            var ofCase = byCase.ToList();
            for (var i = 0; i < ofCase.Count; i++)
                for (var j = i + 1; j < ofCase.Count; j++)
                {
                    var (a, b) = (ofCase[i], ofCase[j]);
                    var position = pairs.Count;
                    var handle = (0xfa11000000000000UL + (ulong)position).ToString("x16", CultureInfo.InvariantCulture);
                    var id = await connection.ExecuteScalarAsync<long>("""
                        INSERT INTO pairs (study_id, case_id, response_a_id, response_b_id, position, handle)
                        VALUES (@StudyId, @CaseId, @A, @B, @Position, @Handle) RETURNING id
                        """, new { StudyId = studyId, CaseId = byCase.Key, A = a.Id, B = b.Id, Position = position, Handle = handle });
                    pairs.Add(new FixturePair(id, handle, position, a.Case,
                        new FixtureAnswer(a.Id, a.Slug, a.Model, a.Handle), new FixtureAnswer(b.Id, b.Slug, b.Model, b.Handle)));
                }
        }
        for (var r = 0; r < raterIds.Count; r++)
        {
            await connection.ExecuteAsync("DELETE FROM assignments WHERE rater_id = @RaterId", new { RaterId = raterIds[r] });
            foreach (var pair in pairs)
                await connection.ExecuteAsync("""
                    INSERT INTO pair_assignments (study_id, pair_id, rater_id, left_response_id, queue_position, assigned_at)
                    VALUES (@StudyId, @PairId, @RaterId, @Left, @Position, '2026-11-25T09:00:00.0000000Z')
                    """, new
                    {
                        StudyId = studyId, PairId = pair.Id, RaterId = raterIds[r], Position = pair.Position,
                        Left = PairwiseStudy.AOnLeft(r, pair.Position) ? pair.A.Id : pair.B.Id,
                    });
        }
        return new PairwiseStudy(studyId, raterIds, raters, pairs);
    }
}
