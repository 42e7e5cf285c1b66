using System.Text.Json;
using GradeBench.Core.Spans;

namespace GradeBench.Cli.Tests.Notes;

/// <summary><c>gradebench import-gold-spans</c>: a gold-spans.csv read into a study and exported back as it was; a bad
/// row named by file, line and field, with the study left as it was.</summary>
public sealed class GoldSpansCommandTests : IDisposable
{
    const string Study = TestPaths.DemoStudyId;
    readonly CliWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    /// <summary>A gold-spans.csv of the demo with note labels: an NIHSS item at code points 2 to 9 of case-007's note.</summary>
    string GoldCsv(string bundle, string sha = "")
    {
        var note = File.ReadLines(Path.Combine(bundle, "cases.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(c => c.GetProperty("id").GetString() == DemoNotes.AstralCase).GetProperty("presentation_md").GetString()!;
        var path = _workspace.PathOf("gold.csv");
        File.WriteAllText(path, "study,case_id,label,start,end,text_sha256,quote,attributes,decision,decided_by,decided_at,source_raters\r\n" +
            $"{Study},{DemoNotes.AstralCase},nihss,2,9,{(sha.Length > 0 ? sha : TextHash.Sha256(note))},{CodePoints.Slice(note, 2, 9)},\"{{\"\"score\"\":7}}\",accepted,coord,2026-12-02T10:00:00.0000000Z,\"[\"\"dr-li\"\"]\"\r\n");
        return path;
    }

    [Fact]
    public async Task AGoldSetImportedExportsAsItWasRead()
    {
        var bundle = DemoNotes.Write(_workspace.PathOf("bundle"));
        var db = await _workspace.ImportAsync(bundle, "gold.db");
        var gold = GoldCsv(bundle);

        var run = await CliWorkspace.RunAsync("import-gold-spans", gold, "--db", db, "--study", Study);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("gold.csv: 1 decisions imported", run.Output);
        var (export, target) = await _workspace.ExportAsync(db, Study, "gold-spans.csv", "exported.csv");
        Assert.Equal(0, export.ExitCode);
        Assert.Equal(File.ReadAllText(gold), File.ReadAllText(target));
    }

    [Fact]
    public async Task ARowMadeOnAnotherTextIsRefusedByFileLineAndField()
    {
        var bundle = DemoNotes.Write(_workspace.PathOf("bundle"));
        var db = await _workspace.ImportAsync(bundle, "gold.db");

        var run = await CliWorkspace.RunAsync("import-gold-spans", GoldCsv(bundle, sha: new string('0', 64)), "--db", db, "--study", Study);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("gold.csv:2: text_sha256: not the hash of case \"case-007\"'s note", run.Error);
        var (_, target) = await _workspace.ExportAsync(db, Study, "gold-spans.csv", "exported.csv");
        Assert.Single(File.ReadAllLines(target));
    }
}
