namespace GradeBench.Core.Agreement;

/// <summary>The agreement weights of <see cref="AgreementWeights"/> as integer numerators over one common
/// denominator D: none → identity over 1; linear → (K−1−|i−j|) over K−1; quadratic → ((K−1)² − (i−j)²) over (K−1)².
/// Weighted agreement sums then stay exact integers, so a coefficient does not depend on the order in which units are
/// summed: a bootstrap with unit weights gives bit for bit the value of the resampled matrix, and swapping two raters
/// gives bit for bit the same kappa.</summary>
internal static class IntegerAgreementWeights
{
    /// <summary>K×K numerators, row-major [i * K + j], and their denominator. Positions, not category values: the
    /// weights depend only on where categories sit on the declared scale.</summary>
    public static long[] Numerators(AgreementWeights weights, int k, out long denominator)
    {
        var w = new long[k * k];
        var span = k - 1L;
        // With one category there is no distance to weigh; the identity is the only sensible matrix.
        var kind = k < 2 ? AgreementWeights.None : weights;
        denominator = kind switch
        {
            AgreementWeights.Linear => span,
            AgreementWeights.Quadratic => span * span,
            _ => 1,
        };
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
            {
                long d = Math.Abs(i - j);
                w[i * k + j] = kind switch
                {
                    AgreementWeights.Linear => span - d,
                    AgreementWeights.Quadratic => span * span - d * d,
                    _ => i == j ? 1 : 0,
                };
            }
        return w;
    }
}
