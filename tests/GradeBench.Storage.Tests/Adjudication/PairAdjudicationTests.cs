using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Adjudication;

/// <summary>Adjudication of side-by-side pairs (docs/adjudication.md, "Side-by-side pairs") on <see cref="PairwiseFixture"/>'s
/// study: dr-ann sees answer A on the left of the even pairs, dr-bob on the left of the odd ones, so the same side is a
/// different answer for the two of them. The study keeps the demo's pilot ratings, whose responses are queued beside the
/// pairs; these tests look at the pairs' items.</summary>
public sealed class PairAdjudicationTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    PairwiseStudy _study = null!;
    PairwiseStore _votes = null!;
    AdjudicationStore _store = null!;
    StudyLifecycleStore _lifecycle = null!;
    long _coordinator, _stranger;

    long StudyId => _study.StudyId;
    long Ann => _study.Raters[0];
    long Bob => _study.Raters[1];
    long Cat => _study.Raters[2];
    FixturePair Pair(int position) => _study.Pairs[position];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        // Members join before the study turns side by side: a membership change plans the pairs anew.
        var users = new UserStore(_db.Database, _db.Clock);
        _coordinator = (await users.CreateAsync("coord", "Dr Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, _coordinator, "coordinator");
        _stranger = (await users.CreateAsync("dr-elsewhere", "Dr Elsewhere", isAdmin: false))!.Id;
        _study = await PairwiseFixture.TurnIntoPairwiseAsync(_db.Database, _db.Clock, studyId, "dr-ann", "dr-bob", "dr-cat");
        _votes = new PairwiseStore(_db.Database, _db.Clock);
        var studies = new StudyQuery(_db.Database);
        _store = new AdjudicationStore(_db.Database, new RubricQuery(_db.Database), studies, _db.Clock);
        _lifecycle = new StudyLifecycleStore(_db.Database, studies, _db.Clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Submits a rater's judgement of a pair, by the sides they saw.</summary>
    async Task SubmitAsync(long rater, int pair, PairwiseChoice consensus, PairwiseChoice harm)
    {
        var judgement = new PairJudgement
        {
            Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = consensus, ["harm"] = harm },
            Comment = $"{rater} on pair {pair}",
        };
        Assert.Equal(PairWriteOutcome.Saved, (await _votes.SaveAsync(StudyId, rater, Pair(pair).Id, judgement, submit: true)).Outcome);
    }

    /// <summary>Pair 0: both raters chose answer A, on opposite sides. Pair 1: both chose the left side, which is A for
    /// dr-bob and B for dr-ann. Pair 2: dr-ann alone submitted.</summary>
    async Task VoteAsync()
    {
        await SubmitAsync(Ann, 0, PairwiseChoice.Left, PairwiseChoice.Tie);
        await SubmitAsync(Bob, 0, PairwiseChoice.Right, PairwiseChoice.Tie);
        await SubmitAsync(Ann, 1, PairwiseChoice.Left, PairwiseChoice.Tie);
        await SubmitAsync(Bob, 1, PairwiseChoice.Left, PairwiseChoice.Tie);
        await SubmitAsync(Ann, 2, PairwiseChoice.Left, PairwiseChoice.Right);
    }

    async Task<IReadOnlyList<QueuedItem>> EnterAdjudicationAsync()
    {
        Assert.Equal(StudyChangeOutcome.Changed, (await _lifecycle.ChangeStateAsync(StudyId, _coordinator, StudyState.Adjudication)).Outcome);
        return await _store.BuildQueueAsync(StudyId);
    }

    async Task<IReadOnlyList<AdjudicationItemSummary>> PairItemsAsync(long viewer) =>
        [.. (await _store.ListAsync(StudyId, viewer))!.Where(i => i.PairId is not null)];

    /// <summary>A pair's item has no response: building the queue again once two pairs are queued must not take them for
    /// one response (it failed whenever a study had two disputed pairs and the queue page was opened again).</summary>
    [Fact]
    public async Task BuildingTheQueueAgainWithTwoPairsQueuedAddsNothing()
    {
        foreach (var pair in new[] { 1, 3 })
        {
            await SubmitAsync(Ann, pair, PairwiseChoice.Left, PairwiseChoice.Tie);
            await SubmitAsync(Bob, pair, PairwiseChoice.Left, PairwiseChoice.Tie);
        }
        await EnterAdjudicationAsync();
        Assert.Equal(2, (await PairItemsAsync(_coordinator)).Count);

        Assert.Empty(await _store.BuildQueueAsync(StudyId));
        Assert.Equal(2, (await PairItemsAsync(_coordinator)).Count);
    }

    [Fact]
    public async Task VotesAreComparedByModelNotBySide()
    {
        await VoteAsync();

        var added = await EnterAdjudicationAsync();

        var item = Assert.Single(await PairItemsAsync(_coordinator));
        Assert.Equal((Pair(1).Id, Pair(1).Handle), (item.PairId, item.Handle));
        Assert.Equal(["consensus"], item.DisagreeingCriterionIds);
        Assert.Equal(["Which answer better reflects clinical consensus?"], item.DisagreeingCriteria);
        Assert.Equal((true, false, "open"), (item.Disagreement, item.Safety, item.Status));
        var queued = Assert.Single(added, a => a.ItemId == item.ItemId);
        Assert.Equal([Ann, Bob], queued.Participants.Order());
        Assert.Equal(item.ItemId, await _store.PairItemIdAsync(StudyId, Pair(1).Handle));
        Assert.Null(await _store.PairItemIdAsync(StudyId, Pair(0).Handle));
    }

    [Fact]
    public async Task AStudyWhosePairsAreNeverAdjudicatedQueuesNone()
    {
        await using (var connection = await _db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET pairwise_adjudication = 'never' WHERE id = @StudyId", new { StudyId });
        await VoteAsync();

        await EnterAdjudicationAsync();

        Assert.Empty(await PairItemsAsync(_coordinator));
    }

    [Fact]
    public async Task BuildingAgainAddsOnlyNewDisagreementAndKeepsTheItem()
    {
        await VoteAsync();
        await EnterAdjudicationAsync();
        var item = Assert.Single(await PairItemsAsync(_coordinator));
        Assert.Equal(StudyChangeOutcome.Changed, (await _lifecycle.ChangeStateAsync(StudyId, _coordinator, StudyState.Open)).Outcome);
        // dr-cat, who never opened the item, now disagrees with both on harm.
        await SubmitAsync(Cat, 1, PairwiseChoice.Left, PairwiseChoice.Left);

        var added = await EnterAdjudicationAsync();

        Assert.DoesNotContain(added, a => a.ItemId == item.ItemId);
        var again = Assert.Single(await PairItemsAsync(_coordinator));
        Assert.Equal(item.ItemId, again.ItemId);
        Assert.Equal(["consensus", "harm"], again.DisagreeingCriterionIds);
    }

    [Fact]
    public async Task TheItemShowsEveryVoteByModelAndAConsensusVoteOnEachDisagreeingAxisResolvesIt()
    {
        await VoteAsync();
        await EnterAdjudicationAsync();
        var itemId = Assert.Single(await PairItemsAsync(_coordinator)).ItemId;

        var view = (await _store.LoadPairAsync(StudyId, itemId, _coordinator))!;
        var saved = await _store.SaveConsensusAsync(StudyId, itemId, _coordinator, [new ConsensusEntry("consensus", "b", " The guideline favours B. ")]);
        var resolved = (await _store.LoadPairAsync(StudyId, itemId, _coordinator))!;

        Assert.Equal(["consensus"], view.DisagreeingAxes);
        Assert.Equal((Pair(1).A.Model, Pair(1).B.Model), (view.A.Model, view.B.Model));
        // dr-ann chose the left, which was B for her; dr-bob the left, A for him.
        Assert.Equal([("dr-ann", PairChoice.B), ("dr-bob", PairChoice.A)], view.Raters.Select(r => (r.Name, r.Votes["consensus"])));
        Assert.Equal([PairChoice.Tie, PairChoice.Tie], view.Raters.Select(r => r.Votes["harm"]));
        Assert.Equal($"{Ann} on pair 1", view.Raters[0].Comment);
        Assert.Equal("open", view.Status);
        Assert.Equal((AdjudicationOutcome.Done, "resolved", 1), (saved.Outcome, saved.Status, saved.Saved));
        var consensus = Assert.Single(resolved.Consensus);
        Assert.Equal(("consensus", PairChoice.B, "The guideline favours B.", "Dr Coordinator"), (consensus.AxisId, consensus.Choice, consensus.Reason, consensus.DecidedByName));
        Assert.Equal("resolved", resolved.Status);
    }

    [Fact]
    public async Task ConsensusVotesAreAppendedAndTheLatestCounts()
    {
        await VoteAsync();
        await EnterAdjudicationAsync();
        var itemId = Assert.Single(await PairItemsAsync(_coordinator)).ItemId;

        await _store.SaveConsensusAsync(StudyId, itemId, _coordinator, [new ConsensusEntry("consensus", "b", "first reading")]);
        var same = await _store.SaveConsensusAsync(StudyId, itemId, _coordinator, [new ConsensusEntry("consensus", "b", "first reading")]);
        _db.Clock.Now += TimeSpan.FromMinutes(5);
        var changed = await _store.SaveConsensusAsync(StudyId, itemId, _coordinator, [new ConsensusEntry("consensus", "tie", "after the meeting")]);
        var refused = await _store.SaveConsensusAsync(StudyId, itemId, _coordinator,
            [new ConsensusEntry("consensus", "both_bad", "neither"), new ConsensusEntry("harm", "a", "")]);

        Assert.Equal((0, 1), (same.Saved, changed.Saved));
        Assert.Equal(AdjudicationOutcome.Invalid, refused.Outcome);
        Assert.Equal(["Vote_BothBadNotOffered", "Value_ReasonRequired"], refused.CriterionProblems.Values.Select(m => m.Key));
        await using var connection = await _db.Database.OpenAsync();
        Assert.Equal(["b/first reading", "tie/after the meeting"],
            await connection.QueryAsync<string>("SELECT choice || '/' || reason FROM pair_consensus_votes ORDER BY id"));
        Assert.Equal(PairChoice.Tie, Assert.Single((await _store.LoadPairAsync(StudyId, itemId, _coordinator))!.Consensus).Choice);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("UPDATE pair_consensus_votes SET choice = 'a'"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("DELETE FROM pair_consensus_votes"));
    }

    [Fact]
    public async Task MarkResolvedNamesTheQuestionsStillDisagreeing()
    {
        await VoteAsync();
        await EnterAdjudicationAsync();
        var itemId = Assert.Single(await PairItemsAsync(_coordinator)).ItemId;

        var refused = await _store.MarkResolvedAsync(StudyId, itemId, _coordinator);
        var anyway = await _store.MarkResolvedAsync(StudyId, itemId, _coordinator, evenIfDisagreeing: true);

        Assert.Equal(AdjudicationOutcome.StillDisagrees, refused.Outcome);
        Assert.Equal(["Which answer better reflects clinical consensus?"], refused.StillDisagreeing);
        Assert.Equal((AdjudicationOutcome.Done, "resolved"), (anyway.Outcome, anyway.Status));
    }

    [Fact]
    public async Task OnlyCoordinatorsDecideAndOnlyThePairsRatersTakePart()
    {
        await VoteAsync();
        await EnterAdjudicationAsync();
        var itemId = Assert.Single(await PairItemsAsync(_coordinator)).ItemId;
        ConsensusEntry[] entries = [new("consensus", "a", "mine")];

        // dr-ann rated the pair but adjudicates nothing; dr-cat is a rater of the study who did not; dr-elsewhere is no member.
        foreach (var user in new[] { Ann, Cat, _stranger })
        {
            Assert.Equal(AdjudicationOutcome.NotAllowed, (await _store.SaveConsensusAsync(StudyId, itemId, user, entries)).Outcome);
            Assert.Equal(AdjudicationOutcome.NotAllowed, (await _store.MarkResolvedAsync(StudyId, itemId, user, evenIfDisagreeing: true)).Outcome);
        }
        Assert.Null(await _store.LoadPairAsync(StudyId, itemId, Cat));
        Assert.Null(await _store.LoadPairAsync(StudyId, itemId, _stranger));
        Assert.Empty(await PairItemsAsync(Cat));
        Assert.Null(await _store.ListAsync(StudyId, _stranger));
        Assert.Equal(AdjudicationOutcome.NotAllowed, (await _store.PostMessageAsync(StudyId, itemId, Cat, "let me in")).Outcome);
        Assert.Equal(AdjudicationOutcome.NotFound, (await _store.PostMessageAsync(StudyId, itemId, _stranger, "let me in")).Outcome);
        var posted = await _store.PostMessageAsync(StudyId, itemId, Ann, "I read the second answer as B.");
        Assert.Equal(AdjudicationOutcome.Done, posted.Outcome);
        Assert.Equal([Ann, Bob], posted.Participants);
        Assert.Equal("I read the second answer as B.", Assert.Single((await _store.LoadPairAsync(StudyId, itemId, Bob))!.Messages).Body);
        await using var connection = await _db.Database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pair_consensus_votes"));
    }

    [Fact]
    public async Task ARaterWhoSawTheOtherVotesOnAPairCanNoLongerChangeTheirs()
    {
        await VoteAsync();
        await EnterAdjudicationAsync();
        var itemId = Assert.Single(await PairItemsAsync(_coordinator)).ItemId;
        var reveals = new RatingReveals(_db.Database);

        Assert.NotNull(await _store.LoadPairAsync(StudyId, itemId, Ann));
        Assert.Equal(StudyChangeOutcome.Changed, (await _lifecycle.ChangeStateAsync(StudyId, _coordinator, StudyState.Open)).Outcome);
        var change = new PairJudgement { Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Right } };
        var annsChange = await _votes.SaveAsync(StudyId, Ann, Pair(1).Id, change, submit: true);
        var bobsChange = await _votes.SaveAsync(StudyId, Bob, Pair(1).Id, change, submit: true);
        var annsOtherPair = await _votes.SaveAsync(StudyId, Ann, Pair(0).Id, change, submit: true);

        Assert.Equal(PairWriteOutcome.Frozen, annsChange.Outcome);
        Assert.Equal(PairWriteOutcome.Saved, bobsChange.Outcome);
        Assert.Equal(PairWriteOutcome.Saved, annsOtherPair.Outcome);
        Assert.True(await reveals.IsPairFrozenAsync(StudyId, Ann, Pair(1).Id));
        Assert.False(await reveals.IsPairFrozenAsync(StudyId, Bob, Pair(1).Id));
        // The coordinator's view froze nobody.
        Assert.NotNull(await _store.LoadPairAsync(StudyId, itemId, _coordinator));
        await using var connection = await _db.Database.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pair_reveals"));
    }

    [Fact]
    public async Task PairwiseConsensusCsvCarriesTheConsensusByModel()
    {
        await VoteAsync();
        await EnterAdjudicationAsync();
        var itemId = Assert.Single(await PairItemsAsync(_coordinator)).ItemId;
        await _store.SaveConsensusAsync(StudyId, itemId, _coordinator, [new ConsensusEntry("consensus", "b", "first")]);
        _db.Clock.Now += TimeSpan.FromMinutes(5);
        await _store.SaveConsensusAsync(StudyId, itemId, _coordinator, [new ConsensusEntry("consensus", "a", "=after the meeting, A")]);
        var decidedAt = Database.FormatTimestamp(_db.Clock.Now);

        var csv = new StringWriter();
        var rows = await ExportKinds.Text.Single(k => k.Name == "pairwise-consensus.csv").Write(new TextExport(_db.Database), StudyId, csv, CancellationToken.None);

        var pair = Pair(1);
        Assert.Equal(1, rows);
        Assert.Equal(
            "case,response_a,response_b,model_a,model_b,axis,choice,reason,decided_by,decided_at\r\n" +
            $"{pair.Case},{pair.A.Slug},{pair.B.Slug},{pair.A.Model},{pair.B.Model},consensus,a,\"=after the meeting, A\",coord,{decidedAt}\r\n",
            csv.ToString());
        Assert.True(ExportKinds.Offers("pairwise-consensus.csv", pairwiseStudy: true, noteLabels: false));
        Assert.False(ExportKinds.Offers("pairwise-consensus.csv", pairwiseStudy: false, noteLabels: true));
    }
}
