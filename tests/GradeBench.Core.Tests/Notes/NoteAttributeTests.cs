using GradeBench.Core.Notes;
using GradeBench.Core.Spans.Interchange;

namespace GradeBench.Core.Tests.Notes;

/// <summary>What value an attribute of each kind takes, and the form it is stored in.</summary>
public sealed class NoteAttributeTests
{
    static readonly NoteAttribute Negated = new("negated", "Negated", AttributeKind.Flag),
        Score = new("score", "Score", AttributeKind.Number),
        Onset = new("onset", "Onset time", AttributeKind.Text);

    [Fact]
    public void AFlagIsSetByTrueAlone()
    {
        Assert.Equal("true", Negated.Normalize("true"));
        Assert.Null(Negated.Normalize("false"));
        Assert.Null(Negated.Normalize("True"));
        Assert.Null(Negated.Normalize(""));
    }

    [Theory]
    [InlineData("7", "7")]
    [InlineData(" 7.50 ", "7.5")]
    [InlineData("-2", "-2")]
    [InlineData("1e2", "100")]
    [InlineData("0.1", "0.1")]
    public void ANumberIsReadInvariantlyAndStoredInItsShortestForm(string given, string stored) =>
        Assert.Equal(stored, Score.Normalize(given));

    [Theory]
    [InlineData("")]
    [InlineData("seven")]
    [InlineData("1,5")]
    [InlineData("1 000")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e999")]
    public void ANumberThatIsNoFiniteNumberIsRefused(string given) => Assert.Null(Score.Normalize(given));

    [Fact]
    public void ATextIsKeptTrimmedUpTo200CodePoints()
    {
        Assert.Equal("3 h before arrival", Onset.Normalize("  3 h before arrival "));
        var emoji = string.Concat(Enumerable.Repeat("😷", 200));
        Assert.Equal(emoji, Onset.Normalize(emoji)); // 400 UTF-16 units, 200 characters
        Assert.Null(Onset.Normalize(emoji + "x"));
        Assert.Null(Onset.Normalize("   "));
    }

    [Fact]
    public void KindsAreNamedAsStudyJsonNamesThem()
    {
        Assert.Equal(["flag", "number", "text"], NoteAttribute.KindNames);
        Assert.True(NoteAttribute.TryParseKind("number", out var kind));
        Assert.Equal(AttributeKind.Number, kind);
        Assert.Equal("text", NoteAttribute.KindName(AttributeKind.Text));
        Assert.False(NoteAttribute.TryParseKind("Number", out _));
    }
}
