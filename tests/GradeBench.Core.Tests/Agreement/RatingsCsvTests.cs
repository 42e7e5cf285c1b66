using GradeBench.Core.Agreement;

namespace GradeBench.Core.Tests.Agreement;

public sealed class RatingsCsvTests
{
    static RatingMatrix Read(string text, MeasurementLevel level = MeasurementLevel.Nominal, IReadOnlyList<string>? categories = null) =>
        RatingsCsv.Read(new StringReader(text), level, categories);

    static RatingsCsvException Fails(string text, MeasurementLevel level = MeasurementLevel.Nominal, IReadOnlyList<string>? categories = null) =>
        Assert.Throws<RatingsCsvException>(() => Read(text, level, categories));

    [Fact]
    public void LongRowsBecomeAUnitsByRatersMatrixWithMissingCells()
    {
        var m = Read("unit,rater,value\nu1,a,2\nu1,b,10\nu2,a,2\nu3,b,1\n");

        Assert.Equal((3, 2, 4), (m.UnitCount, m.RaterCount, m.RatingCount));
        Assert.Equal(["1", "2", "10"], m.Categories);
        Assert.Equal([1.0, 2.0, 10.0], m.CategoryValues!);
        Assert.Equal([1, 2], m.UnitRow(0).ToArray());
        Assert.Equal([1, RatingMatrix.Missing], m.UnitRow(1).ToArray());
        Assert.Equal(["u1", "u2", "u3"], m.UnitIds);
    }

    [Fact]
    public void DeclaredCategoriesGiveTheOrderAndKeepUnusedOnes()
    {
        var m = Read("unit,rater,value\nu1,a,major\nu1,b,none\n", MeasurementLevel.Ordinal, ["none", "partial, minor", "major"]);

        Assert.Equal(3, m.CategoryCount);
        Assert.Equal([2, 0], m.UnitRow(0).ToArray());
    }

    [Fact]
    public void QuotedAndUnicodeLabelsAreRead()
    {
        var m = Read("unit,rater,value\r\n病例1,医生甲,\"有, 轻微\"\r\n病例1,医生乙,无\r\n");

        Assert.Equal(["无", "有, 轻微"], m.Categories.Order(StringComparer.Ordinal));
        Assert.Equal(["医生甲", "医生乙"], m.RaterIds);
    }

    [Fact]
    public void ColumnsMayComeInAnyOrderWithExtraOnes()
    {
        var m = Read("value,note,rater,unit\n3,x,a,u1\n4,y,b,u1\n");

        Assert.Equal(2, m.RatingCount);
    }

    [Fact]
    public void CategoriesRecordAllowsQuotedCommasAndLeadingDashes()
    {
        Assert.Equal(["none", "partial, minor", "major"], RatingsCsv.ParseCategories("none,\"partial, minor\",major"));
        Assert.Equal(["-", "+"], RatingsCsv.ParseCategories("-,+"));
    }

    [Theory]
    [InlineData("", 0, "the file is empty")]
    [InlineData("unit,rater\nu1,a\n", 1, "header must name the columns unit,rater,value")]
    [InlineData("unit,rater,value\n", 1, "no ratings after the header")]
    [InlineData("unit,rater,value\nu1,a,1\nu2,a,2\nu1,a,3\n", 4, "rater \"a\" rated unit \"u1\" twice (first on line 2)")]
    [InlineData("unit,rater,value\nu1,a,1\nu1,b\n", 3, "expected 3 fields, found 2")]
    [InlineData("unit,rater,value\nu1,a,\n", 2, "value: empty")]
    [InlineData("unit,rater,value\nu1,a,\"1\n", 2, "malformed CSV")]
    public void BadInputNamesItsLine(string text, int line, string message)
    {
        var error = Fails(text);

        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void DuplicateOnALineAfterAMultilineFieldNamesThePhysicalLine()
    {
        var error = Fails("unit,rater,value\nu1,a,\"x\ny\"\nu1,a,z\n");

        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void IntervalDataMustBeNumbers()
    {
        var error = Fails("unit,rater,value\nu1,a,1\nu1,b,two\n", MeasurementLevel.Interval);

        Assert.Equal(3, error.Line);
        Assert.Contains("\"two\" is not a number, but --level interval needs numbers", error.Message);
    }

    [Fact]
    public void ValueOutsideDeclaredCategoriesIsRefused()
    {
        var error = Fails("unit,rater,value\nu1,a,1\nu1,b,6\n", categories: ["1", "2", "3", "4", "5"]);

        Assert.Equal(3, error.Line);
        Assert.Contains("\"6\" is not one of --categories 1,2,3,4,5", error.Message);
    }

    [Fact]
    public void OrdinalWordsNeedDeclaredOrder()
    {
        var error = Fails("unit,rater,value\nu1,a,low\nu1,b,high\n", MeasurementLevel.Ordinal);

        Assert.Contains("needs --categories", error.Message);
    }
}
