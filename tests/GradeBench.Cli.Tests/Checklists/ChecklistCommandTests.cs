using System.Text.Json;

namespace GradeBench.Cli.Tests.Checklists;

public sealed class ChecklistCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    string WriteCsv(string name, string text)
    {
        var path = _workspace.PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>dose 5 [axis:accuracy], weight 2, delay −6 [axis:safety]. gpt's r1: p1 meets dose (5/7), p2 dose and weight
    /// (7/7), so r1 = 6/7; gpt's r3: p1 meets weight (2/7). gpt = (6/7 + 2/7) / 2 = 4/7. claude's r2: p1 meets delay
    /// (−6/7), p2 weight and delay (−4/7), so r2 = −5/7 and claude = −5/7 clipped to 0.</summary>
    const string SmallStudy = """
        response,model,rater,criterion,points,met,tags
        r1,gpt,p1,dose,5,true,axis:accuracy
        r1,gpt,p1,weight,2,false,
        r1,gpt,p1,delay,-6,false,axis:safety
        r1,gpt,p2,dose,5,true,axis:accuracy
        r1,gpt,p2,weight,2,true,
        r1,gpt,p2,delay,-6,false,axis:safety
        r2,claude,p1,dose,5,false,axis:accuracy
        r2,claude,p1,weight,2,false,
        r2,claude,p1,delay,-6,true,axis:safety
        r2,claude,p2,dose,5,false,axis:accuracy
        r2,claude,p2,weight,2,true,
        r2,claude,p2,delay,-6,true,axis:safety
        r3,gpt,p1,dose,5,false,axis:accuracy
        r3,gpt,p1,weight,2,true,
        r3,gpt,p1,delay,-6,false,axis:safety
        """;

    [Fact]
    public async Task JsonFollowsTheContract()
    {
        var result = await CliWorkspace.RunAsync("checklist", WriteCsv("marks.csv", SmallStudy), "--format", "json", "--bootstrap", "200", "--seed", "4");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(["models", "agreement", "marks", "responses", "raters", "bootstrap"], root.EnumerateObject().Select(p => p.Name));
        var models = root.GetProperty("models");
        Assert.Equal(["gpt", "claude"], models.EnumerateObject().Select(m => m.Name));
        var gpt = models.GetProperty("gpt");
        Assert.Equal(["score", "ci95", "responses", "responses_without_score", "tags"], gpt.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4 / 7.0, gpt.GetProperty("score").GetDouble(), 12);
        Assert.Equal(2, gpt.GetProperty("responses").GetInt32());
        // The three responses are resampled: gpt's mean is 2/7 when r3 is drawn and r1 not (probability (2/3)³ − (1/3)³ =
        // 7/27), 6/7 when r1 is and r3 not (7/27 too), so the 2.5th and 97.5th percentiles are those two.
        Assert.Equal(2 / 7.0, gpt.GetProperty("ci95")[0].GetDouble(), 12);
        Assert.Equal(6 / 7.0, gpt.GetProperty("ci95")[1].GetDouble(), 12);
        // accuracy: r1 (5/5 + 5/5) / 2 = 1 and r3 0/5 = 0, mean 0.5; safety has no positive points.
        var tags = gpt.GetProperty("tags");
        Assert.Equal(0.5, tags.GetProperty("axis:accuracy").GetProperty("score").GetDouble(), 12);
        var safety = tags.GetProperty("axis:safety");
        Assert.Equal((JsonValueKind.Null, 0), (safety.GetProperty("score").ValueKind, safety.GetProperty("responses").GetInt32()));
        Assert.StartsWith("no criterion tagged axis:safety is worth positive points", safety.GetProperty("reason").GetString());
        var claude = models.GetProperty("claude");
        Assert.Equal((0, 1), (claude.GetProperty("score").GetDouble(), claude.GetProperty("responses").GetInt32()));

        var agreement = root.GetProperty("agreement");
        // r1 and r2 have two raters: 6 units; r3's 3 have one.
        Assert.Equal((6, 3), (agreement.GetProperty("units").GetInt32(), agreement.GetProperty("units_left_out").GetInt32()));
        Assert.Equal(JsonValueKind.Number, agreement.GetProperty("krippendorff_alpha_nominal").GetProperty("value").ValueKind);
        Assert.Equal(["axis:accuracy", "axis:safety"], agreement.GetProperty("tags").EnumerateObject().Select(t => t.Name));
        Assert.Equal(["value", "f1_met", "f1_not_met", "pairs"], agreement.GetProperty("balanced_f1").GetProperty("p1").EnumerateObject().Select(p => p.Name));
        Assert.Equal((15, 3, 2), (root.GetProperty("marks").GetInt32(), root.GetProperty("responses").GetInt32(), root.GetProperty("raters").GetInt32()));
        var bootstrap = root.GetProperty("bootstrap");
        Assert.Equal((200, 4, "responses"), (bootstrap.GetProperty("resamples").GetInt32(), bootstrap.GetProperty("seed").GetInt32(), bootstrap.GetProperty("resampled").GetString()));
    }

    [Fact]
    public async Task TableShowsScoresTagsAndAgreement()
    {
        var result = await CliWorkspace.RunAsync("checklist", WriteCsv("marks.csv", SmallStudy), "--bootstrap", "0");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("15 marks of 3 responses by 2 raters, 2 models; no bootstrap", lines[0]);
        Assert.Equal("model    score  95% CI            responses  without score", lines[2]);
        Assert.Equal("gpt     0.5714  —                         2              0", lines[3]);
        Assert.Equal("claude  0.0000  —                         1              0", lines[4]);
        Assert.Contains("axis:accuracy  gpt     0.5000  —                         2", lines);
        Assert.Contains("no score for gpt, axis:safety: no criterion tagged axis:safety is worth positive points on the model's answers, so the tag has no score", lines);
        Assert.Contains(lines, l => l.StartsWith("agreement on met / not met (Krippendorff's alpha, nominal): ", StringComparison.Ordinal)
            && l.EndsWith(", 6 (response, criterion) units with two or more raters, 3 with one left out", StringComparison.Ordinal));
        Assert.Contains("balanced F1 of each rater against the other raters' marks:", lines);
    }

    [Fact]
    public async Task SameSeedGivesTheSameOutputAndAnotherSeedOtherIntervals()
    {
        var rows = new List<string> { "response,model,rater,criterion,points,met" };
        for (var i = 0; i < 20; i++)
            foreach (var rater in new[] { "p1", "p2" })
            {
                rows.Add($"r{i},{(i % 2 == 0 ? "a" : "b")},{rater},dose,5,{(i * 7 + rater.Length + (rater == "p1" ? 1 : 0)) % 3 != 0}");
                rows.Add($"r{i},{(i % 2 == 0 ? "a" : "b")},{rater},delay,-4,{(i + (rater == "p1" ? 1 : 0)) % 4 == 0}");
            }
        var csv = WriteCsv("many.csv", string.Join('\n', rows));
        string[] args = ["checklist", csv, "--format", "json", "--bootstrap", "100", "--seed", "9"];

        var first = await CliWorkspace.RunAsync(args);
        Assert.Equal(first.Output, (await CliWorkspace.RunAsync(args)).Output);
        Assert.NotEqual(first.Output, (await CliWorkspace.RunAsync([.. args[..^1], "10"])).Output);
    }

    [Theory]
    [InlineData("", "marks.csv:0: the file is empty")]
    [InlineData("response,model,rater,criterion,met\nr1,m,p1,c1,true\n", "marks.csv:1: header must name the columns response,model,rater,criterion,points,met")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,true\nr1,m,p2,c1,5,maybe\n", "marks.csv:3: met: \"maybe\" is not one of true, false, 1, 0")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,0,true\n", "marks.csv:2: points: 0; a criterion is worth a non-zero whole number of points")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,true\nr1,m,p2,c1,3,true\n", "marks.csv:3: points: criterion \"c1\" of response \"r1\" is worth 5 (line 2)")]
    [InlineData("response,model,rater,criterion,points,met\nr1,m,p1,c1,5,true\nr1,m,p1,c1,5,false\n", "marks.csv:3: rater \"p1\" marked criterion \"c1\" of response \"r1\" already (line 2)")]
    public async Task BadInputExitsWithTwoNamingTheFileAndLine(string text, string message)
    {
        var result = await CliWorkspace.RunAsync("checklist", WriteCsv("marks.csv", text));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(message, result.Error);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task ANegativeBootstrapAFileThatIsNotUtf8NoFileOrAFolderExitsWithTwo()
    {
        var csv = WriteCsv("marks.csv", SmallStudy);
        var latin1 = _workspace.PathOf("latin1.csv");
        File.WriteAllBytes(latin1, [.. "response,model,rater,criterion,points,met\nr1,m,p"u8, 0xE9, .. ",c1,5,true\n"u8]);

        var negative = await CliWorkspace.RunAsync("checklist", csv, "--bootstrap", "-1");
        var notUtf8 = await CliWorkspace.RunAsync("checklist", latin1);
        var missing = await CliWorkspace.RunAsync("checklist", _workspace.PathOf("none.csv"));
        var folder = await CliWorkspace.RunAsync("checklist", _workspace.Folder);

        Assert.Equal((2, "error: --bootstrap must be 0 or more\n"), (negative.ExitCode, negative.Error.ReplaceLineEndings("\n")));
        Assert.Equal((2, "latin1.csv:0: the file is not valid UTF-8\n"), (notUtf8.ExitCode, notUtf8.Error.ReplaceLineEndings("\n")));
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("error: ", missing.Error);
        Assert.Contains("none.csv", missing.Error);
        Assert.Equal((2, $"error: Access to the path '{_workspace.Folder}' is denied.\n"), (folder.ExitCode, folder.Error.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task TheInstalledCommandExitsWithTwoOnBadInput()
    {
        var result = await CliWorkspace.RunProcessAsync("checklist", WriteCsv("partial.csv",
            "response,model,rater,criterion,points,met\nr1,m,p1,c1,5,true\nr1,m,p1,c2,-2,false\nr1,m,p2,c1,5,true\n"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("partial.csv:4: rater \"p2\" marked response \"r1\" but not its criterion \"c2\" (line 3)", result.Error);
    }

    public void Dispose() => _workspace.Dispose();
}
