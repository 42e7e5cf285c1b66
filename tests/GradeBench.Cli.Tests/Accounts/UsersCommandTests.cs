using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using Microsoft.AspNetCore.Identity;

namespace GradeBench.Cli.Tests.Accounts;

public sealed class UsersCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    Task<string> DemoDatabaseAsync() =>
        _workspace.ImportAsync(TestPaths.DemoBundle, "users.db");

    static async Task<CliOutcome> RunWithInputAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await GradeBenchCommand.RunAsync(args, output, error, new StringReader(input));
        return new CliOutcome(code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task AddedRaterWithAPasswordCanSignInAndSeesTheStudy()
    {
        var db = await DemoDatabaseAsync();

        var result = await RunWithInputAsync("a long password\n", "users", "add", "--db", db, "--name", "dr-li", "--role", "rater",
            "--study", TestPaths.DemoStudyId, "--password-stdin");

        Assert.Equal((0, "Created dr-li: rater of stroke-llm-synthetic-demo.\n"), (result.ExitCode, result.Output));
        var database = new Database(db);
        var user = (await new UserStore(database, TimeProvider.System).FindByUsernameAsync("dr-li"))!;
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<User>().VerifyHashedPassword(user, user.PasswordHash!, "a long password"));
        Assert.Single(await new StudyQuery(database).ListVisibleAsync(user.Id, isAdmin: false));
    }

    [Theory]
    [InlineData("rater", null, "--study is needed for the role rater")]
    [InlineData("rater", "no-such-study", "there is no study \"no-such-study\"")]
    public async Task RaterNeedsAnExistingStudy(string role, string? study, string message)
    {
        var db = await DemoDatabaseAsync();
        string[] args = study is null
            ? ["users", "add", "--db", db, "--name", "x", "--role", role]
            : ["users", "add", "--db", db, "--name", "x", "--role", role, "--study", study];

        var result = await CliWorkspace.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public async Task ShortPasswordOnStandardInputIsRefused()
    {
        var db = await DemoDatabaseAsync();

        var result = await RunWithInputAsync("short\n", "users", "add", "--db", db, "--name", "boss", "--role", "admin", "--password-stdin");

        Assert.Equal(2, result.ExitCode);
        Assert.Null(await new UserStore(new Database(db), TimeProvider.System).FindByUsernameAsync("boss"));
    }

    [Fact]
    public async Task InvitePrintsASingleUseLinkForTheStudy()
    {
        var db = await DemoDatabaseAsync();

        var result = await CliWorkspace.RunAsync("invite", "--db", db, "--study", TestPaths.DemoStudyId, "--base-url", "https://grade.example.org/");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^https://grade\.example\.org/invite/[A-Za-z0-9_-]{43}\n$", result.Output);
        var token = result.Output.Trim().Split('/')[^1];
        Assert.Equal("rater", (await new InviteStore(new Database(db), TimeProvider.System).FindAsync(token))?.Role);
    }

    [Fact]
    public async Task InviteToAnUnknownStudyExitsWithTwo()
    {
        var db = await DemoDatabaseAsync();

        var result = await CliWorkspace.RunAsync("invite", "--db", db, "--study", "nope");

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task DisableTakesAwayARatersStandingAndEnableGivesItBack()
    {
        var db = await DemoDatabaseAsync();
        await CliWorkspace.RunAsync("users", "add", "--db", db, "--name", "dr-away", "--role", "rater", "--study", TestPaths.DemoStudyId);
        var database = new Database(db);
        var users = new UserStore(database, TimeProvider.System);
        var id = (await users.FindByUsernameAsync("dr-away"))!.Id;
        var studyId = (await new StudyQuery(database).FindIdAsync(TestPaths.DemoStudyId))!.Value;

        var disabled = await CliWorkspace.RunAsync("users", "disable", "dr-away", "--db", db);
        var access = await new StudyQuery(database).AccessAsync(studyId, id);
        var again = await CliWorkspace.RunAsync("users", "disable", "dr-away", "--db", db);
        var enabled = await CliWorkspace.RunAsync("users", "enable", "dr-away", "--db", db);

        Assert.Equal(0, disabled.ExitCode);
        Assert.StartsWith("Disabled dr-away:", disabled.Output);
        Assert.Null(access);
        Assert.Equal((0, "dr-away was already disabled.\n"), (again.ExitCode, again.Output));
        Assert.Equal(0, enabled.ExitCode);
        Assert.Equal("rater", (await new StudyQuery(database).AccessAsync(studyId, id))?.Role);
    }

    [Fact]
    public async Task DisablingTheLastAdministratorOrSomeoneUnknownIsRefused()
    {
        var db = await DemoDatabaseAsync();
        await CliWorkspace.RunAsync("users", "add", "--db", db, "--name", "boss", "--role", "admin");

        var last = await CliWorkspace.RunAsync("users", "disable", "boss", "--db", db);
        var unknown = await CliWorkspace.RunAsync("users", "enable", "nobody", "--db", db);

        Assert.Equal((2, "error: boss is the last administrator who can sign in; make someone else an administrator first\n"), (last.ExitCode, last.Error));
        Assert.Equal((2, "error: there is no user \"nobody\"\n"), (unknown.ExitCode, unknown.Error));
        Assert.Null((await new UserStore(new Database(db), TimeProvider.System).FindByUsernameAsync("boss"))!.DisabledAt);
    }

    public void Dispose() => _workspace.Dispose();
}
