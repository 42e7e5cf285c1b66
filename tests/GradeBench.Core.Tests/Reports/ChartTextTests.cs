using GradeBench.Core.Reports;

namespace GradeBench.Core.Tests.Reports;

public sealed class ChartTextTests
{
    [Fact]
    public void LabelsBreakBetweenWordsWithinTheWidth() =>
        Assert.Equal(["Contains fabricated", "content", "(hallucination)"], ChartText.Wrap("Contains fabricated content (hallucination)", 19));

    [Fact]
    public void AWordLongerThanTheWidthKeepsALineOfItsOwnWhole() =>
        Assert.Equal(["a", "incomprehensibilities", "b"], ChartText.Wrap("a incomprehensibilities b", 10));

    [Fact]
    public void AShortLabelIsOneLine() => Assert.Equal(["Overall quality"], ChartText.Wrap("Overall quality", 40));

    [Fact]
    public void ColoursRepeatAfterThePalette() => Assert.Equal(ChartText.Colour(0), ChartText.Colour(ChartText.Palette.Count));
}
