using Dapper;
using GradeBench.Storage;

namespace GradeBench.Cli.Tests.Studies;

/// <summary><c>gradebench import</c> of a note-only study (<see cref="DemoAnnotation"/>): what it reports, and a bundle
/// with answers refused whole.</summary>
public sealed class ImportAnnotationTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    [Fact]
    public async Task ImportingANoteOnlyStudyReportsItsCasesAndNoteLabels()
    {
        var bundle = DemoAnnotation.Write(_workspace.PathOf("notes"));
        var db = _workspace.PathOf("notes.db");

        var result = await CliWorkspace.RunAsync("import", bundle, "--db", db);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($"Imported study \"{DemoAnnotation.StudyId}\" into {db}: 20 cases to annotate, 3 note labels, 2 raters per case; open: raters can start.\n",
            result.Output);
        Assert.DoesNotContain("warning", result.Error);
    }

    [Fact]
    public async Task ANoteOnlyBundleWithAnswersIsRefusedAndNothingIsImported()
    {
        var bundle = DemoAnnotation.Write(_workspace.PathOf("notes"));
        File.Copy(Path.Combine(TestPaths.DemoBundle, "responses.jsonl"), Path.Combine(bundle, "responses.jsonl"));
        var db = await _workspace.ImportAsync(TestPaths.DemoBundle, "existing.db");

        var result = await CliWorkspace.RunAsync("import", bundle, "--db", db);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("responses.jsonl:0: file: an annotation study has no answers\n", result.Error.ReplaceLineEndings("\n"));
        await using var connection = await new Database(db).OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM studies"));
    }

    public void Dispose() => _workspace.Dispose();
}
