using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GradeBench.Cli.Tests.Export;

/// <summary><c>gradebench export --kind notes-brat.zip | notes-bioc.json</c>: offered by a study with note labels only,
/// and refused with the reason, writing nothing, where the study holds what the format cannot carry.</summary>
public sealed class NoteExportCommandTests : IDisposable
{
    const string Study = TestPaths.DemoStudyId;
    readonly CliWorkspace _workspace = new();

    /// <summary>The demo study with note labels (<see cref="DemoNotes"/>), its first label's id <paramref name="labelId"/>.</summary>
    Task<string> ImportWithNoteLabelsAsync(string labelId = "nihss")
    {
        var bundle = DemoNotes.AddTo(_workspace.CopyDemoBundle("bundle"));
        var studyFile = Path.Combine(bundle, "study.json");
        var study = JsonNode.Parse(File.ReadAllText(studyFile))!;
        study["note_labels"]![0]!["id"] = labelId;
        File.WriteAllText(studyFile, study.ToJsonString());
        return _workspace.ImportAsync(bundle, "notes.db");
    }

    [Fact]
    public async Task AStudyWithNoteLabelsExportsBothFormatsAndOneWithoutRefusesThem()
    {
        var notes = await ImportWithNoteLabelsAsync();
        var plain = await _workspace.ImportAsync(_workspace.CopyDemoBundle("plain"), "plain.db");

        var (brat, bratFile) = await _workspace.ExportAsync(notes, Study, "notes-brat.zip", "notes.zip");
        var (bioc, biocFile) = await _workspace.ExportAsync(notes, Study, "notes-bioc.json", "notes.json");
        var (refused, refusedFile) = await _workspace.ExportAsync(plain, Study, "notes-bioc.json", "refused.json");

        Assert.True(brat.ExitCode == 0, brat.Error);
        Assert.Equal($"{bratFile}: 0 rows\n", brat.Output.ReplaceLineEndings("\n"));
        using (var zip = ZipFile.OpenRead(bratFile))
            Assert.Equal(["annotation.conf"], zip.Entries.Select(e => e.FullName));
        Assert.True(bioc.ExitCode == 0, bioc.Error);
        using (var json = JsonDocument.Parse(File.ReadAllBytes(biocFile)))
            Assert.Equal(Study, json.RootElement.GetProperty("source").GetString());
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"error: notes-bioc.json is for studies with note labels; {Study} has none\n", refused.Error.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(refusedFile));
    }

    [Fact]
    public async Task ALabelBratCannotNameIsAnErrorAndLeavesNoFile()
    {
        var db = await ImportWithNoteLabelsAsync("nihss.item");

        var (run, target) = await _workspace.ExportAsync(db, Study, "notes-brat.zip", "notes.zip");
        var toStdout = await CliWorkspace.RunAsync("export", "--db", db, "--study", Study, "--kind", "notes-brat.zip", "--out", "-");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: notes-brat.zip: annotation.conf: label: \"nihss.item\" cannot be a brat name: brat names are ASCII letters, digits, _ and - only\n",
            run.Error.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".partial"));
        Assert.Equal(2, toStdout.ExitCode);
    }

    public void Dispose() => _workspace.Dispose();
}
