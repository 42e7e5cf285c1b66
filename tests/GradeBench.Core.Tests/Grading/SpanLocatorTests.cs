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

    const string Table = "## Grading\n\n| Scale | Grade |\n|:---|---:|\n| Hunt–Hess | **III** |\n| WFNS | II |\n\n1. Secure the aneurysm\n2. Nimodipine 60 mg";

    [Theory]
    [InlineData("Grading\n\nScale\tGrade", "Grading\n\n| Scale | Grade")]
    [InlineData("Grade\nHunt–Hess\tIII", "Grade |\n|:---|---:|\n| Hunt–Hess | **III")]
    [InlineData("III\nWFNS", "III** |\n| WFNS")]
    [InlineData("aneurysm\nNimodipine", "aneurysm\n2. Nimodipine")]
    public void PassageAcrossTableCellsRowsAndListItemsIsFound(string selected, string source)
    {
        var location = SpanLocator.Locate(Table, selected)!.Value;

        Assert.Equal(source, Table[location.Start..location.End]);
    }

    [Fact]
    public void ListNumbersAreMarkupOnlyBetweenWords()
    {
        // "60" is text: a selection without it must not match across it.
        Assert.Null(SpanLocator.Locate(Table, "Nimodipine mg"));
    }

    [Theory]
    [InlineData("Grade |\n|:---|---:|\n| Hunt–Hess | **III", "Grade Hunt–Hess III")]
    [InlineData("aneurysm\n2. Nimodipine", "aneurysm Nimodipine")]
    [InlineData("grade 2. Then - as *planned*", "grade 2. Then - as planned")]
    [InlineData("lowered.\n> ## Next\n- item", "lowered. Next item")]
    public void VisibleTextDropsMarkupButKeepsWords(string quote, string words) =>
        Assert.Equal(words, string.Join(' ', SpanLocator.Visible(quote).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));

    [Fact]
    public void AQuoteAcrossATableIsCountedAsItsOwnFirstOccurrence()
    {
        var location = SpanLocator.Locate(Table, "Grade\nHunt–Hess\tIII")!.Value;

        Assert.Equal(0, SpanLocator.OccurrenceOf(Table, Table[location.Start..location.End], location.Start));
    }
}
