using System.Text;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

/// <summary>ratings.csv is decoded a chunk at a time: whatever the buffer's length, what is read must be what a StringReader
/// over the whole decoded text with "\r\n" replaced by "\n" gave, chunk by chunk, as when it was one string.</summary>
public sealed class LfTextReaderTests
{
    // CRLF inside and outside quotes, a lone CR, CR CR LF, Chinese (3 bytes a character), an emoji (a surrogate pair).
    const string Text = "a,\"x\r\ny\"\r\n\r\r\nb\rc\r\n醒后卒中,😀\r\n\r";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(4096)]
    public void ReadsLikeAStringReaderOverTheDecodedTextWithEachCrlfAsLf(int bufferLength)
    {
        var expected = Text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var reader = new LfTextReader(Encoding.UTF8.GetBytes(Text));
        var read = new StringBuilder();
        var buffer = new char[bufferLength];
        int count;
        while ((count = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            // Each read fills the buffer, as a StringReader over the expected text does, but the last.
            Assert.Equal(Math.Min(bufferLength, expected.Length - read.Length), count);
            read.Append(buffer, 0, count);
        }

        Assert.Equal(expected, read.ToString());
    }
}
