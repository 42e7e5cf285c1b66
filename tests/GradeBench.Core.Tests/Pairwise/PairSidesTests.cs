using GradeBench.Core.Pairwise;

namespace GradeBench.Core.Tests.Pairwise;

public sealed class PairSidesTests
{
    [Theory]
    [InlineData(PairwiseChoice.Left, true, PairChoice.A)]
    [InlineData(PairwiseChoice.Left, false, PairChoice.B)]
    [InlineData(PairwiseChoice.Right, true, PairChoice.B)]
    [InlineData(PairwiseChoice.Right, false, PairChoice.A)]
    [InlineData(PairwiseChoice.Tie, false, PairChoice.Tie)]
    [InlineData(PairwiseChoice.BothBad, true, PairChoice.BothBad)]
    public void AVoteIsStoredByModelAndShownBySide(PairwiseChoice shown, bool aOnLeft, PairChoice stored)
    {
        Assert.Equal(stored, PairSides.Stored(shown, aOnLeft));
        Assert.Equal(shown, PairSides.Shown(stored, aOnLeft));
        Assert.Equal(stored, PairSides.ParseStored(PairSides.Text(stored)));
    }

    [Fact]
    public void OnlyTheFourStoredFormsParse()
    {
        Assert.Null(PairSides.ParseStored("left"));
        Assert.Null(PairSides.ParseStored("A"));
        Assert.Null(PairSides.ParseStored(null));
    }
}
