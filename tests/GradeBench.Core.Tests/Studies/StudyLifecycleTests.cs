using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

public sealed class StudyLifecycleTests
{
    [Theory]
    [InlineData(StudyState.Draft, StudyState.Open)]
    [InlineData(StudyState.Open, StudyState.Adjudication)]
    [InlineData(StudyState.Open, StudyState.Closed)]
    [InlineData(StudyState.Adjudication, StudyState.Open)]
    [InlineData(StudyState.Adjudication, StudyState.Closed)]
    public void AStudyMovesForwardAndAdjudicationMayReopen(StudyState from, StudyState to) => Assert.True(StudyLifecycle.CanMove(from, to));

    [Fact]
    public void EveryOtherMoveIsRefusedIncludingStayingPutAndLeavingClosed()
    {
        var allowed = Enum.GetValues<StudyState>().SelectMany(from => StudyLifecycle.Next(from).Select(to => (from, to))).ToList();

        Assert.Equal(5, allowed.Count);
        Assert.Empty(StudyLifecycle.Next(StudyState.Closed));
        Assert.DoesNotContain(allowed, move => move.from == move.to);
        Assert.DoesNotContain((StudyState.Draft, StudyState.Closed), allowed);
        Assert.DoesNotContain((StudyState.Open, StudyState.Draft), allowed);
    }

    [Fact]
    public void NextListsTheReachableStatesInLifecycleOrder()
    {
        Assert.Equal([StudyState.Open], StudyLifecycle.Next(StudyState.Draft));
        Assert.Equal([StudyState.Adjudication, StudyState.Closed], StudyLifecycle.Next(StudyState.Open));
        Assert.Equal([StudyState.Open, StudyState.Closed], StudyLifecycle.Next(StudyState.Adjudication));
    }

    [Fact]
    public void EveryStateRoundTripsThroughItsName()
    {
        foreach (var state in Enum.GetValues<StudyState>())
        {
            Assert.True(StudyLifecycle.TryParse(StudyLifecycle.Name(state), out var parsed));
            Assert.Equal(state, parsed);
            Assert.Equal(state, StudyLifecycle.Parse(StudyLifecycle.Name(state)));
        }
        Assert.Equal(["draft", "open", "adjudication", "closed"], Enum.GetValues<StudyState>().Select(StudyLifecycle.Name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Open")]
    [InlineData("paused")]
    [InlineData("archived")]
    public void UnknownNamesAreNotStates(string? name)
    {
        Assert.False(StudyLifecycle.TryParse(name, out _));
        if (name is not null) Assert.Throws<ArgumentException>(() => StudyLifecycle.Parse(name));
    }

    [Theory]
    [InlineData(StudyState.Open, false, true)]
    [InlineData(StudyState.Open, true, false)]
    [InlineData(StudyState.Draft, false, false)]
    [InlineData(StudyState.Adjudication, false, false)]
    [InlineData(StudyState.Closed, false, false)]
    public void OnlyAnOpenStudyThatIsNotPausedAcceptsRatings(StudyState state, bool paused, bool accepts) =>
        Assert.Equal(accepts, StudyLifecycle.AcceptsRatings(state, paused));

    [Theory]
    [InlineData("stroke-demo", true)]
    [InlineData("  stroke-demo\t", true)]
    [InlineData("stroke", false)]
    [InlineData("Stroke-Demo", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void ClosingIsConfirmedOnlyByTheStudysIdTyped(string? typed, bool confirms) =>
        Assert.Equal(confirms, StudyLifecycle.ConfirmsClose("stroke-demo", typed));
}
