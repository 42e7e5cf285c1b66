using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GradeBench.Core.Tests.Messages;

/// <summary>A message whose key MessageText.resx lacks throws where it is made, often on an error path that few tests
/// take: every key the sources name must be in the resources.</summary>
public sealed partial class MessageKeysTests
{
    static readonly string Sources = Path.Combine(TestPaths.RepositoryRoot, "src");

    [Fact]
    public void EveryMessageKeyTheSourcesNameExists()
    {
        var keys = XDocument.Load(Path.Combine(Sources, "GradeBench.Core", "Messages", "MessageText.resx")).Root!
            .Elements("data").Select(d => d.Attribute("name")!.Value).ToHashSet();
        var named = new List<(string File, string Key)>();
        foreach (var file in Directory.EnumerateFiles(Sources, "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
            foreach (Match use in KeyUse().Matches(File.ReadAllText(file)))
                named.Add((Path.GetRelativePath(Sources, file), use.Groups.Values.Skip(1).First(g => g.Success).Value));

        Assert.Contains(named, n => n.Key == "Bundle_IdRule"); // the scan finds the keys at all
        var missing = named.Where(n => !keys.Contains(n.Key)).Select(n => $"{n.File}: {n.Key}").Distinct().ToList();
        Assert.True(missing.Count == 0, $"not in MessageText.resx:{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
    }

    /// <summary>A key where a message is made: <c>new Message("Key"</c>, or <c>new("Group_Key"</c> where the type is known
    /// (other types' <c>new("snake_case")</c> are not keys); or any string of the message groups' keys (<c>"Bundle_…"</c>,
    /// <c>"Rubric_…"</c>, <c>"Value_…"</c>, <c>"Setup_…"</c>), as a constant holds them.</summary>
    [GeneratedRegex(@"\bnew Message\(\s*""([^""]+)""|\bnew\(\s*""([A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9_]*)""|""((?:Bundle|Rubric|Value|Setup)_[A-Za-z0-9_]+)""")]
    private static partial Regex KeyUse();
}
