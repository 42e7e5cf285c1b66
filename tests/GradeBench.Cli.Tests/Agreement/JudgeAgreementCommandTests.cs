using System.Text.Json;

namespace GradeBench.Cli.Tests.Agreement;

public sealed class JudgeAgreementCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    string WriteCsv(string name, string text)
    {
        var path = _workspace.PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Synthetic ratings whose alt-test values the authors' reference code gave
    /// (tests/GradeBench.Core.Tests/Judges/Data/alt-test-fixtures.md).</summary>
    static string Fixture(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "GradeBench.Core.Tests", "Judges", "Data", name);

    [Fact]
    public async Task JsonFollowsTheContractWithTheAuthorsNumbers()
    {
        var result = await CliWorkspace.RunAsync("judge-agreement", Fixture("alt-test-nominal.csv"), "--judges", "judge,weak", "--level", "nominal",
            "--bootstrap", "0", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal((80, 5), (root.GetProperty("units").GetInt32(), root.GetProperty("humans").GetInt32()));
        Assert.Equal(["judge", "weak"], root.GetProperty("judges").EnumerateObject().Select(j => j.Name));
        var alt = root.GetProperty("judges").GetProperty("judge").GetProperty("alt_test");
        Assert.Equal((0.2, 0.05, "accuracy", 4), (alt.GetProperty("epsilon").GetDouble(), alt.GetProperty("q").GetDouble(),
            alt.GetProperty("scoring").GetString(), alt.GetProperty("humans_tested").GetInt32()));
        Assert.Equal(0.75, alt.GetProperty("winning_rate").GetDouble());
        Assert.Equal(0.8462004802347456, alt.GetProperty("advantage_probability").GetDouble(), 12);
        Assert.True(alt.GetProperty("passed").GetBoolean());
        var p1 = alt.GetProperty("per_human").GetProperty("p1");
        Assert.Equal(59, p1.GetProperty("instances").GetInt32());
        Assert.Equal(0.0010170090981860304, p1.GetProperty("p_value").GetDouble(), 10);
        Assert.True(p1.GetProperty("rejected").GetBoolean());
        Assert.Equal(53 / 59.0, p1.GetProperty("judge_advantage").GetDouble(), 12);
        var p5 = alt.GetProperty("per_human").GetProperty("p5");
        Assert.Equal((20, JsonValueKind.Null, false), (p5.GetProperty("instances").GetInt32(), p5.GetProperty("p_value").ValueKind, p5.GetProperty("rejected").GetBoolean()));
        // Three categories: no balanced F1, but the positive category of the nominal scale's shares (leniency) is said.
        Assert.False(root.GetProperty("judges").GetProperty("judge").TryGetProperty("balanced_f1", out _));
        Assert.Equal("yes", root.GetProperty("positive").GetString());
    }

    /// <summary>OpenAI simple-evals' <c>healthbench_meta_eval_test.py</c> example as ratings: a grader's True, False,
    /// True against physicians' [True, True, False], [True, False], [False].</summary>
    [Fact]
    public async Task BinaryRatingsGetHealthBenchsBalancedF1()
    {
        var csv = WriteCsv("hb.csv", """
            unit,rater,value
            e1,grader,true
            e1,a,true
            e1,b,true
            e1,c,false
            e2,grader,false
            e2,a,true
            e2,b,false
            e3,grader,true
            e3,a,false
            """);

        var result = await CliWorkspace.RunAsync("judge-agreement", csv, "--judges", "grader", "--level", "nominal", "--categories", "false,true",
            "--bootstrap", "0", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var f1 = json.RootElement.GetProperty("judges").GetProperty("grader").GetProperty("balanced_f1");
        double positivePrecision = 2 / 4.0, positiveRecall = 2 / 3.0, negativePrecision = 1 / 2.0, negativeRecall = 1 / 3.0;
        var expected = (2 * positivePrecision * positiveRecall / (positivePrecision + positiveRecall)
            + 2 * negativePrecision * negativeRecall / (negativePrecision + negativeRecall)) / 2;
        Assert.Equal(expected, f1.GetProperty("value").GetDouble(), 15);
        // Physician a against b and c: (t,t) (t,f) on e1, (t,f) on e2, and nothing on e3, rated by a alone: a never says false.
        Assert.Equal(JsonValueKind.Null, f1.GetProperty("physicians").GetProperty("a").ValueKind);
        Assert.Equal(["a", "b", "c"], f1.GetProperty("physicians").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Number, f1.GetProperty("percentile").ValueKind);
    }

    [Fact]
    public async Task TableGivesTheVerdictAndEachPhysiciansRow()
    {
        var result = await CliWorkspace.RunAsync("judge-agreement", Fixture("alt-test-ordinal.csv"), "--judges", "judge", "--level", "ordinal", "--bootstrap", "50");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("60 units, 3 physicians, 1 judge, 5 categories, level ordinal", result.Output);
        Assert.Contains("alt-test: scoring neg_rmse, epsilon 0.2, q 0.05, at least 30 instances", result.Output);
        Assert.Contains("alt-test passed: winning rate 1.0000 (3 of 3 physicians tested), advantage probability 0.8667", result.Output);
        Assert.Contains("  p1                60   0.0002  yes       0.8833", result.Output);
        Assert.Contains("weighted_kappa_quadratic", result.Output);
        Assert.Contains("leniency (judge − physicians' mean)", result.Output);
    }

    [Fact]
    public async Task ModelsGivePredictionPoweredMeans()
    {
        var csv = WriteCsv("m.csv", """
            unit,rater,value
            u1,j,yes
            u1,a,yes
            u1,b,no
            u2,j,no
            u2,a,no
            u2,b,no
            u3,j,yes
            u3,a,yes
            u4,j,yes
            u5,j,no
            """);
        var models = WriteCsv("models.csv", "unit,model\nu1,m1\nu2,m1\nu3,m1\nu4,m1\nu5,m1\n");

        var result = await CliWorkspace.RunAsync("judge-agreement", csv, "--judges", "j", "--level", "nominal", "--models", models, "--bootstrap", "0", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var m1 = json.RootElement.GetProperty("judges").GetProperty("j").GetProperty("prediction_powered").GetProperty("m1");
        Assert.Equal((3, 3, 2), (m1.GetProperty("physician_rated").GetInt32(), m1.GetProperty("labeled").GetInt32(), m1.GetProperty("unlabeled").GetInt32()));
        // Gold shares of yes 0.5, 0, 1 against the judge's 1, 0, 1; the judge alone 1, 0: 0.5 + (−0.5/3).
        Assert.Equal(0.5 - 0.5 / 3, m1.GetProperty("ppi_mean").GetProperty("value").GetDouble(), 12);
        Assert.Equal(0.5, m1.GetProperty("physician_mean").GetProperty("value").GetDouble(), 12);
        Assert.Equal(2, m1.GetProperty("ppi_mean").GetProperty("ci95").GetArrayLength());
    }

    [Theory]
    [InlineData("unit,rater,value\n1,j,a\n1,p,a\n1,j,b\n", new[] { "--level", "nominal" }, "r.csv:4: rater \"j\" rated unit \"1\" twice (first on line 2)")]
    [InlineData("", new[] { "--level", "nominal" }, "r.csv:0: the file is empty")]
    [InlineData("unit,rater,value\n1,p,a\n1,q,a\n", new[] { "--level", "nominal" }, "error: --judges: \"j\" has no rating in r.csv")]
    [InlineData("unit,rater,value\n1,j,a\n", new[] { "--level", "nominal" }, "error: every rater of r.csv is named in --judges")]
    [InlineData("unit,rater,value\n1,j,a\n1,p,b\n", new[] { "--level", "nominal", "--scoring", "neg_rmse" }, "error: --scoring neg_rmse needs an ordered scale")]
    [InlineData("unit,rater,value\n1,j,a\n1,p,b\n", new[] { "--level", "nominal", "--positive", "c" }, "error: --positive: \"c\" is not one of the categories a,b")]
    [InlineData("unit,rater,value\n1,j,a\n1,p,b\n", new[] { "--level", "nominal", "--min-instances", "1" }, "error: --min-instances must be 2 or more")]
    [InlineData("unit,rater,value\n1,j,a\n1,p,b\n", new[] { "--level", "nominal", "--epsilon", "1.5" }, "error: --epsilon must be between 0 and 1")]
    [InlineData("unit,rater,value\n1,j,a\n1,p,b\n", new[] { "--level", "nominal", "--q", "0" }, "error: --q must be between 0 and 1")]
    public async Task BadInputExitsWithTwoAndOneError(string text, string[] options, string message)
    {
        var csv = WriteCsv("r.csv", text);

        var result = await CliWorkspace.RunAsync(["judge-agreement", csv, "--judges", "j", .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(message, result.Error);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task ABadModelsFileNamesItsLine()
    {
        var csv = WriteCsv("r.csv", "unit,rater,value\n1,j,a\n1,p,b\n");
        var models = WriteCsv("models.csv", "unit,model\n1,m1\n1,m2\n");

        var result = await CliWorkspace.RunAsync("judge-agreement", csv, "--judges", "j", "--level", "nominal", "--models", models);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("models.csv:3: unit \"1\" is listed twice (first on line 2)", result.Error);
    }

    public void Dispose() => _workspace.Dispose();
}
