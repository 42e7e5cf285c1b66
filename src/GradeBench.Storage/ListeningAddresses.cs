using Npgsql;

namespace GradeBench.Storage;

/// <summary>Where the web server serving a database listens, recorded when it starts so that <c>gradebench invite</c>
/// prints links that open. Kept in a small file beside the database, not in a table:
/// there is no settings table, and an address belongs to this machine's server, not to the data, so a backup or a
/// copy of the database must not carry it elsewhere.</summary>
public static class ListeningAddresses
{
    /// <summary>Beside an SQLite file; for PostgreSQL, in the working folder, named after the server and database (never
    /// the whole connection string, which holds the password), so that two installations there keep their own.</summary>
    public static string FileOf(Database database) => (database.FilePath ?? Path.GetFullPath(PostgresFileName(database))) + ".urls";

    static string PostgresFileName(Database database)
    {
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var name = $"gradebench-postgres-{settings.Host}-{settings.Port}-{settings.Database}";
        return string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
    }

    /// <summary>Replaces the recorded addresses with <paramref name="addresses"/> as a browser opens them.</summary>
    public static void Record(Database database, IEnumerable<string> addresses)
    {
        var file = FileOf(database);
        var temporary = file + ".tmp";
        File.WriteAllLines(temporary, addresses.Select(Browsable).Distinct());
        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>The recorded address to put in links (https first), or null when no server has recorded one.</summary>
    public static string? Read(Database database)
    {
        var file = FileOf(database);
        if (!File.Exists(file)) return null;
        var addresses = File.ReadAllLines(file).Where(a => a.Length > 0).ToList();
        return addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault();
    }

    /// <summary>A listening address as a browser opens it: a wildcard host ("+", "*", 0.0.0.0, [::]) becomes localhost.</summary>
    public static string Browsable(string address)
    {
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "localhost";
        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }
}
