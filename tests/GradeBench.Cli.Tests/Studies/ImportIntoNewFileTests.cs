using Dapper;
using GradeBench.Storage;
using Microsoft.Data.Sqlite;

namespace GradeBench.Cli.Tests.Studies;

/// <summary>An import into a database that does not exist yet is built beside it and appears only when complete
/// (docs/bundle-format.md).</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class ImportIntoNewFileTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    [Fact]
    public async Task AFailedImportIntoANewPathLeavesNoFileAndASucceededOneIsInWalMode()
    {
        var bundle = _workspace.CopyDemoBundle("bad");
        var ratings = Path.Combine(bundle, "ratings.csv");
        File.WriteAllLines(ratings, File.ReadAllLines(ratings).Select((line, i) => i == 5 ? line.Replace(",rater-", ",rater-x") + ",extra" : line));

        var failed = await CliWorkspace.RunAsync("import", bundle, "--db", _workspace.PathOf("failed.db"));
        var succeeded = await CliWorkspace.RunAsync("import", TestPaths.DemoBundle, "--db", _workspace.PathOf("new.db"));

        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("nothing was imported", failed.Error);
        Assert.Empty(Directory.GetFiles(_workspace.Folder, "failed.db*"));
        Assert.Equal(0, succeeded.ExitCode);
        Assert.Equal(["new.db"], Directory.GetFiles(_workspace.Folder, "new.db*").Select(Path.GetFileName));
        // Into a new file, cases and responses are written while ratings.csv is checked: its errors are the same.
        var intoExisting = await CliWorkspace.RunAsync("import", bundle, "--db", _workspace.PathOf("new.db"));
        Assert.Equal(2, intoExisting.ExitCode);
        Assert.Equal(ErrorLines(intoExisting.Error), ErrorLines(failed.Error));
        Assert.NotEmpty(ErrorLines(failed.Error));
        // A plain connection, not Database's (which would set WAL itself): the file says it is in WAL mode.
        await using (var plain = new SqliteConnection($"Data Source={_workspace.PathOf("new.db")};Pooling=False"))
        {
            await plain.OpenAsync();
            Assert.Equal("wal", await plain.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
            Assert.Equal("ok", await plain.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
            Assert.Equal(8192, await plain.ExecuteScalarAsync<long>("PRAGMA page_size"));
        }
        await using var connection = await new Database(_workspace.PathOf("new.db")).OpenAsync();
        Assert.Equal(576, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ratings"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        // The indexes dropped while the rows went in are back, as the migrations define them.
        Assert.Equal(0, (await CliWorkspace.RunAsync("migrate", "--db", _workspace.PathOf("migrated.db"))).ExitCode);
        Assert.Equal(await IndexesAsync("migrated.db"), await IndexesAsync("new.db"));
    }

    static List<string> ErrorLines(string error) => [.. error.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("ratings.csv:"))];

    async Task<List<string>> IndexesAsync(string name)
    {
        await using var connection = await new Database(_workspace.PathOf(name)).OpenAsync();
        return (await connection.QueryAsync<string>("SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name")).AsList();
    }

    public void Dispose() => _workspace.Dispose();
}
