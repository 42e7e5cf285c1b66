using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Calibration;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Calibration;

public sealed class CalibrationStoreTests
{
    /// <summary>The demo study made a draft again, with a coordinator, two raters and two responses to calibrate on.</summary>
    sealed record World(TestDatabase Db, CalibrationStore Store, CalibrationQuery Query, long StudyId, long Coordinator, long Rater1, long Rater2, long Response1, long Response2)
        : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Db.DisposeAsync();
    }

    static async Task<World> DraftStudyAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        var coordinator = (await users.CreateAsync("coord", "Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, coordinator, "coordinator");
        var rater1 = await db.AddRaterAsync(studyId, "dr-one");
        var rater2 = await db.AddRaterAsync(studyId, "dr-two");
        await using var connection = await db.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE studies SET state = 'draft' WHERE id = @StudyId", new { StudyId = studyId });
        var responses = (await connection.QueryAsync<long>("SELECT id FROM responses WHERE study_id = @StudyId ORDER BY id LIMIT 2", new { StudyId = studyId })).ToList();
        var studies = new StudyQuery(db.Database);
        var rubric = new RubricQuery(db.Database);
        var store = new CalibrationStore(db.Database, studies, rubric, db.Clock);
        return new World(db, store, new CalibrationQuery(db.Database, studies, rubric, db.Clock), studyId, coordinator, rater1, rater2, responses[0], responses[1]);
    }

    /// <summary>A complete rating of the demo rubric, with some values changed.</summary>
    static Dictionary<string, string?> Rating(params (string Criterion, string? Value)[] changes) => DemoRatings.Complete(changes);

    static async Task<long> ItemAsync(World w, long responseId) =>
        (await w.Query.ViewAsync(w.StudyId, w.Coordinator))!.Session!.Items.Single(i => i.ResponseId == responseId).Id;

    /// <summary>A session with both responses as items and a round open on the first, waiting for both raters.</summary>
    static async Task<long> OpenRoundAsync(World w, params long[] connected)
    {
        Assert.True((await w.Store.CreateSessionAsync(w.StudyId, w.Coordinator)).Succeeded);
        Assert.True((await w.Store.AddItemAsync(w.StudyId, w.Coordinator, w.Response1)).Succeeded);
        Assert.True((await w.Store.AddItemAsync(w.StudyId, w.Coordinator, w.Response2)).Succeeded);
        var item = await ItemAsync(w, w.Response1);
        Assert.True((await w.Store.StartRoundAsync(w.StudyId, w.Coordinator, item, connected.Length > 0 ? connected : [w.Rater1, w.Rater2])).Succeeded);
        return item;
    }

    [Fact]
    public async Task ARoundStopsWaitingForARaterRemovedFromTheStudyWhoCanNoLongerSubmit()
    {
        await using var w = await DraftStudyAsync();
        var item = await OpenRoundAsync(w);
        Assert.True((await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, Rating())).Succeeded);
        var setup = new StudySetupStore(w.Db.Database, new StudyQuery(w.Db.Database), new RubricQuery(w.Db.Database), w.Db.Clock);

        var removed = await setup.RemoveMemberAsync(w.StudyId, w.Coordinator, w.Rater2);
        var late = await w.Store.SubmitAsync(w.StudyId, w.Rater2, item, Rating());

        Assert.Equal((CalibrationPhase.Revealed, 1L, 1L), (removed.Calibration!.Phase, removed.Calibration.Submitted, removed.Calibration.Expected));
        Assert.Equal(CalibrationOutcome.NotRater, late.Outcome);
    }

    [Fact]
    public async Task ASessionMovesFromSetupThroughRoundsToItsEnd()
    {
        await using var w = await DraftStudyAsync();

        var created = await w.Store.CreateSessionAsync(w.StudyId, w.Coordinator);
        Assert.Equal(CalibrationPhase.Setup, created.Status!.Phase);
        Assert.Equal(CalibrationOutcome.WrongPhase, (await w.Store.CreateSessionAsync(w.StudyId, w.Coordinator)).Outcome);
        await w.Store.AddItemAsync(w.StudyId, w.Coordinator, w.Response1);
        await w.Store.AddItemAsync(w.StudyId, w.Coordinator, w.Response2);
        Assert.Equal(CalibrationOutcome.WrongPhase, (await w.Store.AddItemAsync(w.StudyId, w.Coordinator, w.Response1)).Outcome);

        var first = await w.Store.NextRoundAsync(w.StudyId, w.Coordinator, [w.Rater1, w.Rater2]);
        Assert.Equal((CalibrationPhase.Rating, await ItemAsync(w, w.Response1), 0L, 2L), (first.Status!.Phase, first.Status.ItemId, first.Status.Submitted, first.Status.Expected));
        Assert.Equal(CalibrationOutcome.WrongPhase, (await w.Store.NextRoundAsync(w.StudyId, w.Coordinator, [w.Rater1])).Outcome);
        Assert.Equal(CalibrationPhase.Revealed, (await w.Store.RevealAsync(w.StudyId, w.Coordinator)).Status!.Phase);
        Assert.Equal(CalibrationOutcome.WrongPhase, (await w.Store.RevealAsync(w.StudyId, w.Coordinator)).Outcome);
        var second = await w.Store.NextRoundAsync(w.StudyId, w.Coordinator, [w.Rater1]);
        Assert.Equal((CalibrationPhase.Rating, await ItemAsync(w, w.Response2), 1L), (second.Status!.Phase, second.Status.ItemId, second.Status.Expected));
        await w.Store.RevealAsync(w.StudyId, w.Coordinator);
        Assert.Equal(CalibrationOutcome.NotFound, (await w.Store.NextRoundAsync(w.StudyId, w.Coordinator, [w.Rater1])).Outcome);

        Assert.Equal(CalibrationPhase.Ended, (await w.Store.EndSessionAsync(w.StudyId, w.Coordinator)).Status!.Phase);
        var view = (await w.Query.ViewAsync(w.StudyId, w.Rater1))!;
        Assert.Equal(CalibrationPhase.Ended, view.Session!.Phase);
        Assert.Null(view.Round);
        Assert.True((await w.Store.CreateSessionAsync(w.StudyId, w.Coordinator)).Succeeded);
    }

    [Fact]
    public async Task ARoundNeedsAConnectedRaterOfTheStudy()
    {
        await using var w = await DraftStudyAsync();
        await w.Store.CreateSessionAsync(w.StudyId, w.Coordinator);
        await w.Store.AddItemAsync(w.StudyId, w.Coordinator, w.Response1);

        var refused = await w.Store.NextRoundAsync(w.StudyId, w.Coordinator, [w.Coordinator]);

        Assert.Equal(CalibrationOutcome.NoRaters, refused.Outcome);
        Assert.Equal(CalibrationPhase.Setup, (await w.Query.ViewAsync(w.StudyId, w.Coordinator))!.Session!.Phase);
    }

    [Fact]
    public async Task OnlyCoordinatorsRunTheSessionAndOnlyRatersSubmit()
    {
        await using var w = await DraftStudyAsync();
        var outsider = (await new UserStore(w.Db.Database, w.Db.Clock).CreateAsync("outsider", "Outsider", isAdmin: false))!.Id;

        Assert.Equal(CalibrationOutcome.NotCoordinator, (await w.Store.CreateSessionAsync(w.StudyId, w.Rater1)).Outcome);
        Assert.Equal(CalibrationOutcome.NotCoordinator, (await w.Store.CreateSessionAsync(w.StudyId, outsider)).Outcome);
        var item = await OpenRoundAsync(w);
        Assert.Equal(CalibrationOutcome.NotCoordinator, (await w.Store.RevealAsync(w.StudyId, w.Rater1)).Outcome);
        Assert.Equal(CalibrationOutcome.NotCoordinator, (await w.Store.SetGoldAsync(w.StudyId, w.Rater1, item, new Dictionary<string, string?> { ["consensus"] = "3" })).Outcome);
        Assert.Equal(CalibrationOutcome.NotCoordinator, (await w.Store.EndSessionAsync(w.StudyId, w.Rater2)).Outcome);
        Assert.Equal(CalibrationOutcome.NotRater, (await w.Store.SubmitAsync(w.StudyId, w.Coordinator, item, Rating())).Outcome);
        Assert.Equal(CalibrationOutcome.NotRater, (await w.Store.SubmitAsync(w.StudyId, outsider, item, Rating())).Outcome);
        Assert.Null(await w.Query.ViewAsync(w.StudyId, outsider));
        Assert.Null(await w.Query.ResultsAsync(w.StudyId, w.Rater1));
        Assert.Null(await w.Query.ResponsesAsync(w.StudyId, w.Rater1));
        Assert.Equal(CalibrationPhase.Rating, (await w.Query.ViewAsync(w.StudyId, w.Coordinator))!.Session!.Phase);
    }

    [Fact]
    public async Task NothingChangesOnceTheStudyHasOpened()
    {
        await using var w = await DraftStudyAsync();
        var item = await OpenRoundAsync(w);
        await using (var connection = await w.Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'open' WHERE id = @StudyId", new { w.StudyId });

        Assert.Equal(CalibrationOutcome.NotDraft, (await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, Rating())).Outcome);
        Assert.Equal(CalibrationOutcome.NotDraft, (await w.Store.RevealAsync(w.StudyId, w.Coordinator)).Outcome);
        Assert.Equal(CalibrationOutcome.NotDraft, (await w.Store.EndSessionAsync(w.StudyId, w.Coordinator)).Outcome);
        Assert.Equal(0L, (await w.Query.ViewAsync(w.StudyId, w.Coordinator))!.Round!.Submitted);
    }

    [Fact]
    public async Task BeforeTheRevealARaterSeesCountsAndOnlyTheirOwnValues()
    {
        await using var w = await DraftStudyAsync();
        var item = await OpenRoundAsync(w);
        await w.Store.SetGoldAsync(w.StudyId, w.Coordinator, item, new Dictionary<string, string?> { ["consensus"] = "5" });

        var submitted = await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, Rating(("consensus", "2")));

        Assert.Equal((CalibrationPhase.Rating, 1L, 2L), (submitted.Status!.Phase, submitted.Status.Submitted, submitted.Status.Expected));
        var mine = (await w.Query.ViewAsync(w.StudyId, w.Rater1))!.Round!;
        Assert.Equal((false, 1, 2, true), (mine.Revealed, mine.Submitted, mine.Expected, mine.SubmittedByMe));
        Assert.Equal("2", mine.MyValues["consensus"]);
        Assert.Empty(mine.Spread);
        Assert.Empty(mine.Gold);
        Assert.Empty(mine.Distances);
        Assert.Empty(mine.SubmittedBy);
        Assert.Null(mine.Model);
        var other = (await w.Query.ViewAsync(w.StudyId, w.Rater2))!.Round!;
        Assert.Equal((1, false), (other.Submitted, other.SubmittedByMe));
        Assert.Empty(other.MyValues);
        var coordinator = (await w.Query.ViewAsync(w.StudyId, w.Coordinator))!.Round!;
        Assert.Equal(["dr-one"], coordinator.SubmittedBy);
        Assert.Empty(coordinator.MyValues);
        Assert.Empty(coordinator.Spread);
        Assert.Empty(coordinator.Distances);
        Assert.Equal("5", coordinator.Gold["consensus"]);
    }

    [Fact]
    public async Task TheRoundRevealsItselfOnceEveryExpectedRaterHasSubmitted()
    {
        await using var w = await DraftStudyAsync();
        var item = await OpenRoundAsync(w);

        await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, Rating(("consensus", "2")));
        var last = await w.Store.SubmitAsync(w.StudyId, w.Rater2, item, Rating(("consensus", "5")));

        Assert.Equal((CalibrationPhase.Revealed, 2L, 2L), (last.Status!.Phase, last.Status.Submitted, last.Status.Expected));
        var round = (await w.Query.ViewAsync(w.StudyId, w.Rater1))!.Round!;
        Assert.True(round.Revealed);
        var consensus = round.Spread.Single(s => s.Criterion == "consensus");
        Assert.Equal(2, consensus.Raters);
        Assert.Equal([0, 1, 0, 0, 1], consensus.Counts.Select(c => c.Count));
        Assert.Equal(["none", "minor", "major"], round.Spread.Single(s => s.Criterion == "completeness").Counts.Select(c => c.Value));
        Assert.DoesNotContain(round.Spread, s => s.Criterion == "comment");
        Assert.Equal(CalibrationOutcome.WrongPhase, (await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, Rating())).Outcome);
    }

    [Fact]
    public async Task ARaterWhoJoinsLateIsWaitedForOnceTheySubmit()
    {
        await using var w = await DraftStudyAsync();
        var item = await OpenRoundAsync(w, w.Rater1);

        var late = await w.Store.SubmitAsync(w.StudyId, w.Rater2, item, Rating());
        Assert.Equal((CalibrationPhase.Rating, 1L, 2L), (late.Status!.Phase, late.Status.Submitted, late.Status.Expected));
        var last = await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, Rating());

        Assert.Equal(CalibrationPhase.Revealed, last.Status!.Phase);
    }

    [Fact]
    public async Task ARaterSubmitsACompleteValidRatingOfTheCurrentItemOnly()
    {
        await using var w = await DraftStudyAsync();
        var item = await OpenRoundAsync(w);
        var other = await ItemAsync(w, w.Response2);

        var missing = await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, new Dictionary<string, string?> { ["consensus"] = "3" });
        var offScale = await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, Rating(("consensus", "9"), ("harm_extent", "fatal")));

        Assert.Equal(CalibrationOutcome.Invalid, missing.Outcome);
        Assert.Equal("required", missing.Problems["overall"].ToString());
        Assert.False(missing.Problems.ContainsKey("comment"));
        Assert.Equal(["consensus", "harm_extent"], offScale.Problems.Keys.Order());
        Assert.Equal(CalibrationOutcome.WrongPhase, (await w.Store.SubmitAsync(w.StudyId, w.Rater1, other, Rating())).Outcome);
        Assert.True((await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, Rating(("consensus", "+3"), ("comment", "  ")))).Succeeded);
        var values = (await w.Query.ViewAsync(w.StudyId, w.Rater1))!.Round!.MyValues;
        Assert.Equal("3", values["consensus"]);
        Assert.False(values.ContainsKey("comment"));
    }

    [Fact]
    public async Task CalibrationNeverTouchesTheStudyRatings()
    {
        await using var w = await DraftStudyAsync();
        var before = await StudyDataAsync(w.Db);
        var assignedBefore = await AssignmentsAsync(w.Db);

        var item = await OpenRoundAsync(w);
        await w.Store.SetGoldAsync(w.StudyId, w.Coordinator, item, new Dictionary<string, string?> { ["consensus"] = "3" });
        await w.Store.SubmitAsync(w.StudyId, w.Rater1, item, Rating());
        await w.Store.SubmitAsync(w.StudyId, w.Rater2, item, Rating(("comment", "too long")));
        await w.Store.EndSessionAsync(w.StudyId, w.Coordinator);

        Assert.Equal(before, await StudyDataAsync(w.Db));
        await using var connection = await w.Db.Database.OpenAsync();
        Assert.Equal(17, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calibration_ratings"));
        // Unstarted assignments are planned again (the reveal's raters must not keep the calibrated response), so who has
        // which may change; every response keeps as many raters, and the round's raters lose the calibrated one.
        var calibrated = await connection.ExecuteScalarAsync<long>("SELECT response_id FROM calibration_items WHERE id = @Item", new { Item = item });
        var assignedAfter = await AssignmentsAsync(w.Db);
        Assert.Equal(Coverage(assignedBefore), Coverage(assignedAfter));
        Assert.DoesNotContain(assignedAfter, a => a.ResponseId == calibrated && (a.RaterId == w.Rater1 || a.RaterId == w.Rater2));
    }

    static Dictionary<long, int> Coverage(List<(long ResponseId, long RaterId)> assignments) =>
        assignments.GroupBy(a => a.ResponseId).ToDictionary(g => g.Key, g => g.Count());

    static async Task<string> StudyDataAsync(TestDatabase db)
    {
        var dump = await db.DumpContentAsync();
        return string.Join("\n## ", dump.Split("## ").Where(t => t.StartsWith("ratings") || t.StartsWith("rating_history")));
    }

    static async Task<List<(long ResponseId, long RaterId)>> AssignmentsAsync(TestDatabase db)
    {
        await using var connection = await db.Database.OpenAsync();
        return (await connection.QueryAsync<(long, long)>("SELECT response_id, rater_id FROM assignments ORDER BY response_id, rater_id")).AsList();
    }

    [Fact]
    public async Task GoldValuesAreCheckedAgainstTheScaleAndStoredCanonically()
    {
        await using var w = await DraftStudyAsync();
        var item = await OpenRoundAsync(w);

        var invalid = await w.Store.SetGoldAsync(w.StudyId, w.Coordinator, item,
            new Dictionary<string, string?> { ["consensus"] = "6", ["comment"] = "fine", ["nope"] = "1", ["harm_extent"] = "none" });
        var valid = await w.Store.SetGoldAsync(w.StudyId, w.Coordinator, item, new Dictionary<string, string?> { ["consensus"] = "+04", ["hallucination"] = "false" });
        var cleared = await w.Store.SetGoldAsync(w.StudyId, w.Coordinator, item, new Dictionary<string, string?> { ["hallucination"] = "" });

        Assert.Equal(["comment", "consensus", "nope"], invalid.Problems.Keys.Order());
        Assert.True(valid.Succeeded && cleared.Succeeded);
        var gold = (await w.Query.ViewAsync(w.StudyId, w.Coordinator))!.Session!.Items.Single(i => i.Id == item).Gold;
        Assert.Equal(new Dictionary<string, string> { ["consensus"] = "4" }, gold);
    }

    [Fact]
    public async Task GoldDistancesAndResultsFollowAHandWorkedExample()
    {
        await using var w = await DraftStudyAsync();
        // Item 1, reference consensus 4, harm_extent none, hallucination false.
        //   rater 1: consensus 2 (|2-4| = 2), harm none (match), hallucination true (no match)
        //   rater 2: consensus 4 (0), harm mild-moderate (no match), hallucination false (match)
        // Item 2, reference consensus 1: rater 1 gives 1 (0), rater 2 gives 4 (3).
        // Rater 1: 2 of 4 exact = 0.5, likert mean (2 + 0) / 2 = 1. Rater 2: 2 of 4 exact = 0.5, likert mean (0 + 3) / 2 = 1.5.
        var item1 = await OpenRoundAsync(w);
        var item2 = await ItemAsync(w, w.Response2);
        await w.Store.SetGoldAsync(w.StudyId, w.Coordinator, item1,
            new Dictionary<string, string?> { ["consensus"] = "4", ["harm_extent"] = "none", ["hallucination"] = "false" });
        await w.Store.SetGoldAsync(w.StudyId, w.Coordinator, item2, new Dictionary<string, string?> { ["consensus"] = "1" });
        await w.Store.SubmitAsync(w.StudyId, w.Rater1, item1, Rating(("consensus", "2"), ("hallucination", "true")));
        await w.Store.SubmitAsync(w.StudyId, w.Rater2, item1, Rating(("harm_extent", "mild-moderate")));

        var round = (await w.Query.ViewAsync(w.StudyId, w.Rater1))!.Round!;
        var mine = Assert.Single(round.Distances);
        Assert.Equal(w.Rater1, mine.RaterId);
        Assert.Equal([("consensus", false, (double?)2), ("harm_extent", true, null), ("hallucination", false, null)],
            mine.Distances.Select(d => (d.Criterion, d.Match, d.Distance)));
        Assert.Equal("4", round.Gold["consensus"]);
        var all = (await w.Query.ViewAsync(w.StudyId, w.Coordinator))!.Round!.Distances;
        Assert.Equal([w.Rater1, w.Rater2], all.Select(d => d.RaterId));
        Assert.Equal([("consensus", true, (double?)0), ("harm_extent", false, null), ("hallucination", true, null)],
            all[1].Distances.Select(d => (d.Criterion, d.Match, d.Distance)));

        await w.Store.NextRoundAsync(w.StudyId, w.Coordinator, [w.Rater1, w.Rater2]);
        Assert.Equal(1, (await w.Query.ResultsAsync(w.StudyId, w.Coordinator))!.Single(r => r.RaterId == w.Rater1).Items);
        await w.Store.SubmitAsync(w.StudyId, w.Rater1, item2, Rating(("consensus", "1")));
        await w.Store.SubmitAsync(w.StudyId, w.Rater2, item2, Rating());

        var results = (await w.Query.ResultsAsync(w.StudyId, w.Coordinator))!;
        Assert.Equal([(w.Rater1, 2, 4, 2, 0.5, 2, (double?)1.0), (w.Rater2, 2, 4, 2, 0.5, 2, 1.5)],
            results.Select(r => (r.RaterId, r.Items, r.Compared, r.Exact, r.ExactShare!.Value, r.LikertCompared, r.MeanLikertDistance)));
    }
}
