using Sylvan.Data.Csv;

namespace GradeBench.Cli.Tests.Export;

/// <summary>An exported CSV file read back through the same CSV library, as text cells.</summary>
static class ExportedCsv
{
    /// <summary>The data rows; with <paramref name="header"/> the column names come first.</summary>
    public static List<string[]> Read(string path, bool header = false)
    {
        using var reader = CsvDataReader.Create(path);
        var rows = header ? [Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray()] : new List<string[]>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        return rows;
    }
}
