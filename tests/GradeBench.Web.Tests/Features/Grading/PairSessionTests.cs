using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Storage;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Features.Live;
using Microsoft.Extensions.DependencyInjection;
using static GradeBench.Web.Tests.Features.Grading.PairSessionScene;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The side-by-side page's session without rendering: over the app's real stores and SQLite database, with the
/// typing pause on a fake clock and the tab's journal replaced by one that records what it is told. Each test makes its
/// own side-by-side study and raters.</summary>
public sealed class PairSessionTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    static readonly TimeSpan Pause = DraftSession.TypingPause;

    readonly PairSessionScene _scene = new(factory);
    IServiceProvider App => _scene.App;

    [Fact]
    public async Task OpeningTheQueueShowsTheFirstPairNotDoneWithAnEmptyDraftAndAJournalOfItsOwn()
    {
        var study = await _scene.StudyAsync();

        var (session, _) = await _scene.OpenAsync(study);

        Assert.Null(session.LoadError);
        Assert.Equal(study.Pairs[0].Handle, session.Item!.Handle);
        Assert.Equal((6L, 0L, 0L), (session.Queue!.Assigned, session.Queue.Done, session.Queue.Index));
        Assert.Empty(session.Choices);
        Assert.Empty(session.ReasonsTicked);
        Assert.Equal(("", ""), (session.Comment, session.SaveState));
        // A pair's key never names a response's, whose handles are drawn from the same digits.
        Assert.Equal($"gradebench:unsent:{study.Raters[0]}:{study.StudyId}:pair:{study.Pairs[0].Handle}", session.JournalKey(session.Item.Handle));
    }

    [Fact]
    public async Task APairOfAnotherRaterIsNotOpenedAndSaysSo()
    {
        var study = await _scene.StudyAsync();
        await using (var connection = await App.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("DELETE FROM pair_assignments WHERE rater_id = @Rater AND pair_id = @Pair",
                new { Rater = study.Raters[0], Pair = study.Pairs[5].Id });

        var (session, _) = await _scene.OpenAsync(study, study.Pairs[5].Handle);

        Assert.Equal("That pair is not assigned to you.", session.LoadError);
        Assert.Null(session.Item);
    }

    [Fact]
    public async Task AVoteOnAPairWhoseVotesTheRaterHasSinceSeenIsRefusedAndTheSessionTurnsFinalUntilAnotherPairOpens()
    {
        var study = await _scene.StudyAsync();
        var (session, journal) = await _scene.OpenAsync(study);
        var pair = session.Item!.Handle;
        await ComparePageTests.RevealAsync(App, study, study.Pairs[0]);

        await session.ChooseAsync("harm", PairwiseChoice.Right);

        Assert.True(session.Frozen);
        Assert.Equal("Not saved: you have seen other raters' votes on this pair, so your judgement of it is final.", session.SaveState);
        Assert.Empty((await _scene.StoredAsync(study, pair))!.Choices);
        // Refused with its reason shown: the tab's journal has nothing left to send.
        Assert.Equal([$"forget {session.JournalKey(pair)} axis:harm=right"], journal.Told);

        await session.OpenAsync(study.StudyId, study.Raters[0], study.Pairs[1].Handle);

        Assert.False(session.Frozen);
    }

    [Fact]
    public async Task AVoteIsSavedAsADraftAtOnceAndTheJournalForgetsIt()
    {
        var study = await _scene.StudyAsync();
        var (session, journal) = await _scene.OpenAsync(study);
        var pair = session.Item!.Handle;

        await session.ChooseAsync("harm", PairwiseChoice.Right);

        var stored = (await _scene.StoredAsync(study, pair))!;
        Assert.Equal(PairwiseChoice.Right, stored.Choices["harm"]);
        Assert.False(stored.Done);
        Assert.Equal("Draft saved", session.SaveState);
        Assert.Equal([$"forget {session.JournalKey(pair)} axis:harm=right"], journal.Told);
    }

    [Fact]
    public async Task AReasonTickedIsSavedWithTheOthersTickedHere()
    {
        var study = await _scene.StudyAsync();
        var (session, journal) = await _scene.OpenAsync(study);
        var pair = session.Item!.Handle;

        await session.TickReasonAsync("safety", true);
        await session.TickReasonAsync("accuracy", true);
        await session.TickReasonAsync("safety", false);

        Assert.Equal(["accuracy"], (await _scene.StoredAsync(study, pair))!.ReasonsTicked);
        Assert.Equal($"forget {session.JournalKey(pair)} reason:safety=false", journal.Told[^1]);
    }

    [Fact]
    public async Task TheCommentIsSavedAfterThePauseAndNotBeforeAndAVoteLeavesItAlone()
    {
        var study = await _scene.StudyAsync();
        var (session, journal) = await _scene.OpenAsync(study);
        var pair = session.Item!.Handle;

        var typing = session.TypeCommentAsync("Left misses the dose");
        Assert.Equal("Typing…", session.SaveState);
        await session.ChooseAsync("consensus", PairwiseChoice.Left);
        _scene.Clock.Advance(Pause - TimeSpan.FromMilliseconds(1));
        Assert.False(typing.IsCompleted);
        Assert.Null((await _scene.StoredAsync(study, pair))!.Comment);

        _scene.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await typing;

        Assert.Equal("Left misses the dose", (await _scene.StoredAsync(study, pair))!.Comment);
        Assert.Equal($"forget {session.JournalKey(pair)} comment=Left misses the dose", journal.Told[^1]);
    }

    [Fact]
    public async Task ACommentTypedJustBeforeAnotherPairOpensIsSavedOnItsOwnPair()
    {
        var study = await _scene.StudyAsync();
        var (session, _) = await _scene.OpenAsync(study);
        var first = session.Item!.Handle;

        var typing = session.TypeCommentAsync("On the first pair");
        await session.OpenAsync(study.StudyId, study.Raters[0], study.Pairs[1].Handle);
        await typing;
        _scene.Clock.Advance(Pause);

        Assert.Equal("On the first pair", (await _scene.StoredAsync(study, first))!.Comment);
        Assert.Null((await _scene.StoredAsync(study, study.Pairs[1].Handle))!.Comment);
        Assert.Equal("", session.Comment);
    }

    [Fact]
    public async Task ASubmitWithoutEveryAxisNamesTheMissingOneAndStoresNothingSubmitted()
    {
        var study = await _scene.StudyAsync();
        var (session, journal) = await _scene.OpenAsync(study);
        var pair = session.Item!.Handle;
        await session.ChooseAsync("consensus", PairwiseChoice.Tie);

        var next = await session.SubmitAsync(pair);

        Assert.Null(next);
        Assert.Equal(["harm"], session.AxisProblems.Keys);
        Assert.Equal("Vote_Required", session.AxisProblems["harm"].Key);
        Assert.Equal("Not saved: see the marked questions.", session.SaveState);
        Assert.False((await _scene.StoredAsync(study, pair))!.Done);
        Assert.False(await _scene.AnyVoteSubmittedAsync(study, pair));
        Assert.Equal($"submitHandled {session.JournalKey(pair)}", journal.Told[^1]);
    }

    [Fact]
    public async Task SubmitRecordsTheJudgementOnceTellsTheCoordinatorsAndGoesToTheNextPairNotDone()
    {
        var study = await _scene.StudyAsync();
        var (session, journal) = await _scene.OpenAsync(study, study.Pairs[2].Handle);
        var heard = new List<StudyEvent>();
        using var coordinators = App.GetRequiredService<StudyEvents>().Subscribe(study.StudyId, 0, isCoordinator: true, e =>
        {
            lock (heard) heard.Add(e);
            return Task.CompletedTask;
        });
        await ChooseAllAsync(session);
        await session.TickReasonAsync("safety", true);
        var typing = session.TypeCommentAsync("Both are unsafe");

        var next = await session.SubmitAsync(study.Pairs[2].Handle);
        _scene.Clock.Advance(Pause);
        await typing;

        var stored = (await _scene.StoredAsync(study, study.Pairs[2].Handle))!;
        Assert.Equal($"/studies/{study.StudyId}/compare/{study.Pairs[3].Handle}", next);
        Assert.True(stored.Done);
        Assert.Equal((PairwiseChoice.Left, PairwiseChoice.BothBad), (stored.Choices["consensus"], stored.Choices["harm"]));
        Assert.Equal(["safety"], stored.ReasonsTicked);
        Assert.Equal("Both are unsafe", stored.Comment);
        Assert.Equal("Submitted", session.SaveState);
        await WaitForAsync(() =>
        {
            lock (heard) return heard.OfType<ProgressChanged>().Any();
        });
        List<StudyEvent> events;
        lock (heard) events = [.. heard];
        var submitted = Assert.Single(events.OfType<PairSubmitted>());
        Assert.Equal((study.Raters[0], study.Pairs[2].Id, study.Pairs[2].Handle, study.Usernames[0]),
            (submitted.RaterId, submitted.PairId, submitted.Pair, submitted.RaterName));
        var progress = Assert.Single(events.OfType<ProgressChanged>());
        Assert.Equal((study.Raters[0], 1L, 6L), (progress.RaterId, progress.RaterDone, progress.RaterAssigned));
        Assert.DoesNotContain(events, e => e is PairChanged); // the rater's own tabs only

        // Pressed again while the page moves on: the same Submit, not a second one.
        Assert.Null(await session.SubmitAsync(study.Pairs[2].Handle));
        Assert.Equal(2, journal.Told.Count(t => t == $"submitHandled {session.JournalKey(study.Pairs[2].Handle)}"));
    }

    [Fact]
    public async Task SubmittingTheLastPairAtTheQueuesOwnAddressOpensTheQueueAgain()
    {
        var study = await _scene.StudyAsync();
        var store = App.GetRequiredService<GradeBench.Storage.Pairwise.PairwiseStore>();
        foreach (var pair in study.Pairs.Take(5))
            await store.SaveAsync(study.StudyId, study.Raters[0], pair.Id, new()
            {
                Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Tie, ["harm"] = PairwiseChoice.Tie },
            }, submit: true);
        var (session, _) = await _scene.OpenAsync(study);
        var version = session.Version;
        await ChooseAllAsync(session);

        var next = await session.SubmitAsync(study.Pairs[5].Handle);

        Assert.Null(next);
        Assert.Equal(version + 1, session.Version);
        Assert.Null(session.Item);
        Assert.Equal(6, session.Queue!.Done);
    }

    [Fact]
    public async Task AChangeInAnotherTabIsShownAndACommentBeingTypedHereStays()
    {
        var study = await _scene.StudyAsync();
        var (here, _) = await _scene.OpenAsync(study);
        var (there, _) = await _scene.OpenAsync(study);
        var pair = here.Item!.Handle;
        await here.ChooseAsync("consensus", PairwiseChoice.Left);
        var typing = here.TypeCommentAsync("Typed here");

        await there.ChooseAsync("consensus", PairwiseChoice.Right);
        await there.TickReasonAsync("accuracy", true);
        await SaveCommentAsync(there, "Saved there");
        Assert.True(await here.ShowChangeFromElsewhereAsync(here.Item!.PairId));

        Assert.Equal(PairwiseChoice.Right, here.Choices["consensus"]);
        Assert.Equal(["accuracy"], here.ReasonsTicked);
        Assert.Equal("Typed here", here.Comment);
        Assert.Null(here.TakeTextToShow());
        Assert.Equal("Changed in another tab: this form now shows the version saved there.", here.SaveState);
        _scene.Clock.Advance(Pause);
        await typing;
        Assert.Equal("Typed here", (await _scene.StoredAsync(study, pair))!.Comment);
        Assert.NotEqual(here.Origin, there.Origin);
    }

    [Fact]
    public async Task AnotherTabsCommentGoesIntoTheFieldWhenTheRaterIsNotTypingInIt()
    {
        var study = await _scene.StudyAsync();
        var (here, _) = await _scene.OpenAsync(study);
        var (there, _) = await _scene.OpenAsync(study);

        await SaveCommentAsync(there, "Saved there");
        await here.ShowChangeFromElsewhereAsync(here.Item!.PairId);

        Assert.Equal("Saved there", here.Comment);
        Assert.Equal(new Dictionary<string, string?> { [PairSession.CommentField] = "Saved there" }, here.TakeTextToShow());
    }

    [Fact]
    public async Task RecoverySavesWhatTheServerNeverReceivedAndSettlesWhatItHas()
    {
        var study = await _scene.StudyAsync();
        var (session, journal) = await _scene.OpenAsync(study);
        var pair = session.Item!.Handle;
        await session.ChooseAsync("consensus", PairwiseChoice.Left);
        await session.TickReasonAsync("accuracy", true);
        journal.Told.Clear();
        journal.Unsent[session.JournalKey(pair)] = new Dictionary<string, string?>
        {
            ["axis:consensus"] = "left", ["axis:harm"] = "both_bad", ["reason:safety"] = "true", ["comment"] = "Typed offline",
            ["axis:no-such-axis"] = "left", ["axis:consensus-typo"] = "sideways",
        };

        Assert.True(await session.RecoverUnsentAsync());

        var stored = (await _scene.StoredAsync(study, pair))!;
        Assert.Equal((PairwiseChoice.Left, PairwiseChoice.BothBad), (stored.Choices["consensus"], stored.Choices["harm"]));
        Assert.Equal(["accuracy", "safety"], stored.ReasonsTicked);
        Assert.Equal("Typed offline", stored.Comment);
        Assert.Equal("Saved 3 changes that had not reached the server when the connection dropped.", session.SaveState);
        Assert.Equal(new Dictionary<string, string?> { [PairSession.CommentField] = "Typed offline" }, session.TakeTextToShow());
        Assert.Equal($"settle {session.JournalKey(pair)} axis:consensus,axis:no-such-axis,axis:consensus-typo", journal.Told[0]);
    }

    [Fact]
    public async Task RecoveryTellsTheJournalWhenThePairWasSubmittedMeanwhile()
    {
        var study = await _scene.StudyAsync();
        var (session, journal) = await _scene.OpenAsync(study);
        var (there, _) = await _scene.OpenAsync(study);
        await ChooseAllAsync(there);
        await there.SubmitAsync(session.Item!.Handle);
        journal.Told.Clear();

        Assert.False(await session.RecoverUnsentAsync());

        Assert.Equal([$"submitHandled {session.JournalKey(session.Item!.Handle)}"], journal.Told);
    }

    [Fact]
    public async Task TheSessionsOwnWritesCarryItsOriginSoItsPageDoesNotTakeThemForAnotherTabs()
    {
        var study = await _scene.StudyAsync();
        var (session, _) = await _scene.OpenAsync(study);
        var heard = new TaskCompletionSource<PairChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = App.GetRequiredService<StudyEvents>().Subscribe(study.StudyId, study.Raters[0], isCoordinator: false, e =>
        {
            if (e is PairChanged changed) heard.TrySetResult(changed);
            return Task.CompletedTask;
        });

        await session.ChooseAsync("consensus", PairwiseChoice.Left);

        var changed = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((session.Origin, session.Item!.PairId), (changed.Origin, changed.PairId));
    }

    /// <summary>A comment typed and left at once (the rater leaves the field): saved without waiting for the pause.</summary>
    static async Task SaveCommentAsync(PairSession session, string text)
    {
        var typing = session.TypeCommentAsync(text);
        await session.SaveTypingNowAsync();
        await typing;
    }

    static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition() && waited < 10_000; waited += 20) await Task.Delay(20);
    }
}
