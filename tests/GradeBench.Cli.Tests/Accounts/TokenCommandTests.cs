using GradeBench.Storage;
using GradeBench.Storage.Accounts;

namespace GradeBench.Cli.Tests.Accounts;

public sealed class TokenCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    async Task<string> DatabaseWithJudgeAsync()
    {
        var db = await _workspace.ImportAsync(TestPaths.DemoBundle, "tokens.db");
        await CliWorkspace.RunAsync("users", "add", "--db", db, "--name", "llm-judge", "--role", "rater", "--study", TestPaths.DemoStudyId);
        return db;
    }

    static Task<User?> OwnerAsync(string db, string token) => new ApiTokenStore(new Database(db), TimeProvider.System).FindUserAsync(token);

    [Fact]
    public async Task CreatePrintsOnlyTheTokenWhichActsAsTheUser()
    {
        var db = await DatabaseWithJudgeAsync();

        var result = await CliWorkspace.RunAsync("token", "create", "--db", db, "--user", "llm-judge", "--label", "nightly");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^[A-Za-z0-9_-]{43}\n$", result.Output);
        Assert.Contains("cannot be shown again", result.Error);
        Assert.Equal("llm-judge", (await OwnerAsync(db, result.Output.Trim()))?.Username);
    }

    [Fact]
    public async Task RevokeByLabelEndsThatTokenAndKeepsTheOthers()
    {
        var db = await DatabaseWithJudgeAsync();
        var nightly = (await CliWorkspace.RunAsync("token", "create", "--db", db, "--user", "llm-judge", "--label", "nightly")).Output.Trim();
        var manual = (await CliWorkspace.RunAsync("token", "create", "--db", db, "--user", "llm-judge")).Output.Trim();

        var result = await CliWorkspace.RunAsync("token", "revoke", "--db", db, "--user", "llm-judge", "--label", "nightly");

        Assert.Equal((0, "Revoked 1 API token of llm-judge.\n"), (result.ExitCode, result.Output));
        Assert.Null(await OwnerAsync(db, nightly));
        Assert.NotNull(await OwnerAsync(db, manual));
    }

    [Fact]
    public async Task RevokeAllEndsEveryTokenOfTheUser()
    {
        var db = await DatabaseWithJudgeAsync();
        var first = (await CliWorkspace.RunAsync("token", "create", "--db", db, "--user", "llm-judge")).Output.Trim();
        var second = (await CliWorkspace.RunAsync("token", "create", "--db", db, "--user", "llm-judge")).Output.Trim();

        var result = await CliWorkspace.RunAsync("token", "revoke", "--db", db, "--user", "llm-judge", "--all");

        Assert.Equal((0, "Revoked 2 API tokens of llm-judge.\n"), (result.ExitCode, result.Output));
        Assert.Null(await OwnerAsync(db, first));
        Assert.Null(await OwnerAsync(db, second));
    }

    [Theory]
    [InlineData("create", "--user", "nobody")]
    [InlineData("revoke", "--user", "nobody", "--all")]
    [InlineData("revoke", "--user", "llm-judge")]
    [InlineData("revoke", "--user", "llm-judge", "--all", "--label", "nightly")]
    public async Task AnUnknownUserOrAnUnclearRevocationExitsWithTwo(string verb, params string[] options)
    {
        var db = await DatabaseWithJudgeAsync();

        var result = await CliWorkspace.RunAsync(["token", verb, "--db", db, .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
    }

    [Fact]
    public async Task ATokenMayExpireInDaysOrOnADateAndListShowsWhenWithoutTheToken()
    {
        var db = await DatabaseWithJudgeAsync();
        var monthly = await CliWorkspace.RunAsync("token", "create", "--db", db, "--user", "llm-judge", "--label", "monthly", "--expires", "30d");
        var dated = await CliWorkspace.RunAsync("token", "create", "--db", db, "--user", "llm-judge", "--label", "pilot", "--expires", "2099-01-31");
        await CliWorkspace.RunAsync("token", "create", "--db", db, "--user", "llm-judge", "--label", "forever");

        var list = await CliWorkspace.RunAsync("token", "list", "--db", db, "--user", "llm-judge");

        Assert.Equal((0, 0, 0), (monthly.ExitCode, dated.ExitCode, list.ExitCode));
        Assert.Contains($", until {DateTimeOffset.UtcNow.AddDays(30):yyyy-MM-dd}", monthly.Error);
        var lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("user\tlabel\tcreated\texpires\tstate", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("llm-judge\tpilot\t") && l.EndsWith("\t2099-01-31 00:00 UTC\tactive"));
        Assert.Contains(lines, l => l.StartsWith("llm-judge\tforever\t") && l.EndsWith("\tnever\tactive"));
        Assert.DoesNotContain(monthly.Output.Trim(), list.Output);
        Assert.NotNull(await OwnerAsync(db, dated.Output.Trim()));
    }

    [Theory]
    [InlineData("2001-01-01")]
    [InlineData("soon")]
    [InlineData("0d")]
    public async Task AnExpiryInThePastOrUnreadableExitsWithTwoAndMakesNoToken(string expires)
    {
        var db = await DatabaseWithJudgeAsync();

        var result = await CliWorkspace.RunAsync("token", "create", "--db", db, "--user", "llm-judge", "--expires", expires);

        Assert.Equal((2, ""), (result.ExitCode, result.Output));
        Assert.StartsWith("error: --expires", result.Error);
        Assert.Empty(await new ApiTokenStore(new Database(db), TimeProvider.System).ListAsync(null));
    }

    public void Dispose() => _workspace.Dispose();
}
