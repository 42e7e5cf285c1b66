using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GradeBench.Core.Agreement;

namespace GradeBench.Core.Tests.Agreement;

/// <summary>Properties of Krippendorff's alpha and percent agreement on random rating matrices with missing ratings.</summary>
public sealed class AlphaAndPercentAgreementProperties
{
    // Unequally spaced numbers with a zero, so that interval and ratio differ from ordinal and from each other.
    static readonly double[] Values = [0, 1, 3, 4, 10];

    /// <summary>Units × raters category indices (−1 = missing) on a scale of the first K of <see cref="Values"/>.</summary>
    public sealed record Ratings(int Units, int Raters, int K, int[] Cells)
    {
        public RatingMatrix Matrix() => Matrix(Cells);

        public RatingMatrix Matrix(int[] cells)
        {
            var values = Values[..K];
            var labels = values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return RatingMatrix.FromCells(Units, Raters, labels, cells, values);
        }

        public override string ToString() =>
            $"{Units} units × {Raters} raters, K = {K}: [{string.Join(" | ", Enumerable.Range(0, Units).Select(u => string.Join(",", Cells.Skip(u * Raters).Take(Raters))))}]";
    }

    static Gen<Ratings> RatingsGen() =>
        from units in Gen.Choose(1, 25)
        from raters in Gen.Choose(1, 6)
        from k in Gen.Choose(2, Values.Length)
        from cells in Gen.Choose(-1, k - 1).ArrayOf(units * raters)
        select new Ratings(units, raters, k, cells);

    static Gen<int[]> Permutation(int n) => Gen.Shuffle(Enumerable.Range(0, n).ToArray());

    static IEnumerable<Func<RatingMatrix, Estimate>> Coefficients(bool nominalOnly = false)
    {
        yield return m => KrippendorffAlpha.Compute(m, MeasurementLevel.Nominal);
        yield return m => PercentAgreement.Compute(m);
        if (nominalOnly) yield break;
        yield return m => KrippendorffAlpha.Compute(m, MeasurementLevel.Ordinal);
        yield return m => KrippendorffAlpha.Compute(m, MeasurementLevel.Interval);
        yield return m => KrippendorffAlpha.Compute(m, MeasurementLevel.Ratio);
        yield return m => PercentAgreement.WithinOne(m);
    }

    static bool Same(Estimate a, Estimate b) =>
        a.Value is { } x && b.Value is { } y ? Math.Abs(x - y) <= 1e-12 * Math.Max(1, Math.Abs(x)) : a.Reason == b.Reason;

    [Property(MaxTest = 300)]
    public Property EveryCoefficientIsInvariantUnderReorderingUnitsAndRaters() =>
        Prop.ForAll((
            from ratings in RatingsGen()
            from units in Permutation(ratings.Units)
            from raters in Permutation(ratings.Raters)
            select (ratings, units, raters)).ToArbitrary(), t =>
        {
            var (ratings, units, raters) = t;
            var cells = new int[ratings.Cells.Length];
            for (var u = 0; u < ratings.Units; u++)
                for (var r = 0; r < ratings.Raters; r++)
                    cells[u * ratings.Raters + r] = ratings.Cells[units[u] * ratings.Raters + raters[r]];
            var original = ratings.Matrix();
            var reordered = ratings.Matrix(cells);
            return Coefficients().All(f => Same(f(original), f(reordered)));
        });

    [Property(MaxTest = 300)]
    public Property NominalCoefficientsAreInvariantUnderRelabellingCategories() =>
        Prop.ForAll((
            from ratings in RatingsGen()
            from relabel in Permutation(ratings.K)
            select (ratings, relabel)).ToArbitrary(), t =>
        {
            var (ratings, relabel) = t;
            var cells = ratings.Cells.Select(c => c == RatingMatrix.Missing ? c : relabel[c]).ToArray();
            return Coefficients(nominalOnly: true).All(f => Same(f(ratings.Matrix()), f(ratings.Matrix(cells))));
        });

    [Property(MaxTest = 300)]
    public Property PerfectAgreementWithVariationGivesOne() =>
        Prop.ForAll((
            from units in Gen.Choose(2, 20)
            from raters in Gen.Choose(2, 6)
            from k in Gen.Choose(2, Values.Length)
            from unitCategories in Gen.Choose(0, k - 1).ArrayOf(units)
            from present in Gen.Elements(true, false).ArrayOf(units * raters)
            select (units, raters, k, unitCategories, present)).ToArbitrary(), t =>
        {
            var (units, raters, k, unitCategories, present) = t;
            // Every rater of a unit gives it the unit's category; units 0 and 1 are fully rated with different
            // categories, so that there is variation.
            unitCategories[0] = 0;
            unitCategories[1] = 1;
            var cells = new int[units * raters];
            for (var u = 0; u < units; u++)
                for (var r = 0; r < raters; r++)
                    cells[u * raters + r] = u < 2 || present[u * raters + r] ? unitCategories[u] : RatingMatrix.Missing;
            var matrix = new Ratings(units, raters, k, cells).Matrix();
            return Coefficients().All(f => f(matrix).Value == 1.0);
        });

    [Property(MaxTest = 300)]
    public Property UnitWeightsEqualTheResampledMatrix() =>
        Prop.ForAll((
            from ratings in RatingsGen()
            from size in Gen.Choose(1, 2 * ratings.Units)
            from indices in Gen.Choose(0, ratings.Units - 1).ArrayOf(size)
            select (ratings, indices)).ToArbitrary(), t =>
        {
            var (ratings, indices) = t;
            var matrix = ratings.Matrix();
            var weights = new int[ratings.Units];
            foreach (var i in indices) weights[i]++;
            var resampled = matrix.Resample(indices);
            return Same(KrippendorffAlpha.Compute(matrix, MeasurementLevel.Nominal, weights), KrippendorffAlpha.Compute(resampled, MeasurementLevel.Nominal))
                && Same(KrippendorffAlpha.Compute(matrix, MeasurementLevel.Ordinal, weights), KrippendorffAlpha.Compute(resampled, MeasurementLevel.Ordinal))
                && Same(KrippendorffAlpha.Compute(matrix, MeasurementLevel.Interval, weights), KrippendorffAlpha.Compute(resampled, MeasurementLevel.Interval))
                && Same(KrippendorffAlpha.Compute(matrix, MeasurementLevel.Ratio, weights), KrippendorffAlpha.Compute(resampled, MeasurementLevel.Ratio))
                && Same(PercentAgreement.Compute(matrix, weights), PercentAgreement.Compute(resampled))
                && Same(PercentAgreement.WithinOne(matrix, weights), PercentAgreement.WithinOne(resampled));
        });

    [Property(MaxTest = 300)]
    public Property EveryValueIsFiniteOrAbsentWithAReason() =>
        Prop.ForAll(RatingsGen().ToArbitrary(), ratings =>
        {
            var matrix = ratings.Matrix();
            return Coefficients().All(f => f(matrix) is { Value: { } v } ? double.IsFinite(v) : !string.IsNullOrWhiteSpace(f(matrix).Reason?.ToString()));
        });

    [Property(MaxTest = 300)]
    public Property PercentAgreementsAreSharesAndWithinOneIsAtLeastExactAgreement() =>
        Prop.ForAll(RatingsGen().ToArbitrary(), ratings =>
        {
            var matrix = ratings.Matrix();
            if (PercentAgreement.Compute(matrix).Value is not { } exact) return true;
            var withinOne = PercentAgreement.WithinOne(matrix).Value!.Value;
            return exact is >= 0 and <= 1 && withinOne >= exact - 1e-15 && withinOne <= 1 + 1e-15;
        });
}
