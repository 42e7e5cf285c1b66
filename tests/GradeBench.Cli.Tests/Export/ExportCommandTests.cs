using Dapper;
using GradeBench.Storage;

namespace GradeBench.Cli.Tests.Export;

public sealed class ExportCommandTests : IDisposable
{
    const string Study = "stroke-llm-synthetic-demo";
    readonly CliWorkspace _workspace = new();

    Task<string> ImportDemoWithAChineseCommentAsync() =>
        _workspace.ImportAsync(_workspace.CopyDemoBundleWithAChineseComment("bundle"), "export.db");


    [Fact]
    public async Task RatingsCsvHoldsEverySubmittedRatingOfTheDatabaseAndChineseTextSurvives()
    {
        var db = await ImportDemoWithAChineseCommentAsync();
        var target = _workspace.PathOf("ratings.csv");

        var run = await CliWorkspace.RunProcessAsync("export", "--db", db, "--study", Study, "--kind", "ratings.csv", "--out", target);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("576 rows", run.Output);
        var exported = ExportedCsv.Read(target).Select(r => (r[2], r[4], r[5], r[6], r[7])).OrderBy(r => r).ToList();
        await using var connection = await new Database(db).OpenAsync();
        var stored = (await connection.QueryAsync<(string, string, string, string, string)>("""
            SELECT r.slug, u.username, k.slug, g.value, COALESCE(g.comment, '') FROM ratings g
            JOIN responses r ON r.id = g.response_id JOIN users u ON u.id = g.rater_id JOIN criteria k ON k.id = g.criterion_id
            WHERE g.status = 'submitted'
            """)).OrderBy(r => r).ToList();
        Assert.Equal(stored, exported);
        Assert.Contains(exported, r => r.Item5 == CliWorkspace.ChineseComment);
        Assert.False(File.ReadAllBytes(target).AsSpan().StartsWith("\uFEFF"u8), "no byte-order mark unless asked");
    }

    [Fact]
    public async Task TheExcelOptionStartsTheFileWithAByteOrderMark()
    {
        var db = await ImportDemoWithAChineseCommentAsync();
        var (run, target) = await _workspace.ExportAsync(db, Study, "ratings.csv", "excel.csv", "--excel");

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.ReadAllBytes(target).AsSpan().StartsWith("\uFEFFstudy,case_id"u8));
    }

    [Fact]
    public async Task TheExcelOptionPutsAnApostropheBeforeFormulasAndLeavesNumbersAndTextAlone()
    {
        var db = await _workspace.ImportAsync(FormulaStudy.Write(_workspace.PathOf("formulas")), "formulas.db");

        foreach (var kind in new[] { "ratings.csv", "ratings-wide.csv", "history.csv" })
        {
            var (plain, plainFile) = await _workspace.ExportAsync(db, FormulaStudy.Id, kind, "plain-" + kind);
            var (excel, excelFile) = await _workspace.ExportAsync(db, FormulaStudy.Id, kind, "excel-" + kind, "--excel");

            Assert.True(plain.ExitCode == 0 && excel.ExitCode == 0, plain.Error + excel.Error);
            var plainCells = ExportedCsv.Read(plainFile, header: true);
            var excelCells = ExportedCsv.Read(excelFile, header: true);
            Assert.Equal(plainCells.Select(r => string.Join(" | ", r.Select(FormulaStudy.ForExcel))), excelCells.Select(r => string.Join(" | ", r)));
            Assert.Contains(plainCells, r => r.Contains("=1+1") && r.Contains("-1"));
            Assert.Contains(excelCells, r => r.Contains("'=1+1") && r.Contains("-1"));
            Assert.Contains(excelCells, r => r.Contains("'\t=1"));
            Assert.Contains(excelCells, r => r.Contains("Clear, but omits the imaging step"));
        }
    }

    [Fact]
    public async Task HistoryCsvHasOneRowPerRecordedValue()
    {
        var db = await ImportDemoWithAChineseCommentAsync();
        var (run, target) = await _workspace.ExportAsync(db, Study, "history.csv", "history.csv");

        Assert.Equal(0, run.ExitCode);
        var rows = ExportedCsv.Read(target);
        Assert.Equal(576, rows.Count);
        Assert.All(rows, r => Assert.Equal("import", r[7]));
    }

    [Fact]
    public async Task AnUnknownStudyIsAnErrorAndWritesNothing()
    {
        var db = await ImportDemoWithAChineseCommentAsync();
        var (run, target) = await _workspace.ExportAsync(db, "no-such-study", "ratings.csv", "none.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("there is no study \"no-such-study\"", run.Error);
        Assert.False(File.Exists(target));
    }

    public void Dispose() => _workspace.Dispose();
}
