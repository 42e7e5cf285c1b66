namespace GradeBench.Core.Agreement;

/// <summary>How far a rater's values sit from the other raters' on the same units: the mean over the units
/// they share of (own value − mean of the others' values). Positive: this rater rates higher.</summary>
public sealed record RaterBias(string Rater, Estimate MeanDifference, int Units);

/// <summary>The agreement picture of one rubric criterion: the coefficients of its level, the exact agreement
/// of every pair of raters, and each rater's bias.</summary>
public sealed record CriterionAgreementReport(
    AgreementReport Coefficients,
    IReadOnlyList<string> Raters,
    Estimate[,] PairwiseAgreement,
    IReadOnlyList<RaterBias> Bias);

public static class CriterionAgreement
{
    public static CriterionAgreementReport Run(RatingMatrix ratings, MeasurementLevel level,
        int bootstrapResamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed) =>
        new(AgreementAnalysis.Run(ratings, level, bootstrapResamples, seed), ratings.RaterIds, PairwiseAgreement(ratings), Bias(ratings, level));

    /// <summary><see cref="Run"/> of each criterion's ratings, the same reports; bootstraps share their draws
    /// (<see cref="AgreementAnalysis.RunAll"/>).</summary>
    public static IReadOnlyList<CriterionAgreementReport> RunAll(IReadOnlyList<(RatingMatrix Ratings, MeasurementLevel Level)> criteria,
        int bootstrapResamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var coefficients = AgreementAnalysis.RunAll(criteria, bootstrapResamples, seed);
        var reports = new CriterionAgreementReport[criteria.Count];
        Parallel.For(0, criteria.Count, i =>
        {
            var (ratings, level) = criteria[i];
            reports[i] = new(coefficients[i], ratings.RaterIds, PairwiseAgreement(ratings), Bias(ratings, level));
        });
        return reports;
    }

    /// <summary>The K × K table of two raters' categories on the units both rated (rows: <paramref name="raterA"/>).</summary>
    public static int[,] Confusion(RatingMatrix ratings, int raterA, int raterB) => CohenKappa.Confusion(ratings, raterA, raterB);

    /// <summary>[a, b] = share of the units rated by both a and b on which they chose the same category;
    /// absent when they share no unit. The diagonal is 1 for a rater with any rating.</summary>
    public static Estimate[,] PairwiseAgreement(RatingMatrix ratings)
    {
        var raters = ratings.RaterCount;
        var result = new Estimate[raters, raters];
        for (var a = 0; a < raters; a++)
            for (var b = a; b < raters; b++)
            {
                int shared = 0, same = 0;
                for (var u = 0; u < ratings.UnitCount; u++)
                {
                    var row = ratings.UnitRow(u);
                    if (row[a] == RatingMatrix.Missing || row[b] == RatingMatrix.Missing) continue;
                    shared++;
                    if (row[a] == row[b]) same++;
                }
                result[a, b] = result[b, a] = shared == 0
                    ? Estimate.Absent(AbsentReason.PairNoSharedUnit)
                    : Estimate.Of((double)same / shared);
            }
        return result;
    }

    /// <summary>Each rater's mean difference from the others on shared units, on category numbers when the
    /// scale is numeric, else on category positions for ordinal data; absent for nominal data.</summary>
    public static IReadOnlyList<RaterBias> Bias(RatingMatrix ratings, MeasurementLevel level)
    {
        var scores = ratings.CategoryValues ?? (level >= MeasurementLevel.Ordinal
            ? Enumerable.Range(0, ratings.CategoryCount).Select(i => (double)i).ToArray()
            : null);
        var result = new List<RaterBias>(ratings.RaterCount);
        for (var r = 0; r < ratings.RaterCount; r++)
        {
            if (scores is null || level == MeasurementLevel.Nominal)
            {
                result.Add(new RaterBias(ratings.RaterIds[r], Estimate.Absent(AbsentReason.NominalNoBias), 0));
                continue;
            }
            double sum = 0;
            var units = 0;
            for (var u = 0; u < ratings.UnitCount; u++)
            {
                var row = ratings.UnitRow(u);
                if (row[r] == RatingMatrix.Missing) continue;
                double others = 0;
                var count = 0;
                for (var o = 0; o < row.Length; o++)
                    if (o != r && row[o] != RatingMatrix.Missing) { others += scores[row[o]]; count++; }
                if (count == 0) continue;
                sum += scores[row[r]] - others / count;
                units++;
            }
            result.Add(new RaterBias(ratings.RaterIds[r],
                units == 0 ? Estimate.Absent(AbsentReason.RaterNoSharedUnit) : Estimate.Of(sum / units), units));
        }
        return result;
    }
}
