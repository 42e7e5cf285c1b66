using GradeBench.Core.Results;
using MathNet.Numerics.Distributions;

namespace GradeBench.Core.Tests.Results;

/// <summary>The demo study's "Agreement with guideline consensus" (likert 1–5, three raters per response), where
/// per-case means that are equal as fractions differ in floating point.</summary>
public sealed class DemoComparisonTests
{
    static IReadOnlyList<ModelComparison> Comparisons() =>
        StudyResults.Compute(DemoStudyInput.Load(), resamples: 0).ModelResults.Single(c => c.Criterion.Id == "consensus").Comparisons;

    [Fact]
    public void ModelAAgainstModelBSeesTheTieOfTwoDifferencesOfEightThirds()
    {
        var test = Comparisons().Single(c => (c.ModelA, c.ModelB) == ("model-a", "model-b")).Test!;

        // Per-case means a − b over the 8 cases both have (sums of three ratings over 3):
        // 4, 2/3, 3, 7/3, 1, 1/3, 8/3, 8/3 — all positive, no zero, and 8/3 twice (in doubles 2.666666666666666 and
        // 2.6666666666666665). Ranks of |d|: 1/3 → 1, 2/3 → 2, 1 → 3, 7/3 → 4, 8/3, 8/3 → 5.5, 3 → 7, 4 → 8; V = 36.
        // A tie, so R's wilcox.test(exact = NULL, correct = TRUE) takes the normal approximation:
        // E V = 8·9/4 = 18; Var V = 8·9·17/24 − (2³ − 2)/48 = 51 − 1/8 = 50.875;
        // z = (36 − 18 − 0.5)/√50.875 = 2.4535; p = 2(1 − Φ(z)) = 0.01415 (not the exact 2/256 = 0.0078 of untied data).
        Assert.False(test.Exact);
        Assert.Equal((36, 8), (test.V, test.N));
        Assert.Equal(2 * (1 - Normal.CDF(0, 1, 17.5 / Math.Sqrt(50.875))), test.PValue, 12);
        Assert.Equal(0.014147, test.PValue, 6);
    }

    [Fact]
    public void ModelBAgainstModelCCorrectsTheVarianceForTiesThatFloatingPointSplits()
    {
        var test = Comparisons().Single(c => (c.ModelA, c.ModelB) == ("model-b", "model-c")).Test!;

        // Differences b − c: −7/3, 1, −5/3, −5/3, 0, 1, −1/3, −2/3; the zero is dropped (n = 7), so the normal
        // approximation applied already, but 1 and 1 (1.0000000000000004 in doubles) and −5/3 twice are ties.
        // Ranks of |d|: 1/3 → 1, 2/3 → 2, 1, 1 → 3.5, 5/3, 5/3 → 5.5, 7/3 → 7; V = 3.5 + 3.5 = 7.
        // Var V = 7·8·15/24 − 2·(2³ − 2)/48 = 35 − 1/4 = 34.75; z = (7 − 14 + 0.5)/√34.75; p = 2Φ(z) = 0.2702.
        Assert.False(test.Exact);
        Assert.Equal((7, 7), (test.V, test.N));
        Assert.Equal(2 * Normal.CDF(0, 1, -6.5 / Math.Sqrt(34.75)), test.PValue, 12);
    }
}
