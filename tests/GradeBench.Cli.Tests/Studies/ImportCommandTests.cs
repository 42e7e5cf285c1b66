using Dapper;
using GradeBench.Storage;

namespace GradeBench.Cli.Tests.Studies;

public sealed class ImportCommandTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    [Fact]
    public async Task ImportingTheDemoStudyReportsWhatWasImported()
    {
        var db = await _workspace.DatabaseAsync("demo.db");

        var result = await CliWorkspace.RunAsync("import", TestPaths.DemoBundle, "--db", db);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Imported study \"stroke-llm-synthetic-demo\" into {CliWorkspace.DisplayNameOf(db)}: 20 cases, 60 responses, 9 criteria, 576 ratings; open: raters can start.\n", result.Output);
        await using var connection = await new Database(db).OpenAsync();
        Assert.Equal(576, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ratings"));
    }

    [Fact]
    public async Task ImportingASideBySideStudyReportsItsAxesPairsAndVotes()
    {
        var bundle = DemoPairwise.Write(_workspace.PathOf("side-by-side"), votes: true);
        var existing = await _workspace.ImportAsync(TestPaths.DemoBundle, "existing.db");
        var fresh = await _workspace.DatabaseAsync("fresh.db");

        var intoNew = await CliWorkspace.RunAsync("import", bundle, "--db", fresh);
        var intoExisting = await CliWorkspace.RunAsync("import", bundle, "--db", existing);

        Assert.Equal((0, 0), (intoNew.ExitCode, intoExisting.ExitCode));
        Assert.Equal($"Imported study \"{DemoPairwise.StudyId}\" into {CliWorkspace.DisplayNameOf(fresh)}: 20 cases, 60 responses, 2 axes, 60 pairs, 36 votes; open: raters can start.\n", intoNew.Output);
        Assert.EndsWith(": 20 cases, 60 responses, 2 axes, 60 pairs, 36 votes; open: raters can start.\n", intoExisting.Output);
        Assert.Contains("60 pairs with 36 votes", intoExisting.Error);
        Assert.DoesNotContain("warning", intoNew.Error);
        await using var connection = await new Database(existing).OpenAsync();
        Assert.Equal(36, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pair_votes"));
    }

    [Fact]
    public async Task ABundleThatSaysNoStateIsImportedAsADraftAndStateChoosesOtherwise()
    {
        var bundle = _workspace.CopyDemoBundle("stateless");
        var studyJson = Path.Combine(bundle, "study.json");
        File.WriteAllText(studyJson, File.ReadAllText(studyJson).Replace("  \"state\": \"open\",\n", ""));

        var plain = await CliWorkspace.RunAsync("import", bundle, "--db", await _workspace.DatabaseAsync("plain.db"));
        var chosen = await CliWorkspace.RunAsync("import", bundle, "--db", await _workspace.DatabaseAsync("chosen.db"), "--state", "open");
        var demoAsDraft = await CliWorkspace.RunAsync("import", TestPaths.DemoBundle, "--db", await _workspace.DatabaseAsync("demo.db"), "--state", "draft");
        var unknown = await CliWorkspace.RunAsync("import", bundle, "--db", await _workspace.DatabaseAsync("unknown.db"), "--state", "closed");

        Assert.Equal((0, 0, 0), (plain.ExitCode, chosen.ExitCode, demoAsDraft.ExitCode));
        Assert.EndsWith("a draft: calibrate, then open it on the dashboard.\n", plain.Output);
        Assert.Equal("draft", await StateAsync("plain.db"));
        Assert.Equal("open", await StateAsync("chosen.db"));
        Assert.Equal("draft", await StateAsync("demo.db"));
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.True(await CliWorkspace.IsUntouchedAsync(await _workspace.DatabaseAsync("unknown.db")));
    }

    /// <summary>By default a bundle's pilot raters get accounts of the study only; --map-raters-to-accounts gives their
    /// ratings to the existing accounts of those names, but never to an administrator's.</summary>
    [Fact]
    public async Task MappingRatersToAccountsIsExplicitAndNeverReachesAnAdministrator()
    {
        var db = await _workspace.ImportAsync(TestPaths.DemoBundle, "map.db");
        Assert.Equal(0, (await CliWorkspace.RunAsync("users", "add", "--db", db, "--name", "rater-1", "--display-name", "Dr One", "--role", "rater", "--study", TestPaths.DemoStudyId)).ExitCode);
        Assert.Equal(0, (await CliWorkspace.RunAsync("users", "add", "--db", db, "--name", "rater-2", "--role", "admin")).ExitCode);
        string Copy(string id)
        {
            var bundle = _workspace.CopyDemoBundle(id);
            var studyJson = Path.Combine(bundle, "study.json");
            File.WriteAllText(studyJson, File.ReadAllText(studyJson).Replace($"\"{TestPaths.DemoStudyId}\"", $"\"{id}\""));
            return bundle;
        }
        var withoutAdmin = Copy("without-admin");
        var ratings = Path.Combine(withoutAdmin, "ratings.csv");
        File.WriteAllLines(ratings, File.ReadAllLines(ratings).Where(line => !line.Contains(",rater-2,")));

        var plain = await CliWorkspace.RunAsync("import", Copy("plain"), "--db", db);
        var mappedToAdmin = await CliWorkspace.RunAsync("import", Copy("mapped-to-admin"), "--db", db, "--map-raters-to-accounts");
        var mapped = await CliWorkspace.RunAsync("import", withoutAdmin, "--db", db, "--map-raters-to-accounts");

        Assert.Equal((0, 2, 0), (plain.ExitCode, mappedToAdmin.ExitCode, mapped.ExitCode));
        Assert.Contains("ratings.csv:0: rater: \"rater-2\" is an administrator's account: pilot ratings cannot be theirs", mappedToAdmin.Error);
        await using var connection = await new Database(db).OpenAsync();
        var raters = (await connection.QueryAsync<string>("""
            SELECT s.slug || ' ' || u.username || ' ' || u.display_name || ' ' || m.role FROM study_members m
            JOIN users u ON u.id = m.user_id JOIN studies s ON s.id = m.study_id
            WHERE s.slug IN ('plain', 'without-admin') AND u.display_name IN ('rater-1', 'Dr One') ORDER BY s.slug
            """)).AsList();
        Assert.Equal(["plain plain/rater-1 rater-1 rater", "without-admin rater-1 Dr One rater"], raters);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM studies WHERE slug = 'mapped-to-admin'"));
    }

    async Task<string> StateAsync(string name)
    {
        await using var connection = await new Database(await _workspace.DatabaseAsync(name)).OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT state FROM studies") ?? "";
    }

    [Fact]
    public async Task BadBundleExitsWithTwoAndNamesFileLineAndField()
    {
        var bundle = _workspace.CopyDemoBundle("bad");
        var lines = File.ReadAllLines(Path.Combine(bundle, "responses.jsonl"));
        lines[16] = lines[16].Replace("\"case_id\": \"case-006\"", "\"case_id\": \"case-099\"");
        File.WriteAllLines(Path.Combine(bundle, "responses.jsonl"), lines);

        var result = await CliWorkspace.RunAsync("import", bundle, "--db", await _workspace.DatabaseAsync("bad.db"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("responses.jsonl:17: case_id: unknown case \"case-099\"\n", result.Error);
        Assert.Contains("nothing was imported", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task RealProcessExitCodeIsTwoForABadBundle()
    {
        var bundle = _workspace.CopyDemoBundle("missing");
        File.Delete(Path.Combine(bundle, "cases.jsonl"));

        var result = await CliWorkspace.RunProcessAsync("import", bundle, "--db", await _workspace.DatabaseAsync("process.db"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cases.jsonl:0: file: required file is missing", result.Error);
    }

    [Fact]
    public async Task MigrateCreatesTheDatabaseAndThenFindsItUpToDate()
    {
        var db = await _workspace.DatabaseAsync("migrate.db", empty: true);

        var first = await CliWorkspace.RunAsync("migrate", "--db", db);
        var second = await CliWorkspace.RunAsync("migrate", "--db", db);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Contains("applied 0001_create_schema", first.Output);
        Assert.Contains("schema is up to date", second.Output);
    }

    [Fact]
    public async Task DatabaseFromANewerGradeBenchIsRefused()
    {
        var db = await _workspace.DatabaseAsync("future.db");
        await CliWorkspace.RunAsync("migrate", "--db", db);
        await using (var connection = await new Database(db).OpenAsync())
            await connection.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', '2099-01-01T00:00:00Z')");

        var result = await CliWorkspace.RunAsync("import", TestPaths.DemoBundle, "--db", db);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("schema version 999", result.Error);
    }

    public void Dispose() => _workspace.Dispose();
}
