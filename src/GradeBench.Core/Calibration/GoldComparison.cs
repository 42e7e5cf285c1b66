using System.Globalization;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Calibration;

/// <summary>How one rater's value compares with the expert reference of a gold item on one criterion.
/// <see cref="Distance"/> is |value − reference| on likert and numeric scales and null on categorical ones
/// (ordinal, nominal, binary), where only <see cref="Match"/> is meaningful.</summary>
public sealed record GoldDistance(string Criterion, string Value, string Reference, bool Match, double? Distance);

/// <summary>A rater's calibration over every gold comparison they have: the share of exact agreement with the
/// reference (exact / compared, over all criteria) and the mean absolute distance on likert criteria
/// (Σ|value − reference| / likert comparisons).</summary>
public sealed record GoldResult(long RaterId, string RaterName, int Items, int Compared, int Exact, int LikertCompared, double? MeanLikertDistance)
{
    public double? ExactShare => Compared == 0 ? null : (double)Exact / Compared;
}

public static class GoldComparison
{
    /// <summary>Whether a criterion can carry a gold reference: every type with a scale, not free text.</summary>
    public static bool HasScale(Criterion criterion) => criterion.Type != CriterionType.Text;

    /// <summary>Compares canonical values (see <see cref="Criterion.Canonical"/>) of one criterion.</summary>
    public static GoldDistance Compare(Criterion criterion, string value, string reference)
    {
        double? distance = criterion.Type is CriterionType.Likert or CriterionType.Numeric
            ? Distance(value, reference)
            : null;
        return new GoldDistance(criterion.Id, value, reference, value == reference, distance);
    }

    /// <summary>Sums a rater's comparisons (<paramref name="comparisons"/> from <see cref="Compare"/>, with the type
    /// of each criterion) into a <see cref="GoldResult"/>.</summary>
    public static GoldResult Summarize(long raterId, string raterName, int items, IEnumerable<(CriterionType Type, GoldDistance Distance)> comparisons)
    {
        int compared = 0, exact = 0, likert = 0;
        var likertSum = 0.0;
        foreach (var (type, distance) in comparisons)
        {
            compared++;
            if (distance.Match) exact++;
            if (type == CriterionType.Likert)
            {
                likert++;
                likertSum += distance.Distance ?? 0;
            }
        }
        return new GoldResult(raterId, raterName, items, compared, exact, likert, likert == 0 ? null : likertSum / likert);
    }

    // Exact where both have a Fraction: |0.3 − 0.1| is 0.2, where subtracting doubles gives 0.19999999999999998.
    static double Distance(string value, string reference)
    {
        if (Fraction.TryParse(value, out var a) && Fraction.TryParse(reference, out var b))
        {
            try { return (a - b).Abs().ToDouble(); }
            catch (OverflowException) { }
        }
        return Math.Abs(Number(value) - Number(reference));
    }

    static double Number(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
}
