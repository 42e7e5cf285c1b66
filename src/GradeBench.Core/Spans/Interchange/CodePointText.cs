namespace GradeBench.Core.Spans.Interchange;

/// <summary>A text addressed by code points, as GradeBench's spans, brat and Python count (a character outside the Basic
/// Multilingual Plane, such as an emoji, is one code point but two UTF-16 units of a .NET string).</summary>
sealed class CodePointText
{
    readonly int[] _utf16Index;

    public CodePointText(string text)
    {
        Text = text;
        var index = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            index.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
        }
        index.Add(text.Length);
        _utf16Index = [.. index];
    }

    public string Text { get; }

    public int Length => _utf16Index.Length - 1;

    /// <summary>Code points <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    public string Slice(int start, int end) => Text[_utf16Index[start].._utf16Index[end]];

    /// <summary>The first UTF-16 unit of the code point at <paramref name="position"/>: the code point itself when it is
    /// in the Basic Multilingual Plane, as every line break and space is.</summary>
    public char UnitAt(int position) => Text[_utf16Index[position]];
}
