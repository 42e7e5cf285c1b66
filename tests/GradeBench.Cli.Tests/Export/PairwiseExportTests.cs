using GradeBench.Core.Pairwise;
using GradeBench.Storage;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Pairwise;

namespace GradeBench.Cli.Tests.Export;

/// <summary><c>gradebench export --kind pairwise.csv</c>: the votes of a side-by-side study; refused for a study of single answers.</summary>
public sealed class PairwiseExportTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    [Fact]
    public async Task PairwiseCsvIsWrittenForASideBySideStudyAndRefusedForAnother()
    {
        var pairwiseDb = await _workspace.DatabaseAsync("pairwise.db");
        var database = new Database(pairwiseDb);
        await new Migrator(database, TimeProvider.System).MigrateAsync();
        var study = await PairwiseFixture.CreateAsync(database, TimeProvider.System, "dr-ann");
        var votes = new PairJudgement { Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Left, ["harm"] = PairwiseChoice.Tie } };
        Assert.Equal(PairWriteOutcome.Saved, (await new PairwiseStore(database, TimeProvider.System).SaveAsync(study.StudyId, study.Raters[0], study.Pairs[0].Id, votes, submit: true)).Outcome);
        var singleDb = await _workspace.ImportAsync(TestPaths.DemoBundle, "single.db");

        var (written, target) = await _workspace.ExportAsync(pairwiseDb, TestPaths.DemoStudyId, "pairwise.csv", "pairwise.csv");
        var (refused, _) = await _workspace.ExportAsync(singleDb, TestPaths.DemoStudyId, "pairwise.csv", "refused.csv");

        Assert.True(written.ExitCode == 0, written.Error);
        Assert.Contains("2 rows", written.Output);
        Assert.Equal(["case-001,dr-ann,consensus,case-001.model-a,case-001.model-b,model-a,model-b,left", "case-001,dr-ann,harm,case-001.model-a,case-001.model-b,model-a,model-b,tie"],
            ExportedCsv.Read(target).Select(r => string.Join(',', r[..8])));
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("error: pairwise.csv is for side-by-side (pairwise) studies; stroke-llm-synthetic-demo is not one", refused.Error.Trim());
        Assert.False(File.Exists(_workspace.PathOf("refused.csv")));
    }

    public void Dispose() => _workspace.Dispose();
}
