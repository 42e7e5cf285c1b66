using System.Globalization;
using System.Text.Json;

namespace GradeBench.Cli.Tests.Agreement;

public sealed class AgreementCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    string WriteCsv(string name, string text)
    {
        var path = _workspace.PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Krippendorff (2011) reliability data, 4 observers × 12 units with missing values (its citation is
    /// beside the file): α nominal 0.743, ordinal 0.815, interval 0.849.</summary>
    static readonly string KrippendorffData = File.ReadAllText(
        Path.Combine(TestPaths.RepositoryRoot, "tests", "GradeBench.Core.Tests", "Agreement", "Data", "krippendorff-2011.csv"));

    [Fact]
    public async Task JsonReportsEveryCoefficientOfTheLevelWithIntervals()
    {
        var csv = WriteCsv("k.csv", KrippendorffData);

        var result = await CliWorkspace.RunAsync("agreement", csv, "--level", "interval", "--format", "json", "--bootstrap", "200", "--seed", "3");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal((12, 1, 4, 41, "interval"), (root.GetProperty("units").GetInt32(), root.GetProperty("units_left_out").GetInt32(), root.GetProperty("raters").GetInt32(),
            root.GetProperty("ratings").GetInt32(), root.GetProperty("level").GetString()));
        var metrics = root.GetProperty("metrics");
        Assert.Equal(0.743, metrics.GetProperty("krippendorff_alpha_nominal").GetProperty("value").GetDouble(), 3);
        Assert.Equal(0.815, metrics.GetProperty("krippendorff_alpha_ordinal").GetProperty("value").GetDouble(), 3);
        Assert.Equal(0.849, metrics.GetProperty("krippendorff_alpha_interval").GetProperty("value").GetDouble(), 3);
        Assert.Equal(2, metrics.GetProperty("krippendorff_alpha_interval").GetProperty("ci95").GetArrayLength());
        Assert.False(metrics.TryGetProperty("krippendorff_alpha_ratio", out _));
        Assert.False(metrics.TryGetProperty("cohen_kappa", out _)); // four raters
        Assert.False(metrics.TryGetProperty("icc1", out _));        // missing ratings
    }

    [Fact]
    public async Task SameSeedGivesTheSameOutput()
    {
        var csv = WriteCsv("k.csv", KrippendorffData);
        string[] args = ["agreement", csv, "--level", "ordinal", "--format", "json", "--bootstrap", "100", "--seed", "9"];

        Assert.Equal((await CliWorkspace.RunAsync(args)).Output, (await CliWorkspace.RunAsync(args)).Output);
    }

    [Fact]
    public async Task UndefinedCoefficientIsNullWithAReason()
    {
        var csv = WriteCsv("same.csv", "unit,rater,value\nu1,a,x\nu1,b,x\nu2,a,x\nu2,b,x\n");

        var result = await CliWorkspace.RunAsync("agreement", csv, "--level", "nominal", "--format", "json");

        using var json = JsonDocument.Parse(result.Output);
        var alpha = json.RootElement.GetProperty("metrics").GetProperty("krippendorff_alpha_nominal");
        Assert.Equal(JsonValueKind.Null, alpha.GetProperty("value").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(alpha.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task TableListsTheMetrics()
    {
        var csv = WriteCsv("two.csv", "unit,rater,value\n1,a,1\n1,b,1\n2,a,2\n2,b,2\n3,a,1\n3,b,2\n");

        var result = await CliWorkspace.RunAsync("agreement", csv, "--level", "ordinal", "--bootstrap", "0");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3 units (0 with fewer than two ratings), 2 raters, 6 ratings, 2 categories, level ordinal", result.Output);
        Assert.Contains("cohen_kappa", result.Output);
        Assert.Contains("kendall_w", result.Output);
    }

    [Fact]
    public async Task KendallWRanksOrdinalLabelsByTheirDeclaredOrder()
    {
        // The same three raters × four units, once as words none < mild < severe and once as the numbers 1 < 2 < 3:
        // W ranks by category position, so both give the same W (ties included).
        const string rows = "u1,a,{0}\nu1,b,{0}\nu1,c,{1}\nu2,a,{1}\nu2,b,{1}\nu2,c,{1}\nu3,a,{2}\nu3,b,{1}\nu3,c,{2}\nu4,a,{2}\nu4,b,{2}\nu4,c,{2}\n";
        var words = WriteCsv("words.csv", "unit,rater,value\n" + string.Format(CultureInfo.InvariantCulture, rows, "none", "mild", "severe"));
        var numbers = WriteCsv("numbers.csv", "unit,rater,value\n" + string.Format(CultureInfo.InvariantCulture, rows, "1", "2", "3"));

        var fromWords = await CliWorkspace.RunAsync("agreement", words, "--level", "ordinal", "--categories", "none,mild,severe", "--bootstrap", "0", "--format", "json");
        var fromNumbers = await CliWorkspace.RunAsync("agreement", numbers, "--level", "ordinal", "--bootstrap", "0", "--format", "json");

        using var wordsJson = JsonDocument.Parse(fromWords.Output);
        using var numbersJson = JsonDocument.Parse(fromNumbers.Output);
        var expected = numbersJson.RootElement.GetProperty("metrics").GetProperty("kendall_w").GetProperty("value").GetDouble();
        Assert.True(wordsJson.RootElement.GetProperty("metrics").TryGetProperty("kendall_w", out var w), fromWords.Output);
        Assert.Equal(expected, w.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task CategoriesWithCommaAndDashLabelsAreAccepted()
    {
        var csv = WriteCsv("dash.csv", "unit,rater,value\n1,a,-\n1,b,+\n2,a,+\n2,b,+\n");

        var result = await CliWorkspace.RunAsync("agreement", csv, "--level", "ordinal", "--categories=-,\"+, maybe\",+", "--bootstrap", "0", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(["-", "+, maybe", "+"], json.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Theory]
    [InlineData("unit,rater,value\n1,a,1\n1,a,2\n", "nominal", "dup.csv:3: rater \"a\" rated unit \"1\" twice (first on line 2)")]
    [InlineData("unit,rater,value\n1,a,1\n1,b,x\n", "interval", "dup.csv:3: value: \"x\" is not a number, but --level interval needs numbers")]
    [InlineData("", "nominal", "dup.csv:0: the file is empty")]
    [InlineData("unit,value\n1,1\n", "nominal", "dup.csv:1: header must name the columns unit,rater,value")]
    public async Task BadInputExitsWithTwoNamingTheLine(string text, string level, string message)
    {
        var csv = WriteCsv("dup.csv", text);

        var result = await CliWorkspace.RunAsync("agreement", csv, "--level", level);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(message, result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task ValueOutsideDeclaredCategoriesExitsWithTwo()
    {
        var csv = WriteCsv("cat.csv", "unit,rater,value\n1,a,1\n1,b,7\n");

        var result = await CliWorkspace.RunAsync("agreement", csv, "--level", "ordinal", "--categories", "1,2,3");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("cat.csv:3: value: \"7\" is not one of --categories 1,2,3", result.Error);
    }

    public void Dispose() => _workspace.Dispose();
}
