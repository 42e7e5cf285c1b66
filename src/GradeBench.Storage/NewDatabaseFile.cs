using Microsoft.Data.Sqlite;

namespace GradeBench.Storage;

/// <summary>A whole new database (an import into a file that does not exist yet) built in a temporary file beside its
/// <see cref="Target"/> and renamed into place only when complete: an error or a crash leaves no database at the target
/// rather than a half-written one, and the build writes each page once (no WAL, whose pages are written again at the
/// checkpoint). Disposed before <see cref="CompleteAsync"/>, it deletes the temporary file.</summary>
public sealed class NewDatabaseFile : IDisposable
{
    NewDatabaseFile(string target)
    {
        Target = Path.GetFullPath(target);
        Building = Database.Building($"{Target}.building-{Environment.ProcessId}");
    }

    /// <summary>Starts building a database for <paramref name="target"/>, which should not exist.</summary>
    public static NewDatabaseFile Begin(string target) => new(target);

    public string Target { get; }

    /// <summary>The temporary database to migrate and fill.</summary>
    public Database Building { get; }

    bool _completed;

    /// <summary>Syncs the temporary file, renames it to <see cref="Target"/> (refused when a file appeared there meanwhile)
    /// and puts it in WAL mode; returns the database at the target.</summary>
    public async Task<Database> CompleteAsync(CancellationToken ct = default)
    {
        ClosePooledConnections();
        using (var file = new FileStream(Building.FilePath!, FileMode.Open, FileAccess.ReadWrite)) file.Flush(flushToDisk: true);
        File.Move(Building.FilePath!, Target, overwrite: false);
        _completed = true;
        var database = new Database(Target);
        // The first connection sets WAL, the app's mode, in a synchronous write through a new rollback journal; SQLite
        // syncs the folder when it creates a journal, and so the rename too.
        await using (await database.OpenAsync(ct)) { }
        return database;
    }

    void ClosePooledConnections()
    {
        using var connection = new SqliteConnection(Building.ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    public void Dispose()
    {
        if (_completed) return;
        ClosePooledConnections();
        foreach (var file in new[] { Building.FilePath!, Building.FilePath! + "-journal" })
            if (File.Exists(file)) File.Delete(file);
    }
}
