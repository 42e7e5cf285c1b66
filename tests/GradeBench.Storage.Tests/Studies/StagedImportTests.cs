using Dapper;
using GradeBench.Core.Messages;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>Into a new database file the import writes ratings while ratings.csv is still being read, batch by batch
/// (<see cref="StagedBundleRead.RatingsAsRead"/>): what it stores, and the errors it reports, must be those of an import of
/// the bundle read whole. The bundles here have 12,000 ratings, several batches.</summary>
public sealed class StagedImportTests : IAsyncDisposable
{
    readonly TestDatabase _whole = new();
    readonly string _folder = Directory.CreateTempSubdirectory("gradebench-staged-").FullName;
    readonly List<NewDatabaseFile> _files = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var file in _files) file.Dispose();
        await _whole.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    string Bundle(Func<string[], string[]>? changeRatings = null, int ratersPerResponse = 3)
    {
        var folder = SyntheticBundle.Write(Path.Combine(_folder, Guid.NewGuid().ToString("N")), "staged", "Staged", responses: 1500,
            ratersPerResponse, ratingRaters: 2);
        var ratings = Path.Combine(folder, "ratings.csv");
        if (changeRatings is not null) File.WriteAllLines(ratings, changeRatings(File.ReadAllLines(ratings)));
        return folder;
    }

    async Task<(ImportResult Result, Database Database)> ImportStagedAsync(string bundle, PilotRaterAccounts pilotRaters = PilotRaterAccounts.OfTheStudy,
        Func<Database, Task>? prepare = null)
    {
        var file = NewDatabaseFile.Begin(Path.Combine(_folder, $"{Guid.NewGuid():N}.db"));
        _files.Add(file);
        await new Migrator(file.Building, _whole.Clock).MigrateAsync();
        if (prepare is not null) await prepare(file.Building);
        var staged = BundleReader.ReadStaged(bundle);
        Assert.NotNull(staged.RatingsAsRead);
        return (await new StudyImporter(file.Building, _whole.Clock).ImportAsync(staged, pilotRaters: pilotRaters), file.Building);
    }

    async Task<ImportResult> ImportWholeAsync(string bundle, PilotRaterAccounts pilotRaters = PilotRaterAccounts.OfTheStudy)
    {
        await new Migrator(_whole.Database, _whole.Clock).MigrateAsync();
        return await new StudyImporter(_whole.Database, _whole.Clock).ImportAsync(bundle, pilotRaters: pilotRaters);
    }

    [Fact]
    public async Task RatingsWrittenWhileTheFileIsReadAreThoseOfTheBundleReadWhole()
    {
        var bundle = Bundle();
        var (staged, database) = await ImportStagedAsync(bundle);
        var whole = await ImportWholeAsync(bundle);

        Assert.True(staged.Succeeded);
        Assert.True(whole.Succeeded);
        var stored = await StoredAsync(database);
        Assert.Equal(12_000, stored.Ratings.Count);
        Assert.Equal(await StoredAsync(_whole.Database), stored);
        // raters_per_response 3 with two pilot raters: no third rater to plan for, and each pilot rating is assigned.
        Assert.Equal(3_000, stored.Assignments.Count);
    }

    [Fact]
    public async Task APilotRaterWhoRatedPartOfTheResponsesIsAssignedTheRest()
    {
        // rater-002's ratings of the second half of the responses left out (8 rows per response: 4 by each rater).
        var bundle = Bundle(lines => [.. lines.Where((text, i) => i <= 750 * 8 || !text.Contains(",rater-002,"))], ratersPerResponse: 2);
        var (staged, database) = await ImportStagedAsync(bundle);

        Assert.True(staged.Succeeded);
        await using var connection = await database.OpenAsync();
        var (assigned, open, openToRater2) = await connection.QuerySingleAsync<(long, long, long)>("""
            SELECT COUNT(*), COUNT(*) FILTER (WHERE completed_at IS NULL),
                   COUNT(*) FILTER (WHERE completed_at IS NULL AND rater_id = (SELECT id FROM users WHERE display_name = 'rater-002'))
            FROM assignments
            """);
        Assert.Equal((3_000L, 750L, 750L), (assigned, open, openToRater2));
    }

    [Theory]
    [InlineData(10_002, "rater-001", "rater-0!1")] // a rater who is not an identifier
    [InlineData(11_000, "case-", "case-x")] // a response that does not exist
    [InlineData(9_000, ",rater-002,", ",rater-001,")] // a duplicate rating
    public async Task AnErrorLateInRatingsCsvFailsWithTheErrorsOfTheBundleReadWholeAndWritesNothing(int line, string from, string to)
    {
        var bundle = Bundle(lines => [.. lines.Select((text, i) => i == line - 1 ? text.Replace(from, to) : text)]);
        var (staged, database) = await ImportStagedAsync(bundle);
        var whole = await ImportWholeAsync(bundle);

        Assert.False(staged.Succeeded);
        Assert.Equal(whole.Errors, staged.Errors);
        Assert.Contains(staged.Errors, e => e.Line == line);
        await using var connection = await database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT (SELECT COUNT(*) FROM studies) + (SELECT COUNT(*) FROM ratings) + (SELECT COUNT(*) FROM users)"));
    }

    [Fact]
    public async Task AnAdministratorNamedAsAPilotRaterIsRefusedAsWhenTheBundleIsReadWhole()
    {
        var bundle = Bundle();
        async Task AddAdministrator(Database database) => await new UserStore(database, _whole.Clock).CreateAsync("rater-002", "Administrator", isAdmin: true);
        var (staged, _) = await ImportStagedAsync(bundle, PilotRaterAccounts.ExistingByName, AddAdministrator);
        await new Migrator(_whole.Database, _whole.Clock).MigrateAsync();
        await AddAdministrator(_whole.Database);
        var whole = await new StudyImporter(_whole.Database, _whole.Clock).ImportAsync(bundle, pilotRaters: PilotRaterAccounts.ExistingByName);

        Assert.False(staged.Succeeded);
        Assert.Equal([new BundleError("ratings.csv", 0, "rater", new Message("Setup_PilotRaterIsAdministrator", "rater-002"))], staged.Errors);
        Assert.Equal(whole.Errors, staged.Errors);
    }

    sealed record Stored(List<string> Ratings, List<string> Assignments)
    {
        public bool Equals(Stored? other) => other is not null && Ratings.SequenceEqual(other.Ratings) && Assignments.SequenceEqual(other.Assignments);

        public override int GetHashCode() => Ratings.Count;
    }

    /// <summary>Ratings in the order written and assignments by response and rater, by bundle names (ids and handles differ).</summary>
    static async Task<Stored> StoredAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var ratings = (await connection.QueryAsync<string>("""
            SELECT r.slug || ' ' || u.display_name || ' ' || c.slug || ' ' || g.value || ' ' || g.status || ' ' || g.updated_at || ' ' || g.submitted_at
            FROM ratings g JOIN responses r ON r.id = g.response_id JOIN users u ON u.id = g.rater_id JOIN criteria c ON c.id = g.criterion_id
            WHERE r.study_id = (SELECT id FROM studies WHERE slug = 'staged') ORDER BY g.id
            """)).AsList();
        var assignments = (await connection.QueryAsync<string>("""
            SELECT r.slug || ' ' || u.display_name || ' ' || COALESCE(a.completed_at, 'open')
            FROM assignments a JOIN responses r ON r.id = a.response_id JOIN users u ON u.id = a.rater_id
            WHERE a.study_id = (SELECT id FROM studies WHERE slug = 'staged') ORDER BY r.slug, u.display_name
            """)).AsList();
        return new Stored(ratings, assignments);
    }
}
