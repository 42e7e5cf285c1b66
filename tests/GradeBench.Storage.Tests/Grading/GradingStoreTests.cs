using Dapper;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Tests.Grading;

public sealed class GradingStoreTests() : DemoRaterTest("dr-new")
{
    GradingStore _store = null!;

    protected override Task ArrangeAsync()
    {
        _store = Grading;
        return Task.CompletedTask;
    }

    async Task<long> HistoryCountAsync()
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rating_history WHERE source = 'web'");
    }

    [Fact]
    public async Task DraftComesBackWithTheItem()
    {
        var saved = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, new Dictionary<string, string?> { ["consensus"] = "3", ["comment"] = "Dose is wrong" }, submit: false);
        var item = await _store.LoadItemAsync(StudyId, Rater, Demo.Assigned);

        Assert.Equal(RatingWriteOutcome.Saved, saved.Outcome);
        Assert.Equal("3", item!.Values["consensus"]);
        Assert.Equal("Dose is wrong", item.Values["comment"]);
        Assert.False(item.Done);
    }

    [Fact]
    public async Task SubmitNamesEveryMissingRequiredCriterion()
    {
        var result = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, new Dictionary<string, string?> { ["consensus"] = "3" }, submit: true);

        Assert.Equal(RatingWriteOutcome.Invalid, result.Outcome);
        Assert.Equal(["completeness", "hallucination", "harm_extent", "harm_likelihood", "incorrect_content", "overall", "reasoning"], result.Problems.Keys.Order());
        Assert.Equal(0, await HistoryCountAsync());
    }

    [Fact]
    public async Task SubmittingCompletesTheAssignmentAndRepeatingItChangesNothing()
    {
        var first = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, CompleteRating, submit: true);
        var history = await HistoryCountAsync();
        var again = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, CompleteRating, submit: true);

        Assert.Equal((RatingWriteOutcome.Saved, RatingWriteOutcome.Saved), (first.Outcome, again.Outcome));
        Assert.Equal((true, false), (first.Submitted, again.Submitted));
        Assert.Equal(8, history);
        Assert.Equal(history, await HistoryCountAsync());
        Assert.True((await _store.LoadItemAsync(StudyId, Rater, Demo.Assigned))!.Done);
        Assert.True((await _store.QueueAsync(StudyId, Rater)).Single(q => q.ResponseId == Demo.Assigned).Done);
    }

    [Fact]
    public async Task ChangingASubmittedRatingKeepsItSubmittedAndAddsHistory()
    {
        await _store.SaveAsync(StudyId, Rater, Demo.Assigned, CompleteRating, submit: true);

        var changed = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, new Dictionary<string, string?> { ["overall"] = "2" }, submit: false);
        var cleared = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, new Dictionary<string, string?> { ["overall"] = null }, submit: false);

        Assert.Equal(RatingWriteOutcome.Saved, changed.Outcome);
        Assert.Equal(RatingWriteOutcome.Invalid, cleared.Outcome); // a submitted rating keeps its required values
        Assert.Equal(9, await HistoryCountAsync());
        await using var connection = await Db.Database.OpenAsync();
        Assert.Equal(["submitted"], await connection.QueryAsync<string>(
            "SELECT DISTINCT status FROM ratings WHERE rater_id = @RaterId", new { RaterId = Rater }));
    }

    [Fact]
    public async Task ValueOffTheScaleIsRefusedWithItsReason()
    {
        var result = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, new Dictionary<string, string?> { ["consensus"] = "7", ["nope"] = "1" }, submit: false);

        Assert.Equal(RatingWriteOutcome.Invalid, result.Outcome);
        Assert.Equal("7 is outside the scale 1..5", result.Problems["consensus"].ToString());
        Assert.Equal("unknown criterion", result.Problems["nope"].ToString());
    }

    [Fact]
    public async Task UnassignedResponseCanNeitherBeReadNorWritten()
    {
        var before = await Db.DumpContentAsync();

        var write = await _store.SaveAsync(StudyId, Rater, Demo.NotAssigned, CompleteRating, submit: true);
        var read = await _store.LoadItemAsync(StudyId, Rater, Demo.NotAssigned);

        Assert.Equal(RatingWriteOutcome.NotAssigned, write.Outcome);
        Assert.Null(read);
        Assert.Equal(before, await Db.DumpContentAsync());
    }

    [Fact]
    public async Task ClosedStudyRefusesChanges()
    {
        await using (var connection = await Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'closed'");

        var result = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, CompleteRating, submit: true);

        Assert.Equal(RatingWriteOutcome.StudyNotOpen, result.Outcome);
    }

    [Fact]
    public async Task PausedStudyRefusesDraftsAndSubmitsAndStoresNothing()
    {
        await using (var connection = await Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET paused = TRUE");
        var before = await Db.DumpContentAsync();

        var submit = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, CompleteRating, submit: true);
        var draft = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, new Dictionary<string, string?> { ["consensus"] = "3" }, submit: false);

        Assert.Equal(RatingWriteOutcome.StudyPaused, submit.Outcome);
        Assert.Equal(RatingWriteOutcome.StudyPaused, draft.Outcome);
        Assert.False(submit.Submitted);
        Assert.Equal(before, await Db.DumpContentAsync());
    }

    [Fact]
    public async Task ResumedStudyAcceptsTheSubmitItRefusedWhilePaused()
    {
        await using (var connection = await Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET paused = TRUE");
        await _store.SaveAsync(StudyId, Rater, Demo.Assigned, CompleteRating, submit: true);
        await using (var connection = await Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET paused = FALSE");

        var result = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, CompleteRating, submit: true);

        Assert.Equal(RatingWriteOutcome.Saved, result.Outcome);
        Assert.True(result.Submitted);
    }

    [Fact]
    public async Task StudyInAdjudicationRefusesChanges()
    {
        await using (var connection = await Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'adjudication'");

        var result = await _store.SaveAsync(StudyId, Rater, Demo.Assigned, CompleteRating, submit: true);

        Assert.Equal(RatingWriteOutcome.StudyNotOpen, result.Outcome);
    }

    [Fact]
    public async Task HiddenModelNeverReachesTheItem()
    {
        var hidden = await _store.LoadItemAsync(StudyId, Rater, Demo.Assigned);
        await using (var connection = await Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET hide_model = FALSE");
        var shown = await _store.LoadItemAsync(StudyId, Rater, Demo.Assigned);

        Assert.Null(hidden!.Model);
        Assert.StartsWith("model-", shown!.Model);
    }

    [Fact]
    public async Task PositionGivesProgressPlaceAndNeighboursInQueueOrder()
    {
        var queue = await _store.QueueAsync(StudyId, Rater);

        var start = await _store.PositionAsync(StudyId, Rater, null);
        var third = await _store.PositionAsync(StudyId, Rater, queue[2].Handle);

        Assert.Equal((queue.Count, 0L, queue[0].ResponseId, 0L, (string?)null, queue[1].Handle),
            (start.Assigned, start.Done, start.Current, start.Index, start.Previous, start.Next));
        Assert.Equal((2L, queue[1].Handle, queue[3].Handle), (third.Index, third.Previous, third.Next));
    }

    [Fact]
    public async Task AfterSubmittingTheFirstItemTheNextUndoneFollowsItAndStartIsTheFirstUndone()
    {
        var queue = await _store.QueueAsync(StudyId, Rater);
        await _store.SaveAsync(StudyId, Rater, queue[0].ResponseId, CompleteRating, submit: true);

        Assert.Equal(queue[1].Handle, await _store.NextUndoneAsync(StudyId, Rater, queue[0].ResponseId));
        Assert.Equal(queue[1].ResponseId, (await _store.PositionAsync(StudyId, Rater, null)).Current);
        Assert.Equal(1, (await _store.PositionAsync(StudyId, Rater, null)).Done);
        // From the last item the search wraps around to the first undone one.
        Assert.Equal(queue[1].Handle, await _store.NextUndoneAsync(StudyId, Rater, queue[^1].ResponseId));
    }

    [Fact]
    public async Task PositionOfAResponseNotAssignedHasNoCurrentItem()
    {
        var position = await _store.PositionAsync(StudyId, Rater, await HandleAsync(Demo.NotAssigned));

        Assert.Null(position.Current);
    }

    async Task<string> HandleAsync(long responseId)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT handle FROM responses WHERE id = @Id", new { Id = responseId }) ?? "";
    }
}
