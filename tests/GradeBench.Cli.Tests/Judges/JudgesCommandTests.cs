using System.Security.Cryptography;
using System.Text;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;

namespace GradeBench.Cli.Tests.Judges;

public sealed class JudgesCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();
    const string Study = TestPaths.DemoStudyId;

    public void Dispose() => _workspace.Dispose();

    async Task<string> DemoAsync() => await _workspace.ImportAsync(TestPaths.DemoBundle, "judges.db");

    static Task<CliOutcome> AddAsync(string db, params string[] options) =>
        CliWorkspace.RunAsync(["judges", "add", "--db", db, "--study", Study, .. options]);

    Task<CliOutcome> ImportAsync(string db, string name, string csv)
    {
        var file = _workspace.PathOf(name);
        File.WriteAllText(file, csv);
        return CliWorkspace.RunAsync("judges", "import", "--db", db, "--study", Study, "--judge", "gpt", file);
    }

    /// <summary>A complete rating of each response, every criterion with an explanation, in the import's CSV.</summary>
    static string Ratings(params (string Response, string Overall)[] responses)
    {
        var csv = new StringBuilder("response_id,criterion,value,explanation\n");
        foreach (var (response, overall) in responses)
            foreach (var (criterion, value) in DemoRatings.Complete(("overall", overall)))
                csv.Append($"{response},{criterion},{value},\"Why {criterion}: clear, \"\"cited\"\"\"\n");
        return csv.ToString();
    }

    static async Task<List<T>> QueryAsync<T>(string db, string sql)
    {
        await using var connection = await new Database(db).OpenAsync();
        return (await connection.QueryAsync<T>(sql)).AsList();
    }

    [Fact]
    public async Task AddPrintsOnlyTheTokenOfANewJudgeAndListShowsItsProvenance()
    {
        var db = await DemoAsync();
        var prompt = _workspace.PathOf("prompt.txt");
        File.WriteAllText(prompt, "Rate as a stroke neurologist.\n");

        var added = await AddAsync(db, "--name", "gpt", "--model", "gpt-4o", "--version", "2024-08-06", "--prompt-file", prompt, "--temperature", "0.2");
        var listed = await CliWorkspace.RunAsync("judges", "list", "--db", db, "--study", Study);

        Assert.Equal(0, added.ExitCode);
        Assert.Matches(@"^[A-Za-z0-9_-]{43}\n$", added.Output);
        Assert.Contains("60 responses to rate", added.Error);
        var judge = await new ApiTokenStore(new Database(db), TimeProvider.System).FindUserAsync(added.Output.Trim());
        Assert.Equal($"{Study}:gpt", judge?.Username);
        var sha = Convert.ToHexStringLower(SHA256.HashData("Rate as a stroke neurologist.\n"u8));
        Assert.Equal(0, listed.ExitCode);
        Assert.Equal($"gpt\t{Study}:gpt\tgpt-4o\t2024-08-06\t0.2\t{sha}\tcurrent\tall\t0\t", listed.Output.Split('\n')[1][..^20]);
    }

    [Fact]
    public async Task AddWithAResponsesFileRatesThoseAndNamesAnUnknownIdByItsLine()
    {
        var db = await DemoAsync();
        var responses = _workspace.PathOf("responses.txt");
        File.WriteAllText(responses, "case-001.model-a\n\ncase-404.model-z\ncase-002.model-b\n");

        var refused = await AddAsync(db, "--name", "gpt", "--model", "gpt-4o", "--responses", responses);
        File.WriteAllText(responses, "case-001.model-a\ncase-002.model-b\n");
        var added = await AddAsync(db, "--name", "gpt", "--model", "gpt-4o", "--responses", responses);

        Assert.Equal((2, ""), (refused.ExitCode, refused.Output));
        Assert.StartsWith($"{responses}:3: response_id: unknown response \"case-404.model-z\"\n", refused.Error);
        Assert.Equal(0, added.ExitCode);
        Assert.Equal(["case-001.model-a", "case-002.model-b"], await QueryAsync<string>(db, """
            SELECT r.slug FROM assignments a JOIN responses r ON r.id = a.response_id JOIN judges j ON j.user_id = a.rater_id ORDER BY r.slug
            """));
    }

    [Theory]
    [InlineData("gpt", "2", "has a judge named \"gpt\" already")]
    [InlineData("gpt 4", "2", "--name must be")]
    [InlineData("gpt-b", "-1", "--temperature must be")]
    public async Task AddRefusesATakenOrMalformedNameAndANegativeTemperature(string name, string temperature, string message)
    {
        var db = await DemoAsync();
        await AddAsync(db, "--name", "gpt", "--model", "gpt-4o");

        var result = await AddAsync(db, "--name", name, "--model", "gpt-4o", "--temperature", temperature);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Single(await QueryAsync<long>(db, "SELECT user_id FROM judges"));
    }

    [Fact]
    public async Task AddRefusesASideBySideStudy()
    {
        var db = await _workspace.ImportAsync(DemoPairwise.Write(_workspace.PathOf("side-by-side")), "pairwise.db");

        var added = await CliWorkspace.RunAsync("judges", "add", "--db", db, "--study", DemoPairwise.StudyId, "--name", "gpt", "--model", "gpt-4o");

        Assert.Equal(2, added.ExitCode);
        Assert.Equal("", added.Output);
        Assert.Equal($"error: the study {DemoPairwise.StudyId} compares answers side by side; LLM judges rate single answers on a rubric and cannot join it\n", added.Error);
    }

    [Fact]
    public async Task ImportSubmitsEveryValueWithItsExplanationAndAReimportReplacesItKeepingTheHistory()
    {
        var db = await DemoAsync();
        await AddAsync(db, "--name", "gpt", "--model", "gpt-4o");

        var first = await ImportAsync(db, "first.csv", Ratings(("case-001.model-a", "4"), ("case-001.model-b", "5")));
        var again = await ImportAsync(db, "again.csv", Ratings(("case-001.model-a", "2")));

        Assert.Equal((0, $"Imported gpt's ratings of 2 responses into {Study}: 16 values changed, the others as stored already.\n"), (first.ExitCode, first.Output));
        Assert.Equal((0, $"Imported gpt's ratings of 1 responses into {Study}: 1 values changed, the others as stored already.\n"), (again.ExitCode, again.Output));
        Assert.Equal(["submitted"], await QueryAsync<string>(db, "SELECT DISTINCT status FROM ratings WHERE rater_id IN (SELECT user_id FROM judges)"));
        Assert.Equal(["Why overall: clear, \"cited\""], await QueryAsync<string>(db, """
            SELECT DISTINCT g.comment FROM ratings g JOIN criteria c ON c.id = g.criterion_id WHERE c.slug = 'overall' AND g.rater_id IN (SELECT user_id FROM judges)
            """));
        Assert.Equal(["4", "2"], await QueryAsync<string>(db, """
            SELECT h.value FROM rating_history h JOIN ratings g ON g.id = h.rating_id JOIN criteria c ON c.id = g.criterion_id
            JOIN responses r ON r.id = g.response_id
            WHERE c.slug = 'overall' AND r.slug = 'case-001.model-a' AND g.rater_id IN (SELECT user_id FROM judges) ORDER BY h.id
            """));
        Assert.Equal(["2", "5"], await QueryAsync<string>(db, """
            SELECT g.value FROM ratings g JOIN criteria c ON c.id = g.criterion_id JOIN responses r ON r.id = g.response_id
            WHERE c.slug = 'overall' AND g.rater_id IN (SELECT user_id FROM judges) ORDER BY r.slug
            """));
        Assert.Equal([2L], await QueryAsync<long>(db, "SELECT COUNT(*) FROM assignments WHERE completed_at IS NOT NULL AND rater_id IN (SELECT user_id FROM judges)"));
    }

    [Fact]
    public async Task ImportIsAllOrNothingAndPlacesEveryErrorOnItsLine()
    {
        var db = await DemoAsync();
        await AddAsync(db, "--name", "gpt", "--model", "gpt-4o");
        var lines = Ratings(("case-001.model-a", "4"), ("case-001.model-b", "5")).Split('\n').ToList();
        lines[3] = "case-001.model-a,completeness,some,";   // not an option
        lines.RemoveAt(10);                                   // case-001.model-b's reasoning
        lines.Insert(5, "case-001.model-a,consensus,5,");    // twice
        lines.Add("case-404.model-z,overall,3,");

        var result = await ImportAsync(db, "bad.csv", string.Join('\n', lines));

        var file = _workspace.PathOf("bad.csv");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
        [
            $"{file}:4: value: completeness: \"some\" is not one of none, minor, major",
            $"{file}:6: criterion: response case-001.model-a is rated on consensus already, on line 2",
            $"{file}:19: response_id: unknown response \"case-404.model-z\"",
            $"{file}: 3 error(s); nothing was imported.",
        ], result.Error.TrimEnd().Split('\n'));
        Assert.Empty(await QueryAsync<long>(db, "SELECT id FROM ratings WHERE rater_id IN (SELECT user_id FROM judges)"));
    }

    [Fact]
    public async Task ImportRefusesAResponseTheJudgeDoesNotRateOrOneLeftWithoutARequiredValue()
    {
        var db = await DemoAsync();
        var responses = _workspace.PathOf("responses.txt");
        File.WriteAllText(responses, "case-001.model-a\ncase-001.model-b\n");
        await AddAsync(db, "--name", "gpt", "--model", "gpt-4o", "--responses", responses);
        var csv = Ratings(("case-001.model-a", "4"), ("case-002.model-a", "5")).Replace("case-001.model-a,hallucination,false,\"Why hallucination: clear, \"\"cited\"\"\"\n", "");

        var result = await ImportAsync(db, "partial.csv", csv);

        var file = _workspace.PathOf("partial.csv");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
        [
            $"{file}:2: criterion: response case-001.model-a has no value for the required criteria hallucination",
            $"{file}:9: response_id: response case-002.model-a is not among the responses this judge rates",
            $"{file}: 2 error(s); nothing was imported.",
        ], result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ImportForAJudgeTheStudyDoesNotHaveIsRefused()
    {
        var db = await DemoAsync();

        var result = await ImportAsync(db, "ratings.csv", Ratings(("case-001.model-a", "4")));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has no judge named \"gpt\"", result.Error);
    }
}
