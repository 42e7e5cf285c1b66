using System.Text;
using System.Text.Json;

namespace GradeBench.Cli.Tests.Pairwise;

public sealed class PairwiseCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    string WriteCsv(string name, string text)
    {
        var path = _workspace.PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Agresti's (2002, §10.6) 1987 American League East as votes, one per game, the home team on the left
    /// (tests/GradeBench.Core.Tests/Pairwise/Data/agresti-2002-baseball.md).</summary>
    string BaseballVotes()
    {
        var table = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "tests", "GradeBench.Core.Tests", "Pairwise", "Data", "agresti-2002-baseball.csv"));
        var csv = new StringBuilder("case,rater,left,right,choice\n");
        foreach (var row in table.Skip(1).Select(line => line.Split(',')))
        {
            var (homeWins, awayWins) = (int.Parse(row[2]), int.Parse(row[3]));
            for (var g = 0; g < homeWins + awayWins; g++)
                csv.Append($"{row[0]}-{row[1]}-{g},agresti,{row[0]},{row[1]},{(g < homeWins ? "left" : "right")}\n");
        }
        return WriteCsv("baseball.csv", csv.ToString());
    }

    const string SmallStudy = """
        case,rater,left,right,choice
        c1,p1,gpt,claude,left
        c1,p2,claude,gpt,right
        c1,p1,gpt,gemini,tie
        c2,p1,gemini,gpt,left
        c2,p2,claude,gemini,both_bad
        c2,p1,claude,gemini,left
        c3,p1,gpt,claude,right
        c3,p2,gemini,claude,right
        c3,p1,gemini,gpt,right
        """;

    [Fact]
    public async Task JsonFollowsTheContract()
    {
        var result = await CliWorkspace.RunAsync("pairwise", BaseballVotes(), "--format", "json", "--bootstrap", "200", "--seed", "4");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(["comparisons", "models", "position"], root.EnumerateObject().Take(3).Select(p => p.Name));
        Assert.Equal(273, root.GetProperty("comparisons").GetInt32());
        var models = root.GetProperty("models");
        Assert.Equal(["Milwaukee", "Detroit", "Toronto", "New York", "Boston", "Cleveland", "Baltimore"], models.EnumerateObject().Select(m => m.Name));
        var milwaukee = models.GetProperty("Milwaukee");
        Assert.Equal(["rating", "ci95", "rank", "wins", "losses", "ties"], milwaukee.EnumerateObject().Select(p => p.Name));
        // Agresti's estimate, 1.58 natural-log odds above Baltimore, on the Arena scale.
        var gap = milwaukee.GetProperty("rating").GetDouble() - models.GetProperty("Baltimore").GetProperty("rating").GetDouble();
        Assert.Equal(1.58, gap * Math.Log(10) / 400, 2);
        Assert.Equal(2, milwaukee.GetProperty("ci95").GetArrayLength());
        Assert.Equal((1, 50, 28, 0), (milwaukee.GetProperty("rank").GetInt32(), milwaukee.GetProperty("wins").GetInt32(),
            milwaukee.GetProperty("losses").GetInt32(), milwaukee.GetProperty("ties").GetInt32()));
        // The Arena rank: 1 + the teams whose lower bound is above this team's upper bound.
        var intervals = models.EnumerateObject().ToDictionary(m => m.Name, m => (Lower: m.Value.GetProperty("ci95")[0].GetDouble(), Upper: m.Value.GetProperty("ci95")[1].GetDouble()));
        foreach (var model in models.EnumerateObject())
            Assert.Equal(1 + intervals.Values.Count(other => other.Lower > intervals[model.Name].Upper), model.Value.GetProperty("rank").GetInt32());
        Assert.True(models.GetProperty("Baltimore").GetProperty("rank").GetInt32() > 1);
        var position = root.GetProperty("position");
        Assert.Equal(["left_win_share", "ci95", "decisive"], position.EnumerateObject().Take(3).Select(p => p.Name));
        Assert.Equal(273, position.GetProperty("decisive").GetInt32());
        // The home team won 154 of the 273 games.
        Assert.Equal(154 / 273.0, position.GetProperty("left_win_share").GetDouble(), 12);
        Assert.Equal(2, position.GetProperty("ci95").GetArrayLength());
        Assert.Equal(21, root.GetProperty("pairs").GetArrayLength());
        Assert.Equal((200, 4, 0), (root.GetProperty("bootstrap").GetProperty("resamples").GetInt32(), root.GetProperty("bootstrap").GetProperty("seed").GetInt32(),
            root.GetProperty("bootstrap").GetProperty("undefined_resamples").GetInt32()));
    }

    [Fact]
    public async Task WithoutBootstrapThereAreNoIntervalsAndNoRanks()
    {
        var result = await CliWorkspace.RunAsync("pairwise", WriteCsv("small.csv", SmallStudy), "--format", "json", "--bootstrap", "0");

        using var json = JsonDocument.Parse(result.Output);
        var gpt = json.RootElement.GetProperty("models").GetProperty("gpt");
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (gpt.GetProperty("ci95").ValueKind, gpt.GetProperty("rank").ValueKind));
        Assert.Equal((3, 2, 1), (gpt.GetProperty("wins").GetInt32(), gpt.GetProperty("losses").GetInt32(), gpt.GetProperty("ties").GetInt32()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("position").GetProperty("ci95").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("bootstrap").GetProperty("undefined_resamples").ValueKind);
    }

    [Fact]
    public async Task AModelThatNeverLostGetsNoRatingButAReason()
    {
        var csv = WriteCsv("never.csv", "case,rater,left,right,choice\nc1,p1,a,b,left\nc2,p1,b,a,right\nc3,p1,b,c,tie\n");

        var json = await CliWorkspace.RunAsync("pairwise", csv, "--format", "json");
        var table = await CliWorkspace.RunAsync("pairwise", csv);

        using var document = JsonDocument.Parse(json.Output);
        var a = document.RootElement.GetProperty("models").GetProperty("a");
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null),
            (a.GetProperty("rating").ValueKind, a.GetProperty("ci95").ValueKind, a.GetProperty("rank").ValueKind));
        Assert.StartsWith("a never lost to or tied with the other models", a.GetProperty("reason").GetString());
        Assert.Contains("no ratings: a never lost to or tied with the other models", table.Output);
        Assert.Matches(@"\na\s+—\s+—\s+—\s+2\s+0\s+0\n", table.Output);
    }

    [Fact]
    public async Task TableShowsRatingsPairsPositionAndAgreement()
    {
        var result = await CliWorkspace.RunAsync("pairwise", WriteCsv("small.csv", SmallStudy), "--bootstrap", "100");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("9 votes on 3 cases by 2 raters, 3 models; 100 bootstrap resamples of the cases (seed 20261125)", result.Output);
        Assert.Matches(@"\ngpt\s+1040\.1\s+\[\d+\.\d, \d+\.\d\]\s+1\s+3\s+2\s+1\n", result.Output);
        Assert.Contains("claude – gemini       2       0  1 (1)", result.Output);
        Assert.Contains("position: the left answer won 0.4286 [", result.Output);
        Assert.Contains("of 7 decisive votes", result.Output);
        Assert.Contains("agreement on the same pair (Krippendorff's alpha, nominal over A/B/tie): 0.4000 [", result.Output);
        Assert.Contains("2 (case, pair) units with two or more votes, 5 with one left out", result.Output);
    }

    [Fact]
    public async Task SameSeedGivesTheSameOutputAndAnotherSeedOtherIntervals()
    {
        var csv = BaseballVotes();
        string[] args = ["pairwise", csv, "--format", "json", "--bootstrap", "100", "--seed", "9"];

        var first = await CliWorkspace.RunAsync(args);
        Assert.Equal(first.Output, (await CliWorkspace.RunAsync(args)).Output);
        Assert.NotEqual(first.Output, (await CliWorkspace.RunAsync([.. args[..^1], "10"])).Output);
    }

    [Theory]
    [InlineData("", "votes.csv:0: the file is empty")]
    [InlineData("case,rater,left,value\nc1,p1,a,left\n", "votes.csv:1: header must name the columns case,rater,left,right,choice")]
    [InlineData("case,rater,left,right,choice\nc1,p1,a,b,left\nc2,p1,a,b,A\n", "votes.csv:3: choice: \"A\" is not one of left, right, tie, both_bad")]
    [InlineData("case,rater,left,right,choice\nc1,p1,a,,left\n", "votes.csv:2: right: empty")]
    [InlineData("case,rater,left,right,choice\nc1,p1,a,b,left\nc1,p1,b,a,left\n", "votes.csv:3: rater \"p1\" voted on case \"c1\" between \"a\" and \"b\" already (line 2)")]
    public async Task BadInputExitsWithTwoNamingTheFileAndLine(string text, string message)
    {
        var result = await CliWorkspace.RunAsync("pairwise", WriteCsv("votes.csv", text));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(message, result.Error);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task ANegativeBootstrapOrAFileThatIsNotUtf8ExitsWithTwo()
    {
        var csv = WriteCsv("small.csv", SmallStudy);
        var latin1 = _workspace.PathOf("latin1.csv");
        File.WriteAllBytes(latin1, [.. "case,rater,left,right,choice\nc1,p"u8, 0xE9, .. ",a,b,left\n"u8]);

        var negative = await CliWorkspace.RunAsync("pairwise", csv, "--bootstrap", "-1");
        var notUtf8 = await CliWorkspace.RunAsync("pairwise", latin1);

        Assert.Equal((2, "error: --bootstrap must be 0 or more\n"), (negative.ExitCode, negative.Error.ReplaceLineEndings("\n")));
        Assert.Equal((2, "latin1.csv:0: the file is not valid UTF-8\n"), (notUtf8.ExitCode, notUtf8.Error.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task TheInstalledCommandExitsWithTwoOnBadInput()
    {
        var result = await CliWorkspace.RunProcessAsync("pairwise", WriteCsv("self.csv", "case,rater,left,right,choice\nc1,p1,a,a,tie\n"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("self.csv:2: right: \"a\" is the model on the left too", result.Error);
    }

    public void Dispose() => _workspace.Dispose();
}
