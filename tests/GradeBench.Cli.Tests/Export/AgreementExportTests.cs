using Sylvan.Data.Csv;

namespace GradeBench.Cli.Tests.Export;

public sealed class AgreementExportTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    // Raters 1 and 2 on three responses. Accuracy: (4, 4), (2, 3), (5, 5). Hallucination: (true, true), (true, false),
    // (false, false). Harm: "none" throughout.
    const string Ratings = """
        response_id,rater,criterion,value,comment
        case-001.model-a,rater-1,accuracy,4,
        case-001.model-a,rater-1,harm,none,
        case-001.model-a,rater-1,hallucination,true,
        case-001.model-a,rater-2,accuracy,4,
        case-001.model-a,rater-2,harm,none,
        case-001.model-a,rater-2,hallucination,true,
        case-001.model-b,rater-1,accuracy,2,
        case-001.model-b,rater-1,harm,none,
        case-001.model-b,rater-1,hallucination,true,
        case-001.model-b,rater-2,accuracy,3,
        case-001.model-b,rater-2,harm,none,
        case-001.model-b,rater-2,hallucination,false,
        case-002.model-a,rater-1,accuracy,5,
        case-002.model-a,rater-1,harm,none,
        case-002.model-a,rater-1,hallucination,false,
        case-002.model-a,rater-2,accuracy,5,
        case-002.model-a,rater-2,harm,none,
        case-002.model-a,rater-2,hallucination,false,

        """;

    async Task<Dictionary<(string Criterion, string Metric), string[]>> ExportSmallStudyAsync()
    {
        var bundle = Directory.CreateDirectory(_workspace.PathOf("small")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "corpus", "valid-bundles", "small")))
            File.Copy(file, Path.Combine(bundle, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(bundle, "ratings.csv"), Ratings);
        var db = await _workspace.ImportAsync(bundle, "small.db");
        var (run, target) = await _workspace.ExportAsync(db, "small-reader-test", "agreement.csv", "agreement.csv");

        Assert.True(run.ExitCode == 0, run.Error);
        using var reader = CsvDataReader.Create(target);
        Assert.Equal(["criterion", "level", "metric", "value", "ci_lower", "ci_upper", "units", "raters", "reading"],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        var rows = new Dictionary<(string, string), string[]>();
        while (reader.Read())
            rows[(reader.GetString(0), reader.GetString(2))] = Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray();
        return rows;
    }

    static double Value(string[] row) => double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task AgreementCsvGivesTheHandComputedCoefficientsWithTheirReadings()
    {
        var rows = await ExportSmallStudyAsync();

        // Hallucination: agreement on 2 of 3; margins rater 1 (T 2/3, F 1/3), rater 2 (T 1/3, F 2/3): pe = 4/9, κ = (2/3 − 4/9)/(5/9) = 2/5.
        var kappa = rows[("hallucination", "cohen_kappa")];
        Assert.Equal(0.4, Value(kappa), 12);
        Assert.Equal("Landis & Koch 1977: fair", kappa[8]);
        Assert.Equal(("nominal", "3", "2"), (kappa[1], kappa[6], kappa[7]));
        Assert.NotEqual("", kappa[4]);
        // Coincidences: T–T 2, T–F 1, F–T 1, F–F 2 of 6; D_o = 2/6, D_e = 2·3·3/(6·5) = 0.6, α = 1 − (1/3)/0.6 = 4/9.
        var alpha = rows[("hallucination", "krippendorff_alpha_nominal")];
        Assert.Equal(4.0 / 9, Value(alpha), 12);
        Assert.Equal("Krippendorff 2004: unreliable", alpha[8]);
        var percent = rows[("hallucination", "percent_agreement")];
        Assert.Equal(2.0 / 3, Value(percent), 12);
        Assert.Equal(("", ""), (percent[4], percent[8]));
        // Accuracy on 1–5: margins rater 1 (2, 4, 5), rater 2 (3, 4, 5), a third each: pe = 2/9, κ = (2/3 − 2/9)/(7/9) = 4/7.
        Assert.Equal(4.0 / 7, Value(rows[("accuracy", "cohen_kappa")]), 12);
        Assert.Equal("ordinal", rows[("accuracy", "cohen_kappa")][1]);
    }

    [Fact]
    public async Task ACoefficientWithoutVariationHasAnEmptyValueAndNoReading()
    {
        var rows = await ExportSmallStudyAsync();

        var kappa = rows[("harm", "cohen_kappa")];
        Assert.Equal(("", "", ""), (kappa[3], kappa[4], kappa[8]));
        Assert.DoesNotContain(rows.Keys, k => k.Criterion == "comment");
    }

    public void Dispose() => _workspace.Dispose();
}
