using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>A bundle's pilot ratings never reach an existing account: an uploaded bundle whose ratings.csv named the
/// administrator once made them a rater of the study, which took away its dashboard and exports.</summary>
public sealed class PilotRaterImportTests : IAsyncDisposable
{
    const string Study = "small-reader-test";
    readonly TestDatabase _db = new();
    readonly string _folder = Directory.CreateTempSubdirectory("gradebench-pilot-").FullName;

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The small valid bundle with its pilot raters renamed: rater-1 becomes <paramref name="first"/>.</summary>
    string BundleNaming(string first, string second = "rater-2")
    {
        var folder = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Corpus.Valid("small"))) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var ratings = Path.Combine(folder, "ratings.csv");
        File.WriteAllText(ratings, File.ReadAllText(ratings).Replace(",rater-1,", $",{first},").Replace(",rater-2,", $",{second},"));
        return folder;
    }

    async Task<(long Admin, long Coordinator)> AdministratorAndCoordinatorAsync()
    {
        await new Migrator(_db.Database, _db.Clock).MigrateAsync();
        var users = new UserStore(_db.Database, _db.Clock);
        var admin = (await users.CreateAsync("admin", "Administrator", isAdmin: true))!.Id;
        var coordinator = (await users.CreateAsync("coord", "Dr Coord", isAdmin: false))!.Id;
        // Someone may create studies once they coordinate one.
        var first = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        await users.AddMembershipAsync(first, coordinator, StudyRoles.Coordinator);
        return (admin, coordinator);
    }

    async Task<List<(string Username, string DisplayName, string? PasswordHash, bool IsAdmin, string Role)>> MembersAsync(long studyId)
    {
        await using var connection = await _db.Database.OpenAsync();
        return (await connection.QueryAsync<(string, string, string?, bool, string)>("""
            SELECT u.username, u.display_name, u.password_hash, u.is_admin, m.role FROM study_members m JOIN users u ON u.id = m.user_id
            WHERE m.study_id = @StudyId ORDER BY u.username
            """, new { StudyId = studyId })).AsList();
    }

    [Fact]
    public async Task AnUploadNamingTheAdministratorAndItsUploaderGivesTheirRatingsToAccountsOfThatStudyOnly()
    {
        var (admin, coordinator) = await AdministratorAndCoordinatorAsync();

        var result = await new StudyImporter(_db.Database, _db.Clock).ImportAsync(BundleNaming("admin", "coord"), importedBy: coordinator);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var studyId = result.StudyId!.Value;
        Assert.Equal([
            ("coord", "Dr Coord", null, false, "coordinator"),
            ($"{Study}/admin", "admin", null, false, "rater"),
            ($"{Study}/coord", "coord", null, false, "rater"),
        ], (await MembersAsync(studyId)).Select(m => (m.Username, m.DisplayName, m.PasswordHash is null ? null : "hash", m.IsAdmin, m.Role)));
        await using var connection = await _db.Database.OpenAsync();
        Assert.Equal(StudyRoles.Coordinator, (await StudyQuery.AccessAsync(connection, null, studyId, admin))!.Role);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ratings WHERE rater_id IN (@Admin, @Coordinator)", new { Admin = admin, Coordinator = coordinator }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM study_role_changes"));
    }

    [Fact]
    public async Task TwoStudiesWithTheSamePilotNamesGetAccountsOfTheirOwn()
    {
        await new Migrator(_db.Database, _db.Clock).MigrateAsync();
        var importer = new StudyImporter(_db.Database, _db.Clock);

        var first = (await importer.ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var second = (await importer.ImportAsync(Corpus.Valid("small"))).StudyId!.Value;

        Assert.Equal(["stroke-llm-synthetic-demo/rater-1", "stroke-llm-synthetic-demo/rater-2", "stroke-llm-synthetic-demo/rater-3", "stroke-llm-synthetic-demo/rater-4"],
            (await MembersAsync(first)).Select(m => m.Username));
        Assert.Equal([$"{Study}/rater-1", $"{Study}/rater-2"], (await MembersAsync(second)).Select(m => m.Username));
    }

    [Fact]
    public async Task MappingNamesToAccountsAttachesRatingsToExistingRatersAndCreatesTheMissingOnes()
    {
        await new Migrator(_db.Database, _db.Clock).MigrateAsync();
        var existing = (await new UserStore(_db.Database, _db.Clock).CreateAsync("dr-a", "Dr A", isAdmin: false))!.Id;

        var result = await new StudyImporter(_db.Database, _db.Clock).ImportAsync(BundleNaming("dr-a"), pilotRaters: PilotRaterAccounts.ExistingByName);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal([("dr-a", "Dr A", "rater"), ("rater-2", "rater-2", "rater")],
            (await MembersAsync(result.StudyId!.Value)).Select(m => (m.Username, m.DisplayName, m.Role)));
        await using var connection = await _db.Database.OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ratings WHERE rater_id = @Existing", new { Existing = existing }) > 0);
    }

    [Fact]
    public async Task MappingNamesToAccountsRefusesAnAdministratorOrTheUploaderAndChangesNothing()
    {
        var (_, coordinator) = await AdministratorAndCoordinatorAsync();
        var importer = new StudyImporter(_db.Database, _db.Clock);
        var before = await _db.DumpContentAsync();

        var naming = await importer.ImportAsync(BundleNaming("Admin"), pilotRaters: PilotRaterAccounts.ExistingByName);
        var uploading = await importer.ImportAsync(BundleNaming("coord"), importedBy: coordinator, pilotRaters: PilotRaterAccounts.ExistingByName);

        Assert.Equal("ratings.csv:0: rater: \"Admin\" is an administrator's account: pilot ratings cannot be theirs",
            Assert.Single(naming.Errors).ToString());
        Assert.Equal("ratings.csv:0: rater: \"coord\" is importing the study as its coordinator: pilot ratings cannot be theirs",
            Assert.Single(uploading.Errors).ToString());
        Assert.Equal(before, await _db.DumpContentAsync());
    }
}
