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
        // On PostgreSQL the address is kept in the working folder (docs/postgresql.md), where another test may have recorded one.
        File.Delete(ListeningAddresses.FileOf(new Database(db)));

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

    public void Dispose() => _workspace.Dispose();
}
