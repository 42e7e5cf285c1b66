using Dapper;
using GradeBench.Storage;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Hosting;

/// <summary>Nodes starting at once on one new database (PostgreSQL when the tests run on it): it is set up once.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task TwoNodesStartingAtOnceImportOneDemoStudyAndMakeOneKey()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var temp = new TempFolder();
        var target = db.Database.FilePath ?? db.Database.ConnectionString;
        await using var first = Node(target, temp.Path);
        await using var second = Node(target, temp.Path);

        var outcomes = await Task.WhenAll(
            Task.Run(() => DatabaseStartup.PrepareAsync(first, first.GetRequiredService<IConfiguration>())),
            Task.Run(() => DatabaseStartup.PrepareAsync(second, second.GetRequiredService<IConfiguration>())));

        Assert.Equal([DatabaseStartup.DemoOutcome.Imported, DatabaseStartup.DemoOutcome.StudiesExist], outcomes.Order());
        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM studies"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys"));
    }

    /// <summary>A newer sign-in link ends the older: a second node printing its own would void the first's.</summary>
    [Fact]
    public async Task OfTwoNodesStartingTogetherOnlyOnePrintsTheAdministratorsSignInLink()
    {
        using var redis = new TestRedis();
        using var first = new GradeBenchFactory { Redis = redis.Configuration };
        using var second = first.SecondNode();
        _ = first.Server;
        _ = second.Server;

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={first.DatabasePath}");
        for (var waited = 0; waited < 100 && await LinksAsync() == 0; waited++) await Task.Delay(100);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(1, await LinksAsync());

        Task<long> LinksAsync() => connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sign_in_links WHERE purpose = 'sign-in'");
    }

    static ServiceProvider Node(string database, string folder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GradeBench:Database"] = database,
            ["GradeBench:DemoStudy"] = TestPaths.DemoBundle,
            ["GradeBench:KeysFolder"] = Path.Combine(folder, "none"),
        }).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddStorage(database).AddSharedKeys(configuration).AddNodeLeases().BuildServiceProvider();
    }
}
