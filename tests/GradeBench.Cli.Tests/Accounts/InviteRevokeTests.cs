using GradeBench.Storage;
using GradeBench.Storage.Accounts;

namespace GradeBench.Cli.Tests.Accounts;

/// <summary><c>gradebench invite revoke</c>: a link sent to the wrong person stops working, by its token, its number in
/// <c>gradebench invite list</c>, or all of the study's pending invites at once.</summary>
public sealed class InviteRevokeTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    async Task<(string Db, string[] Tokens)> DemoWithInvitesAsync(int count)
    {
        var db = await _workspace.ImportAsync(TestPaths.DemoBundle, "revoke.db");
        var tokens = new string[count];
        for (var i = 0; i < count; i++)
        {
            var made = await CliWorkspace.RunAsync("invite", "--db", db, "--study", TestPaths.DemoStudyId, "--base-url", "https://grade.example.org");
            tokens[i] = made.Output.Trim().Split('/')[^1];
        }
        return (db, tokens);
    }

    static async Task<InviteState?> StateAsync(string db, string token) =>
        (await new InviteStore(new Database(db), TimeProvider.System).ViewAsync(token, null))?.State;

    [Fact]
    public async Task RevokingByTokenOrByTheWholeLinkStopsThatInviteOnly()
    {
        var (db, tokens) = await DemoWithInvitesAsync(3);

        var byToken = await CliWorkspace.RunAsync("invite", "revoke", "--db", db, "--study", TestPaths.DemoStudyId, "--token", tokens[0]);
        var byLink = await CliWorkspace.RunAsync("invite", "revoke", "--db", db, "--study", TestPaths.DemoStudyId,
            "--token", $"https://grade.example.org/invite/{tokens[1]}");
        var again = await CliWorkspace.RunAsync("invite", "revoke", "--db", db, "--study", TestPaths.DemoStudyId, "--token", tokens[0]);

        Assert.Equal((0, "Revoked 1 invite.\n"), (byToken.ExitCode, byToken.Output));
        Assert.Equal((0, "Revoked 1 invite.\n"), (byLink.ExitCode, byLink.Output));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("no pending invite", again.Error);
        Assert.Equal([InviteState.Revoked, InviteState.Revoked, InviteState.Usable],
            [await StateAsync(db, tokens[0]), await StateAsync(db, tokens[1]), await StateAsync(db, tokens[2])]);
    }

    [Fact]
    public async Task RevokingByTheNumberThatListShowsStopsThatInvite()
    {
        var (db, tokens) = await DemoWithInvitesAsync(2);

        var list = await CliWorkspace.RunAsync("invite", "list", "--db", db, "--study", TestPaths.DemoStudyId);
        var number = list.Output.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var revoked = await CliWorkspace.RunAsync("invite", "revoke", "--db", db, "--study", TestPaths.DemoStudyId, "--id", number);
        var listedAfter = await CliWorkspace.RunAsync("invite", "list", "--db", db, "--study", TestPaths.DemoStudyId);

        Assert.Equal(0, list.ExitCode);
        Assert.Equal(3, list.Output.Trim().Split('\n').Length);
        Assert.Equal("Revoked 1 invite.\n", revoked.Output);
        Assert.Equal(2, listedAfter.Output.Trim().Split('\n').Length);
        Assert.DoesNotContain(listedAfter.Output.Split('\n').Skip(1), line => line.StartsWith(number + " "));
        Assert.Single(tokens, token => StateAsync(db, token).Result == InviteState.Revoked);
    }

    [Fact]
    public async Task RevokingAllPendingLeavesNoInviteUsable()
    {
        var (db, tokens) = await DemoWithInvitesAsync(2);

        var revoked = await CliWorkspace.RunAsync("invite", "revoke", "--db", db, "--study", TestPaths.DemoStudyId, "--all-pending");

        Assert.Equal((0, "Revoked 2 invites.\n"), (revoked.ExitCode, revoked.Output));
        Assert.All(tokens, token => Assert.Equal(InviteState.Revoked, StateAsync(db, token).Result));
    }

    [Fact]
    public async Task RevokeNeedsExactlyOneWayOfChoosing()
    {
        var (db, tokens) = await DemoWithInvitesAsync(1);

        var none = await CliWorkspace.RunAsync("invite", "revoke", "--db", db, "--study", TestPaths.DemoStudyId);
        var two = await CliWorkspace.RunAsync("invite", "revoke", "--db", db, "--study", TestPaths.DemoStudyId, "--all-pending", "--token", tokens[0]);

        Assert.Equal(2, none.ExitCode);
        Assert.Equal(2, two.ExitCode);
        Assert.Contains("give one of --token, --id or --all-pending", two.Error);
        Assert.Equal(InviteState.Usable, await StateAsync(db, tokens[0]));
    }

    public void Dispose() => _workspace.Dispose();
}
