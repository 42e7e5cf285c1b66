using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Tests.Grading;

public sealed class FlagStoreTests
{
    [Fact]
    public async Task RaterFlagsAnAssignedResponseButNotSomeoneElses()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (studyId, rater, mine, foreign) = await db.DemoWithNewRaterAsync("dr-flag");
        await using var connection = await db.Database.OpenAsync();
        var flags = new FlagStore(db.Database, db.Clock);

        Assert.NotNull(await flags.AddAsync(studyId, rater, mine, "  The case contradicts itself about the onset time. "));
        Assert.Null(await flags.AddAsync(studyId, rater, foreign, "not mine"));
        Assert.Null(await flags.AddAsync(studyId, rater, mine, "   "));

        var flag = Assert.Single(await flags.ListAsync(studyId, rater, mine));
        Assert.Equal(("The case contradicts itself about the onset time.", false), (flag.Note, flag.Resolved));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM flags"));
    }

    [Fact]
    public async Task TheCoordinatorRepliesAndResolvesAndTheRaterReadsTheReplyOnTheItem()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (studyId, rater, mine, _) = await db.DemoWithNewRaterAsync("dr-flag");
        var coordinator = await AddCoordinatorAsync(db, studyId, "coord");
        var flags = new FlagStore(db.Database, db.Clock);
        var flagId = (await flags.AddAsync(studyId, rater, mine, "Onset time differs between the history and the question."))!.Value;

        var open = (await flags.OpenAsync(studyId, coordinator, limit: 5))!;
        var listed = Assert.Single(open.Flags);
        Assert.Equal((1L, flagId, mine, "dr-flag"), (open.Count, listed.Id, listed.ResponseId, listed.RaterName));

        var replied = await flags.ReplyAsync(studyId, flagId, coordinator, "  Thanks: rate it with the history's time (08:10). ");
        Assert.Equal(new FlagChange(FlagOutcome.Done, flagId, mine, rater), replied);
        Assert.Equal(FlagOutcome.Done, (await flags.ResolveAsync(studyId, flagId, coordinator)).Outcome);

        var seen = Assert.Single(await flags.ListAsync(studyId, rater, mine));
        Assert.True(seen.Resolved);
        var reply = Assert.Single(seen.Replies);
        Assert.Equal(("Thanks: rate it with the history's time (08:10).", "coord"), (reply.Body, reply.AuthorName));
        Assert.Empty((await flags.OpenAsync(studyId, coordinator))!.Flags);
        var thread = Assert.Single((await flags.ForResponseAsync(studyId, mine, coordinator))!);
        Assert.Equal(("coord", 1), (thread.ResolvedByName, thread.Replies.Count));
    }

    [Fact]
    public async Task OnlyCoordinatorsOfTheStudyListReplyOrResolveAndARaterSeesOnlyTheirOwnFlags()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (studyId, rater, _, _) = await db.DemoWithNewRaterAsync("dr-flag");
        var other = await db.AddRaterAsync(studyId, "dr-other");
        // A newcomer takes over unstarted work, so which response is still the rater's is read after they joined.
        var mine = (await new GradingStore(db.Database, new RubricQuery(db.Database), db.Clock).QueueAsync(studyId, rater))[0].ResponseId;
        var flags = new FlagStore(db.Database, db.Clock);
        var flagId = (await flags.AddAsync(studyId, rater, mine, "Outside my expertise."))!.Value;

        Assert.Null(await flags.OpenAsync(studyId, rater));
        Assert.Null(await flags.ForResponseAsync(studyId, mine, other));
        Assert.Equal(FlagOutcome.NotAllowed, (await flags.ReplyAsync(studyId, flagId, rater, "I reply to myself")).Outcome);
        Assert.Equal(FlagOutcome.NotAllowed, (await flags.ResolveAsync(studyId, flagId, other)).Outcome);
        Assert.Empty(await flags.ListAsync(studyId, other, mine));

        // A coordinator of another study may not touch this one's flags either.
        using var folder = new TempFolder();
        var bundle = SyntheticBundle.Write(Path.Combine(folder.Path, "b"), "flags-elsewhere", "Elsewhere", responses: 2, ratersPerResponse: 1);
        var elsewhere = (await new Storage.Studies.StudyImporter(db.Database, db.Clock).ImportAsync(bundle)).StudyId!.Value;
        var theirs = await AddCoordinatorAsync(db, elsewhere, "coord-elsewhere");
        Assert.Equal(FlagOutcome.NotAllowed, (await flags.ResolveAsync(studyId, flagId, theirs)).Outcome);
        Assert.Equal(FlagOutcome.NotFound, (await flags.ResolveAsync(elsewhere, flagId, theirs)).Outcome);
        Assert.False(Assert.Single(await flags.ListAsync(studyId, rater, mine)).Resolved);
    }

    static async Task<long> AddCoordinatorAsync(TestDatabase db, long studyId, string username)
    {
        var users = new UserStore(db.Database, db.Clock);
        var id = (await users.CreateAsync(username, username, isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, id, "coordinator");
        return id;
    }
}
