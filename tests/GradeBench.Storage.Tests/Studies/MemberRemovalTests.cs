using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>A coordinator removes a rater who has submitted one item, saved a draft of another, highlighted a third and
/// not touched the rest.</summary>
public sealed class MemberRemovalTests() : DemoRaterTest("dr-leaving")
{
    StudySetupStore _setup = null!;
    GradingStore _grading = null!;
    SpanStore _spans = null!;
    FlagStore _flags = null!;
    StudyQuery _studies = null!;
    long _coordinator, _submitted, _drafted, _highlighted;
    int _assignedBefore;

    protected override async Task ArrangeAsync()
    {
        _coordinator = await CoordinatorAsync("coord", "Dr Coordinator");
        _studies = new StudyQuery(Db.Database);
        var rubric = new RubricQuery(Db.Database);
        _setup = new StudySetupStore(Db.Database, _studies, rubric, Db.Clock);
        _grading = new GradingStore(Db.Database, rubric, Db.Clock);
        _spans = new SpanStore(Db.Database, Db.Clock);
        _flags = new FlagStore(Db.Database, Db.Clock);

        var queue = await _grading.QueueAsync(StudyId, Rater);
        _assignedBefore = queue.Count;
        (_submitted, _drafted, _highlighted) = (queue[0].ResponseId, queue[1].ResponseId, queue[2].ResponseId);
        Assert.Equal(RatingWriteOutcome.Saved, (await _grading.SaveAsync(StudyId, Rater, _submitted, CompleteRating, submit: true)).Outcome);
        Assert.Equal(RatingWriteOutcome.Saved, (await _grading.SaveAsync(StudyId, Rater, _drafted, new Dictionary<string, string?> { ["consensus"] = "2" }, submit: false)).Outcome);
        Assert.Equal(SpanWriteOutcome.Saved, await _spans.AddAsync(StudyId, Rater, _highlighted, (await _spans.LabelsAsync(StudyId))[0].Id, 0, 5, null));
    }

    async Task<long> CountAsync(string sql)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new { StudyId = StudyId, Rater = Rater });
    }

    [Fact]
    public async Task TheRatersUnstartedItemsGoToTheOtherRatersAndTheirSubmittedRatingStays()
    {
        var removed = await _setup.RemoveMemberAsync(StudyId, _coordinator, Rater);

        Assert.Null(removed.Refusal);
        Assert.Equal(("dr-leaving", _assignedBefore - 3, 2L, 1L), (removed.Name, removed.Released, removed.Begun, removed.Submitted));
        Assert.Null(await _studies.AccessAsync(StudyId, Rater));
        // Work begun stays on record as theirs; nothing else does.
        Assert.Equal(new[] { _submitted, _drafted, _highlighted }.Order(), (await _grading.QueueAsync(StudyId, Rater)).Select(q => q.ResponseId).Order());
        Assert.Equal(1, await CountAsync("SELECT COUNT(DISTINCT response_id) FROM ratings WHERE rater_id = @Rater AND status = 'submitted'"));
        // Every response has its three raters again, counting the removed rater only where they finished.
        Assert.Equal([3L], await QueryAsync<long>("""
            SELECT DISTINCT COUNT(*) FROM assignments a
            WHERE a.study_id = @StudyId AND (a.completed_at IS NOT NULL OR a.rater_id <> @Rater)
            GROUP BY a.response_id
            """));
        Assert.Equal(("rater", _coordinator, (long)removed.Released), await SingleAsync<(string, long, long)>(
            "SELECT role, removed_by, released_assignments FROM study_member_removals WHERE study_id = @StudyId AND user_id = @Rater"));
    }

    [Fact]
    public async Task InviteLinksMadeByARemovedOrDisabledCoordinatorStopWorking()
    {
        var invites = new InviteStore(Db.Database, Db.Clock);
        var users = Users;
        var second = (await users.CreateAsync("coord-2", "Dr Second", isAdmin: false))!.Id;
        await users.AddMembershipAsync(StudyId, second, "coordinator");
        var fromRemoved = await invites.CreateAsync(StudyId, "rater", _coordinator, TimeSpan.FromDays(1));
        var fromDisabled = await invites.CreateAsync(StudyId, "rater", second, TimeSpan.FromDays(1));
        var fromCommandLine = await invites.CreateAsync(StudyId, "rater", null, TimeSpan.FromDays(1));
        Assert.NotNull(await invites.FindAsync(fromRemoved));

        Assert.Null((await _setup.RemoveMemberAsync(StudyId, second, _coordinator)).Refusal);
        Assert.Equal(AccountStatusOutcome.Changed, await users.SetDisabledAsync(second, disabled: true, actorId: null));

        Assert.Null(await invites.FindAsync(fromRemoved));
        Assert.Null(await invites.FindAsync(fromDisabled));
        Assert.Equal(InviteOutcome.InvalidInvite, (await invites.AcceptAsync(fromRemoved, "via-removed", "Dr Late", _ => "x")).Outcome);
        Assert.Equal(InviteOutcome.InvalidInvite, (await invites.AcceptAsync(fromDisabled, "via-disabled", "Dr Late", _ => "x")).Outcome);
        Assert.Equal(InviteOutcome.Joined, (await invites.AcceptAsync(fromCommandLine, "via-cli", "Dr Welcome", _ => "x")).Outcome);
        Assert.Null(await users.FindByUsernameAsync("via-removed"));
    }

    [Fact]
    public async Task EveryWriteOfARemovedRaterIsRefusedAndNothingIsStored()
    {
        var span = Assert.Single(await _spans.ListAsync(StudyId, Rater, _highlighted));
        Assert.Null((await _setup.RemoveMemberAsync(StudyId, _coordinator, Rater)).Refusal);
        var before = await Db.DumpContentAsync();

        var draft = await _grading.SaveAsync(StudyId, Rater, _drafted, new Dictionary<string, string?> { ["consensus"] = "3" }, submit: false);
        var submit = await _grading.SaveAsync(StudyId, Rater, _drafted, CompleteRating, submit: true);
        var resubmit = await _grading.SaveAsync(StudyId, Rater, _submitted, new Dictionary<string, string?>(CompleteRating) { ["overall"] = "1" }, submit: true);
        var highlight = await _spans.AddAsync(StudyId, Rater, _drafted, span.LabelId, 0, 5, null);
        var relabel = await _spans.UpdateAsync(StudyId, Rater, span.Id, span.LabelId, "changed");
        var unmark = await _spans.DeleteAsync(StudyId, Rater, span.Id);
        var flagged = await _flags.AddAsync(StudyId, Rater, _drafted, "the case contradicts itself");

        Assert.Equal([RatingWriteOutcome.NotRater, RatingWriteOutcome.NotRater, RatingWriteOutcome.NotRater], new[] { draft.Outcome, submit.Outcome, resubmit.Outcome });
        Assert.Equal([SpanWriteOutcome.NotFound, SpanWriteOutcome.NotFound, SpanWriteOutcome.NotFound], new[] { highlight, relabel, unmark });
        Assert.Null(flagged);
        Assert.Equal(before, await Db.DumpContentAsync());
    }

    [Fact]
    public async Task OnlyACoordinatorOfTheStudyRemovesSomeoneAndNobodyRemovesThemselves()
    {
        var other = await Db.AddRaterAsync(StudyId, "dr-other");
        var before = await Db.DumpContentAsync();

        var byRater = await _setup.RemoveMemberAsync(StudyId, other, Rater);
        var self = await _setup.RemoveMemberAsync(StudyId, _coordinator, _coordinator);
        var stranger = await _setup.RemoveMemberAsync(StudyId, _coordinator, 999_999);

        Assert.Equal(StudySetupStore.NotCoordinator, byRater.Refusal);
        Assert.Equal("You cannot remove yourself from a study.", self.Refusal?.ToString());
        Assert.Equal("That person is not a member of this study.", stranger.Refusal?.ToString());
        Assert.Equal(before, await Db.DumpContentAsync());
    }

    [Fact]
    public async Task ACoordinatorRemovedFromTheStudyCanNoLongerChangeIt()
    {
        var second = await CoordinatorAsync("coord-2", "Dr Second");
        Assert.Null((await _setup.RemoveMemberAsync(StudyId, second, _coordinator)).Refusal);

        var removal = await _setup.RemoveMemberAsync(StudyId, _coordinator, Rater);
        var pause = await new StudyLifecycleStore(Db.Database, _studies, Db.Clock).SetPausedAsync(StudyId, _coordinator, true);

        Assert.Equal(StudySetupStore.NotCoordinator, removal.Refusal);
        Assert.Equal(StudyChangeOutcome.NotCoordinator, pause.Outcome);
        Assert.NotNull(await _studies.AccessAsync(StudyId, Rater));
    }

    async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await Db.Database.OpenAsync();
        return (await connection.QueryAsync<T>(sql, new { StudyId = StudyId, Rater = Rater })).AsList();
    }

    async Task<T> SingleAsync<T>(string sql)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.QuerySingleAsync<T>(sql, new { StudyId = StudyId, Rater = Rater });
    }
}
