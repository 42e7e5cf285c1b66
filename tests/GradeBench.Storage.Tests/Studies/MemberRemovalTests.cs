using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>A coordinator removes a rater who has submitted one item, saved a draft of another, highlighted a third and
/// not touched the rest.</summary>
public sealed class MemberRemovalTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    StudySetupStore _setup = null!;
    GradingStore _grading = null!;
    SpanStore _spans = null!;
    FlagStore _flags = null!;
    StudyQuery _studies = null!;
    long _studyId, _coordinator, _rater, _submitted, _drafted, _highlighted;
    int _assignedBefore;

    static readonly Dictionary<string, string?> CompleteRating = DemoRatings.Complete();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        (_studyId, _rater, _, _) = await _db.DemoWithNewRaterAsync("dr-leaving");
        var users = new UserStore(_db.Database, _db.Clock);
        _coordinator = (await users.CreateAsync("coord", "Dr Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(_studyId, _coordinator, "coordinator");
        _studies = new StudyQuery(_db.Database);
        var rubric = new RubricQuery(_db.Database);
        _setup = new StudySetupStore(_db.Database, _studies, rubric, _db.Clock);
        _grading = new GradingStore(_db.Database, rubric, _db.Clock);
        _spans = new SpanStore(_db.Database, _db.Clock);
        _flags = new FlagStore(_db.Database, _db.Clock);

        var queue = await _grading.QueueAsync(_studyId, _rater);
        _assignedBefore = queue.Count;
        (_submitted, _drafted, _highlighted) = (queue[0].ResponseId, queue[1].ResponseId, queue[2].ResponseId);
        Assert.Equal(RatingWriteOutcome.Saved, (await _grading.SaveAsync(_studyId, _rater, _submitted, CompleteRating, submit: true)).Outcome);
        Assert.Equal(RatingWriteOutcome.Saved, (await _grading.SaveAsync(_studyId, _rater, _drafted, new Dictionary<string, string?> { ["consensus"] = "2" }, submit: false)).Outcome);
        Assert.Equal(SpanWriteOutcome.Saved, await _spans.AddAsync(_studyId, _rater, _highlighted, (await _spans.LabelsAsync(_studyId))[0].Id, 0, 5, null));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    async Task<long> CountAsync(string sql)
    {
        await using var connection = await _db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new { StudyId = _studyId, Rater = _rater });
    }

    [Fact]
    public async Task TheRatersUnstartedItemsGoToTheOtherRatersAndTheirSubmittedRatingStays()
    {
        var removed = await _setup.RemoveMemberAsync(_studyId, _coordinator, _rater);

        Assert.Null(removed.Refusal);
        Assert.Equal(("dr-leaving", _assignedBefore - 3, 2L, 1L), (removed.Name, removed.Released, removed.Begun, removed.Submitted));
        Assert.Null(await _studies.AccessAsync(_studyId, _rater));
        // Work begun stays on record as theirs; nothing else does.
        Assert.Equal(new[] { _submitted, _drafted, _highlighted }.Order(), (await _grading.QueueAsync(_studyId, _rater)).Select(q => q.ResponseId).Order());
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
        var invites = new InviteStore(_db.Database, _db.Clock);
        var users = new UserStore(_db.Database, _db.Clock);
        var second = (await users.CreateAsync("coord-2", "Dr Second", isAdmin: false))!.Id;
        await users.AddMembershipAsync(_studyId, second, "coordinator");
        var fromRemoved = await invites.CreateAsync(_studyId, "rater", _coordinator, TimeSpan.FromDays(1));
        var fromDisabled = await invites.CreateAsync(_studyId, "rater", second, TimeSpan.FromDays(1));
        var fromCommandLine = await invites.CreateAsync(_studyId, "rater", null, TimeSpan.FromDays(1));
        Assert.NotNull(await invites.FindAsync(fromRemoved));

        Assert.Null((await _setup.RemoveMemberAsync(_studyId, second, _coordinator)).Refusal);
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
        var span = Assert.Single(await _spans.ListAsync(_studyId, _rater, _highlighted));
        Assert.Null((await _setup.RemoveMemberAsync(_studyId, _coordinator, _rater)).Refusal);
        var before = await _db.DumpContentAsync();

        var draft = await _grading.SaveAsync(_studyId, _rater, _drafted, new Dictionary<string, string?> { ["consensus"] = "3" }, submit: false);
        var submit = await _grading.SaveAsync(_studyId, _rater, _drafted, CompleteRating, submit: true);
        var resubmit = await _grading.SaveAsync(_studyId, _rater, _submitted, new Dictionary<string, string?>(CompleteRating) { ["overall"] = "1" }, submit: true);
        var highlight = await _spans.AddAsync(_studyId, _rater, _drafted, span.LabelId, 0, 5, null);
        var relabel = await _spans.UpdateAsync(_studyId, _rater, span.Id, span.LabelId, "changed");
        var unmark = await _spans.DeleteAsync(_studyId, _rater, span.Id);
        var flagged = await _flags.AddAsync(_studyId, _rater, _drafted, "the case contradicts itself");

        Assert.Equal([RatingWriteOutcome.NotRater, RatingWriteOutcome.NotRater, RatingWriteOutcome.NotRater], new[] { draft.Outcome, submit.Outcome, resubmit.Outcome });
        Assert.Equal([SpanWriteOutcome.NotFound, SpanWriteOutcome.NotFound, SpanWriteOutcome.NotFound], new[] { highlight, relabel, unmark });
        Assert.False(flagged);
        Assert.Equal(before, await _db.DumpContentAsync());
    }

    [Fact]
    public async Task OnlyACoordinatorOfTheStudyRemovesSomeoneAndNobodyRemovesThemselves()
    {
        var other = await _db.AddRaterAsync(_studyId, "dr-other");
        var before = await _db.DumpContentAsync();

        var byRater = await _setup.RemoveMemberAsync(_studyId, other, _rater);
        var self = await _setup.RemoveMemberAsync(_studyId, _coordinator, _coordinator);
        var stranger = await _setup.RemoveMemberAsync(_studyId, _coordinator, 999_999);

        Assert.Equal(StudySetupStore.NotCoordinator, byRater.Refusal);
        Assert.Equal("You cannot remove yourself from a study.", self.Refusal);
        Assert.Equal("That person is not a member of this study.", stranger.Refusal);
        Assert.Equal(before, await _db.DumpContentAsync());
    }

    [Fact]
    public async Task ACoordinatorRemovedFromTheStudyCanNoLongerChangeIt()
    {
        var second = (await new UserStore(_db.Database, _db.Clock).CreateAsync("coord-2", "Dr Second", isAdmin: false))!.Id;
        await new UserStore(_db.Database, _db.Clock).AddMembershipAsync(_studyId, second, "coordinator");
        Assert.Null((await _setup.RemoveMemberAsync(_studyId, second, _coordinator)).Refusal);

        var removal = await _setup.RemoveMemberAsync(_studyId, _coordinator, _rater);
        var pause = await new StudyLifecycleStore(_db.Database, _studies, _db.Clock).SetPausedAsync(_studyId, _coordinator, true);

        Assert.Equal(StudySetupStore.NotCoordinator, removal.Refusal);
        Assert.Equal(StudyChangeOutcome.NotCoordinator, pause.Outcome);
        Assert.NotNull(await _studies.AccessAsync(_studyId, _rater));
    }

    async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await _db.Database.OpenAsync();
        return (await connection.QueryAsync<T>(sql, new { StudyId = _studyId, Rater = _rater })).AsList();
    }

    async Task<T> SingleAsync<T>(string sql)
    {
        await using var connection = await _db.Database.OpenAsync();
        return await connection.QuerySingleAsync<T>(sql, new { StudyId = _studyId, Rater = _rater });
    }
}
