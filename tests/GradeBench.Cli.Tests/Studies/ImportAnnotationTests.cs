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
        var db = await _workspace.DatabaseAsync("notes.db");

        var result = await CliWorkspace.RunAsync("import", bundle, "--db", db);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($"Imported study \"{DemoAnnotation.StudyId}\" into {CliWorkspace.DisplayNameOf(db)}: 20 cases to annotate, 3 note labels, 2 raters per case; open: raters can start.\n",
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

    [Fact]
    public async Task ExportsAboutAnswersAreRefusedForANoteOnlyStudyAndItsBundleImportsAgain()
    {
        var db = await _workspace.ImportAsync(DemoAnnotation.Write(_workspace.PathOf("notes")), "notes.db");
        var zip = _workspace.PathOf("copy.zip");

        var agreement = await CliWorkspace.RunAsync("export", "--db", db, "--study", DemoAnnotation.StudyId, "--kind", "agreement.csv", "--out", _workspace.PathOf("a.csv"));
        var bundle = await CliWorkspace.RunAsync("export", "--db", db, "--study", DemoAnnotation.StudyId, "--kind", "bundle.zip", "--out", zip, "--as", "notes-copy");
        var again = await CliWorkspace.RunAsync("import", zip, "--db", db);

        Assert.NotEqual(0, agreement.ExitCode);
        Assert.Contains($"error: agreement.csv is for studies with answers; {DemoAnnotation.StudyId} is a note-only study", agreement.Error);
        Assert.True(bundle.ExitCode == 0, bundle.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("Imported study \"notes-copy\"", again.Output);
        Assert.Contains(": 20 cases to annotate, 3 note labels, 2 raters per case;", again.Output);
    }

    public void Dispose() => _workspace.Dispose();
}
