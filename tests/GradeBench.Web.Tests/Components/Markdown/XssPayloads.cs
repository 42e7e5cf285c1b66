namespace GradeBench.Web.Tests.Components.Markdown;

/// <summary>The payload corpus in xss-payloads.txt (its header names the sources): blocks separated by lines of
/// "=====", each opening with "-- name".</summary>
static class XssPayloads
{
    public const string Separator = "=====";

    public static string FilePath =>
        Path.Combine(TestPaths.RepositoryRoot, "tests", "GradeBench.Web.Tests", "Components", "Markdown", "xss-payloads.txt");

    public static IReadOnlyList<(string Name, string Markdown)> All { get; } = Load();

    /// <summary>For xUnit theories: name first, so a failure says which case broke.</summary>
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, markdown) in All) data.Add(name, markdown);
        return data;
    }

    static List<(string, string)> Load()
    {
        var blocks = new List<(string, string)>();
        List<string>? current = null;
        foreach (var line in File.ReadAllLines(FilePath).Append(Separator))
        {
            if (line == Separator)
            {
                // The first separator closes the header, which is not a payload.
                if (current is not null) blocks.Add(Parse(current));
                current = [];
            }
            else current?.Add(line);
        }
        return blocks;
    }

    static (string, string) Parse(List<string> lines)
    {
        if (lines.Count < 2 || !lines[0].StartsWith("-- ", StringComparison.Ordinal))
            throw new FormatException($"A payload block must start with '-- name' and hold a payload: {string.Join(" / ", lines)}");
        return (lines[0][3..], string.Join('\n', lines.Skip(1)));
    }
}
