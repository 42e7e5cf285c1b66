using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GradeBench.Web.Tests.Hosting;

/// <summary>Every interface string exists in both languages (issue 18): each English <c>.resx</c> of the web project and
/// of Core (the report's words, the messages Core and Storage say to people) has a <c>.zh-CN.resx</c> beside it with the
/// same keys, no value is empty, and both use the same placeholders.</summary>
public sealed partial class ResourceFilesTests
{
    static readonly string Sources = Path.Combine(TestPaths.RepositoryRoot, "src");
    static readonly string WebProject = Path.Combine(Sources, "GradeBench.Web");

    public static TheoryData<string> EnglishFiles() => [.. English()];

    static IEnumerable<string> English() =>
        Directory.EnumerateFiles(Sources, "*.resx", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetFileNameWithoutExtension(f).Split('.').Length == 1)
            .Select(f => Path.GetRelativePath(Sources, f));

    static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")?.Value ?? "");

    [Theory]
    [MemberData(nameof(EnglishFiles))]
    public void EveryKeyIsInBothLanguagesWithTheSamePlaceholders(string englishFile)
    {
        var english = Read(Path.Combine(Sources, englishFile));
        var chineseFile = Path.Combine(Sources, Path.ChangeExtension(englishFile, ".zh-CN.resx"));
        Assert.True(File.Exists(chineseFile), $"{englishFile} has no zh-CN file beside it");
        var chinese = Read(chineseFile);

        Assert.Equal(english.Keys.Order(), chinese.Keys.Order());
        foreach (var (key, value) in english)
        {
            Assert.False(string.IsNullOrWhiteSpace(value), $"{englishFile}: {key} is empty in English");
            Assert.False(string.IsNullOrWhiteSpace(chinese[key]), $"{englishFile}: {key} is empty in Chinese");
            Assert.True(Placeholders(value).SequenceEqual(Placeholders(chinese[key])), $"{englishFile}: {key} has other placeholders in Chinese");
        }
    }

    [Fact]
    public void NoChineseFileIsWithoutItsEnglishOne()
    {
        var english = English().ToHashSet();
        Assert.Contains(Path.Combine("GradeBench.Core", "Messages", "MessageText.resx"), english);
        foreach (var chinese in Directory.EnumerateFiles(Sources, "*.zh-CN.resx", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
            Assert.Contains(Path.GetRelativePath(Sources, chinese).Replace(".zh-CN.resx", ".resx"), english);
    }

    /// <summary>A key a component asks for by name (<c>T["Key"]</c>) that its folder's resource lacks shows the key
    /// itself, in English, in every language: each such key must exist.</summary>
    [Fact]
    public void EveryKeyAComponentAsksForByNameExists()
    {
        var missing = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(WebProject, "*", SearchOption.AllDirectories).Prepend(WebProject)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj") && !f.Contains($"{Path.DirectorySeparatorChar}bin")))
        {
            // The folder's own resource, and the shared one any component may also inject.
            var resources = Directory.EnumerateFiles(folder, "*Text.resx").Append(Path.Combine(WebProject, "Components", "SharedText.resx"));
            var keys = resources.SelectMany(r => Read(r).Keys).ToHashSet();
            foreach (var file in Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".razor") || f.EndsWith(".cs")))
                foreach (Match use in KeyUse().Matches(File.ReadAllText(file)))
                    if (!keys.Contains(use.Groups[1].Value)) missing.Add($"{Path.GetRelativePath(WebProject, file)}: {use.Groups[1].Value}");
        }
        Assert.Empty(missing);
    }

    [GeneratedRegex(@"\bT\[""([A-Za-z0-9_]+)""[\],]")]
    private static partial Regex KeyUse();

    static IEnumerable<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).Order();

    [GeneratedRegex(@"\{\d+(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();
}
