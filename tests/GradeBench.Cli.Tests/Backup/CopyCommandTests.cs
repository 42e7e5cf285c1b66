using Dapper;
using GradeBench.Storage;

namespace GradeBench.Cli.Tests.Backup;

public sealed class CopyCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    [Fact]
    public async Task CopyPrintsEachTablesRowsAndRefusesATargetThatHoldsData()
    {
        var from = await _workspace.ImportAsync(TestPaths.DemoBundle, "from.db");
        var to = await _workspace.DatabaseAsync("to.db");

        var run = await CliWorkspace.RunAsync("copy", "--from", from, "--to", to);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"(?m)^ratings +576$", run.Output);
        Assert.Matches(@"(?m)^responses +60$", run.Output);
        Assert.Contains($"{CliWorkspace.DisplayNameOf(from)} → {CliWorkspace.DisplayNameOf(to)}: 55 tables, ", run.Output);
        await using (var connection = await new Database(to).OpenAsync())
            Assert.Equal(576, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ratings"));

        var again = await CliWorkspace.RunAsync("copy", "--from", from, "--to", to);

        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.Equal($"error: The database {CliWorkspace.DisplayNameOf(to)} already holds data (table users has rows); copy fills an empty database only. Nothing was written.\n",
            again.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    [Trait("Provider", "SqliteOnly")]
    public async Task CopyFromAMissingFileCreatesNothing()
    {
        var (from, to) = (_workspace.PathOf("missing.db"), _workspace.PathOf("to.db"));

        var run = await CliWorkspace.RunAsync("copy", "--from", from, "--to", to);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"error: There is no database {from}.", run.Error);
        Assert.False(File.Exists(from));
        Assert.False(File.Exists(to));
    }

    public void Dispose() => _workspace.Dispose();
}
