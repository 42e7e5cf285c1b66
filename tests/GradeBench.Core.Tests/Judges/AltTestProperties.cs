using FsCheck.Xunit;
using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;

namespace GradeBench.Core.Tests.Judges;

/// <summary>The alt-test against <see cref="ReferenceAltTest"/> on random data: FsCheck draws the seed and the shape,
/// the ratings are built from the seed so that a failure replays.</summary>
public sealed class AltTestProperties
{
    /// <summary>12–60 responses, 2–5 physicians and a judge, 2–5 categories; each physician rating missing with the
    /// given chance, the judge's with a quarter of it; physicians and the judge agree with a per-response true category
    /// with their own chance, so that some comparisons are won and some lost.</summary>
    static RatingMatrix Ratings(int seed, int physicians, int categories, double missing)
    {
        var random = new Random(seed);
        var units = random.Next(12, 61);
        var raters = physicians + 1;
        var accuracy = Enumerable.Range(0, raters).Select(_ => 0.3 + 0.6 * random.NextDouble()).ToArray();
        var cells = new int[units * raters];
        for (var u = 0; u < units; u++)
        {
            var truth = random.Next(categories);
            for (var r = 0; r < raters; r++)
            {
                var gone = r == physicians ? missing / 4 : missing;
                cells[u * raters + r] = random.NextDouble() < gone ? RatingMatrix.Missing
                    : random.NextDouble() < accuracy[r] ? truth : random.Next(categories);
            }
        }
        var scale = Enumerable.Range(1, categories).Select(i => i.ToString()).ToArray();
        return RatingMatrix.FromCells(units, raters, scale, cells, Scale.NumericValues(scale));
    }

    static void AssertSame(RatingMatrix m, AltTestScoring scoring, double epsilon, int minInstances)
    {
        var judge = m.RaterCount - 1;
        var physicians = Enumerable.Range(0, judge).ToArray();
        var numbers = m.CategoryValues!;
        var result = AltTest.Run(m, judge, physicians, scoring, epsilon, 0.05, minInstances, numbers);

        var humans = physicians.ToDictionary(p => m.RaterIds[p], p => Enumerable.Range(0, m.UnitCount)
            .Where(u => m.Category(u, p) != RatingMatrix.Missing).ToDictionary(u => m.UnitIds[u], u => numbers[m.Category(u, p)]));
        var judgeValues = Enumerable.Range(0, m.UnitCount).Where(u => m.Category(u, judge) != RatingMatrix.Missing)
            .ToDictionary(u => m.UnitIds[u], u => numbers[m.Category(u, judge)]);
        var expected = ReferenceAltTest.Run(humans, judgeValues,
            scoring == AltTestScoring.Accuracy ? ReferenceAltTest.Accuracy : ReferenceAltTest.NegRmse, epsilon, 0.05, minInstances);

        for (var h = 0; h < physicians.Length; h++)
        {
            var (actual, reference) = (result.Humans[h], expected.Humans[h]);
            Assert.Equal((reference.Id, reference.Instances, reference.Rejected), (actual.Human, actual.Instances, actual.Rejected));
            Assert.Equal(reference.P is null, actual.PValue is null);
            if (reference.P is { } p) Assert.Equal(p, actual.PValue!.Value, 1e-9);
            if (reference.Rho is { } rho) Assert.Equal(rho, actual.JudgeAdvantage!.Value, 1e-12);
        }
        Assert.Equal(expected.Omega, result.WinningRate);
        if (expected.Rho is { } meanRho) Assert.Equal(meanRho, result.AdvantageProbability!.Value, 1e-12);
        else Assert.Null(result.AdvantageProbability);
    }

    [Property(MaxTest = 200)]
    public void AccuracyAgreesWithTheReferenceImplementation(int seed, byte physicians, byte categories, bool sparse) =>
        AssertSame(Ratings(seed, 2 + physicians % 4, 2 + categories % 4, sparse ? 0.4 : 0.1), AltTestScoring.Accuracy,
            AltTest.ExpertEpsilon, minInstances: 8);

    [Property(MaxTest = 200)]
    public void NegRmseAgreesWithTheReferenceImplementation(int seed, byte physicians, byte categories, bool sparse) =>
        AssertSame(Ratings(seed, 2 + physicians % 4, 2 + categories % 4, sparse ? 0.4 : 0.1), AltTestScoring.NegRmse,
            AltTest.CrowdEpsilon, minInstances: 8);

    [Property(MaxTest = 100)]
    public void EveryEpsilonPresetAgreesWithTheReferenceImplementation(int seed, byte preset)
    {
        double[] presets = [AltTest.ExpertEpsilon, AltTest.SkilledEpsilon, AltTest.CrowdEpsilon];
        AssertSame(Ratings(seed, 4, 3, 0.2), AltTestScoring.Accuracy, presets[preset % 3], minInstances: 10);
    }
}
