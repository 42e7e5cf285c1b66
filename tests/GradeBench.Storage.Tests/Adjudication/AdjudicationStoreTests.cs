using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Adjudication;

public sealed class AdjudicationStoreTests : IAsyncLifetime
{
    AdjudicationWorld _world = null!;
    AdjudicationStore Store => _world.Store;
    long StudyId => _world.StudyId;

    public async Task InitializeAsync() => _world = await AdjudicationWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task TheQueueHoldsTheDisagreeingPilotResponsesAndTheOneEveryoneCalledSevere()
    {
        await _world.MoveToAsync(StudyState.Adjudication);

        var added = await Store.BuildQueueAsync(StudyId);
        var queue = (await Store.ListAsync(StudyId, _world.Coordinator))!;

        // 24 responses have pilot ratings: 20 disagree under the default rules, and case-007.model-b is rated
        // "Death or severe harm" by all three raters (agreement, but a safety case).
        Assert.Equal(21, added.Count);
        Assert.Equal(21, queue.Count);
        var bySlug = queue.ToDictionary(i => i.ResponseLabel);
        // Checked by hand in ratings.csv: completeness minor/minor/major, and harm_extent severe-death three times.
        Assert.Equal((true, true, "Missing important content"), Reasons(bySlug["case-001.model-b"]));
        // consensus 2/1/2 is a range of 1 only; everything else is unanimous, harm_extent severe-death.
        Assert.Equal((false, true, ""), Reasons(bySlug["case-007.model-b"]));
        // reasoning 3/4/2 is a range of 2; consensus 4/4/3 is not.
        Assert.Equal((true, false, "Reading comprehension and reasoning"), Reasons(bySlug["case-004.model-c"]));
        Assert.DoesNotContain("case-001.model-a", bySlug.Keys); // unanimous on every criterion
        Assert.All(queue, i => Assert.Equal("open", i.Status));
        Assert.Equal(["rater-1", "rater-3", "rater-4"],
            await NamesAsync(added.Single(a => a.ResponseId == bySlug["case-001.model-b"].ResponseId).Participants));
    }

    static (bool, bool, string) Reasons(AdjudicationItemSummary item) => (item.Disagreement, item.Safety, string.Join(", ", item.DisagreeingCriteria));

    async Task<IReadOnlyList<string>> NamesAsync(IEnumerable<long> ids)
    {
        await using var connection = await _world.Db.Database.OpenAsync();
        return (await connection.QueryAsync<string>($"SELECT display_name FROM users WHERE {ListParameter.In(connection, "id", "@Ids")} ORDER BY display_name",
            new { Ids = ids.ToArray() })).AsList();
    }

    [Fact]
    public async Task BuildingTheQueueAgainAddsAndChangesNothing()
    {
        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
        var before = await _world.Db.DumpContentAsync();

        var again = await Store.BuildQueueAsync(StudyId);

        Assert.Empty(again);
        Assert.Equal(before, await _world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task NoQueueIsBuiltWhileTheStudyIsOpen()
    {
        Assert.Empty(await Store.BuildQueueAsync(StudyId));
        Assert.Empty((await Store.ListAsync(StudyId, _world.Coordinator))!);
    }

    [Fact]
    public async Task ItemNumbersFollowTheRandomHandlesOfTheResponses()
    {
        await _world.MoveToAsync(StudyState.Adjudication);
        var added = await Store.BuildQueueAsync(StudyId);
        var listed = (await Store.ListAsync(StudyId, _world.Coordinator))!;

        Assert.Equal(listed.OrderBy(i => i.Handle, StringComparer.Ordinal).Select(i => i.ItemId), added.Select(a => a.ItemId).Order());
    }

    [Fact]
    public async Task ARaterSeesOnlyItemsOfResponsesTheyRatedAndOnlyOnceIndependentRatingHasEnded()
    {
        var rater1 = await _world.UserAsync("rater-1");
        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
        var all = (await Store.ListAsync(StudyId, _world.Coordinator))!;
        var foreign = all.Single(i => i.ResponseLabel == "case-002.model-b"); // rated by rater-2, rater-3 and rater-4

        var mine = (await Store.ListAsync(StudyId, rater1))!;

        await using (var connection = await _world.Db.Database.OpenAsync())
        {
            var rated = (await connection.QueryAsync<long>(
                "SELECT DISTINCT response_id FROM ratings WHERE rater_id = @Rater AND status = 'submitted'", new { Rater = rater1 })).ToHashSet();
            Assert.Equal(all.Where(i => rated.Contains(i.ResponseId)).Select(i => i.ItemId).Order(), mine.Select(i => i.ItemId).Order());
            Assert.DoesNotContain(foreign.ResponseId, rated);
        }
        Assert.NotEmpty(mine);
        Assert.Null(await Store.LoadAsync(StudyId, foreign.ItemId, rater1));
        Assert.Empty((await Store.ListAsync(StudyId, _world.Outsider))!);
        Assert.Null(await Store.ListAsync(StudyId, await _world.UserAsync("nobody-at-all")));

        await _world.MoveToAsync(StudyState.Open);
        Assert.Empty((await Store.ListAsync(StudyId, rater1))!);
        Assert.Null(await Store.LoadAsync(StudyId, mine[0].ItemId, rater1));
        Assert.NotNull(await Store.LoadAsync(StudyId, mine[0].ItemId, _world.Coordinator));

        await _world.MoveToAsync(StudyState.Adjudication);
        await _world.MoveToAsync(StudyState.Closed);
        Assert.Equal(mine.Count, (await Store.ListAsync(StudyId, rater1))!.Count);
        Assert.False((await Store.LoadAsync(StudyId, mine[0].ItemId, rater1))!.CanPost);
    }

    [Fact]
    public async Task InABlindedStudyARaterSeesNoModelButTheCoordinatorDoes()
    {
        var rater1 = await _world.UserAsync("rater-1");
        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
        var item = await _world.ItemOfAsync("case-001.model-b");

        var asRater = (await Store.LoadAsync(StudyId, item, rater1))!;
        var asCoordinator = (await Store.LoadAsync(StudyId, item, _world.Coordinator))!;
        var listed = (await Store.ListAsync(StudyId, rater1))!;

        Assert.Null(asRater.Model);
        Assert.Equal($"Response {asRater.Handle}", asRater.ResponseLabel);
        Assert.Matches("^[0-9a-f]{16}$", asRater.Handle);
        Assert.All(listed, i => Assert.DoesNotContain("model-", i.ResponseLabel + i.Model + i.CaseTitle));
        Assert.Equal(("model-b", "case-001.model-b"), (asCoordinator.Model, asCoordinator.ResponseLabel));
    }

    [Fact]
    public async Task AnItemShowsEveryRatersValuesCommentsAndHighlightsSideBySide()
    {
        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
        var response = await _world.ResponseAsync("case-001.model-b");
        var rater4 = await _world.UserAsync("rater-4");
        await using (var connection = await _world.Db.Database.OpenAsync())
        {
            var hash = GradeBench.Core.Spans.TextHash.Sha256(
                await connection.ExecuteScalarAsync<string>("SELECT content_md FROM responses WHERE id = @Response", new { Response = response }) ?? "");
            await connection.ExecuteAsync("""
                INSERT INTO span_annotations (response_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, note, created_at, updated_at)
                SELECT @Response, @Rater, id, 0, 5, @Hash, 'quote', 'dangerous', @Now, @Now FROM span_labels WHERE slug = 'unsafe'
                """, new { Response = response, Rater = rater4, Hash = hash, _world.Db.Clock.Now });
        }

        var view = (await Store.LoadAsync(StudyId, await _world.ItemOfAsync("case-001.model-b"), rater4))!;

        Assert.Equal(["rater-1", "rater-3", "rater-4"], view.Raters.Select(r => r.Name));
        Assert.Equal(["minor", "minor", "major"], view.Raters.Select(r => r.Values["completeness"]));
        Assert.Equal(["completeness"], view.DisagreeingCriteria);
        var span = Assert.Single(view.Raters.Single(r => r.RaterId == rater4).Spans);
        Assert.Equal(("unsafe", "Unsafe advice", "quote", "dangerous"), (span.LabelSlug, span.Label, span.Quote, span.Note));
        Assert.Equal(9, view.Criteria.Count);
        Assert.True(view.CanPost);
        Assert.False(view.CanDecide);
        Assert.StartsWith("Recommends alteplase at 196/112 mmHg", view.Raters.Single(r => r.RaterId == rater4).Comments["overall"]);
        Assert.Empty(view.Raters.Single(r => r.Name == "rater-3").Comments);
    }

    [Fact]
    public async Task ARaterRemovedFromTheStudyLeavesTheDiscussionButTheirRatingsStay()
    {
        var rater1 = await _world.UserAsync("rater-1");
        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
        var item = await _world.ItemOfAsync("case-001.model-b");
        var ratings = await _world.IndependentRatingsAsync();
        var setup = new StudySetupStore(_world.Db.Database, new StudyQuery(_world.Db.Database), new RubricQuery(_world.Db.Database), _world.Db.Clock);

        Assert.Null((await setup.RemoveMemberAsync(StudyId, _world.Coordinator, rater1)).Refusal);
        var posted = await Store.PostMessageAsync(StudyId, item, rater1, "Still here?");

        Assert.Equal(AdjudicationOutcome.NotFound, posted.Outcome);
        Assert.Null(await Store.LoadAsync(StudyId, item, rater1));
        Assert.Equal(ratings, await _world.IndependentRatingsAsync());
        Assert.Contains(rater1, (await Store.LoadAsync(StudyId, item, _world.Coordinator))!.Raters.Select(r => r.RaterId));
    }

    [Fact]
    public async Task TheRatersOfTheResponseAndTheCoordinatorDiscussButNobodyElse()
    {
        var rater1 = await _world.UserAsync("rater-1");
        var rater2 = await _world.UserAsync("rater-2"); // did not rate case-001.model-b
        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
        var item = await _world.ItemOfAsync("case-001.model-b");

        var posted = await Store.PostMessageAsync(StudyId, item, rater1, "  I read the omission as major on reflection.  ");
        var reply = await Store.PostMessageAsync(StudyId, item, _world.Coordinator, "Thanks: which part?");
        var stranger = await Store.PostMessageAsync(StudyId, item, rater2, "May I?");
        var empty = await Store.PostMessageAsync(StudyId, item, rater1, "   ");
        var tooLong = await Store.PostMessageAsync(StudyId, item, rater1, new string('x', AdjudicationStore.MaxMessageLength + 1));

        Assert.Equal(AdjudicationOutcome.Done, posted.Outcome);
        Assert.Equal(("I read the omission as major on reflection.", "rater-1"), (posted.Message!.Body, posted.Message.AuthorName));
        Assert.Equal(await NamesAsync(posted.Participants), ["rater-1", "rater-3", "rater-4"]);
        Assert.Equal(AdjudicationOutcome.Done, reply.Outcome);
        Assert.Equal(AdjudicationOutcome.NotAllowed, stranger.Outcome);
        Assert.Equal((AdjudicationOutcome.Invalid, AdjudicationOutcome.Invalid), (empty.Outcome, tooLong.Outcome));
        Assert.Equal(["rater-1", "Dr Coordinator"], (await Store.LoadAsync(StudyId, item, rater1))!.Messages.Select(m => m.AuthorName));

        await _world.MoveToAsync(StudyState.Closed);
        Assert.Equal(AdjudicationOutcome.StudyNotInAdjudication, (await Store.PostMessageAsync(StudyId, item, rater1, "late")).Outcome);
    }

    [Fact]
    public async Task ConsensusValuesAreCheckedAgainstTheScaleAndSettleTheItemWhenComplete()
    {
        var rater1 = await _world.UserAsync("rater-1");
        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
        var item = await _world.ItemOfAsync("case-001.model-b");

        var byRater = await Store.RecordConsensusAsync(StudyId, item, rater1, "completeness", "major", "we agreed");
        var offScale = await Store.RecordConsensusAsync(StudyId, item, _world.Coordinator, "completeness", "grave", "why not");
        var likertOff = await Store.RecordConsensusAsync(StudyId, item, _world.Coordinator, "consensus", "6", "too high");
        var noReason = await Store.RecordConsensusAsync(StudyId, item, _world.Coordinator, "completeness", "major", " ");
        var unknown = await Store.RecordConsensusAsync(StudyId, item, _world.Coordinator, "nope", "1", "x");

        Assert.Equal(AdjudicationOutcome.NotAllowed, byRater.Outcome);
        Assert.Equal((AdjudicationOutcome.Invalid, "\"grave\" is not one of none, minor, major"), (offScale.Outcome, offScale.Problem));
        Assert.Equal((AdjudicationOutcome.Invalid, "6 is outside the scale 1..5"), (likertOff.Outcome, likertOff.Problem));
        Assert.Equal(AdjudicationOutcome.Invalid, noReason.Outcome);
        Assert.Equal(AdjudicationOutcome.Invalid, unknown.Outcome);

        Dictionary<string, string> decisions = new()
        {
            ["consensus"] = "+1", ["reasoning"] = "2", ["completeness"] = "major", ["incorrect_content"] = "major", ["harm_extent"] = "severe-death",
            ["harm_likelihood"] = "medium", ["hallucination"] = "true",
        };
        foreach (var (criterion, value) in decisions)
            Assert.Equal("open", (await Store.RecordConsensusAsync(StudyId, item, _world.Coordinator, criterion, value, "discussed")).Status);
        var last = await Store.RecordConsensusAsync(StudyId, item, _world.Coordinator, "overall", "1", "unsafe omission");

        Assert.Equal((AdjudicationOutcome.Done, "resolved"), (last.Outcome, last.Status));
        var view = (await Store.LoadAsync(StudyId, item, _world.Coordinator))!;
        Assert.Equal("1", view.Consensus.Single(c => c.CriterionId == "consensus").Value); // stored canonical
        Assert.Equal("Dr Coordinator", view.Consensus[0].DecidedByName);
        Assert.Equal(8, (await new ConsensusQuery(_world.Db.Database).ValuesAsync(StudyId)).Count);
    }

    [Fact]
    public async Task OnlyACoordinatorMarksAnItemResolvedAndOnlyDuringAdjudication()
    {
        var rater1 = await _world.UserAsync("rater-1");
        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
        var item = await _world.ItemOfAsync("case-004.model-c");

        Assert.Equal(AdjudicationOutcome.NotAllowed, (await Store.MarkResolvedAsync(StudyId, item, rater1, evenIfDisagreeing: true)).Outcome);
        var resolved = await Store.MarkResolvedAsync(StudyId, item, _world.Coordinator, evenIfDisagreeing: true);
        Assert.Equal((AdjudicationOutcome.Done, "resolved"), (resolved.Outcome, resolved.Status));
        Assert.Equal(AdjudicationOutcome.NotFound, (await Store.MarkResolvedAsync(StudyId, 999_999, _world.Coordinator)).Outcome);

        await _world.MoveToAsync(StudyState.Closed);
        var other = await _world.ItemOfAsync("case-001.model-b");
        Assert.Equal(AdjudicationOutcome.StudyNotInAdjudication, (await Store.MarkResolvedAsync(StudyId, other, _world.Coordinator, evenIfDisagreeing: true)).Outcome);
    }

    [Fact]
    public async Task AdjudicationNeverWritesTheIndependentRatings()
    {
        var rater1 = await _world.UserAsync("rater-1");
        var before = await _world.IndependentRatingsAsync();

        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
        var item = await _world.ItemOfAsync("case-001.model-b");
        await Store.PostMessageAsync(StudyId, item, rater1, "Major, I think");
        foreach (var criterion in new[] { "consensus", "reasoning", "overall" })
            await Store.RecordConsensusAsync(StudyId, item, _world.Coordinator, criterion, "3", "middle ground");
        await Store.RecordConsensusAsync(StudyId, item, _world.Coordinator, "completeness", "none", "changed on purpose");
        await Store.MarkResolvedAsync(StudyId, item, _world.Coordinator, evenIfDisagreeing: true);
        await Store.BuildQueueAsync(StudyId);

        Assert.Equal(before, await _world.IndependentRatingsAsync());
    }

    [Fact]
    public async Task AStudyImportedBeforeRulesWereStoredUsesTheDefaults()
    {
        await using (var connection = await _world.Db.Database.OpenAsync())
            await connection.ExecuteAsync("DELETE FROM adjudication_rules; DELETE FROM safety_rules;");

        var settings = await Store.SettingsAsync(StudyId);

        Assert.Equal(Core.Adjudication.DisagreementRule.Range(2), settings.Rules["consensus"]);
        Assert.Equal(["harm_extent", "harm_likelihood"], settings.Safety.Select(t => t.CriterionId));
    }
}
