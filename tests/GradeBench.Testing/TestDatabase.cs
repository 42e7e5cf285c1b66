using System.Text;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using Microsoft.Data.Sqlite;

namespace GradeBench.Testing;

/// <summary>A migrated database of its own, deleted afterwards: an SQLite file in a temporary folder, or, when
/// <see cref="TestPostgres.AdminConnectionString"/> is set, a PostgreSQL database cloned from a migrated template.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("gradebench-storage-").FullName;
    readonly string? _postgresName;

    /// <summary>An empty SQLite file, not migrated: for the tests of migrations and of the file itself.</summary>
    public TestDatabase() => Database = new Database(Path.Combine(_folder, "test.db"));

    TestDatabase(string postgresName)
    {
        _postgresName = postgresName;
        Database = new Database(TestPostgres.ConnectionStringFor(postgresName));
    }

    public Database Database { get; }
    public ManualClock Clock { get; } = new();

    /// <summary>An empty database, not migrated, on whichever database the tests run on.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync() =>
        TestPostgres.AdminConnectionString is not null ? new TestDatabase(await TestPostgres.CreateEmptyAsync()) : new TestDatabase();

    public static async Task<TestDatabase> CreateAsync()
    {
        if (TestPostgres.AdminConnectionString is not null)
            return new TestDatabase(await TestPostgres.CreateMigratedAsync());
        var db = new TestDatabase();
        await new Migrator(db.Database, db.Clock).MigrateAsync();
        return db;
    }

    /// <summary>The demo study with a new rater who has just joined it (and so holds a share of the open work).</summary>
    public async Task<DemoRater> DemoWithNewRaterAsync(string username)
    {
        var studyId = (await new StudyImporter(Database, Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var rater = await AddRaterAsync(studyId, username);
        var assigned = (await new GradingStore(Database, new RubricQuery(Database), Clock).QueueAsync(studyId, rater))[0].ResponseId;
        await using var connection = await Database.OpenAsync();
        var notAssigned = await connection.ExecuteScalarAsync<long>(
            "SELECT MIN(id) FROM responses WHERE id NOT IN (SELECT response_id FROM assignments WHERE rater_id = @Rater)", new { Rater = rater });
        return new DemoRater(studyId, rater, assigned, notAssigned);
    }

    public async Task<long> AddRaterAsync(long studyId, string username)
    {
        var users = new UserStore(Database, Clock);
        var id = (await users.CreateAsync(username, username, isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, id, "rater");
        return id;
    }

    /// <summary>Every row of every table, in a stable order: equal dumps mean equal content.</summary>
    public async Task<string> DumpContentAsync()
    {
        await using var connection = await Database.OpenAsync();
        var tables = await connection.QueryAsync<string>(Database.IsSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name COLLATE \"C\"");
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            dump.AppendLine($"## {table}");
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1, 2";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) dump.Append(reader.IsDBNull(i) ? "NULL" : reader.GetValue(i)).Append('|');
                dump.AppendLine();
            }
        }
        return dump.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (_postgresName is not null) await TestPostgres.DropAsync(_postgresName);
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>A rater of the demo study, one response assigned to them and one that is not.</summary>
public sealed record DemoRater(long StudyId, long RaterId, long Assigned, long NotAssigned);

public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => Now;
}
