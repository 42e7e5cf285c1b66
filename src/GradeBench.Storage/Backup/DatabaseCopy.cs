using System.Data.Common;
using System.Globalization;
using Dapper;
using GradeBench.Storage.Migrations;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace GradeBench.Storage.Backup;

/// <summary>Why a copy was refused or failed; the target holds no data afterwards.</summary>
public sealed class DatabaseCopyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A table copied and the rows it holds in both databases.</summary>
public sealed record CopiedTable(string Name, long Rows);

/// <summary><c>gradebench copy</c>: a whole installation moved from one database to another of either kind (SQLite,
/// PostgreSQL), ids, history and timestamps included. The source is read in one snapshot and never written; the target
/// is migrated, must hold no data, and is filled in one transaction, so that a failure leaves it empty. The tables come
/// from the source's catalogue in foreign-key order, so a table a later migration adds is copied without being listed
/// here; <see cref="NotCopied"/> names the exceptions (docs/backup.md, "Moving between SQLite and PostgreSQL").</summary>
public sealed class DatabaseCopy(Database source, Database target, TimeProvider clock)
{
    /// <summary>The target's own: its schema_version (already equal to the source's), its installation id (two
    /// installations must not share live-message channels), and the leases of work running on its nodes.</summary>
    public static readonly IReadOnlySet<string> NotCopied = new HashSet<string>(["schema_version", "installation", "leases"]);

    /// <summary>Round SQLite timestamps down to the microsecond that PostgreSQL keeps instead of refusing them.</summary>
    public bool RoundTimestamps { get; init; }

    /// <summary>Told of each table once it is copied and its counts agree (before the commit).</summary>
    public IProgress<CopiedTable>? Progress { get; init; }

    const string TimestampType = "timestamp with time zone";

    /// <summary>Copies every table; returns them in the order copied, with their row counts (equal in both).</summary>
    public async Task<IReadOnlyList<CopiedTable>> CopyAsync(CancellationToken ct = default)
    {
        if (source.IsSqlite && !File.Exists(source.FilePath))
            throw new DatabaseCopyException($"There is no database {source.DisplayName}.");
        if (source.Provider == target.Provider && source.ConnectionString == target.ConnectionString)
            throw new DatabaseCopyException($"--from and --to name the same database, {source.DisplayName}.");

        await using var from = await OpenSourceAsync(ct);
        await using var snapshot = await from.BeginSnapshotAsync(ct);
        var version = await VersionAsync(from, snapshot, source.IsSqlite, ct);
        if (version != Migrator.LatestVersion)
            throw new DatabaseCopyException(version < Migrator.LatestVersion
                ? $"The database {source.DisplayName} has schema version {version}; copy reads version {Migrator.LatestVersion}. Run `gradebench migrate --db` on it first (copy never writes to its source)."
                : $"The database {source.DisplayName} has schema version {version}, but this GradeBench knows versions up to {Migrator.LatestVersion}. Run a newer GradeBench.");
        var tables = SchemaCatalogue.InForeignKeyOrder(
            [.. (await SchemaCatalogue.ReadAsync(from, snapshot, source.IsSqlite, ct)).Where(t => !NotCopied.Contains(t.Name))]);

        await RefuseDataInTargetAsync(tables, ct);
        try
        {
            await new Migrator(target, clock).MigrateAsync(ct);
        }
        catch (SchemaTooNewException e)
        {
            throw new DatabaseCopyException(e.Message, e);
        }

        await using var to = await target.OpenAsync(ct);
        var targetTables = (await SchemaCatalogue.ReadAsync(to, null, target.IsSqlite, ct)).ToDictionary(t => t.Name);
        var plans = tables.Select(t => Plan(t, targetTables)).ToList();
        if (source.IsSqlite && !target.IsSqlite && !RoundTimestamps) await RefuseFinerTimestampsAsync(from, snapshot, plans, ct);

        var sqliteTarget = to as SqliteConnection;
        // Foreign keys are checked once, at the end, rather than row by row (the rows come in foreign-key order anyway).
        if (sqliteTarget is not null) await sqliteTarget.ExecuteAsync("PRAGMA foreign_keys = OFF");
        try
        {
            await using var transaction = await to.BeginWriteAsync(ct);
            // Checked again under the write lock: a node may have started on the target meanwhile.
            foreach (var plan in plans)
                if (await to.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT EXISTS (SELECT 1 FROM {plan.Table.Name})", transaction: transaction, cancellationToken: ct)))
                    throw TargetHoldsData(plan.Table.Name);
            var copied = new List<CopiedTable>();
            foreach (var plan in plans)
            {
                long rows;
                try
                {
                    rows = sqliteTarget is not null
                        ? await CopyToSqliteAsync(from, snapshot, plan, sqliteTarget, (SqliteTransaction)transaction, ct)
                        : await CopyToPostgresAsync(from, snapshot, plan, (NpgsqlConnection)to, ct);
                }
                catch (Exception e) when (e is not (DatabaseCopyException or OperationCanceledException))
                {
                    throw new DatabaseCopyException($"Copying table {plan.Table.Name} from {source.DisplayName} to {target.DisplayName} failed: {e.Message}", e);
                }
                var inSource = await from.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {plan.Table.Name}", transaction: snapshot, cancellationToken: ct));
                var inTarget = await to.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {plan.Table.Name}", transaction: transaction, cancellationToken: ct));
                if (rows != inSource || inTarget != inSource)
                    throw new DatabaseCopyException(
                        $"Table {plan.Table.Name}: {source.DisplayName} holds {inSource} rows, {rows} were read and {target.DisplayName} holds {inTarget}; nothing was copied.");
                copied.Add(new CopiedTable(plan.Table.Name, inTarget));
                Progress?.Report(copied[^1]);
            }
            if (sqliteTarget is not null)
            {
                var broken = (await sqliteTarget.QueryAsync<string>("SELECT DISTINCT \"table\" || ' → ' || parent FROM pragma_foreign_key_check", transaction: transaction)).AsList();
                if (broken.Count > 0)
                    throw new DatabaseCopyException(
                        $"The rows of {source.DisplayName} break foreign keys ({string.Join(", ", broken)}); nothing was copied to {target.DisplayName}.");
            }
            else await AdvanceIdentitiesAsync(to, transaction, plans, ct);
            await transaction.CommitAsync(ct);
            return copied;
        }
        finally
        {
            if (sqliteTarget is not null) await sqliteTarget.ExecuteAsync("PRAGMA foreign_keys = ON");
        }
    }

    /// <summary>SQLite opened read-only, so that the copy cannot write to its source (nor create a missing file).</summary>
    async Task<DbConnection> OpenSourceAsync(CancellationToken ct)
    {
        if (!source.IsSqlite) return await source.OpenAsync(ct);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(source.ConnectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(ct);
        return connection;
    }

    static async Task<int> VersionAsync(DbConnection connection, DbTransaction? transaction, bool sqlite, CancellationToken ct)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sqlite
            ? "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version')"
            : "SELECT to_regclass('schema_version') IS NOT NULL", transaction: transaction, cancellationToken: ct));
        return exists
            ? await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COALESCE(MAX(version), 0) FROM schema_version", transaction: transaction, cancellationToken: ct))
            : 0;
    }

    /// <summary>Before the target is migrated: a target with rows in any table the copy fills is refused untouched.</summary>
    async Task RefuseDataInTargetAsync(IReadOnlyList<CatalogueTable> tables, CancellationToken ct)
    {
        if (target.IsSqlite && !File.Exists(target.FilePath)) return;
        await using var connection = await target.OpenAsync(ct);
        var existing = (await SchemaCatalogue.ReadAsync(connection, null, target.IsSqlite, ct)).Select(t => t.Name).ToHashSet();
        foreach (var table in tables.Where(t => existing.Contains(t.Name)))
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT EXISTS (SELECT 1 FROM {table.Name})", cancellationToken: ct)))
                throw TargetHoldsData(table.Name);
    }

    DatabaseCopyException TargetHoldsData(string table) => new(
        $"The database {target.DisplayName} already holds data (table {table} has rows); copy fills an empty database only. Nothing was written.");

    /// <summary>How one table is read and written: its columns, and each one's PostgreSQL type when either side is
    /// PostgreSQL (it decides the conversion: SQLite keeps timestamps as text and booleans as 0/1).</summary>
    sealed record TablePlan(CatalogueTable Table, IReadOnlyList<string?> PostgresTypes, IReadOnlyList<string> IdentityColumns);

    TablePlan Plan(CatalogueTable table, IReadOnlyDictionary<string, CatalogueTable> targetTables)
    {
        if (!targetTables.TryGetValue(table.Name, out var into))
            throw new DatabaseCopyException($"The database {target.DisplayName} has no table {table.Name}.");
        var columns = into.Columns.ToDictionary(c => c.Name);
        foreach (var column in table.Columns)
            if (!columns.ContainsKey(column.Name))
                throw new DatabaseCopyException($"The database {target.DisplayName} has no column {table.Name}.{column.Name}.");
        // The PostgreSQL side's catalogue names the types; two SQLite files copy values as they are.
        var postgresColumns = !target.IsSqlite ? columns : !source.IsSqlite ? table.Columns.ToDictionary(c => c.Name) : null;
        var types = table.Columns.Select(c => postgresColumns?[c.Name].Type).ToList();
        foreach (var (column, type) in table.Columns.Zip(types))
            if (type is not null && !PostgresTypes.ContainsKey(type))
                throw new DatabaseCopyException($"Column {table.Name}.{column.Name} has the type {type}, which copy does not know.");
        return new TablePlan(table, types, [.. into.Columns.Where(c => c.Identity).Select(c => c.Name)]);
    }

    static readonly IReadOnlyDictionary<string, NpgsqlDbType> PostgresTypes = new Dictionary<string, NpgsqlDbType>
    {
        ["bigint"] = NpgsqlDbType.Bigint,
        ["integer"] = NpgsqlDbType.Integer,
        ["boolean"] = NpgsqlDbType.Boolean,
        ["double precision"] = NpgsqlDbType.Double,
        ["text"] = NpgsqlDbType.Text,
        [TimestampType] = NpgsqlDbType.TimestampTz,
    };

    /// <summary>SQLite stores ticks (seven fraction digits); PostgreSQL keeps microseconds. Refused, naming every column
    /// and how many of its rows would change, before anything is copied.</summary>
    async Task RefuseFinerTimestampsAsync(DbConnection from, DbTransaction snapshot, IReadOnlyList<TablePlan> plans, CancellationToken ct)
    {
        var finer = new List<string>();
        foreach (var plan in plans)
            foreach (var (column, type) in plan.Table.Columns.Zip(plan.PostgresTypes))
            {
                if (type != TimestampType) continue;
                // yyyy-MM-ddTHH:mm:ss.fffffffZ: the seventh fraction digit is the 27th character.
                var rows = await from.ExecuteScalarAsync<long>(new CommandDefinition(
                    $"SELECT COUNT(*) FROM {plan.Table.Name} WHERE substr({column.Name}, 27, 1) NOT IN ('', '0')", transaction: snapshot, cancellationToken: ct));
                if (rows > 0) finer.Add($"{plan.Table.Name}.{column.Name} ({rows} rows)");
            }
        if (finer.Count > 0)
            throw new DatabaseCopyException(
                $"PostgreSQL keeps timestamps to the microsecond, and these of {source.DisplayName} hold a finer seventh digit: {string.Join(", ", finer)}. " +
                "Copy with --round-timestamps to round them down to the microsecond. Nothing was copied.");
    }

    DbCommand Select(DbConnection from, DbTransaction snapshot, CatalogueTable table)
    {
        // Rows in the source's order (rowid; PostgreSQL: the key), so that a copy to SQLite numbers its rowids alike.
        var order = source.IsSqlite ? table.WithoutRowId ? "" : " ORDER BY rowid"
            : table.PrimaryKey.Count > 0 ? $" ORDER BY {string.Join(", ", table.PrimaryKey)}" : "";
        var command = from.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(c => c.Name))} FROM {table.Name}{order}";
        return command;
    }

    async Task<long> CopyToSqliteAsync(DbConnection from, DbTransaction snapshot, TablePlan plan, SqliteConnection to, SqliteTransaction transaction, CancellationToken ct)
    {
        var columns = plan.Table.Columns;
        await using var insert = to.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {plan.Table.Name} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"${i}"))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter($"${i}", null))).ToArray();
        insert.Prepare();
        await using var select = Select(from, snapshot, plan.Table);
        await using var reader = await select.ExecuteReaderAsync(ct);
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < parameters.Length; i++)
                parameters[i].Value = reader.GetValue(i) switch
                {
                    DBNull => DBNull.Value,
                    bool flag => flag ? 1L : 0L,
                    DateTime time => Database.FormatTimestamp(new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))),
                    int number => (long)number,
                    var value => value,
                };
            insert.ExecuteNonQuery();
            rows++;
        }
        return rows;
    }

    async Task<long> CopyToPostgresAsync(DbConnection from, DbTransaction snapshot, TablePlan plan, NpgsqlConnection to, CancellationToken ct)
    {
        var columns = plan.Table.Columns;
        var types = plan.PostgresTypes.Select(t => PostgresTypes[t!]).ToArray();
        await using var select = Select(from, snapshot, plan.Table);
        await using var reader = await select.ExecuteReaderAsync(ct);
        await using var copy = await to.BeginBinaryImportAsync(
            $"COPY {plan.Table.Name} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        // No timeout (zero): the server checks the foreign keys of all the table's rows as the COPY ends, which for 1.6M
        // ratings takes longer than the 30 s a command gets.
        copy.Timeout = TimeSpan.Zero;
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            rows++;
            await copy.StartRowAsync(ct);
            for (var i = 0; i < types.Length; i++)
            {
                var value = reader.GetValue(i);
                if (value is DBNull) await copy.WriteNullAsync(ct);
                else await copy.WriteAsync(source.IsSqlite ? FromSqlite(value, types[i], plan.Table.Name, columns[i].Name, rows) : value, types[i], ct);
            }
        }
        await copy.CompleteAsync(ct);
        return rows;
    }

    /// <summary>An SQLite value as the PostgreSQL column takes it; a value of another kind is named, not guessed at.</summary>
    object FromSqlite(object value, NpgsqlDbType type, string table, string column, long row) => (type, value) switch
    {
        (NpgsqlDbType.Bigint, long number) => number,
        (NpgsqlDbType.Integer, long number) => checked((int)number),
        (NpgsqlDbType.Boolean, long number and (0 or 1)) => number == 1,
        (NpgsqlDbType.Double, double number) => number,
        (NpgsqlDbType.Double, long number) => (double)number,
        (NpgsqlDbType.Text, string text) => text,
        (NpgsqlDbType.TimestampTz, string text) when DateTime.TryParseExact(text, Database.TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) => RoundTimestamps || time.Ticks % 10 == 0
            ? new DateTime(time.Ticks - time.Ticks % 10, DateTimeKind.Utc)
            : throw new DatabaseCopyException($"Table {table}, column {column}, row {row}: {text} is finer than the microsecond PostgreSQL keeps (copy with --round-timestamps)."),
        _ => throw new DatabaseCopyException(
            $"Table {table}, column {column}, row {row} of {source.DisplayName}: {Describe(value)} is not a {type switch
            {
                NpgsqlDbType.Boolean => "boolean (0 or 1)",
                NpgsqlDbType.TimestampTz => $"timestamp ({Database.TimestampFormat})",
                NpgsqlDbType.Text => "text",
                _ => "number",
            }}; nothing was copied."),
    };

    static string Describe(object value) => value switch
    {
        string text => $"\"{(text.Length > 40 ? text[..40] + "…" : text)}\"",
        byte[] bytes => $"a blob of {bytes.Length} bytes",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Ids were copied as they were: each identity's sequence goes past the largest, so new rows do not collide.</summary>
    static async Task AdvanceIdentitiesAsync(DbConnection to, DbTransaction transaction, IReadOnlyList<TablePlan> plans, CancellationToken ct)
    {
        foreach (var plan in plans)
            foreach (var column in plan.IdentityColumns)
                await to.ExecuteAsync(new CommandDefinition(
                    $"SELECT setval(pg_get_serial_sequence('{plan.Table.Name}', '{column}'), COALESCE(MAX({column}), 0) + 1, false) FROM {plan.Table.Name}",
                    transaction: transaction, cancellationToken: ct));
    }
}
