using static GradeBench.Web.Tests.Features.Grading.GradingSessionScene;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>What the session says about an item as it opens: a draft is restored, a submitted rating is not a draft;
/// and in which language the item's texts are (over the same scene as <see cref="GradingSessionTests"/>).</summary>
public sealed class ReopenedItemSessionTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    readonly GradingSessionScene _scene = new(factory);

    [Fact]
    public async Task ADraftOpensAsRestoredAndASubmittedRatingDoesNot()
    {
        var world = await _scene.WorldAsync();
        var (session, _) = await _scene.OpenAsync(world);
        var draft = session.Item!.Handle;
        await session.ChooseAsync(Criterion(session, "consensus"), "3");
        var submitted = session.Queue!.Next!;
        await _scene.SubmitCompleteAsync(world, submitted);

        var (reopenedDraft, _) = await _scene.OpenAsync(world, draft);
        var (reopenedSubmitted, _) = await _scene.OpenAsync(world, submitted);

        Assert.Equal(("Draft restored", false), (reopenedDraft.SaveState, reopenedDraft.Item!.Done));
        Assert.Equal(("", true), (reopenedSubmitted.SaveState, reopenedSubmitted.Item!.Done));
    }

    [Fact]
    public async Task AnItemIsInItsCasesLanguageAndTheRubricInTheStudys()
    {
        var world = await _scene.WorldAsync();
        var (session, _) = await _scene.OpenAsync(world);
        var languages = new Dictionary<string, int>();

        // The demo is an English study with four cases in Chinese.
        for (var item = session.Item!.Handle; item is not null; item = session.Queue!.Next)
        {
            await session.OpenAsync(world.StudyId, world.RaterId, item);
            languages[session.Item!.Language] = languages.GetValueOrDefault(session.Item.Language) + 1;
            Assert.Equal(session.Item.Language == "zh", session.Item.CaseTitle.Any(c => c is >= '\u4e00' and <= '\u9fff'));
        }

        Assert.Equal("en", session.Membership!.Language);
        Assert.Equal(["en", "zh"], languages.Keys.Order());
    }
}
