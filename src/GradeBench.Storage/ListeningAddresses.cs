namespace GradeBench.Storage;

/// <summary>Where the web server serving a database listens, recorded when it starts so that <c>gradebench invite</c>
/// prints links that open. Kept in a small file beside the database, not in a table:
/// there is no settings table, and an address belongs to this machine's server, not to the data, so a backup or a
/// copy of the database must not carry it elsewhere.</summary>
public static class ListeningAddresses
{
    public static string FileOf(Database database) => (database.FilePath ?? Path.GetFullPath("gradebench-postgres")) + ".urls";

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
