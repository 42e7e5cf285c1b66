using Dapper;

namespace GradeBench.Storage.Tests;

/// <summary>A trigger that fails a write halfway, for the tests that a failure undoes everything. Trigger syntax is each
/// database's own: SQLite's RAISE in a trigger body, PostgreSQL's trigger function.</summary>
static class FailingTrigger
{
    /// <summary>Fails every row of <paramref name="timing"/> (e.g. <c>BEFORE INSERT ON ratings</c>) for which
    /// <paramref name="condition"/> holds, with <paramref name="message"/>.</summary>
    public static async Task CreateAsync(Database database, string name, string timing, string condition, string message)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(database.IsSqlite
            ? $"CREATE TRIGGER {name} {timing} WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END"
            : $"""
              CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END; $$;
              CREATE TRIGGER {name} {timing} FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION {name}();
              """);
    }
}
