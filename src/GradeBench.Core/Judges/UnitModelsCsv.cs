using GradeBench.Core.Agreement;
using Sylvan.Data.Csv;

namespace GradeBench.Core.Judges;

/// <summary>Reads which model wrote each unit: CSV with the header <c>unit,model</c> (other columns ignored), one row per
/// unit, for the prediction-powered estimates of <c>gradebench judge-agreement --models</c>.</summary>
public static class UnitModelsCsv
{
    /// <exception cref="RatingsCsvException">A malformed file, naming its line.</exception>
    public static IReadOnlyDictionary<string, string> Read(TextReader text)
    {
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = false, Delimiter = ',', Comment = '\0' });
        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        int unitColumn = -1, modelColumn = -1, columns = 0;
        foreach (var start in CsvRecords.Lines(csv))
        {
            if (columns == 0)
            {
                columns = csv.RowFieldCount;
                var named = CsvRecords.Columns(csv, "unit", "model");
                (unitColumn, modelColumn) = (named[0], named[1]);
                if (unitColumn < 0 || modelColumn < 0)
                    throw new RatingsCsvException(start, "header must name the columns unit,model");
                continue;
            }
            if (csv.RowFieldCount != columns) throw new RatingsCsvException(start, $"expected {columns} fields, found {csv.RowFieldCount}");
            var unit = csv.GetString(unitColumn);
            var model = csv.GetString(modelColumn);
            if (unit.Length == 0) throw new RatingsCsvException(start, "unit: empty");
            if (model.Length == 0) throw new RatingsCsvException(start, "model: empty");
            if (!models.TryAdd(unit, model))
                throw new RatingsCsvException(start, $"unit \"{unit}\" is listed twice (first on line {firstLine[unit]})");
            firstLine[unit] = start;
        }
        if (columns == 0) throw new RatingsCsvException(0, "the file is empty: expected a header unit,model and one row per unit");
        return models;
    }
}
