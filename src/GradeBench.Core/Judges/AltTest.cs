using GradeBench.Core.Agreement;
using GradeBench.Core.Messages;
using MathNet.Numerics.Distributions;

namespace GradeBench.Core.Judges;

/// <summary>How the judge and a physician are each scored against the other physicians of a response: <c>accuracy</c>,
/// the share of them with the same value; <c>neg_rmse</c>, minus the root mean squared difference from their values.</summary>
public enum AltTestScoring { Accuracy, NegRmse }

/// <summary>One physician's comparison with the judge. <see cref="Instances"/>: responses rated by the judge, by this
/// physician and by at least one other physician. Not tested (<see cref="PValue"/> null, with
/// <see cref="NotTested"/>) when there are fewer than the minimum. <see cref="JudgeAdvantage"/>: the mean of
/// W_judge, the share of instances where the judge scored at least as well as the physician.</summary>
public sealed record AltTestHuman(string Human, int Instances, double? PValue, bool Rejected, double? JudgeAdvantage, Message? NotTested);

/// <summary>The alternative annotator test of one judge. <see cref="WinningRate"/> ω = rejections / physicians tested,
/// <see cref="AdvantageProbability"/> ρ = the mean of the tested physicians' <see cref="AltTestHuman.JudgeAdvantage"/>;
/// both null (with <see cref="Reason"/>) when no physician could be tested.</summary>
public sealed record AltTestResult(
    AltTestScoring Scoring,
    double Epsilon,
    double Q,
    int MinInstances,
    IReadOnlyList<AltTestHuman> Humans,
    int HumansTested,
    int Rejections,
    double? WinningRate,
    double? AdvantageProbability,
    Message? Reason)
{
    /// <summary>The judge passes when it wins against at least half of the physicians tested: ω ≥ 0.5.</summary>
    public bool Passed => WinningRate >= AltTest.PassingWinningRate;
}

/// <summary>The alternative annotator test (alt-test) of Calderon, Reichart &amp; Dror (2025), "The Alternative Annotator
/// Test for LLM-as-a-Judge: How to Statistically Justify Replacing Human Annotators with LLMs", Proceedings of ACL 2025,
/// pp. 16051–16081, computed as the authors' reference code does (docs/judges.md, "Alternative annotator test"). For
/// each physician j, leaving j out: on each instance, S_judge and S_j score the judge's and j's values against the other
/// physicians' values; W_judge = [S_judge ≥ S_j], W_j = [S_j ≥ S_judge] (a tie counts for both), d = W_j − W_judge. A
/// one-sided one-sample t-test of H0: mean(d) ≥ ε gives p = F_t(n−1)((mean(d) − ε) / (sd(d)/√n)), sd with n − 1; when
/// sd = 0, p = 0 if mean(d) &lt; ε, else 1. The tested physicians' p-values go through
/// <see cref="BenjaminiYekutieli"/> at q; the judge wins against j when j's null is rejected.</summary>
public static class AltTest
{
    /// <summary>ε for expert annotators (physicians): reliable but expensive and often unavailable.</summary>
    public const double ExpertEpsilon = 0.2;

    /// <summary>ε for skilled annotators (trained workers, students).</summary>
    public const double SkilledEpsilon = 0.15;

    /// <summary>ε for crowd workers.</summary>
    public const double CrowdEpsilon = 0.1;

    public const double DefaultQ = 0.05;

    /// <summary>Fewer instances than this and the t-test's normal approximation is not trusted (the authors' minimum).</summary>
    public const int DefaultMinInstances = 30;

    public const double PassingWinningRate = 0.5;

    /// <param name="judge">The judge's column in <paramref name="ratings"/>.</param>
    /// <param name="humans">The physicians' columns.</param>
    /// <param name="numbers">For <see cref="AltTestScoring.NegRmse"/>: each category's number (positions for ordinal
    /// scales, the numbers for numeric ones); unused for accuracy.</param>
    public static AltTestResult Run(RatingMatrix ratings, int judge, IReadOnlyList<int> humans, AltTestScoring scoring,
        double epsilon = ExpertEpsilon, double q = DefaultQ, int minInstances = DefaultMinInstances, IReadOnlyList<double>? numbers = null)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(humans);
        if (minInstances < 2) throw new ArgumentOutOfRangeException(nameof(minInstances), minInstances, "the t-test needs at least two instances");
        if (scoring == AltTestScoring.NegRmse && (numbers is null || numbers.Count != ratings.CategoryCount))
            throw new ArgumentException("neg_rmse needs one number per category", nameof(numbers));

        var compared = new (int Instances, double? PValue, double? JudgeAdvantage)[humans.Count];
        for (var h = 0; h < humans.Count; h++)
            compared[h] = Compare(ratings, judge, humans, h, scoring, epsilon, minInstances, numbers);

        var tested = Enumerable.Range(0, humans.Count).Where(h => compared[h].PValue is not null).ToArray();
        var rejected = BenjaminiYekutieli.Reject(tested.Select(h => compared[h].PValue!.Value).ToArray(), q);
        var rejectedHumans = tested.Where((_, i) => rejected[i]).ToHashSet();
        var rows = humans.Select((column, h) => new AltTestHuman(ratings.RaterIds[column], compared[h].Instances, compared[h].PValue,
            rejectedHumans.Contains(h), compared[h].JudgeAdvantage,
            compared[h].PValue is null ? JudgeReason.TooFewInstances(compared[h].Instances, minInstances) : null)).ToList();
        if (tested.Length == 0)
            return new(scoring, epsilon, q, minInstances, rows, 0, 0, null, null, JudgeReason.NoHumanTested(minInstances));
        return new(scoring, epsilon, q, minInstances, rows, tested.Length, rejectedHumans.Count,
            (double)rejectedHumans.Count / tested.Length, tested.Average(h => compared[h].JudgeAdvantage!.Value), null);
    }

    static (int Instances, double? PValue, double? JudgeAdvantage) Compare(RatingMatrix ratings, int judge, IReadOnlyList<int> humans,
        int excluded, AltTestScoring scoring, double epsilon, int minInstances, IReadOnlyList<double>? numbers)
    {
        var human = humans[excluded];
        var differences = new List<int>();
        var judgeWins = 0;
        var others = new List<int>(humans.Count);
        for (var u = 0; u < ratings.UnitCount; u++)
        {
            var row = ratings.UnitRow(u);
            if (row[judge] == RatingMatrix.Missing || row[human] == RatingMatrix.Missing) continue;
            others.Clear();
            for (var h = 0; h < humans.Count; h++)
                if (h != excluded && row[humans[h]] != RatingMatrix.Missing) others.Add(row[humans[h]]);
            if (others.Count == 0) continue;
            var judgeScore = Score(row[judge], others, scoring, numbers);
            var humanScore = Score(row[human], others, scoring, numbers);
            var judgeWin = judgeScore >= humanScore ? 1 : 0;
            var humanWin = humanScore >= judgeScore ? 1 : 0;
            judgeWins += judgeWin;
            differences.Add(humanWin - judgeWin);
        }
        var n = differences.Count;
        if (n < minInstances) return (n, null, null);
        return (n, OneSidedPValue(differences, epsilon), (double)judgeWins / n);
    }

    /// <summary>The alignment score of one value against the other physicians' values, as the authors' <c>accuracy</c>
    /// and <c>neg_rmse</c>.</summary>
    static double Score(int category, List<int> others, AltTestScoring scoring, IReadOnlyList<double>? numbers)
    {
        if (scoring == AltTestScoring.Accuracy)
        {
            var same = 0;
            foreach (var other in others)
                if (other == category) same++;
            return (double)same / others.Count;
        }
        var squares = 0.0;
        foreach (var other in others)
        {
            var difference = numbers![category] - numbers[other];
            squares += difference * difference;
        }
        return -Math.Sqrt(squares / others.Count);
    }

    /// <summary>p of the one-sided one-sample t-test of H0: mean(d) ≥ ε against mean(d) &lt; ε (SciPy's
    /// <c>ttest_1samp(d, ε, alternative='less')</c>), with the sd = 0 rule of docs/judges.md.</summary>
    internal static double OneSidedPValue(IReadOnlyList<int> differences, double epsilon)
    {
        var n = differences.Count;
        var mean = differences.Average();
        var squares = 0.0;
        foreach (var d in differences) squares += (d - mean) * (d - mean);
        var sd = Math.Sqrt(squares / (n - 1));
        if (sd == 0) return mean < epsilon ? 0 : 1;
        return StudentT.CDF(0, 1, n - 1, (mean - epsilon) / (sd / Math.Sqrt(n)));
    }
}
