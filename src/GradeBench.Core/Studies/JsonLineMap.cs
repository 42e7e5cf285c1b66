using System.Text.Json;

namespace GradeBench.Core.Studies;

/// <summary>Maps JSON paths such as <c>rubric.criteria[2].min</c> to the line where their value starts,
/// so that errors about a field of a multi-line document can name its line.</summary>
sealed class JsonLineMap
{
    readonly Dictionary<string, int> _lines = [];

    sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;
        public bool IsArray { get; } = isArray;
        public int Index { get; set; }
    }

    public JsonLineMap(ReadOnlySpan<byte> utf8)
    {
        var newlines = new List<long>();
        for (var i = 0; i < utf8.Length; i++) if (utf8[i] == '\n') newlines.Add(i);
        var reader = new Utf8JsonReader(utf8);
        var frames = new Stack<Frame>();
        string property = "";
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    property = reader.GetString()!;
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    frames.Pop();
                    continue;
                }
                var path = frames.Count == 0 ? ""
                    : frames.Peek().IsArray ? $"{frames.Peek().Path}[{frames.Peek().Index++}]"
                    : frames.Peek().Path.Length == 0 ? property : $"{frames.Peek().Path}.{property}";
                var line = LineOf(newlines, reader.TokenStartIndex);
                _lines.TryAdd(path, line);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    frames.Push(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
            }
        }
        catch (JsonException)
        {
            // Positions are best effort; the strict parse reports malformed JSON.
        }
    }

    static int LineOf(List<long> newlines, long offset)
    {
        var index = newlines.BinarySearch(offset);
        return (index < 0 ? ~index : index) + 1;
    }

    /// <summary>The first key that appears twice in one object, with the 1-based line of its second occurrence;
    /// null when there is none or the JSON is malformed before it.</summary>
    public static (string Key, int Line)? FindDuplicateKey(ReadOnlySpan<byte> utf8)
    {
        var newlines = new List<long>();
        for (var i = 0; i < utf8.Length; i++) if (utf8[i] == '\n') newlines.Add(i);
        var reader = new Utf8JsonReader(utf8);
        var objects = new Stack<HashSet<string>?>(); // null for an array
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: objects.Push([]); break;
                    case JsonTokenType.StartArray: objects.Push(null); break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray: objects.Pop(); break;
                    case JsonTokenType.PropertyName:
                        var key = reader.GetString()!;
                        if (!objects.Peek()!.Add(key)) return (key, LineOf(newlines, reader.TokenStartIndex));
                        break;
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    /// <summary>The line of <paramref name="path"/>, else of its nearest ancestor that exists.</summary>
    public int LineOf(string path)
    {
        while (true)
        {
            if (_lines.TryGetValue(path, out var line)) return line;
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0) return _lines.GetValueOrDefault("", 1);
            path = path[..cut];
        }
    }
}
