using System.Collections;
using System.Collections.ObjectModel;
using System.Data.Common;

namespace GradeBench.Storage.Export;

/// <summary>A reader that hands every call to <paramref name="inner"/>: the base of the decorators the CSV exports put
/// between a query and Sylvan's CSV writer (<see cref="CountingReader"/>, <see cref="FormulaDefusingReader"/>), which
/// override only what they change. <c>GetFieldValue&lt;T&gt;</c> is left to <see cref="DbDataReader"/>, which reads it
/// through <see cref="GetValue"/>, so a decorator's <c>GetValue</c> applies there too.</summary>
abstract class DelegatingReader(DbDataReader inner) : DbDataReader, IDbColumnSchemaGenerator
{
    protected DbDataReader Inner => inner;

    public override bool Read() => inner.Read();
    // Forwarded, not left to the base: its ReadAsync calls Read, which blocks on RatingRowsReader's reading thread.
    public override Task<bool> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);
    public override bool NextResult() => inner.NextResult();
    public override void Close() => inner.Close();
    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override int Depth => inner.Depth;
    public override int FieldCount => inner.FieldCount;
    public override bool HasRows => inner.HasRows;
    public override bool IsClosed => inner.IsClosed;
    public override int RecordsAffected => inner.RecordsAffected;
    public override object this[int ordinal] => inner[ordinal];
    public override object this[string name] => inner[name];
    public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);
    public override byte GetByte(int ordinal) => inner.GetByte(ordinal);
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);
    public override char GetChar(int ordinal) => inner.GetChar(ordinal);
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);
    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);
    public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);
    public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);
    public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);
    public override IEnumerator GetEnumerator() => new DbEnumerator(this);
    public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);
    public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);
    public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);
    public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);
    public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);
    public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);
    public override string GetName(int ordinal) => inner.GetName(ordinal);
    public override int GetOrdinal(string name) => inner.GetOrdinal(name);
    public override string GetString(int ordinal) => inner.GetString(ordinal);
    public override object GetValue(int ordinal) => inner.GetValue(ordinal);
    public override int GetValues(object[] values) => inner.GetValues(values);
    public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);
    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => inner.IsDBNullAsync(ordinal, cancellationToken);
    public override System.Data.DataTable? GetSchemaTable() => inner.GetSchemaTable();
    // Sylvan asks for the column schema first (which columns can be null); RatingRowsReader has no schema table.
    public ReadOnlyCollection<DbColumn> GetColumnSchema() => inner.GetColumnSchema();
}
