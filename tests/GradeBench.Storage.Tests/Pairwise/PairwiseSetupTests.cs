using System.Text;
using Dapper;
using GradeBench.Core.Grading;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Pairwise;

/// <summary>The set-up page's operations (<see cref="StudySetupStore"/>) on an imported side-by-side study
/// (<see cref="DemoPairwise"/>: 20 cases × 3 models, open, 3 raters per pair): the work that moves, is released or is
/// added is pairs, never responses.</summary>
public sealed class PairwiseSetupTests : IAsyncDisposable
{
    readonly TempFolder _temp = new();

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    sealed record World(TestDatabase Db, StudySetupStore Setup, PairwiseStore Pairs, long StudyId, long Coordinator, IReadOnlyList<long> Raters)
        : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Db.DisposeAsync();
    }

    /// <summary>The demo side by side (every pair, or <paramref name="pairsPerCase"/> per case), a coordinator and the
    /// raters named, who join one after the other.</summary>
    async Task<World> StudyAsync(int? pairsPerCase = null, params string[] raters)
    {
        var db = await TestDatabase.CreateAsync();
        var bundle = DemoPairwise.Write(Path.Combine(_temp.Path, "bundle"), pairsPerCase: pairsPerCase);
        var imported = await new StudyImporter(db.Database, db.Clock).ImportAsync(bundle);
        Assert.True(imported.Succeeded, string.Join('\n', imported.Errors));
        var studyId = imported.StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        var coordinator = (await users.CreateAsync("dr-coord", "Dr Coord", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, coordinator, "coordinator");
        var ids = new List<long>();
        foreach (var name in raters) ids.Add(await db.AddRaterAsync(studyId, name));
        var setup = new StudySetupStore(db.Database, new StudyQuery(db.Database), new RubricQuery(db.Database), db.Clock);
        return new World(db, setup, new PairwiseStore(db.Database, db.Clock), studyId, coordinator, ids);
    }

    sealed record Held(long Id, long PairId, long RaterId, long Left, long QueuePosition, string Handle, long A, long B, string? Comment);

    static async Task<List<Held>> HeldAsync(World world, long rater)
    {
        await using var connection = await world.Db.Database.OpenAsync();
        return (await connection.QueryAsync<Held>("""
            SELECT a.id, a.pair_id, a.rater_id, a.left_response_id AS "left", a.queue_position, p.handle, p.response_a_id AS a, p.response_b_id AS b, a.comment
            FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id WHERE a.study_id = @StudyId AND a.rater_id = @Rater ORDER BY a.pair_id
            """, new { world.StudyId, Rater = rater })).AsList();
    }

    static PairJudgement Both(PairwiseChoice choice) =>
        new() { Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = choice, ["harm"] = choice } };

    static async Task<List<long>> RatersPerPairAsync(World world, long? countOnlyCompletedOf = null)
    {
        await using var connection = await world.Db.Database.OpenAsync();
        return (await connection.QueryAsync<long>("""
            SELECT DISTINCT COUNT(*) FROM pair_assignments WHERE study_id = @StudyId AND (completed_at IS NOT NULL OR rater_id <> @Former) GROUP BY pair_id
            """, new { world.StudyId, Former = countOnlyCompletedOf ?? 0 })).AsList();
    }

    static byte[] Jsonl(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    static string Answer(string id, string caseId, string model) =>
        $$"""{"id": "{{id}}", "case_id": "{{caseId}}", "model": "{{model}}", "content_md": "Another answer."}""";

    // ------------------------------------------------------------------ reassignment

    [Fact]
    public async Task ReassignMovesOnlyUnstartedPairsAndGivesTheTargetItsOwnSidesAndQueuePlaces()
    {
        // Four raters, three per pair: each pair leaves out one of them, so dr-a holds 15 pairs dr-d does not.
        await using var world = await StudyAsync(null, "dr-a", "dr-b", "dr-c", "dr-d");
        var (from, target) = (world.Raters[0], world.Raters[3]);
        var before = await HeldAsync(world, from);
        var targetHas = (await HeldAsync(world, target)).Select(h => h.PairId).ToHashSet();
        var onlyFrom = before.Where(h => !targetHas.Contains(h.PairId)).ToList();
        // dr-a begins two of those: one submitted, one with a draft vote on one axis.
        Assert.Equal(PairWriteOutcome.Saved, (await world.Pairs.SaveAsync(world.StudyId, from, onlyFrom[0].PairId, Both(PairwiseChoice.Left), submit: true)).Outcome);
        Assert.Equal(PairWriteOutcome.Saved, (await world.Pairs.SaveAsync(world.StudyId, from, onlyFrom[1].PairId,
            new PairJudgement { Choices = new Dictionary<string, PairwiseChoice?> { ["harm"] = PairwiseChoice.Tie } }, submit: false)).Outcome);
        var begun = new[] { onlyFrom[0].PairId, onlyFrom[1].PairId };
        var coverageBefore = await RatersPerPairAsync(world);

        var result = await world.Setup.ReassignAsync(world.StudyId, world.Coordinator, from, target);

        Assert.Null(result.Refusal);
        Assert.Equal((onlyFrom.Count - 2, before.Count - onlyFrom.Count), (result.Moved, result.NotMoved));
        Assert.Equal(before.Where(h => begun.Contains(h.PairId) || targetHas.Contains(h.PairId)).Select(h => h.PairId),
            (await HeldAsync(world, from)).Select(h => h.PairId));
        var moved = (await HeldAsync(world, target)).Where(h => !targetHas.Contains(h.PairId)).ToList();
        Assert.Equal(onlyFrom.Skip(2).Select(h => h.PairId), moved.Select(h => h.PairId));
        Assert.All(moved, h => Assert.Equal(PairSideDraw.AOnLeft(world.StudyId, target, h.Handle) ? h.A : h.B, h.Left));
        Assert.All(moved, h => Assert.Equal(QueueOrder.Position(world.StudyId, target, h.Handle), h.QueuePosition));
        // The target's side is its own draw, not the side dr-a had.
        var sidesBefore = before.ToDictionary(h => h.PairId, h => h.Left);
        Assert.Contains(moved, h => h.Left != sidesBefore[h.PairId]);
        Assert.Equal(coverageBefore, await RatersPerPairAsync(world));
        await using var connection = await world.Db.Database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments"));
    }

    [Fact]
    public async Task APairBegunWithOnlyACommentDoesNotMove()
    {
        await using var world = await StudyAsync(null, "dr-a", "dr-b", "dr-c", "dr-d");
        var (from, target) = (world.Raters[0], world.Raters[3]);
        var targetHas = (await HeldAsync(world, target)).Select(h => h.PairId).ToHashSet();
        var commented = (await HeldAsync(world, from)).First(h => !targetHas.Contains(h.PairId)).PairId;
        Assert.Equal(PairWriteOutcome.Saved, (await world.Pairs.SaveAsync(world.StudyId, from, commented,
            new PairJudgement { Comment = "Both miss the time window; still reading" }, submit: false)).Outcome);

        var result = await world.Setup.ReassignAsync(world.StudyId, world.Coordinator, from, target);

        Assert.Null(result.Refusal);
        Assert.Equal("Both miss the time window; still reading", (await HeldAsync(world, from)).Single(h => h.PairId == commented).Comment);
        Assert.DoesNotContain(commented, (await HeldAsync(world, target)).Select(h => h.PairId));
    }

    [Fact]
    public async Task TheSetUpPageCountsARatersPairs()
    {
        await using var world = await StudyAsync(null, "dr-a", "dr-b", "dr-c", "dr-d");
        var rater = world.Raters[0];
        var held = await HeldAsync(world, rater);
        Assert.Equal(PairWriteOutcome.Saved, (await world.Pairs.SaveAsync(world.StudyId, rater, held[0].PairId, Both(PairwiseChoice.Right), submit: true)).Outcome);
        Assert.Equal(PairWriteOutcome.Saved, (await world.Pairs.SaveAsync(world.StudyId, rater, held[1].PairId, new PairJudgement { Reasons = ["safety"] }, submit: false)).Outcome);

        var setup = (await world.Setup.LoadAsync(world.StudyId, world.Coordinator))!;

        Assert.True(setup.Pairwise);
        var row = setup.Raters.Single(r => r.Id == rater);
        // 60 pairs × 3 raters over 4: 45 each; one submitted, one begun with a reason ticked.
        Assert.Equal((45L - 1, 45L - 2), (row.Open, row.Unstarted));
    }

    // ------------------------------------------------------------------ removal

    [Fact]
    public async Task RemovingARaterReleasesTheirUnstartedPairsAndPlansThemOverTheOthers()
    {
        await using var world = await StudyAsync(null, "dr-a", "dr-b", "dr-c", "dr-d", "dr-e");
        var leaving = world.Raters[0];
        var held = await HeldAsync(world, leaving);
        // 60 pairs × 3 raters over 5: 36 each.
        Assert.Equal(36, held.Count);
        Assert.Equal(PairWriteOutcome.Saved, (await world.Pairs.SaveAsync(world.StudyId, leaving, held[0].PairId, Both(PairwiseChoice.Tie), submit: true)).Outcome);
        Assert.Equal(PairWriteOutcome.Saved, (await world.Pairs.SaveAsync(world.StudyId, leaving, held[1].PairId, new PairJudgement { Comment = "Half a thought" }, submit: false)).Outcome);

        var removed = await world.Setup.RemoveMemberAsync(world.StudyId, world.Coordinator, leaving);

        Assert.Null(removed.Refusal);
        Assert.Equal((36 - 2, 1L, 1L), (removed.Released, removed.Begun, removed.Submitted));
        Assert.Equal([held[0].PairId, held[1].PairId], (await HeldAsync(world, leaving)).Select(h => h.PairId));
        // Every pair has its three raters again, counting the one who left only where they submitted.
        Assert.Equal([3L], await RatersPerPairAsync(world, countOnlyCompletedOf: leaving));
        await using var connection = await world.Db.Database.OpenAsync();
        Assert.Equal(34L, await connection.ExecuteScalarAsync<long>(
            "SELECT released_assignments FROM study_member_removals WHERE study_id = @StudyId AND user_id = @Leaving", new { world.StudyId, Leaving = leaving }));
        // 179 slots (the submitted pair needs two more raters) over the four others, evenly.
        var loads = (await connection.QueryAsync<long>(
            "SELECT COUNT(*) FROM pair_assignments WHERE rater_id <> @Leaving GROUP BY rater_id", new { Leaving = leaving })).AsList();
        Assert.Equal((4, 179L), (loads.Count, loads.Sum()));
        Assert.InRange(loads.Max() - loads.Min(), 0, 1);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments"));
    }

    // ------------------------------------------------------------------ more answers

    [Fact]
    public async Task AnswersAddedToAStudyOfEveryPairFormTheirPairsWhichGetTheirRaters()
    {
        await using var world = await StudyAsync(null, "dr-a", "dr-b", "dr-c", "dr-d");
        var begun = (await HeldAsync(world, world.Raters[0]))[0].PairId;
        Assert.Equal(PairWriteOutcome.Saved, (await world.Pairs.SaveAsync(world.StudyId, world.Raters[0], begun, new PairJudgement { Comment = "Keep" }, submit: false)).Outcome);

        var result = await world.Setup.AddResponsesAsync(world.StudyId, world.Coordinator, Jsonl(
            Answer("case-002.model-d", "case-002", "model-d"), Answer("case-001.model-d", "case-001", "model-d")));

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal((2, 6), (result.Added, result.PairsAdded));
        await using var connection = await world.Db.Database.OpenAsync();
        // Each new answer is compared with the case's three others, A being the answer of the model first by name.
        var added = (await connection.QueryAsync<(long Position, string A, string B)>("""
            SELECT p.position, a.slug, b.slug FROM pairs p JOIN responses a ON a.id = p.response_a_id JOIN responses b ON b.id = p.response_b_id
            WHERE p.study_id = @StudyId AND p.position >= @Pairs ORDER BY p.position
            """, new { world.StudyId, DemoPairwise.Pairs })).AsList();
        Assert.Equal([
            (60L, "case-001.model-a", "case-001.model-d"), (61L, "case-001.model-b", "case-001.model-d"), (62L, "case-001.model-c", "case-001.model-d"),
            (63L, "case-002.model-a", "case-002.model-d"), (64L, "case-002.model-b", "case-002.model-d"), (65L, "case-002.model-c", "case-002.model-d"),
        ], added);
        Assert.Equal(66L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT handle) FROM pairs WHERE study_id = @StudyId", new { world.StudyId }));
        Assert.Equal([3L], await RatersPerPairAsync(world));
        var planned = (await connection.QueryAsync<Held>("""
            SELECT a.id, a.pair_id, a.rater_id, a.left_response_id AS "left", a.queue_position, p.handle, p.response_a_id AS a, p.response_b_id AS b, a.comment
            FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id WHERE p.study_id = @StudyId AND p.position >= @Pairs
            """, new { world.StudyId, DemoPairwise.Pairs })).AsList();
        Assert.Equal(18, planned.Count);
        Assert.All(planned, h => Assert.Equal(PairSideDraw.AOnLeft(world.StudyId, h.RaterId, h.Handle) ? h.A : h.B, h.Left));
        Assert.All(planned, h => Assert.Equal(QueueOrder.Position(world.StudyId, h.RaterId, h.Handle), h.QueuePosition));
        Assert.Equal("Keep", (await HeldAsync(world, world.Raters[0])).Single(h => h.PairId == begun).Comment);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments"));
    }

    [Fact]
    public async Task ASecondAnswerOfAModelInACaseIsRefusedAtItsLineAndNothingIsAdded()
    {
        await using var world = await StudyAsync(null, "dr-a", "dr-b", "dr-c", "dr-d");
        var before = await world.Db.DumpContentAsync();

        var result = await world.Setup.AddResponsesAsync(world.StudyId, world.Coordinator, Jsonl(
            Answer("case-001.model-d", "case-001", "model-d"),
            Answer("case-001.model-a-again", "case-001", "model-a"),
            Answer("case-002.model-d", "case-002", "model-d"),
            Answer("case-002.model-d-again", "case-002", "model-d")));

        Assert.False(result.Succeeded);
        Assert.Equal(
        [
            "responses.jsonl:2: model: case case-001 has an answer by model-a already (response case-001.model-a); a pairwise study compares one answer per model and case",
            "responses.jsonl:4: model: case case-002 has an answer by model-d already (line 3); a pairwise study compares one answer per model and case",
        ], result.Errors.Select(e => e.ToString()));
        Assert.Equal(before, await world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task AnswersAreRefusedByAStudyWhosePairsWereChosenPerCase()
    {
        await using var world = await StudyAsync(1, "dr-a", "dr-b", "dr-c", "dr-d");
        var before = await world.Db.DumpContentAsync();

        var result = await world.Setup.AddResponsesAsync(world.StudyId, world.Coordinator, Jsonl(Answer("case-001.model-d", "case-001", "model-d")));

        Assert.Equal("Setup_PairsFixedAtImport", result.Refusal?.Key);
        Assert.Contains("its pairs are fixed", result.Refusal?.ToString());
        Assert.Equal((0, 0), (result.Added, result.PairsAdded));
        Assert.Equal(before, await world.Db.DumpContentAsync());
    }
}
