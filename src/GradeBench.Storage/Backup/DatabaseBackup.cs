using Dapper;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage.Backup;

/// <summary>A copy of the database made with SQLite's online backup API: a consistent snapshot of every committed
/// write, taken while the server keeps running (in WAL mode readers do not block writers, nor writers them).</summary>
public static class DatabaseBackup
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="targetPath"/> and checks the copy with
    /// <c>PRAGMA integrity_check</c>. The copy is written beside the target and moved into place only once it passed,
    /// so a failed backup never leaves a half-written file under the target's name. Like the database, the copy is
    /// readable by its owner only. Returns the copy's size in bytes.</summary>
    public static async Task<long> CopyAsync(Database source, string targetPath, CancellationToken ct = default)
    {
        var partial = targetPath + ".partial";
        File.Delete(partial);
        Database.CreateOwnerOnly(partial);
        await using (var from = await source.OpenSqliteAsync(ct))
        await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
        {
            await to.OpenAsync(ct);
            from.BackupDatabase(to);
            var check = await to.ExecuteScalarAsync<string>("PRAGMA integrity_check");
            if (check != "ok") throw new InvalidOperationException($"The copy failed SQLite's integrity check: {check}");
        }
        File.Move(partial, targetPath, overwrite: true);
        return new FileInfo(targetPath).Length;
    }
}
