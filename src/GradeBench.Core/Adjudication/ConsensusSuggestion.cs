using System.Globalization;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Adjudication;

public enum SuggestionKind { Majority, Median }

/// <summary>A value offered to the adjudicator, who confirms or changes it; never recorded without them.</summary>
public sealed record Suggestion(string Value, SuggestionKind Kind);

/// <summary>The consensus value suggested from the raters' values of one criterion (docs/adjudication.md, "Suggested
/// consensus values"). Nominal and binary: the mode (Stevens 1946: the mode is the central value of a nominal scale);
/// a tie for the most frequent value suggests nothing. Ordinal and likert: the median; with an even number of values
/// whose two middle values differ, the median is not a point of the scale and nothing is suggested (rather than the
/// lower or the upper middle, which would pick a side between two raters). Numeric: the median, the mean of the two
/// middle values for an even count. Text: nothing. Empty values and values off the scale are left out (the rubric has
/// no "not applicable" value); no value left suggests nothing.</summary>
public static class ConsensusSuggestion
{
    public static Suggestion? Suggest(Criterion criterion, IEnumerable<string?> values)
    {
        var given = values.OfType<string>().Where(v => v.Length > 0 && criterion.CheckValue(v) is null).Select(criterion.Canonical).ToList();
        if (given.Count == 0) return null;
        return criterion.Type switch
        {
            CriterionType.Nominal or CriterionType.Binary => Mode(given),
            CriterionType.Ordinal => Median(given, v => IndexOf(criterion, v)),
            CriterionType.Likert => Median(given, v => long.Parse(v, CultureInfo.InvariantCulture)),
            CriterionType.Numeric => NumericMedian(criterion, given),
            _ => null,
        };
    }

    /// <summary>Whether the raters' values of <paramref name="criterion"/> differ (two distinct values that are not empty):
    /// what the ratings table marks "Disagree" and what Mark resolved warns about. Wider than the triage rule, which may
    /// need a range of 2 before an item is queued.</summary>
    public static bool Differ(Criterion criterion, IEnumerable<string?> values) =>
        criterion.Type != CriterionType.Text &&
        values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Skip(1).Any();

    static Suggestion? Mode(List<string> given)
    {
        var counts = given.GroupBy(v => v, StringComparer.Ordinal).Select(g => (g.Key, Count: g.Count())).OrderByDescending(g => g.Count).ToList();
        return counts.Count > 1 && counts[0].Count == counts[1].Count ? null : new Suggestion(counts[0].Key, SuggestionKind.Majority);
    }

    static Suggestion? Median(List<string> given, Func<string, long> position)
    {
        var sorted = given.OrderBy(position).ToList();
        var lower = sorted[(sorted.Count - 1) / 2];
        var upper = sorted[sorted.Count / 2];
        return position(lower) == position(upper) ? new Suggestion(lower, SuggestionKind.Median) : null;
    }

    static Suggestion NumericMedian(Criterion criterion, List<string> given)
    {
        var sorted = given.OrderBy(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var (lower, upper) = (sorted[(sorted.Count - 1) / 2], sorted[sorted.Count / 2]);
        return new Suggestion(lower == upper ? lower : Midpoint(criterion, lower, upper), SuggestionKind.Median);
    }

    // Exactly, where the values have an exact fraction: (0.1 + 0.2)/2 is 0.15, not the 0.15000000000000002 of doubles.
    // The midpoint of two decimals is a decimal, so the division below is exact.
    static string Midpoint(Criterion criterion, string lower, string upper)
    {
        if (Fraction.TryParse(lower, out var a) && Fraction.TryParse(upper, out var b))
        {
            try
            {
                var mid = (a + b) / 2;
                return criterion.Canonical(((decimal)mid.Numerator / mid.Denominator).ToString(CultureInfo.InvariantCulture));
            }
            catch (OverflowException) { }
        }
        var rounded = (double.Parse(lower, CultureInfo.InvariantCulture) + double.Parse(upper, CultureInfo.InvariantCulture)) / 2;
        return rounded.ToString("R", CultureInfo.InvariantCulture);
    }

    static long IndexOf(Criterion criterion, string value) => criterion.Options.Select(o => o.Value).ToList().IndexOf(value);
}
