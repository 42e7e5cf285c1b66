using System.IO.Compression;
using GradeBench.Core.Studies;

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

        var result = await CliWorkspace.RunAsync("import", zip, "--db", await _workspace.DatabaseAsync("limits.db"));

        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("warning:") && !l.StartsWith("import:")).ToList();
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(102, lines.Count);
        Assert.StartsWith("… and ", lines[100]);
        Assert.Matches(@": [\d,]+ error\(s\); nothing was imported\.$", lines[101]);
        Assert.DoesNotContain(": 101 error(s)", lines[101]);
    }

    /// <summary>The default limit is the web upload's; the command line says how to lift it.</summary>
    [Fact]
    public async Task AFileOverTheDefaultLimitIsRefusedWithAnErrorNamingTheOptionThatLiftsIt()
    {
        var folder = _workspace.CopyDemoBundle("large");
        var ratings = Path.Combine(folder, "ratings.csv");
        using (var file = File.OpenWrite(ratings)) file.SetLength(BundleFiles.DefaultMaxFileBytes + 1);

        var refused = await CliWorkspace.RunAsync("import", folder, "--db", await _workspace.DatabaseAsync("refused.db"));

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"ratings.csv:0: file: file is {BundleFiles.DefaultMaxFileBytes + 1} bytes, over the size limit of {BundleFiles.DefaultMaxFileBytes} bytes", refused.Error);
        Assert.Contains($"--max-file-bytes {BundleFiles.DefaultMaxFileBytes + 1}", refused.Error);
    }

    public void Dispose() => _workspace.Dispose();
}
