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
