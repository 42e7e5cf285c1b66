using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Features.Live;
using Microsoft.Extensions.DependencyInjection;
using static GradeBench.Web.Tests.Features.Grading.GradingSessionScene;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The grading page's session without rendering: over the app's real stores and SQLite database, with the
/// typing pause on a fake clock and the tab's journal replaced by one that records what it is told. Each test imports
/// its own copy of the demo study and makes its own rater.</summary>
public sealed class GradingSessionTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    static readonly TimeSpan Pause = GradingSession.TypingPause;

    readonly GradingSessionScene _scene = new(factory);
    IServiceProvider App => _scene.App;

    [Fact]
    public async Task OpeningTheQueueShowsTheFirstItemNotDoneWithAnEmptyDraft()
    {
        var world = await _scene.WorldAsync();

        var (session, _) = await _scene.OpenAsync(world);

        Assert.Null(session.LoadError);
        Assert.NotNull(session.Membership);
        Assert.Equal(session.Queue!.Current, session.Item!.ResponseId);
        Assert.Equal(0, session.Queue.Index);
        Assert.Empty(session.Values);
        Assert.Equal("", session.SaveState);
        Assert.Equal(1, session.Version);
        Assert.Equal($"gradebench:unsent:{world.RaterId}:{world.StudyId}:{session.Item.Handle}", session.JournalKey(session.Item.Handle));
    }

    [Fact]
    public async Task SomeoneWhoIsNotARaterGetsNoItem()
    {
        var world = await _scene.WorldAsync();
        var outsider = (await App.GetRequiredService<UserStore>().CreateAsync($"outside-{Guid.NewGuid():N}"[..24], "Dr Out", isAdmin: false))!;

        var (session, _) = await _scene.OpenAsync(world with { RaterId = outsider.Id });

        Assert.Equal("You are not a rater in this study.", session.LoadError);
        Assert.Null(session.Membership);
        Assert.Null(session.Item);
    }

    [Fact]
    public async Task AResponseNotAssignedToTheRaterIsRefused()
    {
        var world = await _scene.WorldAsync();

        var (session, _) = await _scene.OpenAsync(world, handle: "0000000000000000");

        Assert.Equal("That response is not assigned to you.", session.LoadError);
        Assert.Null(session.Item);
    }

    [Fact]
    public async Task AChoiceIsSavedAsADraftAtOnceAndTheJournalForgetsIt()
    {
        var world = await _scene.WorldAsync();
        var (session, journal) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;

        await session.ChooseAsync(Criterion(session, "consensus"), "4");

        Assert.Equal("4", (await _scene.StoredAsync(world, item))!.Values["consensus"]);
        Assert.Equal("Draft saved", session.SaveState);
        Assert.Equal([$"forget {session.JournalKey(item)} consensus=4"], journal.Told);
    }

    [Fact]
    public async Task TypedTextIsSavedAfterThePauseAndNotBefore()
    {
        var world = await _scene.WorldAsync();
        var (session, journal) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;

        var typing = session.TypeAsync(Criterion(session, "comment"), "Dose is wrong");
        Assert.Equal("Typing…", session.SaveState);
        Assert.Equal("Dose is wrong", session.Values["comment"]);
        _scene.Clock.Advance(Pause - TimeSpan.FromMilliseconds(1));

        Assert.False(typing.IsCompleted);
        Assert.False((await _scene.StoredAsync(world, item))!.Values.ContainsKey("comment"));
        Assert.Empty(journal.Told);

        _scene.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await typing;

        Assert.Equal("Dose is wrong", (await _scene.StoredAsync(world, item))!.Values["comment"]);
        Assert.Equal("Draft saved", session.SaveState);
        Assert.Equal([$"forget {session.JournalKey(item)} comment=Dose is wrong"], journal.Told);
    }

    [Fact]
    public async Task TypingAgainWithinThePauseSavesOnlyTheLastText()
    {
        var world = await _scene.WorldAsync();
        var (session, _) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;
        var comment = Criterion(session, "comment");

        var first = session.TypeAsync(comment, "Dose");
        _scene.Clock.Advance(Pause / 2);
        var second = session.TypeAsync(comment, "Dose is wrong");
        _scene.Clock.Advance(Pause / 2);
        await first;

        Assert.False(second.IsCompleted);
        Assert.Equal(0, await _scene.HistoryCountAsync(world, item));

        _scene.Clock.Advance(Pause / 2);
        await second;

        Assert.Equal("Dose is wrong", (await _scene.StoredAsync(world, item))!.Values["comment"]);
        Assert.Equal(1, await _scene.HistoryCountAsync(world, item));
    }

    [Fact]
    public async Task TextTypedJustBeforeAnotherItemOpensIsSavedOnItsOwnItem()
    {
        var world = await _scene.WorldAsync();
        var (session, journal) = await _scene.OpenAsync(world);
        var first = session.Item!.Handle;
        var next = session.Queue!.Next!;

        var typing = session.TypeAsync(Criterion(session, "comment"), "On the first item");
        await session.OpenAsync(world.StudyId, world.RaterId, next);
        await typing;

        Assert.Equal(next, session.Item!.Handle);
        Assert.Equal("On the first item", (await _scene.StoredAsync(world, first))!.Values["comment"]);
        Assert.Contains($"forget {session.JournalKey(first)} comment=On the first item", journal.Told);
        Assert.Empty(session.Values);

        // The pause that was running ends without a second save, on either item.
        _scene.Clock.Advance(Pause);
        Assert.Equal(1, await _scene.HistoryCountAsync(world, first));
        Assert.Equal(0, await _scene.HistoryCountAsync(world, next));
    }

    [Fact]
    public async Task ClosingThePageWhileTypingKeepsWhatWasTyped()
    {
        var world = await _scene.WorldAsync();
        var (session, _) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;

        var typing = session.TypeAsync(Criterion(session, "comment"), "Typed as the page closed");
        await session.FlushTypingAsync();
        await typing;

        Assert.Equal("Typed as the page closed", (await _scene.StoredAsync(world, item))!.Values["comment"]);
        _scene.Clock.Advance(Pause);
        Assert.Equal(1, await _scene.HistoryCountAsync(world, item));
    }

    [Fact]
    public async Task AnIncompleteSubmitNamesTheMissingCriteriaAndIsHandled()
    {
        var world = await _scene.WorldAsync();
        var (session, journal) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;
        await session.ChooseAsync(Criterion(session, "consensus"), "4");

        var next = await session.SubmitAsync(item);

        Assert.Null(next);
        Assert.Equal("Not saved: see the marked criteria.", session.SaveState);
        Assert.Contains("reasoning", session.Problems.Keys);
        Assert.DoesNotContain("consensus", session.Problems.Keys);
        Assert.False((await _scene.StoredAsync(world, item))!.Done);
        Assert.Equal($"submitHandled {session.JournalKey(item)}", journal.Told[^1]);
    }

    [Fact]
    public async Task SubmitRecordsTheRatingOnceAndGoesToTheNextItemNotDone()
    {
        var world = await _scene.WorldAsync();
        var (session, journal) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;
        await ChooseAllAsync(session);

        var next = await session.SubmitAsync(item);

        var following = await App.GetRequiredService<GradingStore>().NextUndoneAsync(world.StudyId, world.RaterId, (await _scene.StoredAsync(world, item))!.ResponseId);
        Assert.Equal($"/studies/{world.StudyId}/grade/{following}", next);
        Assert.Equal("Submitted", session.SaveState);
        Assert.True((await _scene.StoredAsync(world, item))!.Done);
        var history = await _scene.HistoryCountAsync(world, item);

        // Pressed again while the page moves on: the same Submit, not a second one.
        Assert.Null(await session.SubmitAsync(item));
        Assert.Equal(history, await _scene.HistoryCountAsync(world, item));
        Assert.Equal(2, journal.Told.Count(t => t == $"submitHandled {session.JournalKey(item)}"));
    }

    [Fact]
    public async Task SubmittingTheLastItemAtTheQueuesOwnAddressOpensTheQueueAgain()
    {
        var world = await _scene.WorldAsync();
        var (session, _) = await _scene.OpenAsync(world);
        var assigned = session.Queue!.Assigned;
        for (var done = 1; done < assigned; done++)
        {
            await _scene.SubmitCompleteAsync(world, session.Item!.Handle);
            await session.OpenAsync(world.StudyId, world.RaterId, null);
        }
        var last = session.Item!.Handle;
        var version = session.Version;
        await ChooseAllAsync(session);

        var next = await session.SubmitAsync(last);

        Assert.Null(next);
        Assert.Equal(version + 1, session.Version);
        Assert.Null(session.Item);
        Assert.Equal(assigned, session.Queue!.Done);
    }

    [Fact]
    public async Task AChangeInAnotherTabIsShownBecauseTheLaterWriteWins()
    {
        var world = await _scene.WorldAsync();
        var (here, _) = await _scene.OpenAsync(world);
        var (there, _) = await _scene.OpenAsync(world);
        var item = here.Item!.Handle;
        await here.ChooseAsync(Criterion(here, "consensus"), "2");

        await there.ChooseAsync(Criterion(there, "consensus"), "5");
        Assert.True(await here.ShowChangeFromElsewhereAsync(here.Item!.ResponseId));

        Assert.Equal("5", here.Values["consensus"]);
        Assert.Equal("Changed in another tab: this form now shows the version saved there.", here.SaveState);
        Assert.Equal("5", (await _scene.StoredAsync(world, item))!.Values["consensus"]);
        Assert.NotEqual(here.Origin, there.Origin);
    }

    [Fact]
    public async Task TextBeingTypedHereStaysOverAnotherTabsChangeAndIsSavedAsTheLaterWrite()
    {
        var world = await _scene.WorldAsync();
        var (here, _) = await _scene.OpenAsync(world);
        var (there, _) = await _scene.OpenAsync(world);
        var item = here.Item!.Handle;

        var typing = here.TypeAsync(Criterion(here, "comment"), "Typed here");
        await there.ChooseAsync(Criterion(there, "comment"), "Saved there");
        await here.ShowChangeFromElsewhereAsync(here.Item!.ResponseId);

        Assert.Equal("Typed here", here.Values["comment"]);
        _scene.Clock.Advance(Pause);
        await typing;
        Assert.Equal("Typed here", (await _scene.StoredAsync(world, item))!.Values["comment"]);
    }

    [Fact]
    public async Task ASubmitInAnotherTabIsAnnouncedAndLaterChangesHereKeepTheRatingSubmitted()
    {
        var world = await _scene.WorldAsync();
        var (here, _) = await _scene.OpenAsync(world);
        var (there, _) = await _scene.OpenAsync(world);
        var item = here.Item!.Handle;
        await ChooseAllAsync(there);

        await there.SubmitAsync(item);
        await here.ShowChangeFromElsewhereAsync(here.Item!.ResponseId);

        Assert.Equal("Submitted in another tab. Changes made here still update the submitted rating.", here.SaveState);
        Assert.True(here.Item!.Done);
        await here.ChooseAsync(Criterion(here, "overall"), "5");
        Assert.Equal("Change saved (the rating stays submitted)", here.SaveState);
        Assert.True((await _scene.StoredAsync(world, item))!.Done);
    }

    [Fact]
    public async Task RecoverySavesWhatTheServerNeverReceivedAndSettlesWhatItHas()
    {
        var world = await _scene.WorldAsync();
        var (session, journal) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;
        await session.ChooseAsync(Criterion(session, "consensus"), "4");
        journal.Told.Clear();
        journal.Unsent[session.JournalKey(item)] = new Dictionary<string, string?>
        {
            ["consensus"] = "4", ["reasoning"] = "3", ["comment"] = "Typed offline", ["no-such-criterion"] = "x",
        };

        Assert.True(await session.RecoverUnsentAsync());

        var stored = (await _scene.StoredAsync(world, item))!.Values;
        Assert.Equal(("3", "Typed offline"), (stored["reasoning"], stored["comment"]));
        Assert.Equal("Saved 2 changes that had not reached the server when the connection dropped.", session.SaveState);
        Assert.Equal("Typed offline", session.Values["comment"]);
        Assert.Equal(new Dictionary<string, string?> { ["comment"] = "Typed offline" }, session.TakeTextToShow());
        Assert.Equal($"settle {session.JournalKey(item)} consensus,no-such-criterion", journal.Told[0]);
    }

    [Fact]
    public async Task RecoveryDoesNotSendAgainAValueThisTabSavedWhenAnotherTabWroteLater()
    {
        var world = await _scene.WorldAsync();
        var (here, journal) = await _scene.OpenAsync(world);
        var (there, _) = await _scene.OpenAsync(world);
        var item = here.Item!.Handle;
        await here.ChooseAsync(Criterion(here, "consensus"), "2");
        await there.ChooseAsync(Criterion(there, "consensus"), "5");
        // The journal never heard that the server had the 2 (the connection dropped).
        journal.Unsent[here.JournalKey(item)] = new Dictionary<string, string?> { ["consensus"] = "2" };

        Assert.False(await here.RecoverUnsentAsync());

        Assert.Equal("5", (await _scene.StoredAsync(world, item))!.Values["consensus"]);
        Assert.Equal($"settle {here.JournalKey(item)} consensus", journal.Told[^1]);
    }

    [Fact]
    public async Task RecoveryTellsTheJournalWhenTheItemWasSubmittedMeanwhile()
    {
        var world = await _scene.WorldAsync();
        var (session, journal) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;
        await _scene.SubmitCompleteAsync(world, item);

        Assert.False(await session.RecoverUnsentAsync());

        Assert.Equal([$"submitHandled {session.JournalKey(item)}"], journal.Told);
    }

    [Fact]
    public async Task WithoutAJournalNothingIsRecoveredOrTold()
    {
        var world = await _scene.WorldAsync();
        var session = _scene.NewSession();
        await session.OpenAsync(world.StudyId, world.RaterId, null);

        Assert.False(await session.RecoverUnsentAsync());
        await session.ChooseAsync(Criterion(session, "consensus"), "4");

        Assert.Equal("Draft saved", session.SaveState);
    }

    [Fact]
    public async Task TheSaveLockMakesAChoiceAndASubmitWaitForARecoveryInProgress()
    {
        var world = await _scene.WorldAsync();
        var (session, journal) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;
        foreach (var (id, value) in Complete.Where(p => p.Key != "overall")) await session.ChooseAsync(Criterion(session, id), value);
        var gate = new TaskCompletionSource();
        journal.Gate = gate.Task;

        var recovering = session.RecoverUnsentAsync();
        var choosing = session.ChooseAsync(Criterion(session, "overall"), "4");
        var submitting = session.SubmitAsync(item);

        Assert.False(choosing.IsCompleted);
        Assert.False(submitting.IsCompleted);
        Assert.False((await _scene.StoredAsync(world, item))!.Values.ContainsKey("overall"));
        Assert.False((await _scene.StoredAsync(world, item))!.Done);

        gate.SetResult();
        await recovering;
        await choosing;
        await submitting;

        var stored = (await _scene.StoredAsync(world, item))!;
        Assert.True(stored.Done);
        Assert.Equal("4", stored.Values["overall"]);
        Assert.Equal("Submitted", session.SaveState);
    }

    [Fact]
    public async Task TheSessionsOwnWritesCarryItsOriginSoItsPageDoesNotTakeThemForAnotherTabs()
    {
        var world = await _scene.WorldAsync();
        var (session, _) = await _scene.OpenAsync(world);
        var heard = new TaskCompletionSource<RatingChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = App.GetRequiredService<StudyEvents>().Subscribe(world.StudyId, world.RaterId, isCoordinator: false, e =>
        {
            if (e is RatingChanged changed) heard.TrySetResult(changed);
            return Task.CompletedTask;
        });

        await session.ChooseAsync(Criterion(session, "consensus"), "4");

        Assert.Equal(session.Origin, (await heard.Task.WaitAsync(TimeSpan.FromSeconds(10))).Origin);
    }
}
