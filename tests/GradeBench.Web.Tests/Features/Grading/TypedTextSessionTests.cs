using GradeBench.Web.Features.Grading;
using static GradeBench.Web.Tests.Features.Grading.GradingSessionScene;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The session's side of free text belonging to the browser: a field left is saved at once, and another tab's
/// text goes only where the rater is not typing (over the same scene as <see cref="GradingSessionTests"/>).</summary>
public sealed class TypedTextSessionTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    static readonly TimeSpan Pause = GradingSession.TypingPause;

    readonly GradingSessionScene _scene = new(factory);

    [Fact]
    public async Task LeavingTheTextFieldSavesWithoutWaitingForThePause()
    {
        var world = await _scene.WorldAsync();
        var (session, _) = await _scene.OpenAsync(world);
        var item = session.Item!.Handle;

        var typing = session.TypeAsync(Criterion(session, "comment"), "Left the field");
        await session.SaveTypingNowAsync();
        await typing;

        Assert.Equal("Left the field", (await _scene.StoredAsync(world, item))!.Values["comment"]);
        _scene.Clock.Advance(Pause);
        Assert.Equal(1, await _scene.HistoryCountAsync(world, item));
    }

    [Fact]
    public async Task AnotherTabsTextIsOfferedToTheFieldsAndTextTheRaterKeptIsSavedAsTheLaterWrite()
    {
        var world = await _scene.WorldAsync();
        var (here, _) = await _scene.OpenAsync(world);
        var (there, _) = await _scene.OpenAsync(world);
        var item = here.Item!.Handle;

        await there.ChooseAsync(Criterion(there, "comment"), "Saved there");
        await here.ShowChangeFromElsewhereAsync(here.Item!.ResponseId);

        Assert.Equal(new Dictionary<string, string?> { ["comment"] = "Saved there" }, here.TakeTextToShow());
        Assert.Null(here.TakeTextToShow());
        // The rater was in the field: the browser kept their text, which is saved over the other tab's.
        await here.KeepTypedAsync(new Dictionary<string, string?> { ["comment"] = "Typed here" });
        Assert.Equal("Typed here", (await _scene.StoredAsync(world, item))!.Values["comment"]);
        Assert.Equal("Typed here", here.Values["comment"]);
    }
}
