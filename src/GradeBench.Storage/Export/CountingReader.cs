using System.Data.Common;

namespace GradeBench.Storage.Export;

/// <summary>A reader that reports how many rows have been read so far, so that a CSV library reading it whole can still
/// show progress. Everything else is the inner reader's.</summary>
sealed class CountingReader(DbDataReader inner, IProgress<long> progress) : DelegatingReader(inner)
{
    long _rows;

    public override bool Read()
    {
        if (!Inner.Read()) return false;
        progress.Report(++_rows);
        return true;
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await Inner.ReadAsync(cancellationToken)) return false;
        progress.Report(++_rows);
        return true;
    }
}
