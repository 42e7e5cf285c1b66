using System.Collections;
using System.Collections.ObjectModel;
using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using GradeBench.Storage.Judges;

namespace GradeBench.Storage.Export;

/// <summary>ratings.csv's rows for the CSV writer, read ahead from the database on another thread, so reading and writing overlap
/// (the export takes about the longer of the two, not their sum: docs/benchmarks.md). Rows travel in a fixed number of
/// reused batches, so memory stays constant whatever the size. Of the ten columns only the rating's own four are read as
/// strings per row: the study is one, raters and criteria come from small tables loaded first, and the response's slug,
/// model and case are read once per response (the rows come response by response). Reading every field as a string took
/// most of the export's time.</summary>
sealed class RatingRowsReader : DbDataReader, IDbColumnSchemaGenerator
{
    static readonly string[] Names = ["study", "case_id", "response_id", "model", "rater", "criterion", "value", "comment", "first_submitted", "last_changed"];
    const int Columns = 10;
    const int BatchRows = 512; // 5,120 references: well under the large-object heap's 85,000 bytes
    const int Batches = 8;

    readonly Channel<(string?[] Values, int Rows)> _full = Channel.CreateUnbounded<(string?[], int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    readonly Channel<string?[]> _empty = Channel.CreateUnbounded<string?[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    readonly CancellationTokenSource _stop = new(); // never disposed: it has no timer or registrations to release
    readonly IProgress<long>? _progress;
    readonly Task _producer;
    string?[] _batch = [];
    int _batchRows, _row = -1, _offset;
    long _rowsRead;

    public RatingRowsReader(Database database, long studyId, IProgress<long>? progress)
    {
        _progress = progress;
        for (var i = 0; i < Batches; i++) _empty.Writer.TryWrite(new string?[BatchRows * Columns]);
        _producer = Task.Run(() => ProduceAsync(database, studyId, _stop.Token));
    }

    async Task ProduceAsync(Database database, long studyId, CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            // One snapshot for the lookups and the rows: a criterion added meanwhile by the web app is in both or neither.
            await using var transaction = await connection.BeginSnapshotAsync(ct);
            var study = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT slug FROM studies WHERE id = @StudyId", new { StudyId = studyId }, transaction, cancellationToken: ct));
            var criteria = (await connection.QueryAsync<(long Id, string Slug)>(new CommandDefinition(
                "SELECT id, slug FROM criteria WHERE study_id = @StudyId", new { StudyId = studyId }, transaction, cancellationToken: ct))).ToDictionary(c => c.Id, c => c.Slug);
            // Every user, not only this study's raters: people, a small table, and a rating's rater is always among them.
            var raters = (await connection.QueryAsync<(long Id, string Username)>(new CommandDefinition(
                "SELECT id, username FROM users", transaction: transaction, cancellationToken: ct))).ToDictionary(u => u.Id, u => u.Username);
            // Stepped through RawRows: on SQLite, Microsoft.Data.Sqlite's per-field calls were most of the reading thread's
            // time, and the texts that repeat (values, timestamps) are decoded once (docs/benchmarks.md).
            // The order of TextExport.WriteRatingsAsync's documentation, which the indexes give without sorting.
            await using var statement = await RawRows.OpenAsync(connection, transaction, $"""
                SELECT r.id, c.slug, r.slug, r.model, g.rater_id, g.criterion_id, g.value, g.comment, g.submitted_at, g.updated_at
                FROM responses r
                JOIN cases c ON c.id = r.case_id
                JOIN ratings g ON g.response_id = r.id
                WHERE r.study_id = ?1 AND g.status = 'submitted' AND g.rater_id NOT IN {JudgeRaters.OfStudyRaw}
                ORDER BY r.slug, g.rater_id, g.criterion_id
                """, studyId, ct);
            var texts = new Utf8Texts();
            long response = -1;
            string caseSlug = "", responseSlug = "", model = "";
            var batch = await _empty.Reader.ReadAsync(ct);
            var rows = 0;
            while (await statement.ReadAsync(ct))
            {
                var id = statement.GetInt64(0);
                if (id != response)
                {
                    response = id;
                    caseSlug = texts.Get(statement.GetUtf8(1));
                    responseSlug = statement.GetString(2);
                    model = texts.Get(statement.GetUtf8(3));
                }
                var at = rows * Columns;
                batch[at] = study;
                batch[at + 1] = caseSlug;
                batch[at + 2] = responseSlug;
                batch[at + 3] = model;
                batch[at + 4] = raters[statement.GetInt64(4)];
                batch[at + 5] = criteria[statement.GetInt64(5)];
                for (var i = 6; i < Columns; i++) batch[at + i] = statement.IsNull(i) ? null : texts.Get(statement.GetUtf8(i));
                if (++rows < BatchRows) continue;
                _full.Writer.TryWrite((batch, rows));
                batch = await _empty.Reader.ReadAsync(ct);
                rows = 0;
            }
            if (rows > 0) _full.Writer.TryWrite((batch, rows));
        }
        finally
        {
            // Failures surface from this task when the writer's side finds no more batches.
            _full.Writer.TryComplete();
        }
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (++_row >= _batchRows && !await NextBatchAsync(cancellationToken)) return false;
        _offset = _row * Columns;
        _progress?.Report(++_rowsRead);
        return true;
    }

    public override bool Read() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();

    async Task<bool> NextBatchAsync(CancellationToken ct)
    {
        if (_batchRows > 0) _empty.Writer.TryWrite(_batch);
        (string?[] Values, int Rows) next;
        while (!_full.Reader.TryRead(out next))
        {
            if (await _full.Reader.WaitToReadAsync(ct)) continue;
            await _producer;
            _batchRows = 0;
            return false;
        }
        (_batch, _batchRows) = next;
        _row = 0;
        return true;
    }

    public override async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) StopAsync().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    async Task StopAsync()
    {
        if (_stop.IsCancellationRequested) return;
        // Stopped early (the output failed, or the export was cancelled): the reading thread may wait for an empty batch.
        await _stop.CancelAsync();
        try { await _producer; }
        catch (OperationCanceledException) { }
    }

    // What the CSV writer asks first: every column is text, and only the last four can be empty.
    public ReadOnlyCollection<DbColumn> GetColumnSchema() => Array.AsReadOnly<DbColumn>([.. Names.Select((name, i) => new Column(name, i))]);

    sealed class Column : DbColumn
    {
        public Column(string name, int ordinal)
        {
            ColumnName = name;
            ColumnOrdinal = ordinal;
            DataType = typeof(string);
            DataTypeName = "TEXT";
            AllowDBNull = ordinal >= 6;
        }
    }

    public override int FieldCount => Columns;
    public override string GetName(int ordinal) => Names[ordinal];
    public override int GetOrdinal(string name) => Array.IndexOf(Names, name);
    public override Type GetFieldType(int ordinal) => typeof(string);
    public override string GetDataTypeName(int ordinal) => "TEXT";
    public override bool IsDBNull(int ordinal) => _batch[_offset + ordinal] is null;
    public override string GetString(int ordinal) => _batch[_offset + ordinal] ?? throw new InvalidCastException($"{Names[ordinal]} is null");
    public override object GetValue(int ordinal) => (object?)_batch[_offset + ordinal] ?? DBNull.Value;
    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, Columns);
        for (var i = 0; i < count; i++) values[i] = GetValue(i);
        return count;
    }
    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));
    public override int Depth => 0;
    public override bool HasRows => true;
    public override bool IsClosed => false;
    public override int RecordsAffected => -1;
    public override bool NextResult() => false;
    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    // Every column is text.
    public override bool GetBoolean(int ordinal) => throw new InvalidCastException();
    public override byte GetByte(int ordinal) => throw new InvalidCastException();
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new InvalidCastException();
    public override char GetChar(int ordinal) => throw new InvalidCastException();
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new InvalidCastException();
    public override DateTime GetDateTime(int ordinal) => throw new InvalidCastException();
    public override decimal GetDecimal(int ordinal) => throw new InvalidCastException();
    public override double GetDouble(int ordinal) => throw new InvalidCastException();
    public override float GetFloat(int ordinal) => throw new InvalidCastException();
    public override Guid GetGuid(int ordinal) => throw new InvalidCastException();
    public override short GetInt16(int ordinal) => throw new InvalidCastException();
    public override int GetInt32(int ordinal) => throw new InvalidCastException();
    public override long GetInt64(int ordinal) => throw new InvalidCastException();
}
