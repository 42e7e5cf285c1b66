using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Results;

public sealed class ModelPairsTests
{
    static readonly Criterion Dose = new("dose", "Dose (mg)", null, CriterionType.Numeric, true, 0, 10, [], []);

    /// <summary>One response per model and case: model-a's then model-b's values by case, the raters' values of a
    /// response separated by spaces.</summary>
    static ModelComparison Compare(Criterion criterion, string[] a, string[] b)
    {
        var responses = a.Select((_, i) => new ResultResponse(2 * i + 1, $"c{i}", "model-a"))
            .Concat(b.Select((_, i) => new ResultResponse(2 * i + 2, $"c{i}", "model-b"))).ToList();
        static IEnumerable<ResultRating> Ratings(string values, long response) =>
            values.Split(' ').Select((v, rater) => new ResultRating(1, response, 10 + rater, v));
        var ratings = a.SelectMany((v, i) => Ratings(v, 2 * i + 1)).Concat(b.SelectMany((v, i) => Ratings(v, 2 * i + 2))).ToList();
        var input = new ResultsInput([new(1, criterion)], responses, [new(10, "ann"), new(11, "bob")], ratings, [], [], [], []);
        return StudyResults.Compute(input, resamples: 0).ModelResults.Single().Comparisons.Single();
    }

    [Fact]
    public void DecimalDifferencesThatAreEqualTie()
    {
        // a − b: 0.3 − 0.1 = 0.2 and 0.2 − 0 = 0.2 tie (in doubles 0.19999999999999998 and 0.2), 0.5 − 0 = 0.5.
        // Ranks 1.5, 1.5, 3, V = 6; tie, so the normal approximation: Var = 3·4·7/24 − (2³ − 2)/48 = 3.375,
        // z = (6 − 3 − 0.5)/√3.375.
        var test = Compare(Dose, ["0.3", "0.2", "0.5"], ["0.1", "0", "0"]).Test!;

        Assert.False(test.Exact);
        Assert.Equal(6, test.V);
        Assert.Equal(2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, 2.5 / Math.Sqrt(3.375))), test.PValue, 12);
    }

    [Fact]
    public void ADifferenceThatIsZeroInExactArithmeticIsDropped()
    {
        // Case 1: a's mean (0.1 + 0.2)/2 = 0.15 equals b's 0.15 (in doubles a's is 0.15000000000000002, no zero).
        // Left: 0.5, 1.5, 3, ranks 1, 2, 3, V = 6, n = 3; the zero rules out the exact test (R's rule):
        // z = (6 − 3 − 0.5)/√(3·4·7/24).
        var test = Compare(Dose, ["0.1 0.2", "1.5", "2.5", "4"], ["0.15", "1", "1", "1"]).Test!;

        Assert.Equal((6, 3), (test.V, test.N));
        Assert.False(test.Exact);
        Assert.Equal(2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, 2.5 / Math.Sqrt(3.5))), test.PValue, 12);
    }

    [Fact]
    public void NumbersBeyondAnExactFractionFallBackToFloatingPoint()
    {
        var comparison = Compare(Dose, ["1E+30", "2E+30", "3"], ["1", "1", "1"]);

        Assert.Equal(3, comparison.Cases);
        Assert.Equal(6, comparison.Test!.V);
        Assert.True(comparison.Test.Exact);
    }

    [Fact]
    public void CaseMeansAreExactFractions()
    {
        var ordinal = new Criterion("harm", "Harm", null, CriterionType.Ordinal, true, null, null,
            [], [new("none", "None"), new("mild", "Mild"), new("severe", "Severe")]);

        Assert.Equal(new Fraction(8, 3), ModelPairs.CaseMean(Dose, ["2", "3", "3"]));
        Assert.Equal(new Fraction(3, 20), ModelPairs.CaseMean(Dose, ["0.1", "0.20"]));
        Assert.Equal(new Fraction(1, 3), ModelPairs.CaseMean(ordinal, ["none", "mild", "none"]));
        Assert.Null(ModelPairs.CaseMean(Dose, ["1E+30"]));
    }
}
