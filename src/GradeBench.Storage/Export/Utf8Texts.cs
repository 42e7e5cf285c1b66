using System.Text;

namespace GradeBench.Storage.Export;

/// <summary>Decodes UTF-8 texts read from SQLite, one string per distinct short text: a ratings export repeats the same
/// few values, cases, models and timestamps hundreds of thousands of times. Long texts (comments) and texts met after
/// the cache is full are decoded every time, so memory stays small whatever the export.</summary>
sealed class Utf8Texts
{
    const int MaxCachedBytes = 64, MaxEntries = 4096;
    readonly Dictionary<int, (byte[] Bytes, string Text)> _cache = [];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedBytes) return Encoding.UTF8.GetString(utf8);
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var key = hash.ToHashCode();
        if (_cache.TryGetValue(key, out var entry) && utf8.SequenceEqual(entry.Bytes)) return entry.Text;
        var text = Encoding.UTF8.GetString(utf8);
        if (_cache.Count < MaxEntries && !_cache.ContainsKey(key)) _cache[key] = (utf8.ToArray(), text);
        return text;
    }
}
