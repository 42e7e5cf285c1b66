using Dapper;
using GradeBench.Storage;

namespace GradeBench.Cli.Tests.Accounts;

/// <summary>Invite links name the address the web server recorded when it started, or --base-url.</summary>
public sealed class InviteCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    Task<string> DemoAsync() => _workspace.ImportAsync(TestPaths.DemoBundle, "invites.db");

    [Fact]
    public async Task WithNoRecordedAddressAndNoBaseUrlItSaysBaseUrlIsNeededAndInvitesNobody()
    {
        var db = await DemoAsync();

        var result = await CliWorkspace.RunAsync("invite", "--db", db, "--study", TestPaths.DemoStudyId);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("--base-url", result.Error);
        await using var connection = await new Database(db).OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM invites"));
    }

    [Fact]
    public async Task TheLinkUsesTheAddressTheServerRecordedUnlessBaseUrlIsGiven()
    {
        var db = await DemoAsync();
        var addresses = ListeningAddresses.FileOf(new Database(db));
        ListeningAddresses.Record(new Database(db), ["http://[::]:5099", "http://127.0.0.1:5099"]);

        var recorded = await CliWorkspace.RunAsync("invite", "--db", db, "--study", TestPaths.DemoStudyId);
        var given = await CliWorkspace.RunAsync("invite", "--db", db, "--study", TestPaths.DemoStudyId, "--base-url", "https://grade.example.org/");
        File.Delete(addresses);

        Assert.Matches(@"^http://localhost:5099/invite/[A-Za-z0-9_-]{43}\n$", recorded.Output);
        Assert.Matches(@"^https://grade\.example\.org/invite/[A-Za-z0-9_-]{43}\n$", given.Output);
    }

    /// <summary>Each database has its own recorded address: two installations on one machine never give each other's links.</summary>
    [Fact]
    public async Task AnAddressRecordedForAnotherDatabaseIsNotUsed()
    {
        var db = await DemoAsync();
        var other = new Database(await _workspace.DatabaseAsync("other.db"));
        ListeningAddresses.Record(other, ["http://127.0.0.1:5098"]);

        var result = await CliWorkspace.RunAsync("invite", "--db", db, "--study", TestPaths.DemoStudyId);
        File.Delete(ListeningAddresses.FileOf(other));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--base-url", result.Error);
    }

    public void Dispose() => _workspace.Dispose();
}
