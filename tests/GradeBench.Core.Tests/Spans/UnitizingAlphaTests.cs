using GradeBench.Core.Spans;

namespace GradeBench.Core.Tests.Spans;

/// <summary>Krippendorff's α_u against the published examples as dkpro-statistics' tests give them with their numbers
/// (dkpro-statistics-agreement, src/test/java/org/dkpro/statistics/agreement/unitizing: Krippendorff1995Test,
/// Krippendorff2004Test, UnitizingAgreementTest; Copyright the DKPro contributors, Apache License 2.0). The examples'
/// data are ported as dkpro's tests add them (<c>addUnit(offset, length, rater, category)</c>), and checked within
/// the tolerances dkpro gives, which are the published figures' rounding.</summary>
public sealed class UnitizingAlphaTests
{
    /// <summary>One document of <paramref name="length"/> code points read by <paramref name="raters"/> raters named
    /// "0", "1", …, with dkpro's units: (offset, length, rater, label).</summary>
    internal static SpanDocument Study(int raters, int length, params (int Offset, int Length, int Rater, string Label)[] units) =>
        new("study", length, [.. Enumerable.Range(0, raters).Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            [.. units.Select(u => new Span("study", u.Rater.ToString(System.Globalization.CultureInfo.InvariantCulture), u.Label, u.Offset, u.Offset + u.Length))]);

    static (double Observed, double Expected, double Alpha) Of(SpanDocument study, string? label) => SpanAgreement.Unitizing([study], label);

    /// <summary>Krippendorff (1995, p. 57), four pairs of raters on a continuum of 24 stretched by
    /// <paramref name="stretch"/> (dkpro's <c>Krippendorff1995Test.createExample</c>; Apache-2.0).</summary>
    static SpanDocument Krippendorff1995(double stretch)
    {
        int S(double x) => (int)(x * stretch);
        (int, int, int, string) U(double offset, double length, int rater, string label) => (S(offset), S(length), rater, label);
        return Study(2, S(24),
            U(2, 8, 0, "A"), U(14, 6, 0, "A"), U(4, 4, 1, "A"), U(15, 2, 1, "A"),
            U(0, 18, 0, "B"), U(0, 2, 1, "B"), U(2, 1, 1, "B"), U(3, 1, 1, "B"), U(4, 1, 1, "B"), U(5, 1, 1, "B"), U(6, 3, 1, "B"), U(9, 1, 1, "B"),
            U(2, 6, 0, "C"), U(10, 2, 0, "C"), U(14, 4, 0, "C"), U(20, 2, 0, "C"),
            U(0, 2, 1, "C"), U(4, 4, 1, "C"), U(10, 4, 1, "C"), U(16, 2, 1, "C"), U(20, 2, 1, "C"),
            U(0, 2, 0, "D"), U(2, 8, 0, "D"), U(10, 4, 0, "D"), U(14, 6, 0, "D"), U(20, 4, 0, "D"),
            U(0, 4, 1, "D"), U(4, 4, 1, "D"), U(8, 7, 1, "D"), U(15, 2, 1, "D"), U(17, 7, 1, "D"));
    }

    [Theory]
    [InlineData("A", 0.03125)]
    [InlineData("B", 2.26736)]
    [InlineData("C", 0.02777)]
    [InlineData("D", 0.38715)]
    public void Krippendorff1995ObservedDisagreement(string label, double observed) =>
        Assert.Equal(observed, Of(Krippendorff1995(1), label).Observed, 0.00001);

    /// <summary>Krippendorff's D_e and α, which dkpro reproduces within 0.005 and 0.02 on the continuum stretched to
    /// 1.2 million (its note: the paper's D_e seems to have a small error, perhaps a + for a − in l_ik + l_hj + 1).</summary>
    [Theory]
    [InlineData("A", 0.06990, 0.553)]
    [InlineData("B", 1.17731, -0.926)]
    [InlineData("C", 0.08642, 0.679)]
    [InlineData("D", 0.41445, 0.066)]
    public void Krippendorff1995ExpectedDisagreementAndAlpha(string label, double expected, double alpha)
    {
        var (_, e, a) = Of(Krippendorff1995(1200000 / 24), label);

        Assert.Equal(expected, e, 0.005);
        Assert.Equal(alpha, a, 0.02);
    }

    /// <summary>Category C with ever finer positions: D_o stays, D_e and α converge (dkpro's <c>testVaryingLengths</c>).</summary>
    [Theory]
    [InlineData(12 / 24.0, 0.05494, 0.00001, 0.494)]
    [InlineData(120 / 24.0, 0.08234, 0.005, 0.663)]
    [InlineData(1200 / 24.0, 0.08600, 0.005, 0.677)]
    [InlineData(12000 / 24.0, 0.08638, 0.005, 0.678)]
    [InlineData(120000 / 24.0, 0.08642, 0.005, 0.679)]
    [InlineData(1200000 / 24.0, 0.08642, 0.005, 0.679)]
    public void Krippendorff1995VaryingLengths(double stretch, double expected, double tolerance, double alpha)
    {
        var (o, e, a) = Of(Krippendorff1995(stretch), "C");

        Assert.Equal(0.02777, o, 0.00001);
        Assert.Equal(expected, e, tolerance);
        Assert.Equal(alpha, a, 0.02);
    }

    /// <summary>Krippendorff (2004, p. 254): two observers, labels c and k, on the continuum [150, 450) (dkpro's
    /// <c>Krippendorff2004Test.createExample</c>; Apache-2.0), moved to [0, 300): α_u does not depend on where the
    /// continuum starts.</summary>
    static SpanDocument Krippendorff2004()
    {
        const int begin = 150;
        (int, int, int, string) U(int offset, int length, int rater, string label) => (offset - begin, length, rater, label);
        return Study(2, 300,
            U(225, 70, 0, "c"), U(370, 30, 0, "c"), U(220, 80, 1, "c"), U(355, 20, 1, "c"), U(400, 20, 1, "c"),
            U(180, 60, 0, "k"), U(300, 50, 0, "k"), U(180, 60, 1, "k"), U(300, 50, 1, "k"));
    }

    [Theory]
    [InlineData("c", 0.0144, 0.0532, 0.7286)]
    [InlineData("k", 0.0000, 0.0490, 1.0000)]
    public void Krippendorff2004PerLabel(string label, double observed, double expected, double alpha)
    {
        var (o, e, a) = Of(Krippendorff2004(), label);

        Assert.Equal(observed, o, 0.0001);
        Assert.Equal(expected, e, 0.0001);
        Assert.Equal(alpha, a, 0.0001);
    }

    [Fact]
    public void Krippendorff2004Overall() => Assert.Equal(0.8591, Of(Krippendorff2004(), null).Alpha, 0.0005);

    /// <summary>dkpro's <c>UnitizingAgreementTest.createExample</c> (Apache-2.0): one long unit against three short ones
    /// inside it. Worked by hand: D_o = 2 · (37 + 25 + 29) / (2 · 1 · 10²) = 0.91; D_e = (2/10) · (3 · 280 + 3 · 9) /
    /// (20 · 19 − 56) = 0.53518.</summary>
    [Fact]
    public void LongUnitAgainstThreeShortOnes()
    {
        var (o, e, a) = Of(Study(2, 10, (1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"), (6, 1, 1, "A")), "A");

        Assert.Equal(0.9100, o, 0.0001);
        Assert.Equal(0.5351, e, 0.0001);
        Assert.Equal(-0.7003, a, 0.0001);
    }

    /// <summary>dkpro's <c>testSingleAnnotationUnit</c>: one rater of three marks one code point; D_o = D_e, so α = 0.</summary>
    [Fact]
    public void OneUnitByOneOfThreeRatersIsChance() =>
        Assert.Equal(0.0, Of(Study(3, 20, (0, 1, 0, "X")), "X").Alpha, 1e-12);

    /// <summary>dkpro's <c>testZeroLengthUnitsMixedWithPositiveLengthUnits</c>: an empty span carries no mass.</summary>
    [Fact]
    public void AnEmptySpanBesideAgreedOnesLeavesFullAgreement()
    {
        var (o, e, a) = Of(Study(2, 15, (0, 0, 0, "A"), (2, 5, 0, "A"), (2, 5, 1, "A")), "A");

        Assert.Equal(0.0, o);
        Assert.True(e > 0);
        Assert.Equal(1.0, a, 1e-12);
    }

    /// <summary>Where dkpro returns 0 for a study of empty units only (its issue #35) or NaN for no units, α_u is
    /// undefined here: the expected disagreement is 0.</summary>
    [Fact]
    public void OnlyEmptySpansLeaveAlphaUndefined()
    {
        var (o, e, a) = Of(Study(2, 15, (0, 0, 0, "A"), (0, 0, 1, "A")), "A");

        Assert.Equal((0.0, 0.0), (o, e));
        Assert.True(double.IsNaN(a));
    }

    /// <summary>A rater's spans of one label that overlap become one unit (their union), since dkpro's tracks do not let
    /// a rater's units of a category overlap: the same α_u as the union marked once.</summary>
    [Fact]
    public void ARatersOverlappingSpansCountAsTheirUnion()
    {
        var overlapping = Of(Study(2, 30, (2, 8, 0, "A"), (6, 9, 0, "A"), (20, 5, 0, "A"), (3, 10, 1, "A"), (21, 4, 1, "A")), "A");
        var union = Of(Study(2, 30, (2, 13, 0, "A"), (20, 5, 0, "A"), (3, 10, 1, "A"), (21, 4, 1, "A")), "A");

        Assert.Equal(union, overlapping);
    }

    /// <summary>Several documents read by the same raters are dkpro's one continuum of the documents end to end, so
    /// long as no gap of a rater runs across a document's boundary (there two gaps would join into one).</summary>
    [Fact]
    public void DocumentsReadByTheSameRatersAreTheirConcatenation()
    {
        SpanDocument Document(string id, int length, params (int Offset, int Length, int Rater, string Label)[] units)
        {
            var study = Study(2, length, units);
            return study with { Id = id, Spans = [.. study.Spans.Select(s => s with { Document = id })] };
        }
        var first = Document("one", 20, (2, 8, 0, "A"), (12, 8, 0, "A"), (4, 16, 1, "A"), (17, 3, 0, "B"), (0, 3, 1, "B"), (18, 2, 1, "B"));
        var second = Document("two", 15, (0, 5, 0, "A"), (0, 4, 1, "A"), (9, 3, 1, "A"), (6, 2, 0, "B"), (6, 3, 1, "B"));
        var whole = Study(2, 35, (2, 8, 0, "A"), (12, 8, 0, "A"), (4, 16, 1, "A"), (17, 3, 0, "B"), (0, 3, 1, "B"), (18, 2, 1, "B"),
            (20, 5, 0, "A"), (20, 4, 1, "A"), (29, 3, 1, "A"), (26, 2, 0, "B"), (26, 3, 1, "B"));

        foreach (var label in new[] { "A", "B" })
        {
            var (o, e, a) = SpanAgreement.Unitizing([first, second], label);
            var (wo, we, wa) = Of(whole, label);
            Assert.Equal(wo, o, 1e-12);
            Assert.Equal(we, e, 1e-12);
            Assert.Equal(wa, a, 1e-12);
        }
    }
}
