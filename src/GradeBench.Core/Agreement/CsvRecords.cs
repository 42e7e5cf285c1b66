using Sylvan.Data.Csv;

namespace GradeBench.Core.Agreement;

/// <summary>The record loop the command line's CSV inputs share: each record with the line it starts on (a quoted field
/// may span lines), blank lines skipped, a malformed record a <see cref="RatingsCsvException"/> naming its line.</summary>
static class CsvRecords
{
    /// <summary>Advances <paramref name="csv"/> record by record, yielding each one's first line.</summary>
    public static IEnumerable<int> Lines(CsvDataReader csv)
    {
        var line = 1;
        while (true)
        {
            var start = line;
            bool more;
            try
            {
                more = csv.Read();
            }
            catch (CsvFormatException e)
            {
                throw new RatingsCsvException(start, $"malformed CSV in the record starting on this line: {e.Message}");
            }
            if (!more) yield break;
            line += csv.GetRawRecordSpan().Count('\n');
            if (csv.RowFieldCount == 1 && csv.GetFieldSpan(0).IsWhiteSpace()) continue;
            yield return start;
        }
    }

    /// <summary>The header record's column of each name (-1 where it has none); a byte-order mark and spaces are ignored.</summary>
    public static int[] Columns(CsvDataReader csv, params string[] names)
    {
        var columns = Enumerable.Repeat(-1, names.Length).ToArray();
        for (var i = 0; i < csv.RowFieldCount; i++)
            if (Array.IndexOf(names, csv.GetString(i).Trim().TrimStart('\uFEFF')) is var n and >= 0) columns[n] = i;
        return columns;
    }
}
