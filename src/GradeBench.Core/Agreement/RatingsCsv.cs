using System.Runtime.CompilerServices;
using Sylvan.Data.Csv;

namespace GradeBench.Core.Agreement;

/// <summary>A problem with a ratings file, naming its line (0 for the file as a whole).</summary>
public sealed class RatingsCsvException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}

/// <summary>Reads long-format ratings (<c>unit,rater,value</c>, one row per rating, RFC 4180, UTF-8) into a
/// <see cref="RatingMatrix"/>. Ids and values are looked up as spans, so a million rows cost no string per row
/// beyond each distinct unit, rater and value.</summary>
public static class RatingsCsv
{
    /// <param name="categories">The scale in order, including categories nobody used; null: the observed
    /// values, in numeric order when all are numbers.</param>
    // Optimised at first call: the command line reads a million rows once, and the row loop would otherwise run
    // as unoptimised tier-0 code until on-stack replacement catches up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RatingMatrix Read(TextReader text, MeasurementLevel level, IReadOnlyList<string>? categories = null)
    {
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false,
            Delimiter = ',',
            Comment = '\0',
            ResultSetMode = ResultSetMode.SingleResult,
            BufferSize = 1 << 16,
            MaxBufferSize = 1 << 24,
        };
        using var csv = CsvDataReader.Create(text, options);

        var units = new Dictionary<string, int>();
        var raters = new Dictionary<string, int>();
        var values = new Dictionary<string, int>();
        var unitLookup = units.GetAlternateLookup<ReadOnlySpan<char>>();
        var raterLookup = raters.GetAlternateLookup<ReadOnlySpan<char>>();
        var valueLookup = values.GetAlternateLookup<ReadOnlySpan<char>>();
        if (categories is not null)
            for (var i = 0; i < categories.Count; i++)
                if (!values.TryAdd(categories[i], i)) throw new RatingsCsvException(0, $"--categories names \"{categories[i]}\" twice");

        var table = new GrowingTable();
        int unitColumn = -1, raterColumn = -1, valueColumn = -1, columns = 0;
        // Long files usually hold a unit's ratings on consecutive rows: the previous row's unit is checked before
        // the dictionary (a span comparison instead of a hash lookup).
        var previousUnitId = new char[64];
        int previousUnitLength = 0, previousUnit = -1;
        foreach (var start in CsvRecords.Lines(csv))
        {
            if (columns == 0)
            {
                columns = csv.RowFieldCount;
                var named = CsvRecords.Columns(csv, "unit", "rater", "value");
                (unitColumn, raterColumn, valueColumn) = (named[0], named[1], named[2]);
                if (unitColumn < 0 || raterColumn < 0 || valueColumn < 0)
                    throw new RatingsCsvException(start, $"header must name the columns unit,rater,value; it is {string.Join(',', Enumerable.Range(0, columns).Select(csv.GetString))}");
                continue;
            }
            if (csv.RowFieldCount != columns)
                throw new RatingsCsvException(start, $"expected {columns} fields, found {csv.RowFieldCount}");
            var unitId = csv.GetFieldSpan(unitColumn);
            var raterId = csv.GetFieldSpan(raterColumn);
            var value = csv.GetFieldSpan(valueColumn);
            if (unitId.IsEmpty) throw new RatingsCsvException(start, "unit: empty");
            if (raterId.IsEmpty) throw new RatingsCsvException(start, "rater: empty");
            if (value.IsEmpty) throw new RatingsCsvException(start, "value: empty (leave the row out for a missing rating)");
            int unit;
            if (previousUnit >= 0 && unitId.SequenceEqual(previousUnitId.AsSpan(0, previousUnitLength)))
                unit = previousUnit;
            else
            {
                unit = IndexOf(unitLookup, unitId, units.Count);
                if (unitId.Length > previousUnitId.Length) previousUnitId = new char[unitId.Length * 2];
                unitId.CopyTo(previousUnitId);
                (previousUnitLength, previousUnit) = (unitId.Length, unit);
            }
            var rater = IndexOf(raterLookup, raterId, raters.Count);
            if (!valueLookup.TryGetValue(value, out var category))
            {
                if (categories is not null)
                    throw new RatingsCsvException(start, $"value: \"{value}\" is not one of --categories {string.Join(',', categories)}");
                category = values.Count;
                valueLookup[value] = category;
            }
            if (table.Set(unit, rater, category, start) is { } firstLine)
                throw new RatingsCsvException(start, $"rater \"{raterId}\" rated unit \"{unitId}\" twice (first on line {firstLine})");
        }
        if (table.Count == 0)
            throw new RatingsCsvException(columns == 0 ? 0 : 1, columns == 0 ? "the file is empty: expected a header unit,rater,value and one row per rating" : "no ratings after the header");

        var scale = categories ?? Scale.Infer(values.Keys);
        var numbers = Scale.NumericValues(scale);
        if (level is MeasurementLevel.Interval or MeasurementLevel.Ratio && numbers is null)
        {
            var (text0, row) = FirstNonNumber(values, scale, table);
            throw new RatingsCsvException(row, $"value: \"{text0}\" is not a number, but --level {level.ToString().ToLowerInvariant()} needs numbers");
        }
        if (level == MeasurementLevel.Ordinal && categories is null && numbers is null)
            throw new RatingsCsvException(0, "--level ordinal with values that are not numbers needs --categories to give their order");

        // Observed values were numbered as first seen; renumber them in scale order.
        var position = new int[values.Count];
        var scaleIndex = new Dictionary<string, int>(scale.Count);
        for (var i = 0; i < scale.Count; i++) scaleIndex[scale[i]] = i;
        foreach (var (label, seen) in values) position[seen] = scaleIndex[label];
        var cells = table.ToCells(units.Count, raters.Count, position);
        return RatingMatrix.FromCells(units.Count, raters.Count, scale, cells, numbers, Keys(units), Keys(raters));
    }

    /// <summary>Units × raters cells filled as rows arrive, growing in both directions, with the line of each
    /// rating for error messages: memory grows with units × raters, not with a list of rows.</summary>
    sealed class GrowingTable
    {
        int[] _values = new int[1024 * 8];
        int[] _lines = new int[1024 * 8];
        int _units = 1024, _raters = 8;

        public int Count { get; private set; }

        /// <summary>Stores a rating; returns the line of the earlier rating when the cell was taken.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int? Set(int unit, int rater, int value, int line)
        {
            if (unit >= _units || rater >= _raters) Grow(Math.Max(_units, unit + 1), Math.Max(_raters, rater + 1));
            var cell = unit * _raters + rater;
            if (_lines[cell] != 0) return _lines[cell];
            _values[cell] = value;
            _lines[cell] = line;
            Count++;
            return null;
        }

        void Grow(int units, int raters)
        {
            var newUnits = units > _units ? Math.Max(units, _units * 2) : _units;
            var newRaters = raters > _raters ? Math.Max(raters, _raters * 2) : _raters;
            var values = new int[newUnits * newRaters];
            var lines = new int[newUnits * newRaters];
            for (var u = 0; u < _units; u++)
            {
                Array.Copy(_values, u * _raters, values, u * newRaters, _raters);
                Array.Copy(_lines, u * _raters, lines, u * newRaters, _raters);
            }
            (_values, _lines, _units, _raters) = (values, lines, newUnits, newRaters);
        }

        public int[] ToCells(int units, int raters, int[] position)
        {
            var cells = new int[units * raters];
            for (var u = 0; u < units; u++)
                for (var r = 0; r < raters; r++)
                {
                    var cell = u * _raters + r;
                    cells[u * raters + r] = _lines[cell] == 0 ? RatingMatrix.Missing : position[_values[cell]];
                }
            return cells;
        }

        /// <summary>The first line (in file order) holding any of the given first-seen values.</summary>
        public int FirstLineOf(IReadOnlySet<int> wanted)
        {
            var first = int.MaxValue;
            for (var i = 0; i < _lines.Length; i++)
                if (_lines[i] != 0 && _lines[i] < first && wanted.Contains(_values[i])) first = _lines[i];
            return first == int.MaxValue ? 0 : first;
        }
    }

    /// <summary>The value of <c>--categories</c>: one CSV record, so a label holding a comma is quoted.</summary>
    public static IReadOnlyList<string> ParseCategories(string record)
    {
        using var csv = CsvDataReader.Create(new StringReader(record), new CsvDataReaderOptions { HasHeaders = false, Delimiter = ',', Comment = '\0' });
        try
        {
            if (!csv.Read()) throw new RatingsCsvException(0, "--categories is empty");
            var labels = new string[csv.RowFieldCount];
            for (var i = 0; i < labels.Length; i++) labels[i] = csv.GetString(i);
            if (csv.Read()) throw new RatingsCsvException(0, "--categories must be one line");
            if (labels.Any(l => l.Length == 0)) throw new RatingsCsvException(0, "--categories has an empty label");
            return labels;
        }
        catch (CsvFormatException e)
        {
            throw new RatingsCsvException(0, $"--categories is not one CSV record: {e.Message}");
        }
    }

    static int IndexOf(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> key, int next)
    {
        if (lookup.TryGetValue(key, out var index)) return index;
        lookup[key] = next;
        return next;
    }

    static string[] Keys(Dictionary<string, int> ids)
    {
        var keys = new string[ids.Count];
        foreach (var (key, index) in ids) keys[index] = key;
        return keys;
    }

    static (string Value, int Line) FirstNonNumber(Dictionary<string, int> values, IReadOnlyList<string> scale, GrowingTable table)
    {
        var bad = values.Where(kv => !Scale.TryNumber(kv.Key, out _)).ToDictionary(kv => kv.Value, kv => kv.Key);
        if (bad.Count == 0) return (scale.First(c => !Scale.TryNumber(c, out _)), 0);
        var line = table.FirstLineOf(bad.Keys.ToHashSet());
        var seen = values.Where(kv => bad.ContainsKey(kv.Value)).Select(kv => kv.Value);
        return (bad[seen.Min()], line);
    }
}
