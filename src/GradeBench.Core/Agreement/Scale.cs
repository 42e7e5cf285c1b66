using System.Globalization;

namespace GradeBench.Core.Agreement;

/// <summary>The categories of a rating scale and their numbers.</summary>
public static class Scale
{
    /// <summary>The distinct observed values, in numeric order when all are numbers, else in ordinal string order.</summary>
    public static IReadOnlyList<string> Infer(IEnumerable<string> values)
    {
        var distinct = values.Distinct().ToList();
        if (distinct.All(v => TryNumber(v, out _)))
            return distinct.OrderBy(v => Number(v)).ThenBy(v => v, StringComparer.Ordinal).ToList();
        return distinct.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Each category's number when every category is a finite number, else null.</summary>
    public static double[]? NumericValues(IReadOnlyList<string> categories)
    {
        var values = new double[categories.Count];
        for (var i = 0; i < values.Length; i++)
            if (!TryNumber(categories[i], out values[i])) return null;
        return values;
    }

    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
