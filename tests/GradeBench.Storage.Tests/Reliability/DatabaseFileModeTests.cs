using Dapper;
using GradeBench.Storage.Backup;
using GradeBench.Storage.Migrations;

namespace GradeBench.Storage.Tests.Reliability;

/// <summary>The database holds study data and password hashes: other accounts on the machine may not read it. SQLite
/// creates a file readable by everyone (0644 under the usual umask) and gives its -wal and -shm files the same mode.</summary>
[Trait("Provider", "SqliteOnly")]
public sealed class DatabaseFileModeTests : IDisposable
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    readonly string _folder = Directory.CreateTempSubdirectory("gradebench-mode-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ANewDatabaseItsWalAndShmFilesAndABackupAreReadableByTheirOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return; // Unix modes only; Windows files inherit their folder's ACL.
        var database = new Database(Path.Combine(_folder, "new.db"));

        await new Migrator(database, TimeProvider.System).MigrateAsync();
        await using var open = await database.OpenAsync();
        await open.ExecuteAsync("INSERT INTO users (username, display_name, is_admin, created_at) VALUES ('a', 'A', FALSE, '2026-01-01T00:00:00Z')");
        var backup = Path.Combine(_folder, "backup.db");
        await DatabaseBackup.CopyAsync(database, backup);

        foreach (var file in new[] { database.FilePath!, database.FilePath + "-wal", database.FilePath + "-shm", backup })
            Assert.True(File.GetUnixFileMode(file) == OwnerOnly, $"{Path.GetFileName(file)}: {File.GetUnixFileMode(file)}");
    }
}
