using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Calibration;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Storage.Tests.Adjudication;

namespace GradeBench.Storage.Tests.Grading;

/// <summary>Independence after reveal (issue 16): a rater who has been shown other raters' values for a response can
/// no longer change their independent rating of it; everyone else still can.</summary>
public sealed class RatingRevealTests
{
    static Dictionary<string, string?> Change(string criterion, string? value) => new() { [criterion] = value };

    static async Task<string?> StoredAsync(TestDatabase db, long raterId, long responseId, string criterion)
    {
        await using var connection = await db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("""
            SELECT g.value FROM ratings g JOIN criteria c ON c.id = g.criterion_id
            WHERE g.rater_id = @RaterId AND g.response_id = @ResponseId AND c.slug = @Criterion
            """, new { RaterId = raterId, ResponseId = responseId, Criterion = criterion });
    }

    [Fact]
    public async Task ARaterWhoOpenedTheAdjudicationItemCannotChangeTheirRatingOnceTheStudyReopens()
    {
        await using var world = await AdjudicationWorld.CreateAsync();
        await world.MoveToAsync(StudyState.Adjudication);
        await world.Store.BuildQueueAsync(world.StudyId);
        // Rated by rater-1, rater-3 and rater-4 (ratings.csv); only rater-1 opens the item.
        var response = await world.ResponseAsync("case-001.model-b");
        var (reader, other) = (await world.UserAsync("rater-1"), await world.UserAsync("rater-3"));
        Assert.NotNull(await world.Store.LoadAsync(world.StudyId, await world.ItemOfAsync("case-001.model-b"), reader));
        await world.Store.LoadAsync(world.StudyId, await world.ItemOfAsync("case-001.model-b"), world.Coordinator);
        await world.MoveToAsync(StudyState.Open);
        var before = await StoredAsync(world.Db, reader, response, "overall");
        var changed = before == "1" ? "2" : "1";

        var draft = await world.Grading.SaveAsync(world.StudyId, reader, response, Change("overall", changed), submit: false);
        var submit = await world.Grading.SaveAsync(world.StudyId, reader, response, Change("overall", changed), submit: true);
        var comment = await world.Grading.SaveAsync(world.StudyId, reader, response, Change("comment", "On reflection"), submit: false);
        var otherRater = await world.Grading.SaveAsync(world.StudyId, other, response, Change("overall", changed), submit: false);

        Assert.Equal([RatingWriteOutcome.Frozen, RatingWriteOutcome.Frozen, RatingWriteOutcome.Frozen], [draft.Outcome, submit.Outcome, comment.Outcome]);
        Assert.Equal(before, await StoredAsync(world.Db, reader, response, "overall"));
        Assert.Equal(RatingWriteOutcome.Saved, otherRater.Outcome);
        Assert.Equal(changed, await StoredAsync(world.Db, other, response, "overall"));
        var reveals = new RatingReveals(world.Db.Database);
        Assert.Equal((true, false), (await reveals.IsFrozenAsync(world.StudyId, reader, response), await reveals.IsFrozenAsync(world.StudyId, other, response)));
    }

    [Fact]
    public async Task HighlightsOfARevealedResponseAreFinalToo()
    {
        await using var world = await AdjudicationWorld.CreateAsync();
        await world.MoveToAsync(StudyState.Adjudication);
        await world.Store.BuildQueueAsync(world.StudyId);
        var response = await world.ResponseAsync("case-001.model-b");
        var (reader, other) = (await world.UserAsync("rater-1"), await world.UserAsync("rater-3"));
        await world.Store.LoadAsync(world.StudyId, await world.ItemOfAsync("case-001.model-b"), reader);
        await world.MoveToAsync(StudyState.Open);
        var spans = new SpanStore(world.Db.Database, world.Db.Clock);
        var label = (await spans.LabelsAsync(world.StudyId))[0].Id;

        Assert.Equal(SpanWriteOutcome.Frozen, await spans.AddAsync(world.StudyId, reader, response, label, 0, 5, null));
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(world.StudyId, other, response, label, 0, 5, null));
    }

    [Fact]
    public async Task ACalibrationRevealFreezesTheRoundsRatersOnThatResponseOnly()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        var coordinator = (await users.CreateAsync("coord", "Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, coordinator, "coordinator");
        var (rater, absent) = (await db.AddRaterAsync(studyId, "dr-one"), await db.AddRaterAsync(studyId, "dr-away"));
        await using (var connection = await db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'draft' WHERE id = @StudyId", new { StudyId = studyId });
        var (studies, rubric) = (new StudyQuery(db.Database), new RubricQuery(db.Database));
        var calibration = new CalibrationStore(db.Database, studies, rubric, db.Clock);
        var grading = new GradingStore(db.Database, rubric, db.Clock);
        var calibrated = (await grading.QueueAsync(studyId, rater))[0].ResponseId;
        var coverage = await AssignedAsync(db, calibrated);

        Assert.True((await calibration.CreateSessionAsync(studyId, coordinator)).Succeeded);
        Assert.True((await calibration.AddItemAsync(studyId, coordinator, calibrated)).Succeeded);
        var item = (await new CalibrationQuery(db.Database, studies, rubric, db.Clock).ViewAsync(studyId, coordinator))!.Session!.Items.Single().Id;
        Assert.True((await calibration.StartRoundAsync(studyId, coordinator, item, [rater])).Succeeded);
        Assert.True((await calibration.SubmitAsync(studyId, rater, item, DemoRatings.Complete())).Succeeded);
        await calibration.EndSessionAsync(studyId, coordinator);
        Assert.Equal(StudyChangeOutcome.Changed, (await new StudyLifecycleStore(db.Database, studies, db.Clock).ChangeStateAsync(studyId, coordinator, StudyState.Open)).Outcome);

        // The calibrated response left the rater's queue (it would stay there forever, never to be done) for someone
        // who has not seen the spread, and writing it is refused. Opening plans the work nobody has started again, so
        // the rater's other response and the absent rater's share are read after it.
        var queue = (await grading.QueueAsync(studyId, rater)).Select(q => q.ResponseId).ToList();
        var untouched = queue[0];
        var absentsCalibrated = (await grading.QueueAsync(studyId, absent)).Select(q => q.ResponseId).Contains(calibrated);
        Assert.DoesNotContain(calibrated, queue);
        Assert.Equal(coverage, await AssignedAsync(db, calibrated));
        Assert.NotEqual(RatingWriteOutcome.Saved, (await grading.SaveAsync(studyId, rater, calibrated, DemoRatings.Complete(), submit: true)).Outcome);
        Assert.Null(await StoredAsync(db, rater, calibrated, "overall"));
        Assert.Equal(RatingWriteOutcome.Saved, (await grading.SaveAsync(studyId, rater, untouched, DemoRatings.Complete(), submit: true)).Outcome);
        // A rater of the study the round did not wait for (not connected) saw nothing, and rates as usual.
        if (absentsCalibrated)
            Assert.Equal(RatingWriteOutcome.Saved, (await grading.SaveAsync(studyId, absent, calibrated, DemoRatings.Complete(), submit: true)).Outcome);
    }

    static async Task<long> AssignedAsync(TestDatabase db, long responseId)
    {
        await using var connection = await db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assignments WHERE response_id = @ResponseId", new { ResponseId = responseId });
    }

    [Fact]
    public async Task ARaterWhoOpensARevealedRoundTheyWereNotPartOfIsFrozenToo()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        var coordinator = (await users.CreateAsync("coord", "Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, coordinator, "coordinator");
        var (rater, late) = (await db.AddRaterAsync(studyId, "dr-one"), await db.AddRaterAsync(studyId, "dr-late"));
        await using (var connection = await db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'draft' WHERE id = @StudyId", new { StudyId = studyId });
        var (studies, rubric) = (new StudyQuery(db.Database), new RubricQuery(db.Database));
        var calibration = new CalibrationStore(db.Database, studies, rubric, db.Clock);
        var query = new CalibrationQuery(db.Database, studies, rubric, db.Clock);
        var response = (await new GradingStore(db.Database, rubric, db.Clock).QueueAsync(studyId, late))[0].ResponseId;
        await calibration.CreateSessionAsync(studyId, coordinator);
        await calibration.AddItemAsync(studyId, coordinator, response);
        var item = (await query.ViewAsync(studyId, coordinator))!.Session!.Items.Single().Id;
        await calibration.StartRoundAsync(studyId, coordinator, item, [rater]);
        await calibration.SubmitAsync(studyId, rater, item, DemoRatings.Complete());
        var reveals = new RatingReveals(db.Database);
        Assert.False(await reveals.IsFrozenAsync(studyId, late, response));

        var view = await query.ViewAsync(studyId, late);

        Assert.NotEmpty(view!.Round!.Spread);
        Assert.True(await reveals.IsFrozenAsync(studyId, late, response));
        Assert.DoesNotContain(response, (await new GradingStore(db.Database, rubric, db.Clock).QueueAsync(studyId, late)).Select(q => q.ResponseId));
    }
}
