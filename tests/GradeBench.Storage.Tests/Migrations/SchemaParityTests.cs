using System.Data.Common;
using Dapper;
using GradeBench.Storage.Backup;
using GradeBench.Storage.Migrations;

namespace GradeBench.Storage.Tests.Migrations;

/// <summary>The SQLite migrations and the PostgreSQL scripts make the same schema: tables, columns (with the type
/// mapping of Postgres/0027_baseline.sql), nullability, keys, unique and partial indexes, foreign keys. A migration
/// written for one database only, or twins that differ, fail here; so would a copy between them.</summary>
[Trait("Provider", "PostgresOnly")]
public sealed class SchemaParityTests
{
    /// <summary>Where the two differ on purpose. responses.handle: SQLite adds a column NOT NULL only with a default,
    /// so a trigger requires it there (0013); PostgreSQL declares it.</summary>
    static readonly Dictionary<string, string> KnownDifferences = new() { ["responses.handle text not null"] = "responses.handle text" };

    [Fact]
    public async Task BothDatabasesHaveTheSameSchemaAtTheLatestVersion()
    {
        Assert.NotNull(TestPostgres.AdminConnectionString);
        await using var sqlite = new TestDatabase();
        await new Migrator(sqlite.Database, sqlite.Clock).MigrateAsync();
        await using var postgres = await TestDatabase.CreateAsync();
        Assert.False(postgres.Database.IsSqlite);

        var fromSqlite = await DescribeAsync(sqlite.Database);
        var fromPostgres = await DescribeAsync(postgres.Database);

        Assert.Equal(fromSqlite, fromPostgres.Select(line => KnownDifferences.GetValueOrDefault(line, line)));
        Assert.Contains("ratings.updated_at timestamp not null", fromSqlite);
        Assert.Contains("users unique (<expression>)", fromPostgres);
        Assert.Contains("criteria unique (study_id, slug) partial", fromPostgres);
        Assert.Contains("span_links foreign key (note_span_id) references note_spans (id) on delete CASCADE", fromPostgres);
    }

    /// <summary>One line per fact, sorted. Types as SQLite stores them: PostgreSQL's booleans and integers are integers,
    /// its timestamps (SQLite's *_at text) timestamps.</summary>
    static async Task<List<string>> DescribeAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var lines = new List<string>();
        foreach (var table in await SchemaCatalogue.ReadAsync(connection, null, database.IsSqlite))
        {
            lines.Add($"{table.Name}");
            foreach (var column in table.Columns)
            {
                var type = (column.Type.ToLowerInvariant(), column.Name.EndsWith("_at", StringComparison.Ordinal)) switch
                {
                    ("integer" or "bigint" or "boolean", _) => "integer",
                    ("real" or "double precision", _) => "real",
                    ("text", true) or ("timestamp with time zone", _) => "timestamp",
                    ("text", false) => "text",
                    var (other, _) => other,
                };
                lines.Add($"{table.Name}.{column.Name} {type}{(column.NotNull ? " not null" : "")}");
            }
            lines.Add($"{table.Name} primary key ({string.Join(", ", table.PrimaryKey)})");
            lines.AddRange((await IndexesAsync(connection, database.IsSqlite, table.Name)).Select(i => $"{table.Name} {i}"));
            lines.AddRange((await ForeignKeysAsync(connection, database.IsSqlite, table.Name)).Select(k => $"{table.Name} {k}"));
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The unique and the partial indexes (the primary key's aside): their columns, an expression as such.</summary>
    static async Task<IEnumerable<string>> IndexesAsync(DbConnection connection, bool sqlite, string table)
    {
        var indexes = new List<string>();
        if (sqlite)
        {
            foreach (var (name, unique, partial) in await connection.QueryAsync<(string, long, long)>(
                         "SELECT name, \"unique\", partial FROM pragma_index_list(@Table) WHERE origin <> 'pk' AND (\"unique\" OR partial)", new { Table = table }))
            {
                var columns = await connection.QueryAsync<string?>("SELECT name FROM pragma_index_info(@Name) ORDER BY seqno", new { Name = name });
                indexes.Add(Index(unique != 0, partial != 0, columns));
            }
            return indexes;
        }
        foreach (var (unique, partial, columns) in await connection.QueryAsync<(bool, bool, string[])>("""
                     SELECT i.indisunique, i.indpred IS NOT NULL,
                            ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k (attnum, n)
                                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n)
                     FROM pg_index i WHERE i.indrelid = quote_ident(@Table)::regclass AND NOT i.indisprimary AND (i.indisunique OR i.indpred IS NOT NULL)
                     """, new { Table = table }))
            indexes.Add(Index(unique, partial, columns));
        return indexes;
    }

    static string Index(bool unique, bool partial, IEnumerable<string?> columns) =>
        $"{(unique ? "unique" : "index")} ({string.Join(", ", columns.Select(c => c ?? "<expression>"))}){(partial ? " partial" : "")}";

    static async Task<IEnumerable<string>> ForeignKeysAsync(DbConnection connection, bool sqlite, string table)
    {
        if (sqlite)
        {
            var rows = await connection.QueryAsync<(long Id, string Parent, string From, string? To, string OnDelete)>(
                "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(@Table) ORDER BY id, seq", new { Table = table });
            var keys = new List<string>();
            foreach (var key in rows.GroupBy(r => r.Id))
            {
                var parent = key.First().Parent;
                // REFERENCES t without columns names t's primary key.
                var to = key.All(r => r.To is not null) ? key.Select(r => r.To!)
                    : await connection.QueryAsync<string>("SELECT name FROM pragma_table_info(@Parent) WHERE pk > 0 ORDER BY pk", new { Parent = parent });
                keys.Add(ForeignKey(key.Select(r => r.From), parent, to, key.First().OnDelete));
            }
            return keys;
        }
        return (await connection.QueryAsync<(string[] From, string Parent, string[] To, string OnDelete)>("""
            SELECT ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k (attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n),
                   p.relname::text,
                   ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k (attnum, n) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n),
                   CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END
            FROM pg_constraint c JOIN pg_class p ON p.oid = c.confrelid
            WHERE c.contype = 'f' AND c.conrelid = quote_ident(@Table)::regclass
            """, new { Table = table })).Select(k => ForeignKey(k.From, k.Parent, k.To, k.OnDelete));
    }

    static string ForeignKey(IEnumerable<string> from, string parent, IEnumerable<string> to, string onDelete) =>
        $"foreign key ({string.Join(", ", from)}) references {parent} ({string.Join(", ", to)}) on delete {onDelete}";
}
