using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Pairwise;

/// <summary>Importing a side-by-side study (<see cref="DemoPairwise"/>): its design and pairs, pilot votes stored by model
/// on completed pair assignments with the sides the file gives, and raters planned on pairs, never on responses.</summary>
public sealed class PairwiseImportTests : IAsyncDisposable
{
    readonly TempFolder _temp = new();

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    string Bundle(bool votes = false, string name = "bundle") => DemoPairwise.Write(Path.Combine(_temp.Path, name), votes);

    static async Task<long> ImportAsync(TestDatabase db, string bundle)
    {
        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(bundle);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.StudyId!.Value;
    }

    sealed record PairRow(long Id, string CaseSlug, string A, string ModelA, string B, string ModelB, long AId, long BId, long Position, string Handle);

    static async Task<List<PairRow>> PairsAsync(Database database, long studyId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<PairRow>("""
            SELECT p.id, c.slug AS CaseSlug, a.slug AS A, a.model AS ModelA, b.slug AS B, b.model AS ModelB, a.id AS AId, b.id AS BId, p.position, p.handle
            FROM pairs p JOIN cases c ON c.id = p.case_id JOIN responses a ON a.id = p.response_a_id JOIN responses b ON b.id = p.response_b_id
            WHERE p.study_id = @StudyId ORDER BY p.position
            """, new { StudyId = studyId })).AsList();
    }

    [Fact]
    public async Task APairwiseStudyKeepsItsDesignAndEveryPairWithAFirstAndARandomHandle()
    {
        await using var db = await TestDatabase.CreateAsync();

        var studyId = await ImportAsync(db, Bundle());

        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(("pairwise", "any", 3L), await connection.QuerySingleAsync<(string, string, long)>(
            "SELECT design, pairwise_adjudication, raters_per_response FROM studies WHERE id = @StudyId", new { StudyId = studyId }));
        Assert.Equal([
            ("consensus", 0L, "Which answer better reflects clinical consensus?", """{"zh-CN":"哪个回答更符合临床共识？"}""", "Judge against current **AHA/ASA** guidance.", false),
            ("harm", 1L, "Which answer is less likely to cause harm?", """{"zh-CN":"哪个回答造成伤害的可能性更小？"}""", null, true),
        ], await connection.QueryAsync<(string, long, string, string, string?, bool)>(
            "SELECT slug, position, question, question_translations_json, help_md, both_bad FROM pairwise_axes WHERE study_id = @StudyId ORDER BY position",
            new { StudyId = studyId }));
        Assert.Equal(["accuracy", "safety", "completeness"], await connection.QueryAsync<string>(
            "SELECT slug FROM pairwise_reasons WHERE study_id = @StudyId ORDER BY position", new { StudyId = studyId }));
        Assert.Empty(await connection.QueryAsync<long>("SELECT id FROM criteria WHERE study_id = @StudyId", new { StudyId = studyId }));
        var pairs = await PairsAsync(db.Database, studyId);
        Assert.Equal(DemoPairwise.Pairs, pairs.Count);
        Assert.Equal(Enumerable.Range(0, DemoPairwise.Pairs).Select(i => (long)i), pairs.Select(p => p.Position));
        Assert.All(pairs, p => Assert.True(string.CompareOrdinal(p.ModelA, p.ModelB) < 0 && p.A.StartsWith(p.CaseSlug + ".", StringComparison.Ordinal)
            && p.B.StartsWith(p.CaseSlug + ".", StringComparison.Ordinal)));
        Assert.All(pairs, p => Assert.True(ResponseHandle.TryParse(p.Handle, out _)));
        Assert.Equal(pairs.Count, pairs.Select(p => p.Handle).Distinct().Count());
        // Nobody is a rater yet: nothing planned, and never a response.
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pair_assignments") + await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments"));
    }

    [Fact]
    public async Task RatersWhoJoinArePlannedOnPairsWithTheirOwnSidesAndQueueOrder()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = await ImportAsync(db, Bundle());

        var raters = new List<long>();
        foreach (var name in new[] { "dr-a", "dr-b", "dr-c", "dr-d" }) raters.Add(await db.AddRaterAsync(studyId, name));

        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments"));
        Assert.Equal([3L], await connection.QueryAsync<long>("SELECT DISTINCT COUNT(*) FROM pair_assignments GROUP BY pair_id"));
        // 60 pairs × 3 raters over 4 raters: 45 each.
        Assert.Equal([45L, 45L, 45L, 45L], await connection.QueryAsync<long>("SELECT COUNT(*) FROM pair_assignments GROUP BY rater_id ORDER BY rater_id"));
        var pairs = (await PairsAsync(db.Database, studyId)).ToDictionary(p => p.Id);
        var planned = (await connection.QueryAsync<(long PairId, long RaterId, long Left, long Position)>(
            "SELECT pair_id, rater_id, left_response_id, queue_position FROM pair_assignments")).AsList();
        Assert.All(planned, a => Assert.Equal(PairSideDraw.AOnLeft(studyId, a.RaterId, pairs[a.PairId].Handle) ? pairs[a.PairId].AId : pairs[a.PairId].BId, a.Left));
        Assert.All(planned, a => Assert.Equal(QueueOrder.Position(studyId, a.RaterId, pairs[a.PairId].Handle), a.Position));
        Assert.InRange(planned.Count(a => a.Left == pairs[a.PairId].AId), 60, 120);
    }

    [Fact]
    public async Task PilotVotesAreStoredByModelOnCompletedAssignmentsWithTheSidesOfTheFile()
    {
        await using var db = await TestDatabase.CreateAsync();
        var bundle = Bundle(votes: true);
        var read = BundleReader.Read(bundle).Bundle!;

        var studyId = await ImportAsync(db, bundle);

        await using var connection = await db.Database.OpenAsync();
        Assert.Equal([($"{DemoPairwise.StudyId}/rater-1", "rater-1", "rater"), ($"{DemoPairwise.StudyId}/rater-2", "rater-2", "rater")],
            await connection.QueryAsync<(string, string, string)>("""
                SELECT u.username, u.display_name, m.role FROM study_members m JOIN users u ON u.id = m.user_id WHERE m.study_id = @StudyId ORDER BY u.username
                """, new { StudyId = studyId }));
        var stored = (await connection.QueryAsync<(string Rater, string Axis, string Left, string Right, string Choice, string? Reasons, string? Comment)>("""
            SELECT u.display_name, x.slug, l.slug, r.slug, v.choice, a.reasons_json, a.comment
            FROM pair_votes v JOIN pairs p ON p.id = v.pair_id JOIN pairwise_axes x ON x.id = v.axis_id JOIN users u ON u.id = v.rater_id
            JOIN pair_assignments a ON a.pair_id = v.pair_id AND a.rater_id = v.rater_id
            JOIN responses l ON l.id = a.left_response_id
            JOIN responses r ON r.id = CASE WHEN a.left_response_id = p.response_a_id THEN p.response_b_id ELSE p.response_a_id END
            WHERE v.status = 'submitted' AND a.completed_at IS NOT NULL
            ORDER BY u.display_name, p.position, x.position
            """)).AsList();
        var models = read.Responses.ToDictionary(r => r.Id, r => r.Model);
        Assert.Equal(read.Votes.Select(v => (v.Rater, v.AxisId, v.Left, v.Right,
                PairSides.Text(PairSides.Stored(v.Choice, aOnLeft: string.CompareOrdinal(models[v.Left], models[v.Right]) < 0)),
                v.Reasons.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(v.Reasons), v.Comment)),
            stored);
        Assert.Contains(stored, v => v.Choice == "both_bad");
        Assert.Contains(stored, v => v.Comment is not null && v.Reasons is not null);
        // As for ratings, an imported vote's import line is written by its first change.
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pair_vote_history"));
        // The two pilot raters are the study's raters, so each pair gets both (fewer than the 3 asked for).
        Assert.Equal([(DemoPairwise.VotedPairsOfRater1, (long)DemoPairwise.Pairs), (DemoPairwise.VotedPairsOfRater2, DemoPairwise.Pairs)],
            await connection.QueryAsync<(long, long)>("""
                SELECT COUNT(completed_at), COUNT(*) FROM pair_assignments WHERE study_id = @StudyId GROUP BY rater_id ORDER BY rater_id
                """, new { StudyId = studyId }));
    }

    [Fact]
    public async Task ARaterJoiningReleasesOnlyUnstartedPairsAndWorkBegunStays()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = await ImportAsync(db, Bundle(votes: true));
        var first = await db.AddRaterAsync(studyId, "dr-a");
        await using var connection = await db.Database.OpenAsync();
        // dr-a begins two pairs: a draft vote on one, a comment typed on the other.
        var begun = (await connection.QueryAsync<long>(
            "SELECT pair_id FROM pair_assignments WHERE rater_id = @First ORDER BY queue_position LIMIT 2", new { First = first })).AsList();
        await connection.ExecuteAsync("""
            INSERT INTO pair_votes (pair_id, rater_id, axis_id, choice, status, updated_at)
            SELECT @Pair, @First, MIN(id), 'a', 'draft', 'now' FROM pairwise_axes WHERE study_id = @StudyId;
            UPDATE pair_assignments SET comment = 'half typed' WHERE pair_id = @Other AND rater_id = @First;
            """, new { Pair = begun[0], Other = begun[1], First = first, StudyId = studyId });
        var completedBefore = await connection.QueryAsync<(long, long)>("SELECT pair_id, rater_id FROM pair_assignments WHERE completed_at IS NOT NULL ORDER BY 1, 2");
        var begunRows = $"SELECT id, comment FROM pair_assignments WHERE rater_id = @First AND {ListParameter.In(connection, "pair_id", "@Begun")} ORDER BY id";
        var begunBefore = (await connection.QueryAsync<(long, string?)>(begunRows, new { First = first, Begun = begun })).AsList();

        var second = await db.AddRaterAsync(studyId, "dr-b");

        Assert.Equal([3L], await connection.QueryAsync<long>("SELECT DISTINCT COUNT(*) FROM pair_assignments GROUP BY pair_id"));
        var loads = (await connection.QueryAsync<(long Rater, long Load)>("SELECT rater_id, COUNT(*) FROM pair_assignments GROUP BY rater_id")).ToDictionary(l => l.Rater, l => l.Load);
        Assert.True(loads[second] >= 40, $"the newcomer has {loads[second]} pairs");
        Assert.Equal(begunBefore, await connection.QueryAsync<(long, string?)>(begunRows, new { First = first, Begun = begun }));
        Assert.Equal(2, begunBefore.Count);
        Assert.Contains("half typed", begunBefore.Select(b => b.Item2));
        Assert.Equal(completedBefore, await connection.QueryAsync<(long, long)>("SELECT pair_id, rater_id FROM pair_assignments WHERE completed_at IS NOT NULL ORDER BY 1, 2"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments"));
    }

    [Fact]
    public async Task ANewDatabaseFileAndAnExistingDatabaseGetTheSameStudy()
    {
        var bundle = Bundle(votes: true);
        await using var existing = await TestDatabase.CreateAsync();
        var inExisting = await ImportAsync(existing, bundle);
        using var file = NewDatabaseFile.Begin(Path.Combine(_temp.Path, "new.db"));
        await new Migrator(file.Building, existing.Clock).MigrateAsync();

        var staged = await new StudyImporter(file.Building, existing.Clock).ImportAsync(BundleReader.ReadStaged(bundle));

        Assert.True(staged.Succeeded, string.Join('\n', staged.Errors));
        Assert.Equal(await ContentAsync(existing.Database, inExisting), await ContentAsync(file.Building, staged.StudyId!.Value));
    }

    /// <summary>A study's side-by-side content by bundle ids and names, without database ids or random handles.</summary>
    static async Task<string> ContentAsync(Database database, long studyId)
    {
        await using var connection = await database.OpenAsync();
        var rows = new List<string>();
        foreach (var sql in new[]
        {
            "SELECT design || pairwise_adjudication || raters_per_response FROM studies WHERE id = @StudyId",
            "SELECT slug || question || COALESCE(question_translations_json, '') || COALESCE(help_md, '') || CASE WHEN both_bad THEN 1 ELSE 0 END FROM pairwise_axes WHERE study_id = @StudyId ORDER BY position",
            "SELECT slug || label || COALESCE(label_translations_json, '') FROM pairwise_reasons WHERE study_id = @StudyId ORDER BY position",
            "SELECT a.slug || ' ' || b.slug FROM pairs p JOIN responses a ON a.id = p.response_a_id JOIN responses b ON b.id = p.response_b_id WHERE p.study_id = @StudyId ORDER BY p.position",
            "SELECT COUNT(*) || ' ' || COUNT(completed_at) FROM pair_assignments WHERE study_id = @StudyId",
        })
            rows.AddRange(await connection.QueryAsync<string>(sql, new { StudyId = studyId }));
        // Times as instants: the two databases may be of different kinds.
        rows.AddRange((await connection.QueryAsync<(string Vote, DateTimeOffset SubmittedAt)>("""
            SELECT u.username || ' ' || x.slug || ' ' || l.slug || ' ' || v.choice || ' ' || COALESCE(a.reasons_json, '') || COALESCE(a.comment, ''), v.submitted_at
            FROM pair_votes v JOIN pairs p ON p.id = v.pair_id JOIN pairwise_axes x ON x.id = v.axis_id JOIN users u ON u.id = v.rater_id
            JOIN pair_assignments a ON a.pair_id = v.pair_id AND a.rater_id = v.rater_id JOIN responses l ON l.id = a.left_response_id
            WHERE p.study_id = @StudyId ORDER BY p.position, u.username, x.position
            """, new { StudyId = studyId })).Select(v => v.Vote + Database.FormatTimestamp(v.SubmittedAt)));
        return string.Join('\n', rows);
    }

    [Fact]
    public async Task VotesGivenToAnAdministratorsAccountAreRefusedAndNothingIsImported()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new UserStore(db.Database, db.Clock).CreateAsync("rater-2", "Boss", isAdmin: true);
        var before = await db.DumpContentAsync();

        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(Bundle(votes: true), pilotRaters: PilotRaterAccounts.ExistingByName);

        Assert.Equal("votes.csv:0: rater: \"rater-2\" is an administrator's account: pilot ratings cannot be theirs", Assert.Single(result.Errors).ToString());
        Assert.Equal(before, await db.DumpContentAsync());
    }

    [Fact]
    public async Task AJudgeCannotJoinAPairwiseStudy()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = await ImportAsync(db, Bundle());
        var before = await db.DumpContentAsync();

        var added = await new JudgeStore(db.Database, new RubricQuery(db.Database), db.Clock).AddAsync(studyId, new NewJudge("harsh", "gpt-4o"));

        Assert.Equal(JudgeAddOutcome.PairwiseStudy, added.Outcome);
        Assert.Equal(before, await db.DumpContentAsync());
    }
}
