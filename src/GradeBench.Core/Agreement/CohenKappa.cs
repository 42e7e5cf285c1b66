using System.Runtime.CompilerServices;

namespace GradeBench.Core.Agreement;

/// <summary>Cohen's kappa for two raters and its weighted form, from the K×K cross table of the units both rated.</summary>
public static class CohenKappa
{
    /// <summary>Cohen's kappa κ = (pₒ − pₑ) / (1 − pₑ) (Cohen 1960, "A coefficient of agreement for nominal scales",
    /// Educ Psychol Meas 20:37–46) and weighted kappa κ_w with pₒ = Σ_ij w_ij p_ij and pₑ = Σ_ij w_ij p_i· p_·j
    /// (Cohen 1968, "Weighted kappa", Psychol Bull 70:213–220), over the units rated by both raters; p_ij is the share of
    /// those units that rater 1 put in category i and rater 2 in category j. Weights are on category positions of the
    /// K-point declared scale: linear 1 − |i−j|/(K−1), quadratic 1 − (i−j)²/(K−1)² (Fleiss &amp; Cohen 1973). Needs exactly
    /// two raters; see <see cref="Pair"/> for two raters of a larger study.</summary>
    /// <param name="unitWeights">Empty: every unit once. Else how many times each unit counts (a bootstrap resample).</param>
    public static Estimate Compute(RatingMatrix ratings, AgreementWeights weights = AgreementWeights.None, ReadOnlySpan<int> unitWeights = default)
    {
        if (ratings.RaterCount != 2)
            return Estimate.Absent(AbsentReason.CohenNeedsTwoRaters(ratings.RaterCount));
        return Pair(ratings, 0, 1, weights, unitWeights);
    }

    /// <summary>Cohen's (weighted) kappa, as in <see cref="Compute"/>, between two raters of a study with any number of
    /// raters, over the units both rated.</summary>
    public static Estimate Pair(RatingMatrix ratings, int raterA, int raterB, AgreementWeights weights = AgreementWeights.None,
        ReadOnlySpan<int> unitWeights = default)
    {
        CheckRater(ratings, raterA, nameof(raterA));
        CheckRater(ratings, raterB, nameof(raterB));
        ratings.CheckUnitWeights(unitWeights);
        var k = ratings.CategoryCount;
        var table = new long[k * k];
        var n = Tally(k, ratings.AllCells, ratings.RaterCount, raterA, raterB, unitWeights, table);
        return FromTable(k, table, n, weights);
    }

    /// <summary>Kappa from the K×K cross table (row-major, rater A's categories in rows) of n weighted units.</summary>
    internal static Estimate FromTable(int k, ReadOnlySpan<long> table, long n, AgreementWeights weights)
    {
        if (n == 0) return Estimate.Absent(AbsentReason.CohenNoSharedUnit);

        var w = IntegerAgreementWeights.Numerators(weights, k, out var d);
        var rows = new long[k];
        var columns = new long[k];
        Int128 observed = 0;  // D · N · pₒ
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
            {
                var x = table[i * k + j];
                rows[i] += x;
                columns[j] += x;
                observed += (Int128)w[i * k + j] * x;
            }
        Int128 chance = 0;  // D · N² · pₑ
        for (var i = 0; i < k; i++)
        {
            if (rows[i] == 0) continue;
            Int128 inner = 0;
            for (var j = 0; j < k; j++) inner += (Int128)w[i * k + j] * columns[j];
            chance += rows[i] * inner;
        }
        // κ = (pₒ − pₑ)/(1 − pₑ) = (N·Σw n − Σw r c) / (D·N² − Σw r c): exact integers until the one division, so the
        // value does not depend on which rater is first or on the order of units.
        var numerator = observed * n - chance;
        var denominator = (Int128)d * n * n - chance;
        if (denominator == 0)
            return Estimate.Absent(AbsentReason.CohenNoVariation);
        return Estimate.Of((double)numerator / (double)denominator);
    }

    /// <summary>The K×K cross table of two raters over the units both rated: [i, j] = how many units rater A put in
    /// category i and rater B in category j (categories in scale order).</summary>
    public static int[,] Confusion(RatingMatrix ratings, int raterA, int raterB)
    {
        CheckRater(ratings, raterA, nameof(raterA));
        CheckRater(ratings, raterB, nameof(raterB));
        var k = ratings.CategoryCount;
        var table = new int[k, k];
        for (var u = 0; u < ratings.UnitCount; u++)
        {
            var row = ratings.UnitRow(u);
            int a = row[raterA], b = row[raterB];
            if (a != RatingMatrix.Missing && b != RatingMatrix.Missing) table[a, b]++;
        }
        return table;
    }

    // Optimised at first call, as for the multi-rater sums: the command line runs it once on every unit.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long Tally(int k, ReadOnlySpan<int> cells, int rowLength, int raterA, int raterB, ReadOnlySpan<int> unitWeights, Span<long> table)
    {
        var weighted = !unitWeights.IsEmpty;
        long n = 0;
        var units = cells.Length / rowLength;
        for (var u = 0; u < units; u++)
        {
            var row = cells.Slice(u * rowLength, rowLength);
            int a = row[raterA], b = row[raterB];
            if (a == RatingMatrix.Missing || b == RatingMatrix.Missing) continue;
            long times = weighted ? unitWeights[u] : 1;
            table[a * k + b] += times;
            n += times;
        }
        return n;
    }

    static void CheckRater(RatingMatrix ratings, int rater, string name)
    {
        if ((uint)rater >= (uint)ratings.RaterCount)
            throw new ArgumentOutOfRangeException(name, rater, $"there are {ratings.RaterCount} raters");
    }
}
