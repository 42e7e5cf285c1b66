using GradeBench.Core.Agreement;
using GradeBench.Core.Pairwise;

namespace GradeBench.Core.Tests.Pairwise;

public sealed class PairwiseVotesCsvTests
{
    [Fact]
    public void ReadsEveryChoiceWithTheColumnsInAnyOrder()
    {
        var votes = PairwiseVotesCsv.Read(new StringReader(
            "\uFEFFrater,case,choice,left,right,note\np1,c1,left,x,y,\np1,c1,right,x,z,\"a, b\"\n\np2,c1,tie,y,x,\np2,c2,both_bad,x,y,\n"));

        Assert.Equal(
        [
            new PairwiseVote("c1", "p1", "x", "y", PairwiseChoice.Left),
            new PairwiseVote("c1", "p1", "x", "z", PairwiseChoice.Right),
            new PairwiseVote("c1", "p2", "y", "x", PairwiseChoice.Tie),
            new PairwiseVote("c2", "p2", "x", "y", PairwiseChoice.BothBad),
        ], votes);
    }

    [Theory]
    [InlineData("", 0, "the file is empty: expected a header case,rater,left,right,choice and one row per vote")]
    [InlineData("case,rater,left,right,choice\n", 1, "no votes after the header")]
    [InlineData("case,rater,left,choice\nc1,p1,x,left\n", 1, "header must name the columns case,rater,left,right,choice; it is case,rater,left,choice")]
    [InlineData("case,rater,left,right,choice\nc1,p1,x,y,left\nc1,p1,x\n", 3, "expected 5 fields, found 3")]
    [InlineData("case,rater,left,right,choice\nc1,,x,y,left\n", 2, "rater: empty")]
    [InlineData("case,rater,left,right,choice\nc1,p1,x,y,A\n", 2, "choice: \"A\" is not one of left, right, tie, both_bad")]
    [InlineData("case,rater,left,right,choice\nc1,p1,x,x,tie\n", 2, "right: \"x\" is the model on the left too; a vote compares two models")]
    [InlineData("case,rater,left,right,choice\nc1,p1,x,y,left\nc2,p1,x,y,left\n\"c1\",p1,y,x,tie\n", 4, "rater \"p1\" voted on case \"c1\" between \"x\" and \"y\" already (line 2)")]
    [InlineData("case,rater,left,right,choice\nc1,p1,x,y,\"left\n", 2, "malformed CSV")]
    public void BadInputNamesTheLineAndField(string text, int line, string message)
    {
        var problem = Assert.Throws<RatingsCsvException>(() => PairwiseVotesCsv.Read(new StringReader(text)));

        Assert.Equal(line, problem.Line);
        Assert.StartsWith(message, problem.Message);
    }
}
