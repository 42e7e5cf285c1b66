using GradeBench.Core.Results;

namespace GradeBench.Core.Tests.Results;

public sealed class FractionTests
{
    [Fact]
    public void FractionsAreKeptInLowestTermsSoEqualValuesAreEqual()
    {
        Assert.Equal(new Fraction(8, 3), new Fraction(16, 6));
        Assert.Equal(new Fraction(8, 3), new Fraction(11, 3) - new Fraction(1));
        Assert.Equal(new Fraction(-1, 2), new Fraction(1, -2));
        Assert.Equal(Fraction.Zero, new Fraction(0, 7));
        Assert.Equal((8L, 3L), (new Fraction(16, 6).Numerator, new Fraction(16, 6).Denominator));
    }

    [Fact]
    public void ArithmeticAndComparisonAreExact()
    {
        Assert.Equal(new Fraction(3, 10), new Fraction(1, 10) + new Fraction(2, 10));
        Assert.Equal(new Fraction(8, 9), new Fraction(8, 3) / 3);
        Assert.True(new Fraction(1, 3) < new Fraction(333_333_333_333_333_334, 1_000_000_000_000_000_000));
        Assert.Equal(0, new Fraction(long.MaxValue, 3).CompareTo(new Fraction(long.MaxValue, 3)));
        Assert.True(new Fraction(long.MaxValue - 1, long.MaxValue) < new Fraction(long.MaxValue, long.MaxValue - 1));
        Assert.Equal(new Fraction(5, 2), new Fraction(-5, 2).Abs());
    }

    [Fact]
    public void AResultThatDoesNotFitThrowsRatherThanRounds() =>
        Assert.Throws<OverflowException>(() => new Fraction(long.MaxValue) + new Fraction(1));

    [Theory]
    [InlineData("4", 4, 1)]
    [InlineData("-2.50", -5, 2)]
    [InlineData("0.1", 1, 10)]
    [InlineData("1.5E-3", 3, 2000)]
    [InlineData("1E+18", 1_000_000_000_000_000_000, 1)]
    public void DecimalNumbersParseToTheirExactValue(string text, long numerator, long denominator)
    {
        Assert.True(Fraction.TryParse(text, out var value));
        Assert.Equal(new Fraction(numerator, denominator), value);
    }

    [Theory]
    [InlineData("1E+30")]
    [InlineData("0.0000000000000000000001")]
    [InlineData("mild")]
    public void NumbersWithoutAnExactFractionDoNotParse(string text) => Assert.False(Fraction.TryParse(text, out _));
}
