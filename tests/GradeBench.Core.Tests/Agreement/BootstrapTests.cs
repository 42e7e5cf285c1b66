using GradeBench.Core.Agreement;

namespace GradeBench.Core.Tests.Agreement;

public sealed class BootstrapTests
{
    [Fact]
    public void QuantileFollowsHyndmanFanType7()
    {
        double[] sorted = [1, 2, 3, 4, 10];

        // R: quantile(c(1,2,3,4,10), c(.025, .5, .975)) = 1.1, 3.0, 9.4
        Assert.Equal(1.1, Bootstrap.Quantile(sorted, 0.025), 12);
        Assert.Equal(3.0, Bootstrap.Quantile(sorted, 0.5), 12);
        Assert.Equal(9.4, Bootstrap.Quantile(sorted, 0.975), 12);
    }

    [Fact]
    public void SameSeedGivesTheSameIntervalAndEachResampleDrawsEveryUnitCount()
    {
        double[] data = [1, 5, 2, 8, 3, 9, 4, 4, 7, 6];
        double? Mean(ReadOnlySpan<int> w)
        {
            double sum = 0, n = 0;
            for (var i = 0; i < w.Length; i++) { sum += w[i] * data[i]; n += w[i]; }
            Assert.Equal(data.Length, n);
            return sum / n;
        }

        var first = Bootstrap.PercentileInterval(data.Length, Mean, 500, seed: 7);
        var second = Bootstrap.PercentileInterval(data.Length, Mean, 500, seed: 7);

        Assert.Equal(first, second);
        Assert.InRange(first!.Value.Lower, 2.0, 4.9);
        Assert.InRange(first.Value.Upper, 4.9, 8.0);
    }

    [Fact]
    public void NoIntervalWhenMostResamplesAreUndefined()
    {
        Assert.Null(Bootstrap.PercentileInterval(10, _ => null, 100));
    }
}
