using System.Globalization;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Rubrics;

public sealed class CriterionTests
{
    static Criterion Make(CriterionType type, double? min = null, double? max = null, params string[] options) =>
        new("c", "Criterion", null, type, true, min, max, [], options.Select(o => new CriterionOption(o, o.ToUpperInvariant())).ToList());

    static readonly Criterion Likert = Make(CriterionType.Likert, 1, 5);
    static readonly Criterion Ordinal = Make(CriterionType.Ordinal, null, null, "none", "mild", "severe");
    static readonly Criterion Nominal = Make(CriterionType.Nominal, null, null, "knowledge", "reasoning");
    static readonly Criterion Binary = Make(CriterionType.Binary);
    static readonly Criterion Numeric = Make(CriterionType.Numeric, 0, 100);
    static readonly Criterion Fraction = Make(CriterionType.Numeric, 0.5, 2.5);
    static readonly Criterion Unbounded = Make(CriterionType.Numeric);
    static readonly Criterion Text = Make(CriterionType.Text);

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    [InlineData("5")]
    [InlineData("+4")]
    public void LikertIntegerOnTheScaleIsAccepted(string value) => Assert.Null(Likert.CheckValue(value));

    [Theory]
    [InlineData("0", "0 is outside the scale 1..5")]
    [InlineData("6", "6 is outside the scale 1..5")]
    [InlineData("-1", "-1 is outside the scale 1..5")]
    [InlineData("3.0", "\"3.0\" is not an integer")]
    [InlineData("3.5", "\"3.5\" is not an integer")]
    [InlineData(" 3", "\" 3\" is not an integer")]
    [InlineData("three", "\"three\" is not an integer")]
    [InlineData("99999999999999999999", "\"99999999999999999999\" is not an integer")]
    [InlineData("", "empty value")]
    public void LikertValueOffTheScaleIsRejectedWithItsReason(string value, string message) =>
        Assert.Equal(message, Likert.CheckValue(value)?.ToString());

    [Fact]
    public void OrdinalAndNominalAcceptExactlyTheirOptionValues()
    {
        Assert.Null(Ordinal.CheckValue("mild"));
        Assert.Null(Nominal.CheckValue("reasoning"));
        Assert.Equal("\"moderate\" is not one of none, mild, severe", Ordinal.CheckValue("moderate")?.ToString());
        Assert.Equal("\"Mild\" is not one of none, mild, severe", Ordinal.CheckValue("Mild")?.ToString());
        Assert.Equal("\"MILD\" is not one of none, mild, severe", Ordinal.CheckValue("MILD")?.ToString());
        Assert.Equal("\"KNOWLEDGE\" is not one of knowledge, reasoning", Nominal.CheckValue("KNOWLEDGE")?.ToString());
        Assert.Equal("empty value", Nominal.CheckValue("")?.ToString());
    }

    [Theory]
    [InlineData("true", null)]
    [InlineData("false", null)]
    [InlineData("True", "\"True\" must be true or false")]
    [InlineData("1", "\"1\" must be true or false")]
    [InlineData("yes", "\"yes\" must be true or false")]
    [InlineData("", "empty value")]
    public void BinaryAcceptsOnlyLowercaseTrueAndFalse(string value, string? message) =>
        Assert.Equal(message, Binary.CheckValue(value)?.ToString());

    [Theory]
    [InlineData("0", null)]
    [InlineData("100", null)]
    [InlineData("72.5", null)]
    [InlineData("1e2", null)]
    [InlineData("-0.5", "-0.5 is below the minimum 0")]
    [InlineData("100.01", "100.01 is above the maximum 100")]
    [InlineData("NaN", "\"NaN\" is not a finite number")]
    [InlineData("Infinity", "\"Infinity\" is not a finite number")]
    [InlineData("12,5", "\"12,5\" is not a finite number")]
    [InlineData(" 50", "\" 50\" is not a finite number")]
    [InlineData("fifty", "\"fifty\" is not a finite number")]
    [InlineData("", "empty value")]
    public void NumericValueIsCheckedAgainstItsBounds(string value, string? message) =>
        Assert.Equal(message, Numeric.CheckValue(value)?.ToString());

    [Fact]
    public void NumericWithoutBoundsAcceptsAnyFiniteNumber()
    {
        Assert.Null(Unbounded.CheckValue("-1e300"));
        Assert.Null(Unbounded.CheckValue("123456.789"));
        Assert.Equal("\"1e999\" is not a finite number", Unbounded.CheckValue("1e999")?.ToString());
    }

    [Fact]
    public void BoundsInMessagesUseAFullStopWhateverTheCurrentCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = comma;

            Assert.Equal("0.25 is below the minimum 0.5", Fraction.CheckValue("0.25")?.ToString());
            Assert.Equal("3 is above the maximum 2.5", Fraction.CheckValue("3")?.ToString());
            Assert.Equal("\"1,5\" is not a finite number", Fraction.CheckValue("1,5")?.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("anything, even \"quotes\"\nand newlines")]
    public void TextAcceptsAnyValueIncludingEmpty(string value) => Assert.Null(Text.CheckValue(value));

    [Fact]
    public void TypeNamesRoundTripAndUnknownNamesAreRefused()
    {
        foreach (var name in Criterion.TypeNames)
        {
            Assert.True(Criterion.TryParseType(name, out var type));
            Assert.Equal(name, Make(type).TypeName);
        }
        Assert.False(Criterion.TryParseType("Likert", out _));
        Assert.False(Criterion.TryParseType("scale", out _));
    }

    [Theory]
    [InlineData(CriterionType.Likert, "+4", "4")]
    [InlineData(CriterionType.Likert, "04", "4")]
    [InlineData(CriterionType.Numeric, "72.50", "72.5")]
    [InlineData(CriterionType.Numeric, "1e1", "10")]
    [InlineData(CriterionType.Ordinal, "b", "b")]
    public void AcceptedValuesAreStoredInOneCanonicalForm(CriterionType type, string value, string stored)
    {
        var criterion = Make(type, 0, 100, "a", "b");

        Assert.Null(criterion.CheckValue(value));
        Assert.Equal(stored, criterion.Canonical(value));
    }

    [Fact]
    public void FreeTextUpToTheLimitIsAcceptedAndLongerIsRefused()
    {
        Assert.Null(Text.CheckValue(new string('x', Criterion.MaxTextLength)));
        Assert.Equal("longer than 10000 characters", Text.CheckValue(new string('x', Criterion.MaxTextLength + 1))?.ToString());
    }
}
