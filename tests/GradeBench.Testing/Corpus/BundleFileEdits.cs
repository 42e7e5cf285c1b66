using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GradeBench.Testing.Corpus;

/// <summary>Small edits on a bundle's files held as bytes, and writing them out, for the mutated bundles.</summary>
static class BundleFileEdits
{
    public static MutatedBundle Folder(string name, string kind, IReadOnlyDictionary<string, byte[]> files, string file, bool needsLine,
        Action<Dictionary<string, byte[]>> mutate) =>
        new(name, kind, file, needsLine, folder =>
        {
            var copy = files.ToDictionary(f => f.Key, f => f.Value);
            mutate(copy);
            WriteFolder(folder, copy);
            return folder;
        });

    public static void WriteFolder(string folder, IReadOnlyDictionary<string, byte[]> files, string? skip = null)
    {
        foreach (var (name, bytes) in files)
            if (name != skip) System.IO.File.WriteAllBytes(Path.Combine(folder, name), bytes);
    }

    public static void WriteStreamed(string path, byte[] prefix, byte fill, long size)
    {
        using var stream = System.IO.File.Create(path);
        stream.Write(prefix);
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, fill);
        for (long written = prefix.Length; written < size; written += chunk.Length) stream.Write(chunk);
    }

    public static void Entry(ZipArchive archive, string name, byte[] bytes)
    {
        using var stream = archive.CreateEntry(name).Open();
        stream.Write(bytes);
    }

    /// <summary>The lines of a file without their line ends (the demo files end with one).</summary>
    public static List<string> Lines(byte[] bytes) => Encoding.UTF8.GetString(bytes).TrimEnd('\n').Split('\n').ToList();

    public static void SetLines(Dictionary<string, byte[]> files, string file, IEnumerable<string> lines) =>
        files[file] = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    public static void SetLine(Dictionary<string, byte[]> files, string file, int index, string text)
    {
        var lines = Lines(files[file]);
        lines[index] = text;
        SetLines(files, file, lines);
    }

    public static void Edit(Dictionary<string, byte[]> files, string file, int index, Action<JsonObject> edit)
    {
        var line = JsonNode.Parse(Lines(files[file])[index])!.AsObject();
        edit(line);
        SetLine(files, file, index, line.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    public static string WithCell(string row, int column, string value)
    {
        var cells = row.Split(',');
        cells[column] = value.Contains(',') ? $"\"{value}\"" : value;
        return string.Join(',', cells);
    }

    public static string TypeName(JsonNode? value) => value?.GetValueKind() switch
    {
        null => "null",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "other",
    };
}
