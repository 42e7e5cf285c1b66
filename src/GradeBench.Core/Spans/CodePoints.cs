using System.Security.Cryptography;
using System.Text;

namespace GradeBench.Core.Spans;

/// <summary>Offsets in Unicode code points, as spans are stored and exported (brat, Python and most clinical NLP tools
/// count code points; a .NET string and the browser count UTF-16 units, and differ on characters outside the Basic
/// Multilingual Plane such as emoji and rare CJK ideographs).</summary>
public static class CodePoints
{
    /// <summary>The code point offset of the UTF-16 offset <paramref name="utf16"/> in <paramref name="text"/>. An offset
    /// inside a surrogate pair is rounded down to the start of its character, or up when <paramref name="roundUp"/>.</summary>
    public static int FromUtf16(string text, int utf16, bool roundUp = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(utf16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(utf16, text.Length);
        var codePoints = 0;
        var i = 0;
        while (i < utf16)
        {
            var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair && i + 1 == utf16) return roundUp ? codePoints + 1 : codePoints;
            i += pair ? 2 : 1;
            codePoints++;
        }
        return codePoints;
    }

    /// <summary>The UTF-16 offset of the code point offset <paramref name="codePoint"/> in <paramref name="text"/>.</summary>
    public static int ToUtf16(string text, int codePoint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePoint);
        var i = 0;
        for (var seen = 0; seen < codePoint; seen++)
        {
            if (i >= text.Length) throw new ArgumentOutOfRangeException(nameof(codePoint), codePoint, "Past the end of the text.");
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        }
        return i;
    }

    /// <summary>The number of code points in <paramref name="text"/>.</summary>
    public static int Length(string text) => FromUtf16(text, text.Length);

    /// <summary>Code points <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    public static string Slice(string text, int start, int end)
    {
        var from = ToUtf16(text, start);
        return text[from..ToUtf16(text, end)];
    }
}

/// <summary>The hash spans are anchored to: offsets mean something only over the exact text they were made on.</summary>
public static class TextHash
{
    /// <summary>Lowercase hex SHA-256 of the text's UTF-8 bytes.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
