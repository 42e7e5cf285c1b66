using System.Text;
using System.Text.Unicode;

namespace GradeBench.Core.Studies;

/// <summary>Reads valid UTF-8 bytes as text, a chunk at a time, with every CRLF read as LF: what a StringReader over the
/// decoded text with "\r\n" replaced by "\n" reads, without that text (ratings.csv's 71 MB would be a 142 MB string).</summary>
sealed class LfTextReader(ReadOnlyMemory<byte> utf8) : TextReader
{
    ReadOnlyMemory<byte> _rest = utf8;

    /// <summary>The second half of a surrogate pair that did not fit in the caller's buffer ('\0' when none).</summary>
    char _pendingLowSurrogate;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    /// <summary>Fills the buffer unless the text ends first, as a StringReader does: Sylvan then gets the same chunks
    /// as from the old whole string (its newline detection looks at the first one).</summary>
    public override int Read(Span<char> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_pendingLowSurrogate != '\0')
            {
                buffer[written++] = _pendingLowSurrogate;
                _pendingLowSurrogate = '\0';
                continue;
            }
            if (_rest.IsEmpty) break;
            var free = buffer[written..];
            written += FoldCrLf(free[..Decode(free)]);
        }
        return written;
    }

    int Decode(Span<char> buffer)
    {
        var source = _rest.Span;
        // A UTF-8 byte is at most one UTF-16 character: this many bytes fit.
        Utf8.ToUtf16(source[..Math.Min(source.Length, buffer.Length)], buffer, out var read, out var written,
            replaceInvalidSequences: false, isFinalBlock: false);
        if (read == 0)
        {
            // The buffer is shorter than the next character's bytes (or its surrogate pair).
            Rune.DecodeFromUtf8(source, out var rune, out read);
            Span<char> pair = stackalloc char[2];
            var length = rune.EncodeToUtf16(pair);
            buffer[0] = pair[0];
            if (length == 2) _pendingLowSurrogate = pair[1];
            written = 1;
        }
        _rest = _rest[read..];
        return written;
    }

    /// <summary>Drops each CR that is followed by LF (the next chunk's first byte for the last character), in place;
    /// returns the characters left.</summary>
    int FoldCrLf(Span<char> chars)
    {
        var cr = chars.IndexOf('\r');
        if (cr < 0) return chars.Length;
        var to = cr;
        var from = cr;
        while (cr >= 0)
        {
            var followedByLf = cr + 1 < chars.Length ? chars[cr + 1] == '\n' : _rest.Span is [(byte)'\n', ..];
            var keep = followedByLf ? cr : cr + 1;
            chars[from..keep].CopyTo(chars[to..]);
            to += keep - from;
            from = cr + 1;
            cr = chars[from..].IndexOf('\r') is var next and >= 0 ? from + next : -1;
        }
        chars[from..].CopyTo(chars[to..]);
        return to + chars.Length - from;
    }
}
