using System.Globalization;
using System.IO.Compression;
using System.Text;
using Dapper;
using GradeBench.Core.Spans.Interchange;
using GradeBench.Storage.Backup;
using GradeBench.Storage.Export;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Backup;

/// <summary><c>gradebench copy</c>'s storage half: what it copies, what it refuses, and that a failure leaves the target
/// empty. The tests between SQLite and PostgreSQL need the test server (PostgresOnly); those between two SQLite files
/// run everywhere.</summary>
public sealed class DatabaseCopyTests
{
    /// <summary>Every table of the schema, in the order copied. A table a later migration adds fails this test until it
    /// is named here, and <see cref="RichInstallation"/> fails until it gives it rows, which the round trip compares.</summary>
    static readonly string[] CopiedInOrder =
    [
        "data_protection_keys", "users", "account_status_changes", "api_tokens", "sign_in_links", "studies", "calibration_sessions", "cases",
        "credential_revocations", "invites", "judge_batches", "judges", "note_labels", "pairwise_axes", "pairwise_reasons", "span_labels",
        "study_member_removals", "study_members", "study_role_changes", "study_state_changes", "criteria", "gold_spans", "note_label_attributes",
        "note_spans", "responses", "adjudication_rules", "assignments", "calibration_items", "criterion_anchors", "criterion_options", "flags",
        "gold_span_attributes", "note_label_criteria", "note_span_attributes", "pairs", "rating_reveals", "ratings", "safety_alerts",
        "safety_rules", "span_annotations", "span_label_criteria", "adjudication_items", "calibration_gold", "calibration_participants",
        "calibration_ratings", "flag_replies", "pair_assignments", "pair_reveals", "pair_votes", "rating_history", "span_links",
        "adjudication_messages", "consensus_values", "pair_consensus_votes", "pair_vote_history",
    ];

    static async Task<TestDatabase> SqliteAsync()
    {
        var db = new TestDatabase();
        await new Migrator(db.Database, db.Clock).MigrateAsync();
        return db;
    }

    /// <summary>A database with no tables: an SQLite file not yet created, or an empty PostgreSQL database.</summary>
    static async Task<TestDatabase> EmptyAsync(bool postgres)
    {
        if (!postgres) return new TestDatabase();
        Assert.NotNull(TestPostgres.AdminConnectionString);
        return await TestDatabase.CreateEmptyAsync();
    }

    static Task<IReadOnlyList<CopiedTable>> CopyAsync(TestDatabase from, TestDatabase to, bool round = false) =>
        new DatabaseCopy(from.Database, to.Database, from.Clock) { RoundTimestamps = round }.CopyAsync();

    [Fact]
    public async Task EveryTableButTheTargetsOwnIsCopiedInForeignKeyOrder()
    {
        await using var from = await SqliteAsync();
        await using var to = await EmptyAsync(postgres: false);

        var copied = await CopyAsync(from, to);

        Assert.Equal(CopiedInOrder, copied.Select(t => t.Name));
        await using var connection = await from.Database.OpenAsync();
        var all = (await SchemaCatalogue.ReadAsync(connection, null, sqlite: true)).Select(t => t.Name);
        Assert.Equal(all.Order(StringComparer.Ordinal), CopiedInOrder.Concat(DatabaseCopy.NotCopied).Order(StringComparer.Ordinal));
    }

    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public async Task AnInstallationMovedToPostgresAndBackKeepsEveryRowAndExportsTheSameBytes()
    {
        using var temp = new TempFolder();
        await using var original = await SqliteAsync();
        var studies = await RichInstallation.FillAsync(original, temp.Path);
        await using var postgres = await EmptyAsync(postgres: true);
        await using var back = await EmptyAsync(postgres: false);

        var there = await CopyAsync(original, postgres);
        var again = await CopyAsync(postgres, back);

        Assert.Equal(await CountsAsync(original.Database), there.Select(t => (t.Name, t.Rows)));
        Assert.Equal(there, again);
        var dump = await DumpAsync(original.Database);
        Assert.Equal(dump, await DumpAsync(postgres.Database));
        Assert.Equal(dump, await DumpAsync(back.Database));
        foreach (var study in new[] { studies.Single, studies.Pairwise })
        {
            var exports = await ExportsAsync(original.Database, study);
            foreach (var copy in new[] { postgres, back })
            {
                var copied = await ExportsAsync(copy.Database, study);
                Assert.Equal(exports.Keys, copied.Keys);
                foreach (var (kind, bytes) in copied)
                    Assert.True(exports[kind].AsSpan().SequenceEqual(bytes), $"{kind} of study {study} differs on {copy.Database.Provider}");
            }
        }
        Assert.True((await ExportsAsync(original.Database, studies.Single)).Count >= 15);
        // Each copy keeps its own installation id; new rows on PostgreSQL number on past the copied ids.
        Assert.NotEqual(await InstallationAsync(original.Database), await InstallationAsync(back.Database));
        await using var connection = await postgres.Database.OpenAsync();
        var next = await connection.ExecuteScalarAsync<long>("INSERT INTO users (username, display_name, created_at) VALUES ('new', 'New', now()) RETURNING id");
        Assert.Equal(await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM users WHERE username <> 'new'") + 1, next);
    }

    [Fact]
    public Task AnSqliteTargetThatHoldsDataIsRefusedUntouched() => TargetThatHoldsDataIsRefusedUntouched(postgres: false);

    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public Task APostgresTargetThatHoldsDataIsRefusedUntouched() => TargetThatHoldsDataIsRefusedUntouched(postgres: true);

    static async Task TargetThatHoldsDataIsRefusedUntouched(bool postgres)
    {
        await using var from = await SqliteAsync();
        await using var to = await EmptyAsync(postgres);
        await new Migrator(to.Database, to.Clock).MigrateAsync();
        await using (var connection = await to.Database.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO data_protection_keys (name, xml, created_at) VALUES ('k', '<key/>', @At)", new { At = to.Clock.Now });
        var before = await DumpAsync(to.Database);

        var error = await Assert.ThrowsAsync<DatabaseCopyException>(() => CopyAsync(from, to));

        Assert.Contains(to.Database.DisplayName, error.Message);
        Assert.Contains("table data_protection_keys has rows", error.Message);
        Assert.Equal(before, await DumpAsync(to.Database));
    }

    [Fact]
    public async Task ASourceOfAnotherSchemaVersionIsRefusedAndNeitherDatabaseChanges()
    {
        await using var from = await SqliteAsync();
        await using (var connection = await from.Database.OpenAsync())
            await connection.ExecuteAsync("DELETE FROM schema_version WHERE version = @Latest", new { Latest = Migrator.LatestVersion });
        await using var to = await EmptyAsync(postgres: false);

        var error = await Assert.ThrowsAsync<DatabaseCopyException>(() => CopyAsync(from, to));

        Assert.Contains($"{from.Database.DisplayName} has schema version {Migrator.LatestVersion - 1}", error.Message);
        Assert.False(File.Exists(to.Database.FilePath));
        await using (var connection = await from.Database.OpenAsync())
            Assert.Equal(Migrator.LatestVersion - 1, await connection.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_version"));
    }

    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public async Task ATimestampFinerThanTheMicrosecondIsRefusedForPostgresUnlessRounded()
    {
        await using var from = await SqliteAsync();
        await using (var connection = await from.Database.OpenAsync())
            await connection.ExecuteAsync("""
                INSERT INTO users (username, display_name, created_at, last_sign_in_at) VALUES
                ('a', 'A', '2026-01-02T03:04:05.1234567Z', '2026-01-02T03:04:05.1234560Z'),
                ('b', 'B', '2026-01-02T03:04:05.0000001Z', NULL),
                ('c', 'C', '2026-01-02T03:04:05.9999990Z', '2026-01-02T03:04:05.9999999Z')
                """);
        await using var to = await EmptyAsync(postgres: true);

        var error = await Assert.ThrowsAsync<DatabaseCopyException>(() => CopyAsync(from, to));

        Assert.Contains("users.created_at (2 rows), users.last_sign_in_at (1 rows)", error.Message);
        Assert.Contains("--round-timestamps", error.Message);
        Assert.Equal(0, await RowsAsync(to.Database, "users"));

        await CopyAsync(from, to, round: true);

        await using var copied = await to.Database.OpenAsync();
        var times = await copied.QueryAsync<(string, DateTimeOffset, DateTimeOffset?)>("SELECT username, created_at, last_sign_in_at FROM users ORDER BY id");
        Assert.Equal([
            ("a", DateTimeOffset.Parse("2026-01-02T03:04:05.123456Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-01-02T03:04:05.123456Z", CultureInfo.InvariantCulture)),
            ("b", DateTimeOffset.Parse("2026-01-02T03:04:05Z", CultureInfo.InvariantCulture), null),
            ("c", DateTimeOffset.Parse("2026-01-02T03:04:05.999999Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-01-02T03:04:05.999999Z", CultureInfo.InvariantCulture)),
        ], times);
    }

    [Fact]
    public Task AFailureHalfwayLeavesAnSqliteTargetEmpty() => FailureHalfwayLeavesTheTargetEmpty(postgres: false);

    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public Task AFailureHalfwayLeavesAPostgresTargetEmpty() => FailureHalfwayLeavesTheTargetEmpty(postgres: true);

    static async Task FailureHalfwayLeavesTheTargetEmpty(bool postgres)
    {
        using var temp = new TempFolder();
        await using var from = await SqliteAsync();
        await RichInstallation.FillAsync(from, temp.Path);
        // A flag on an answer that does not exist: SQLite took it with its foreign keys off; neither target does.
        await using (var connection = await from.Database.OpenAsync())
        {
            await connection.ExecuteAsync("PRAGMA foreign_keys = OFF");
            await connection.ExecuteAsync("UPDATE flags SET response_id = 999999");
            await connection.ExecuteAsync("PRAGMA foreign_keys = ON");
        }
        await using var to = await EmptyAsync(postgres);

        var error = await Assert.ThrowsAsync<DatabaseCopyException>(() => CopyAsync(from, to));

        Assert.Contains("flags", error.Message);
        foreach (var table in CopiedInOrder) Assert.Equal(0, await RowsAsync(to.Database, table));
    }

    [Fact]
    [Trait("Provider", "PostgresOnly")]
    public async Task AValueOfTheWrongKindIsNamedWithItsTableColumnAndRow()
    {
        await using var from = await SqliteAsync();
        await using (var connection = await from.Database.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO users (username, display_name, created_at) VALUES ('a', 'A', '2026-01-02T03:04:05.0000000Z'), ('b', 'B', 'yesterday')");
        await using var to = await EmptyAsync(postgres: true);

        var error = await Assert.ThrowsAsync<DatabaseCopyException>(() => CopyAsync(from, to));

        Assert.Contains("Table users, column created_at, row 2", error.Message);
        Assert.Contains("\"yesterday\" is not a timestamp", error.Message);
        Assert.Equal(0, await RowsAsync(to.Database, "users"));
    }

    static async Task<long> RowsAsync(Database database, string table)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    static async Task<string> InstallationAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT id FROM installation") ?? "";
    }

    static async Task<List<(string, long)>> CountsAsync(Database database)
    {
        var counts = new List<(string, long)>();
        foreach (var table in CopiedInOrder) counts.Add((table, await RowsAsync(database, table)));
        return counts;
    }

    /// <summary>Every copied table's rows by key, each value as SQLite holds it (PostgreSQL's booleans as 0/1, its
    /// timestamps as SQLite's text).</summary>
    static async Task<string> DumpAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var tables = (await SchemaCatalogue.ReadAsync(connection, null, database.IsSqlite)).ToDictionary(t => t.Name);
        var dump = new StringBuilder();
        foreach (var name in CopiedInOrder.Where(tables.ContainsKey))
        {
            var table = tables[name];
            dump.AppendLine($"## {name}");
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(c => c.Name))} FROM {name} ORDER BY {string.Join(", ", table.PrimaryKey)}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    dump.Append(reader.GetValue(i) switch
                    {
                        DBNull => "NULL",
                        bool flag => flag ? "1" : "0",
                        DateTime time => Database.FormatTimestamp(new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))),
                        double number => number.ToString("R", CultureInfo.InvariantCulture),
                        var value => Convert.ToString(value, CultureInfo.InvariantCulture),
                    }).Append('|');
                dump.AppendLine();
            }
        }
        return dump.ToString();
    }

    /// <summary>Every export the study offers, as bytes; bundle.zip as its entries' names and bytes (a zip stamps
    /// each entry with the time it was written).</summary>
    static async Task<Dictionary<string, byte[]>> ExportsAsync(Database database, long studyId)
    {
        var clock = new ManualClock();
        var pairwise = await new PairwiseStore(database, clock).IsPairwiseAsync(studyId);
        var noteLabels = await new NoteSpanStore(database, clock).HasLabelsAsync(studyId);
        var noteOnly = await new StudyQuery(database).IsNoteOnlyAsync(studyId);
        var exports = new Dictionary<string, byte[]>();
        foreach (var kind in ExportKinds.Text.Where(k => ExportKinds.Offers(k.Name, pairwise, noteLabels, noteOnly)))
            foreach (var excel in new[] { false, true })
            {
                await using var text = new StringWriter(CultureInfo.InvariantCulture);
                await kind.Write(new TextExport(database, forExcel: excel), studyId, text, default);
                exports[kind.Name + (excel ? " (excel)" : "")] = Encoding.UTF8.GetBytes(text.ToString());
            }
        foreach (var kind in ExportKinds.Notes.Where(k => ExportKinds.Offers(k.Name, pairwise, noteLabels, noteOnly)))
        {
            using var bytes = new MemoryStream();
            try
            {
                await kind.Write(new NoteInterchangeExport(database, clock), studyId, bytes, default);
            }
            catch (InterchangeException e)
            {
                bytes.Write(Encoding.UTF8.GetBytes(e.Message));
            }
            exports[kind.Name] = bytes.ToArray();
        }
        using var zip = new MemoryStream();
        await new BundleExport(database).WriteAsync(studyId, zip);
        zip.Position = 0;
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            await using var content = await entry.OpenAsync();
            using var bytes = new MemoryStream();
            await content.CopyToAsync(bytes);
            exports[$"{ExportKinds.Bundle}/{entry.FullName}"] = bytes.ToArray();
        }
        return exports;
    }
}
