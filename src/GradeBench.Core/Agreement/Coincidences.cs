using System.Runtime.CompilerServices;

namespace GradeBench.Core.Agreement;

/// <summary>The upper triangle (c &lt; k) of Krippendorff's coincidence matrix o_ck = Σ_u n_uc n_uk / (m_u − 1), its
/// marginals n_c and the pairable values n, from rows of per-unit category counts (each unit's own, or each distinct
/// count pattern once with a weight). The products n_uc n_uk are summed as exact integers within each unit size m,
/// and the sizes are divided and added in increasing m: the result does not depend on the order of the units, so a
/// weight of 3 is bit for bit three copies of the unit, and the bootstrap over patterns gives exactly the value over
/// units. The diagonal is never needed (δ²_cc = 0 at every level) and the matrix is symmetric.</summary>
internal sealed class Coincidences
{
    readonly double[] _upper;

    Coincidences(double[] upperTriangle, long[] marginals, long pairableValues)
    {
        _upper = upperTriangle;
        Marginals = marginals;
        PairableValues = pairableValues;
    }

    /// <summary>[c * K + k] = o_ck for c &lt; k; zero elsewhere.</summary>
    public ReadOnlySpan<double> UpperTriangle => _upper;

    public long[] Marginals { get; }

    public long PairableValues { get; }

    /// <param name="maxTotal">The most ratings a row can have (the raters).</param>
    /// <param name="rowWeights">Empty: each row once; else each row's weight (0 allowed).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Coincidences From(int k, int maxTotal, ReadOnlySpan<int> counts, ReadOnlySpan<int> totals, ReadOnlySpan<int> rowWeights)
    {
        var weighted = !rowWeights.IsEmpty;
        var marginals = new long[k];
        long n = 0;
        Span<bool> sizes = maxTotal < 1024 ? stackalloc bool[maxTotal + 1] : new bool[maxTotal + 1];
        sizes.Clear();
        for (var u = 0; u < totals.Length; u++)
        {
            var m = totals[u];
            long w = weighted ? rowWeights[u] : 1;
            if (m < 2 || w == 0) continue;
            var row = counts.Slice(u * k, k);
            for (var c = 0; c < k; c++) marginals[c] += w * row[c];
            n += w * m;
            sizes[m] = true;
        }

        var upper = new double[k * k];
        var products = new long[k * k];
        Span<int> present = k <= 1024 ? stackalloc int[k] : new int[k];
        for (var size = 2; size <= maxTotal; size++)
        {
            if (!sizes[size]) continue;
            var any = false;
            for (var u = 0; u < totals.Length; u++)
            {
                if (totals[u] != size) continue;
                long w = weighted ? rowWeights[u] : 1;
                if (w == 0) continue;
                var row = counts.Slice(u * k, k);
                var distinct = 0;
                for (var c = 0; c < k; c++)
                    if (row[c] != 0) present[distinct++] = c;
                if (distinct < 2) continue; // all ratings agree: only the diagonal
                any = true;
                for (var i = 0; i < distinct - 1; i++)
                {
                    var a = present[i];
                    var times = w * row[a];
                    var line = products.AsSpan(a * k, k);
                    for (var j = i + 1; j < distinct; j++) line[present[j]] += times * row[present[j]];
                }
            }
            if (!any) continue;
            var divisor = (double)(size - 1);
            for (var c = 0; c < k; c++)
                for (var j = c + 1; j < k; j++)
                {
                    upper[c * k + j] += products[c * k + j] / divisor;
                    products[c * k + j] = 0;
                }
        }
        return new Coincidences(upper, marginals, n);
    }
}
