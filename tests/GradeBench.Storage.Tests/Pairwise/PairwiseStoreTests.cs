using Dapper;
using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Results;

namespace GradeBench.Storage.Tests.Pairwise;

/// <summary>A rater's side of a side-by-side study (<see cref="PairwiseStore"/>) on <see cref="PairwiseFixture"/>'s study:
/// dr-ann sees answer A on the left of the even pairs, dr-bob on the left of the odd ones.</summary>
public sealed class PairwiseStoreTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    PairwiseStudy _study = null!;
    PairwiseStore _store = null!;

    long StudyId => _study.StudyId;
    long Ann => _study.Raters[0];
    long Bob => _study.Raters[1];
    FixturePair Pair(int position) => _study.Pairs[position];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _study = await PairwiseFixture.CreateAsync(_db.Database, _db.Clock, "dr-ann", "dr-bob");
        _store = new PairwiseStore(_db.Database, _db.Clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    static PairJudgement Votes(params (string Axis, PairwiseChoice? Choice)[] choices) =>
        new() { Choices = choices.ToDictionary(c => c.Axis, c => c.Choice) };

    Task<PairWriteResult> SaveAsync(long rater, int pair, PairJudgement judgement, bool submit) =>
        _store.SaveAsync(StudyId, rater, Pair(pair).Id, judgement, submit);

    /// <summary>The stored votes of a rater on a pair, as "axis=choice/status", in axis order.</summary>
    async Task<List<string>> StoredAsync(long rater, int pair)
    {
        await using var connection = await _db.Database.OpenAsync();
        return (await connection.QueryAsync<string>("""
            SELECT x.slug || '=' || COALESCE(v.choice, '') || '/' || v.status FROM pair_votes v JOIN pairwise_axes x ON x.id = v.axis_id
            WHERE v.rater_id = @Rater AND v.pair_id = @Pair ORDER BY x.position
            """, new { Rater = rater, Pair = Pair(pair).Id })).ToList();
    }

    async Task<List<string>> HistoryAsync()
    {
        await using var connection = await _db.Database.OpenAsync();
        return (await connection.QueryAsync<string>("""
            SELECT x.slug || '=' || COALESCE(h.choice, '') || '/' || h.status || '/' || h.source || '/' || u.username
            FROM pair_vote_history h JOIN pair_votes v ON v.id = h.vote_id JOIN pairwise_axes x ON x.id = v.axis_id
            JOIN users u ON u.id = h.recorded_by ORDER BY h.id
            """)).ToList();
    }

    async Task<long> CountAsync(string table)
    {
        await using var connection = await _db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Fact]
    public async Task ADraftComesBackByItsSidesAndASubmitCompletesThePair()
    {
        var version = await StudyDataVersion.ReadAsync(_db.Database, StudyId);
        var draft = await SaveAsync(Ann, 0, Votes(("consensus", PairwiseChoice.Left)) with { Reasons = ["safety", "accuracy"], Comment = "Dose is wrong" }, submit: false);
        var drafted = await _store.LoadItemAsync(StudyId, Ann, Pair(0).Handle);
        var versionAfterDraft = await StudyDataVersion.ReadAsync(_db.Database, StudyId);
        var submit = await SaveAsync(Ann, 0, Votes(("harm", PairwiseChoice.Tie)), submit: true);
        var submitted = await _store.LoadItemAsync(StudyId, Ann, Pair(0).Id);

        Assert.Equal((PairWriteOutcome.Saved, true, false), (draft.Outcome, draft.Wrote, draft.Submitted));
        Assert.Equal(new Dictionary<string, PairwiseChoice> { ["consensus"] = PairwiseChoice.Left }, drafted!.Choices);
        Assert.Equal(["accuracy", "safety"], drafted.ReasonsTicked); // in the study's order
        Assert.Equal("Dose is wrong", drafted.Comment);
        Assert.False(drafted.Done);
        Assert.Equal(["consensus", "harm"], drafted.Axes.Select(a => a.Id));
        Assert.Equal([false, true], drafted.Axes.Select(a => a.BothUnacceptable));
        Assert.Equal(["accuracy", "safety"], drafted.Reasons.Select(r => r.Id));
        Assert.Equal((Pair(0).A.Handle, Pair(0).B.Handle), (drafted.Left.Handle, drafted.Right.Handle));
        Assert.Equal((PairWriteOutcome.Saved, true), (submit.Outcome, submit.Submitted));
        Assert.Equal(new Dictionary<string, PairwiseChoice> { ["consensus"] = PairwiseChoice.Left, ["harm"] = PairwiseChoice.Tie }, submitted!.Choices);
        Assert.Equal("Dose is wrong", submitted.Comment); // not sent, so kept
        Assert.True(submitted.Done);
        Assert.Equal(["consensus=a/submitted", "harm=tie/submitted"], await StoredAsync(Ann, 0));
        Assert.Equal([true, false, false, false, false, false], (await _store.QueueAsync(StudyId, Ann)).Select(q => q.Done));
        Assert.Equal(version, versionAfterDraft); // a draft changes no statistic
        Assert.Equal(version + 1, await StudyDataVersion.ReadAsync(_db.Database, StudyId));
    }

    [Fact]
    public async Task TheAnswersCarryHandlesAndAModelOnlyWhenTheStudyShowsModels()
    {
        var blinded = await _store.LoadItemAsync(StudyId, Bob, Pair(0).Handle);
        await using (var connection = await _db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET hide_model = FALSE WHERE id = @StudyId", new { StudyId });
        var shown = await _store.LoadItemAsync(StudyId, Bob, Pair(0).Handle);

        Assert.Equal((Pair(0).B.Handle, Pair(0).A.Handle), (blinded!.Left.Handle, blinded.Right.Handle));
        Assert.Equal(((string?)null, (string?)null), (blinded.Left.Model, blinded.Right.Model));
        Assert.Equal(("model-b", "model-a"), (shown!.Left.Model, shown.Right.Model));
        Assert.Equal("case-001", Pair(0).Case);
        Assert.StartsWith("Thrombolysis eligibility", shown.CaseTitle);
        Assert.Equal("en", shown.Language);
    }

    [Fact]
    public async Task EachAnswerNamesItsResponseForTheServersOwnUse()
    {
        var item = await _store.LoadItemAsync(StudyId, Bob, Pair(0).Handle);

        Assert.Equal((Pair(0).B.Id, Pair(0).A.Id), (item!.Left.ResponseId, item.Right.ResponseId));
    }

    [Fact]
    public async Task ASubmissionsFactsAreTheRatersNameAndTheirPairsDoneAndAssigned()
    {
        await SaveAsync(Ann, 2, Votes(("consensus", PairwiseChoice.Left), ("harm", PairwiseChoice.Right)), submit: true);
        await SaveAsync(Ann, 3, Votes(("consensus", PairwiseChoice.Left)), submit: false);

        var facts = await _store.SubmissionAsync(StudyId, Ann);

        Assert.Equal(("dr-ann", 1L, 6L), (facts.RaterName, facts.RaterDone, facts.RaterAssigned));
    }

    [Fact]
    public async Task ARaterWhoSawBOnTheLeftAndChoseLeftVotesForB()
    {
        // dr-ann sees pair 1 with B on the left; dr-bob with A on the left.
        var ann = await SaveAsync(Ann, 1, Votes(("consensus", PairwiseChoice.Left), ("harm", PairwiseChoice.Right)), submit: true);
        var bob = await SaveAsync(Bob, 1, Votes(("consensus", PairwiseChoice.Left), ("harm", PairwiseChoice.Right)), submit: true);
        var annSees = await _store.LoadItemAsync(StudyId, Ann, Pair(1).Handle);

        Assert.Equal((PairWriteOutcome.Saved, PairWriteOutcome.Saved), (ann.Outcome, bob.Outcome));
        Assert.Equal(["consensus=b/submitted", "harm=a/submitted"], await StoredAsync(Ann, 1));
        Assert.Equal(["consensus=a/submitted", "harm=b/submitted"], await StoredAsync(Bob, 1));
        Assert.Equal((Pair(1).B.Handle, Pair(1).A.Handle), (annSees!.Left.Handle, annSees.Right.Handle));
        Assert.Equal(PairwiseChoice.Left, annSees.Choices["consensus"]);
        Assert.Equal(PairwiseChoice.Right, annSees.Choices["harm"]);
    }

    [Fact]
    public async Task AnIncompleteSubmitIsRefusedNamingEachAxisLeftOut()
    {
        var result = await SaveAsync(Ann, 0, Votes(("consensus", PairwiseChoice.Right)), submit: true);

        Assert.Equal(PairWriteOutcome.Invalid, result.Outcome);
        Assert.Equal(new Dictionary<string, Message> { ["harm"] = new("Vote_Required") }, result.AxisProblems);
        Assert.Equal("a choice is required", result.AxisProblems["harm"].ToString());
        Assert.Equal("须作出选择", result.AxisProblems["harm"].ToString(new System.Globalization.CultureInfo("zh-CN")));
        Assert.Equal((0, 0), (await CountAsync("pair_votes"), await CountAsync("pair_vote_history")));
        Assert.False((await _store.QueueAsync(StudyId, Ann))[0].Done);
    }

    [Fact]
    public async Task BothUnacceptableIsRefusedWhereTheAxisDoesNotOfferIt()
    {
        var refused = await SaveAsync(Ann, 0, Votes(("consensus", PairwiseChoice.BothBad), ("harm", PairwiseChoice.BothBad)), submit: true);
        var accepted = await SaveAsync(Ann, 0, Votes(("consensus", PairwiseChoice.Tie), ("harm", PairwiseChoice.BothBad)), submit: true);

        Assert.Equal(PairWriteOutcome.Invalid, refused.Outcome);
        Assert.Equal(new Dictionary<string, Message> { ["consensus"] = new("Vote_BothBadNotOffered") }, refused.AxisProblems);
        Assert.Equal(PairWriteOutcome.Saved, accepted.Outcome);
        Assert.Equal(["consensus=tie/submitted", "harm=both_bad/submitted"], await StoredAsync(Ann, 0));
    }

    [Fact]
    public async Task UnknownAxesAndReasonsAndAnOverlongCommentAreRefusedEachWithItsProblem()
    {
        var result = await SaveAsync(Ann, 0, Votes(("consensus", PairwiseChoice.Left), ("clarity", PairwiseChoice.Left))
            with { Reasons = ["accuracy", "speed", "style"], Comment = new string('x', 10_001) }, submit: false);

        Assert.Equal(PairWriteOutcome.Invalid, result.Outcome);
        Assert.Equal(new Dictionary<string, Message> { ["clarity"] = new("Vote_NoSuchAxis") }, result.AxisProblems);
        Assert.Equal(new Message("Vote_NoSuchReason", "speed, style"), result.ReasonsProblem);
        Assert.Equal(new Message("Value_TooLong", 10_000), result.CommentProblem);
        Assert.Equal(0, await CountAsync("pair_votes"));
    }

    [Fact]
    public async Task OnlyTheRaterAssignedThePairMayVoteWhileTheStudyIsOpen()
    {
        var complete = Votes(("consensus", PairwiseChoice.Left), ("harm", PairwiseChoice.Left));
        await using (var connection = await _db.Database.OpenAsync())
            await connection.ExecuteAsync("DELETE FROM pair_assignments WHERE rater_id = @Bob AND pair_id = @Pair", new { Bob, Pair = Pair(0).Id });
        var stranger = (await new UserStore(_db.Database, _db.Clock).CreateAsync("dr-stranger", "Stranger", isAdmin: false))!.Id;

        var othersPair = await SaveAsync(Bob, 0, complete, submit: true);
        var notMember = await SaveAsync(stranger, 0, complete, submit: true);
        await SetStudyAsync("paused = TRUE");
        var paused = await SaveAsync(Ann, 0, complete, submit: false);
        await SetStudyAsync("paused = FALSE, state = 'closed'");
        var closed = await SaveAsync(Ann, 0, complete, submit: true);

        Assert.Equal(PairWriteOutcome.NotAssigned, othersPair.Outcome);
        Assert.Null(await _store.LoadItemAsync(StudyId, Bob, Pair(0).Handle));
        Assert.Null(await _store.AssignedPairIdAsync(StudyId, Bob, Pair(0).Handle));
        Assert.Null(await _store.LoadItemAsync(StudyId, stranger, Pair(0).Handle));
        Assert.Equal(PairWriteOutcome.NotRater, notMember.Outcome);
        Assert.Equal(PairWriteOutcome.StudyPaused, paused.Outcome);
        Assert.Equal(PairWriteOutcome.StudyNotOpen, closed.Outcome);
        Assert.Equal(0, await CountAsync("pair_votes"));
    }

    async Task SetStudyAsync(string assignments)
    {
        await using var connection = await _db.Database.OpenAsync();
        await connection.ExecuteAsync($"UPDATE studies SET {assignments} WHERE id = @StudyId", new { StudyId });
    }

    [Fact]
    public async Task EveryChangedVoteAndOnlyAChangedOneGetsAHistoryLine()
    {
        await SaveAsync(Ann, 0, Votes(("consensus", PairwiseChoice.Left)), submit: false);
        var repeatedDraft = await SaveAsync(Ann, 0, Votes(("consensus", PairwiseChoice.Left)), submit: false);
        await SaveAsync(Ann, 0, Votes(("harm", PairwiseChoice.Right)), submit: true);
        var repeatedSubmit = await SaveAsync(Ann, 0, Votes(("harm", PairwiseChoice.Right)), submit: true);
        var changed = await SaveAsync(Ann, 0, Votes(("consensus", PairwiseChoice.Tie)), submit: false);
        var cleared = await SaveAsync(Ann, 0, Votes(("consensus", null)), submit: false);
        var commented = await SaveAsync(Ann, 0, new PairJudgement { Comment = "On reflection" }, submit: false);

        Assert.Equal((false, false, false), (repeatedDraft.Wrote, repeatedSubmit.Wrote, repeatedSubmit.Submitted));
        Assert.Equal((true, true), (changed.Wrote, changed.Submitted)); // a submitted judgement stays submitted
        Assert.Equal(PairWriteOutcome.Invalid, cleared.Outcome); // and keeps a choice on every axis
        Assert.Equal((PairWriteOutcome.Saved, true), (commented.Outcome, commented.Wrote));
        Assert.Equal(
        [
            "consensus=a/draft/web/dr-ann",
            "consensus=a/submitted/web/dr-ann",
            "harm=b/submitted/web/dr-ann",
            "consensus=tie/submitted/web/dr-ann",
        ], await HistoryAsync());
        Assert.Equal("On reflection", (await _store.LoadItemAsync(StudyId, Ann, Pair(0).Id))!.Comment);
    }

    [Fact]
    public async Task TheQueueGoesInPairOrderAndTheNextPairNotDoneWrapsAround()
    {
        var start = await _store.PositionAsync(StudyId, Ann, null);
        await SaveAsync(Ann, 0, Votes(("consensus", PairwiseChoice.Left), ("harm", PairwiseChoice.Left)), submit: true);
        var next = await _store.PositionAsync(StudyId, Ann, null);
        var last = await _store.PositionAsync(StudyId, Ann, Pair(5).Handle);

        Assert.Equal(_study.Pairs.Select(p => p.Handle), (await _store.QueueAsync(StudyId, Ann)).Select(q => q.Handle));
        Assert.Equal((6, 0, Pair(0).Id, 0, null, Pair(1).Handle), (start.Assigned, start.Done, start.Current, start.Index, start.Previous, start.Next));
        Assert.Equal((1, Pair(1).Id, Pair(0).Handle), (next.Done, next.Current, next.Previous));
        Assert.Equal((Pair(5).Id, 5, Pair(4).Handle, null), (last.Current, last.Index, last.Previous, last.Next));
        Assert.Equal(Pair(1).Handle, await _store.NextUndoneAsync(StudyId, Ann, Pair(5).Id));
        Assert.True(await _store.IsPairwiseAsync(StudyId));
    }
}
