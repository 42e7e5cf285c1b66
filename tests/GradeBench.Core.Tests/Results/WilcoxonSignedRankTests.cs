using GradeBench.Core.Results;

namespace GradeBench.Core.Tests.Results;

public sealed class WilcoxonSignedRankTests
{
    // Hollander & Wolfe (1973) p. 29, the Hamilton depression scale before (x) and after (y) tranquilizer; the example of
    // R's ?wilcox.test: wilcox.test(x, y, paired = TRUE, alternative = "greater") gives V = 40, p-value = 0.01953.
    static readonly double[] First = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
    static readonly double[] Second = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

    [Fact]
    public void TheDepressionExampleGivesRsStatisticAndExactTwoSidedPValue()
    {
        var test = WilcoxonSignedRank.Test(First, Second)!;

        Assert.Equal(40, test.V);
        Assert.Equal(9, test.N);
        Assert.True(test.Exact);
        // Two-sided: twice the one-sided 10/512.
        Assert.Equal(20.0 / 512, test.PValue, 12);
    }

    [Fact]
    public void SwappingTheSamplesKeepsThePValueAndMirrorsTheStatistic()
    {
        var forward = WilcoxonSignedRank.Test(First, Second)!;
        var backward = WilcoxonSignedRank.Test(Second, First)!;

        Assert.Equal(forward.PValue, backward.PValue, 12);
        Assert.Equal(9 * 10 / 2.0, forward.V + backward.V);
    }

    [Fact]
    public void TiesAndZerosUseTheCorrectedNormalApproximation()
    {
        // d = 1, 1, -2, 3, 3, 3, 0 → zero dropped, n = 6; |d| ranks: 1.5, 1.5, 3, 5, 5, 5; V = 1.5+1.5+5+5+5 = 18.
        // Var = 6·7·13/24 − ((2³−2) + (3³−3))/48 = 22.75 − 0.625 = 22.125; z = (18 − 10.5 − 0.5)/√22.125.
        double[] x = [2, 3, 1, 6, 7, 8, 5];
        double[] y = [1, 2, 3, 3, 4, 5, 5];

        var test = WilcoxonSignedRank.Test(x, y)!;

        Assert.False(test.Exact);
        Assert.Equal((18, 6), (test.V, test.N));
        var z = 7 / Math.Sqrt(22.125);
        Assert.Equal(2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, z)), test.PValue, 12);
    }

    [Fact]
    public void ExactDifferencesFindTiesAndZerosThatFloatingPointSplits()
    {
        // 8/3 twice (as 11/3 − 1 and 8/3 − 0 they differ in doubles), 1/3 − 1/3 = 0: the same test as on 1, 1, 2 and 0.
        Fraction[] differences = [new Fraction(11, 3) - new Fraction(1), new Fraction(8, 3), new Fraction(1, 3), new Fraction(1, 3) - new Fraction(1, 3)];

        var test = WilcoxonSignedRank.Test(differences)!;

        Assert.Equal(WilcoxonSignedRank.Test([1, 1, 0.125, 0], [0, 0, 0, 0]), test);
        Assert.Equal((6, 3, false), (test.V, test.N, test.Exact));
    }

    [Fact]
    public void NoDifferenceAtAllHasNoTest() =>
        Assert.Null(WilcoxonSignedRank.Test([1, 2, 3], [1, 2, 3]));

    [Fact]
    public void ALargeUntiedSampleIsApproximatedCloseToTheExactValue()
    {
        // 49 differences are tested exactly, 50 by the normal approximation; the two agree closely around that size.
        var x = Enumerable.Range(1, 49).Select(i => i % 3 == 0 ? -i : (double)i).ToArray();
        var exact = WilcoxonSignedRank.Test(x, new double[49])!;
        var y = Enumerable.Range(1, 50).Select(i => i % 3 == 0 ? -i : (double)i).ToArray();
        var approximate = WilcoxonSignedRank.Test(y, new double[50])!;

        Assert.True(exact.Exact);
        Assert.False(approximate.Exact);
        Assert.InRange(Math.Abs(exact.PValue - approximate.PValue), 0, 0.02);
    }

    [Fact]
    public void HolmMatchesRsPAdjust()
    {
        // p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") = 0.05 0.08 0.09 0.09 0.09; order is kept.
        Assert.Equal([0.05, 0.08, 0.09, 0.09, 0.09], Holm.Adjust([0.01, 0.02, 0.03, 0.04, 0.05]).Select(p => Math.Round(p, 12)));
        Assert.Equal([0.04, 0.03, 0.04], Holm.Adjust([0.03, 0.01, 0.02]).Select(p => Math.Round(p, 12)));
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.6, 0.7]));
    }
}
