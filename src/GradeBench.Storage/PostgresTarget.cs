using Npgsql;

namespace GradeBench.Storage;

/// <summary>Tells a PostgreSQL connection string or URL from an SQLite file path.</summary>
static class PostgresTarget
{
    /// <summary>The connection settings when <paramref name="target"/> names PostgreSQL, else null (a file path).</summary>
    public static NpgsqlConnectionStringBuilder? TryParse(string target)
    {
        var trimmed = target.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return FromUrl(trimmed);
        // A path never holds "Host=" as a setting: key=value pairs separated by semicolons are a connection string.
        if (!trimmed.Contains('=') || !trimmed.Split(';').Any(part =>
                part.Split('=', 2)[0].Trim() is var key && (key.Equals("Host", StringComparison.OrdinalIgnoreCase) ||
                                                            key.Equals("Server", StringComparison.OrdinalIgnoreCase))))
            return null;
        try { return new NpgsqlConnectionStringBuilder(trimmed); }
        catch (ArgumentException e) { throw new ArgumentException($"The PostgreSQL connection string is not valid: {e.Message}", e); }
    }

    static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException("The PostgreSQL URL is not valid: expected postgres://user:password@host:port/database.");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0) builder.Port = uri.Port;
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var user = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(user[0]);
            if (user.Length == 2) builder.Password = Uri.UnescapeDataString(user[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            var value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
            // libpq's names for the settings that URLs usually carry.
            key = key.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "sslrootcert" => "Root Certificate",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                _ => key,
            };
            try { builder[key] = value; }
            catch (ArgumentException e) { throw new ArgumentException($"The PostgreSQL URL has a setting Npgsql does not know: {pair} ({e.Message})", e); }
        }
        return builder;
    }

    /// <summary>Server, port and database, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder settings) =>
        $"PostgreSQL database \"{settings.Database}\" on {settings.Host}:{settings.Port}";
}
