using Npgsql;

namespace GradeBench.LoadTest;

/// <summary>A PostgreSQL database made for one run on a server the caller administers, and dropped after it.</summary>
sealed class RunDatabase
{
    readonly string _admin;
    readonly string _name = $"gradebench_load_{Guid.NewGuid():N}";

    RunDatabase(string adminConnectionString)
    {
        _admin = adminConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = _name }.ToString();
    }

    public string ConnectionString { get; }

    public static async Task<RunDatabase> CreatePostgresAsync(string adminConnectionString, CancellationToken ct)
    {
        var database = new RunDatabase(adminConnectionString);
        await database.AdminAsync($"CREATE DATABASE {database._name}", ct);
        return database;
    }

    public Task DropAsync() => AdminAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", CancellationToken.None);

    async Task AdminAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
