using GradeBench.Core.Spans;

namespace GradeBench.Core.Tests.Spans;

public class CodePointsTests
{
    // "a😀中b": the emoji is two UTF-16 units and one code point; 中 is one of each.
    const string Text = "a\U0001F600中b";

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 4)]
    public void Utf16OffsetsMapToCodePointsAndBack(int utf16, int codePoint)
    {
        Assert.Equal(codePoint, CodePoints.FromUtf16(Text, utf16));
        Assert.Equal(utf16, CodePoints.ToUtf16(Text, codePoint));
    }

    [Fact]
    public void AnOffsetInsideASurrogatePairRoundsToTheCharacter()
    {
        Assert.Equal(1, CodePoints.FromUtf16(Text, 2));
        Assert.Equal(2, CodePoints.FromUtf16(Text, 2, roundUp: true));
    }

    [Fact]
    public void SliceAndLengthCountCodePoints()
    {
        Assert.Equal(4, CodePoints.Length(Text));
        Assert.Equal("\U0001F600中", CodePoints.Slice(Text, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodePoints.ToUtf16(Text, 5));
    }

    [Fact]
    public void TheHashIsSha256OfUtf8()
    {
        // printf 'abc' | sha256sum
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TextHash.Sha256("abc"));
        Assert.Equal(64, TextHash.Sha256("中文").Length);
    }
}
