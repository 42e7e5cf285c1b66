using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>What a coordinator is told before ending rating or closing (a rating is one response × rater), and the
/// typed study id that closing needs.</summary>
public sealed class StudyClosingTests() : DemoRaterTest("dr-late")
{
    StudyLifecycleStore _lifecycle = null!;
    StudyCompletionQuery _completion = null!;
    long _coordinator;

    protected override async Task ArrangeAsync()
    {
        _coordinator = await CoordinatorAsync("dr-lead", "Dr Lead");
        _lifecycle = new StudyLifecycleStore(Db.Database, new StudyQuery(Db.Database), Db.Clock);
        _completion = new StudyCompletionQuery(Db.Database);
    }

    [Fact]
    public async Task MissingRatingsAreResponsesTimesRatersNotSubmittedAndDraftsCountTheirRaters()
    {
        // The demo: 60 responses × 3 raters; its pilot raters submitted 72 ratings (576 values).
        var before = await _completion.ReadAsync(StudyId);
        await Grading.SaveAsync(StudyId, Rater, Demo.Assigned, new Dictionary<string, string?> { ["overall"] = "4" }, submit: false);
        var drafted = await _completion.ReadAsync(StudyId);
        await Grading.SaveAsync(StudyId, Rater, Demo.Assigned, CompleteRating, submit: true);
        var submitted = await _completion.ReadAsync(StudyId);

        Assert.Equal(new StudyCompletion { Slug = TestPaths.DemoStudyId, Expected = 180, Missing = 108, RatersWithDrafts = 0 }, before);
        Assert.Equal(before! with { RatersWithDrafts = 1 }, drafted);
        Assert.Equal(before with { Missing = 107 }, submitted);
        Assert.Null(await _completion.ReadAsync(StudyId + 1000));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("stroke-llm-synthetic")]
    [InlineData("STROKE-LLM-SYNTHETIC-DEMO")]
    public async Task ClosingWithoutTheStudysIdTypedChangesNothing(string? typed)
    {
        var refused = await _lifecycle.CloseAsync(StudyId, _coordinator, typed);

        Assert.Equal(StudyChangeOutcome.NotConfirmed, refused.Outcome);
        Assert.Equal(new StudyStatus(StudyState.Open, false), await _lifecycle.StatusAsync(StudyId));
    }

    [Fact]
    public async Task ClosingWithTheStudysIdTypedClosesItButOnlyForItsCoordinators()
    {
        var byRater = await _lifecycle.CloseAsync(StudyId, Rater, TestPaths.DemoStudyId);
        var closed = await _lifecycle.CloseAsync(StudyId, _coordinator, $" {TestPaths.DemoStudyId} ");

        Assert.Equal(StudyChangeOutcome.NotCoordinator, byRater.Outcome);
        Assert.Equal(StudyChangeOutcome.Changed, closed.Outcome);
        Assert.Equal(new StudyStatus(StudyState.Closed, false), await _lifecycle.StatusAsync(StudyId));
    }
}
