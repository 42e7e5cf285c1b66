using System.IO.Compression;

namespace GradeBench.Cli.Tests.Studies;

public sealed class ImportLimitsTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    [Fact]
    public async Task ABundleWithThousandsOfBadLinesPrintsAHundredAndCountsThemAll()
    {
        var folder = _workspace.CopyDemoBundle("bad");
        var zip = _workspace.PathOf("bad.zip");
        File.WriteAllText(Path.Combine(folder, "cases.jsonl"), string.Concat(Enumerable.Repeat("not json\n", 5_000)));
        ZipFile.CreateFromDirectory(folder, zip);

        var result = await CliWorkspace.RunAsync("import", zip, "--db", _workspace.PathOf("limits.db"));

        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("warning:") && !l.StartsWith("import:")).ToList();
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(102, lines.Count);
        Assert.StartsWith("… and ", lines[100]);
        Assert.Matches(@": [\d,]+ error\(s\); nothing was imported\.$", lines[101]);
        Assert.DoesNotContain(": 101 error(s)", lines[101]);
    }

    public void Dispose() => _workspace.Dispose();
}
