using GradeBench.Core.Judges;

namespace GradeBench.Core.Tests.Judges;

public sealed class BenjaminiYekutieliTests
{
    /// <summary>m = 4, c(4) = 25/12, q = 0.05: thresholds i · 0.05 / (4 · 25/12) = 0.006, 0.012, 0.018, 0.024. The third
    /// smallest p (0.017) is under its threshold though the second (0.013) is not: a step-up procedure rejects all
    /// three smallest.</summary>
    [Fact]
    public void RejectsEveryPValueUpToTheLargestRankUnderItsThreshold() =>
        Assert.Equal([true, false, true, true], BenjaminiYekutieli.Reject([0.017, 0.5, 0.001, 0.013], 0.05));

    [Fact]
    public void RejectsNoneWhenNoPValueIsUnderItsThreshold() =>
        Assert.Equal([false, false], BenjaminiYekutieli.Reject([0.02, 0.04], 0.05)); // thresholds 0.0167, 0.0333

    [Fact]
    public void OnePValueIsComparedWithQ() =>
        Assert.Equal([true], BenjaminiYekutieli.Reject([0.05], 0.05));

    [Fact]
    public void NoPValuesRejectNothing() => Assert.Empty(BenjaminiYekutieli.Reject([], 0.05));
}
