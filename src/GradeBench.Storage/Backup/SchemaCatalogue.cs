using System.Data.Common;
using Dapper;

namespace GradeBench.Storage.Backup;

/// <summary>A column as the database's catalogue declares it: SQLite's declared type (INTEGER, TEXT, REAL) or
/// PostgreSQL's <c>information_schema</c> data type (bigint, boolean, timestamp with time zone, …). Identity: a
/// PostgreSQL identity, whose sequence a copy moves past the ids it wrote (SQLite numbers from the largest rowid).</summary>
public sealed record CatalogueColumn(string Name, string Type, bool NotNull, bool Identity);

/// <summary>A table: its columns in order, its primary key's columns in key order, and the tables its foreign keys
/// reference (itself excluded).</summary>
public sealed record CatalogueTable(string Name, IReadOnlyList<CatalogueColumn> Columns, IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<string> References, bool WithoutRowId);

/// <summary>The tables of a database read from its own catalogue, so that a table a later migration adds is seen
/// without being listed anywhere.</summary>
public static class SchemaCatalogue
{
    /// <summary>Every table of the database (SQLite's own sqlite_* tables excluded), by name.</summary>
    public static async Task<IReadOnlyList<CatalogueTable>> ReadAsync(DbConnection connection, DbTransaction? transaction, bool sqlite, CancellationToken ct = default)
    {
        var tables = new List<CatalogueTable>();
        if (sqlite)
        {
            var names = await connection.QueryAsync<(string Name, long WithoutRowId)>(new CommandDefinition(
                "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                transaction: transaction, cancellationToken: ct));
            foreach (var (name, withoutRowId) in names)
            {
                var columns = (await connection.QueryAsync<(string Name, string Type, long NotNull, long Pk)>(new CommandDefinition(
                    "SELECT name, type, \"notnull\", pk FROM pragma_table_info(@Name) ORDER BY cid", new { Name = name }, transaction, cancellationToken: ct))).AsList();
                var references = await connection.QueryAsync<string>(new CommandDefinition(
                    "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(@Name) WHERE \"table\" <> @Name ORDER BY 1", new { Name = name }, transaction, cancellationToken: ct));
                var primaryKey = columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name).ToList();
                // A key column is never null (PostgreSQL's are NOT NULL, and GradeBench writes none to SQLite's).
                tables.Add(new CatalogueTable(name,
                    [.. columns.Select(c => new CatalogueColumn(c.Name, c.Type, c.NotNull != 0 || c.Pk > 0, Identity: false))],
                    primaryKey, [.. references], withoutRowId != 0));
            }
            return tables;
        }
        var tableNames = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\"",
            transaction: transaction, cancellationToken: ct));
        foreach (var name in tableNames)
        {
            var columns = await connection.QueryAsync<(string Name, string Type, string Nullable, string Identity)>(new CommandDefinition("""
                SELECT column_name, data_type, is_nullable, is_identity FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = @Name ORDER BY ordinal_position
                """, new { Name = name }, transaction, cancellationToken: ct));
            var primaryKey = await connection.QueryAsync<string>(new CommandDefinition("""
                SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = quote_ident(@Name)::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)
                """, new { Name = name }, transaction, cancellationToken: ct));
            var references = await connection.QueryAsync<string>(new CommandDefinition("""
                SELECT DISTINCT r.relname::text FROM pg_constraint c JOIN pg_class r ON r.oid = c.confrelid
                WHERE c.contype = 'f' AND c.conrelid = quote_ident(@Name)::regclass AND c.confrelid <> c.conrelid ORDER BY 1
                """, new { Name = name }, transaction, cancellationToken: ct));
            tables.Add(new CatalogueTable(name,
                [.. columns.Select(c => new CatalogueColumn(c.Name, c.Type, c.Nullable == "NO", c.Identity == "YES"))],
                [.. primaryKey], [.. references], WithoutRowId: false));
        }
        return tables;
    }

    /// <summary>The tables in an order in which each comes after every table it references, so that rows can be
    /// inserted with foreign keys checked; ties by name.</summary>
    public static IReadOnlyList<CatalogueTable> InForeignKeyOrder(IReadOnlyList<CatalogueTable> tables)
    {
        var byName = tables.ToDictionary(t => t.Name);
        var ordered = new List<CatalogueTable>();
        var placed = new HashSet<string>();
        while (ordered.Count < tables.Count)
        {
            var ready = tables.Where(t => !placed.Contains(t.Name) && t.References.All(r => placed.Contains(r) || !byName.ContainsKey(r)))
                .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
            if (ready.Count == 0)
                throw new InvalidOperationException("The foreign keys of these tables form a cycle: " +
                    string.Join(", ", tables.Where(t => !placed.Contains(t.Name)).Select(t => t.Name)));
            foreach (var table in ready)
            {
                ordered.Add(table);
                placed.Add(table.Name);
            }
        }
        return ordered;
    }
}
