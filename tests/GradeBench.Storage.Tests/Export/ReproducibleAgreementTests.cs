using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Storage.Export;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using Sylvan.Data.Csv;

namespace GradeBench.Storage.Tests.Export;

/// <summary>The bootstrap numbers a criterion's units as ratings.csv lists them (docs/agreement.md, "Bootstrap confidence
/// intervals"): the same bundle gives the same intervals in any installation, and anyone can recompute them from the
/// export, rather than from the database's row ids, which the import draws at random for blinding.</summary>
public sealed class ReproducibleAgreementTests
{
    static async Task<(string Agreement, string Ratings, string Report, IReadOnlyList<(long Id, Core.Rubrics.Criterion Criterion)> Rubric)> ExportAFreshImportAsync()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var agreement = new StringWriter();
        await new TextExport(db.Database).WriteAgreementAsync(studyId, agreement);
        var ratings = new StringWriter();
        await new TextExport(db.Database).WriteRatingsAsync(studyId, ratings);
        var report = new StringWriter();
        await new TextExport(db.Database).Report.WriteMarkdownAsync(studyId, report);
        return (agreement.ToString(), ratings.ToString(), report.ToString(), await new RubricQuery(db.Database).LoadAsync(studyId));
    }

    static List<Dictionary<string, string>> Rows(string csv)
    {
        using var reader = CsvDataReader.Create(new StringReader(csv));
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetString));
        return rows;
    }

    [Fact]
    public async Task TheDemoImportedTwiceGivesTheSameIntervalsAndReport()
    {
        var first = await ExportAFreshImportAsync();
        var second = await ExportAFreshImportAsync();

        Assert.Equal(first.Agreement, second.Agreement);
        Assert.Equal(first.Report, second.Report);
    }

    [Fact]
    public async Task EachCriterionsIntervalsAreThoseOfItsRowsOfRatingsCsvReadAsTheCommandLineReadsThem()
    {
        var (agreement, ratings, _, rubric) = await ExportAFreshImportAsync();
        var exported = Rows(agreement);
        var rated = Rows(ratings);

        foreach (var (_, criterion) in rubric.Where(c => CriterionRatings.Level(c.Criterion) is not null))
        {
            var level = CriterionRatings.Level(criterion)!.Value;
            var rows = rated.Where(r => r["criterion"] == criterion.Id && r["value"] != "").ToList();
            // gradebench agreement FILE --level … --categories …, FILE holding unit,rater,value in ratings.csv's order.
            var file = "unit,rater,value\n" + string.Concat(rows.Select(r => $"{r["response_id"]},{r["rater"]},{r["value"]}\n"));
            var report = AgreementAnalysis.Run(RatingsCsv.Read(new StringReader(file), level, CriterionRatings.Categories(criterion, rows.Select(r => r["value"]))), level);

            var intervals = report.Metrics.Where(m => m.Estimate.Ci95 is not null).ToList();
            Assert.NotEmpty(intervals);
            foreach (var metric in intervals)
            {
                var row = exported.Single(r => r["criterion"] == criterion.Id && r["metric"] == metric.Name);
                Assert.Equal((criterion.Id, metric.Name, metric.Estimate.Ci95!.Value.Lower, metric.Estimate.Ci95.Value.Upper),
                    (criterion.Id, metric.Name, double.Parse(row["ci_lower"], CultureInfo.InvariantCulture), double.Parse(row["ci_upper"], CultureInfo.InvariantCulture)));
            }
        }
    }
}
