using Dapper;
using GradeBench.Storage;

namespace GradeBench.Cli.Tests.Export;

public sealed class ExportCommandTests : IDisposable
{
    const string Study = "stroke-llm-synthetic-demo";
    readonly CliWorkspace _workspace = new();

    async Task<string> ImportDemoWithAChineseCommentAsync()
    {
        var bundle = _workspace.CopyDemoBundle("bundle");
        var ratings = Path.Combine(bundle, "ratings.csv");
        var lines = File.ReadAllLines(ratings);
        // The first data row gets a comment with Chinese text, a comma, a quote and a line break.
        lines[1] = lines[1].TrimEnd(',') + ",\"溶栓时间窗 \"\"4.5 h\"\", see\nnote\"";
        File.WriteAllLines(ratings, lines);
        var db = _workspace.PathOf("export.db");
        var import = await CliWorkspace.RunAsync("import", bundle, "--db", db);
        Assert.True(import.ExitCode == 0, import.Error);
        return db;
    }


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
        Assert.Contains(exported, r => r.Item5 == "溶栓时间窗 \"4.5 h\", see\nnote");
        Assert.False(File.ReadAllBytes(target).AsSpan().StartsWith("\uFEFF"u8), "no byte-order mark unless asked");
    }

    [Fact]
    public async Task TheExcelOptionStartsTheFileWithAByteOrderMark()
    {
        var db = await ImportDemoWithAChineseCommentAsync();
        var target = _workspace.PathOf("excel.csv");

        var run = await CliWorkspace.RunAsync("export", "--db", db, "--study", Study, "--kind", "ratings.csv", "--out", target, "--excel");

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.ReadAllBytes(target).AsSpan().StartsWith("\uFEFFstudy,case_id"u8));
    }

    [Fact]
    public async Task TheExcelOptionPutsAnApostropheBeforeFormulasAndLeavesNumbersAndTextAlone()
    {
        var db = _workspace.PathOf("formulas.db");
        var import = await CliWorkspace.RunAsync("import", FormulaStudy.Write(_workspace.PathOf("formulas")), "--db", db);
        Assert.True(import.ExitCode == 0, import.Error);

        foreach (var kind in new[] { "ratings.csv", "ratings-wide.csv", "history.csv" })
        {
            var plain = await CliWorkspace.RunAsync("export", "--db", db, "--study", FormulaStudy.Id, "--kind", kind, "--out", _workspace.PathOf("plain-" + kind));
            var excel = await CliWorkspace.RunAsync("export", "--db", db, "--study", FormulaStudy.Id, "--kind", kind, "--out", _workspace.PathOf("excel-" + kind), "--excel");

            Assert.True(plain.ExitCode == 0 && excel.ExitCode == 0, plain.Error + excel.Error);
            var plainCells = ExportedCsv.Read(_workspace.PathOf("plain-" + kind), header: true);
            var excelCells = ExportedCsv.Read(_workspace.PathOf("excel-" + kind), header: true);
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
        var target = _workspace.PathOf("history.csv");

        var run = await CliWorkspace.RunAsync("export", "--db", db, "--study", Study, "--kind", "history.csv", "--out", target);

        Assert.Equal(0, run.ExitCode);
        var rows = ExportedCsv.Read(target);
        Assert.Equal(576, rows.Count);
        Assert.All(rows, r => Assert.Equal("import", r[7]));
    }

    [Fact]
    public async Task AnUnknownStudyIsAnErrorAndWritesNothing()
    {
        var db = await ImportDemoWithAChineseCommentAsync();
        var target = _workspace.PathOf("none.csv");

        var run = await CliWorkspace.RunAsync("export", "--db", db, "--study", "no-such-study", "--kind", "ratings.csv", "--out", target);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("there is no study \"no-such-study\"", run.Error);
        Assert.False(File.Exists(target));
    }

    public void Dispose() => _workspace.Dispose();
}
