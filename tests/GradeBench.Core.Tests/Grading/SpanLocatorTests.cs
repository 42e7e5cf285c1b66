using GradeBench.Core.Grading;

namespace GradeBench.Core.Tests.Grading;

public sealed class SpanLocatorTests
{
    const string Markdown = "She is a **candidate for IV thrombolysis**, provided her BP\nis lowered. Give *alteplase* now; alteplase 0.9 mg/kg.";

    [Fact]
    public void PlainPassageIsFoundWhereItStands()
    {
        var location = SpanLocator.Locate(Markdown, "provided her BP")!.Value;

        Assert.Equal("provided her BP", Markdown[location.Start..location.End]);
    }

    [Fact]
    public void PassageAcrossEmphasisAndALineBreakIsFound()
    {
        var location = SpanLocator.Locate(Markdown, "a candidate for IV thrombolysis, provided her BP is lowered")!.Value;

        Assert.Equal("a **candidate for IV thrombolysis**, provided her BP\nis lowered", Markdown[location.Start..location.End]);
    }

    [Fact]
    public void RepeatedPassageIsPickedByItsOccurrence()
    {
        var first = SpanLocator.Locate(Markdown, "alteplase", 0)!.Value;
        var second = SpanLocator.Locate(Markdown, "alteplase", 1)!.Value;

        Assert.Equal("alteplase", Markdown[first.Start..first.End]);
        Assert.True(second.Start > first.End);
        Assert.Null(SpanLocator.Locate(Markdown, "alteplase", 2));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not in the text")]
    public void NothingIsFoundForEmptyOrAbsentPassages(string selected) => Assert.Null(SpanLocator.Locate(Markdown, selected));

    [Fact]
    public void RegexCharactersInTheSelectionAreLiteral()
    {
        var location = SpanLocator.Locate("Dose (0.9 mg/kg) [max 90 mg]?", "(0.9 mg/kg)")!.Value;

        Assert.Equal(5, location.Start);
    }
}
