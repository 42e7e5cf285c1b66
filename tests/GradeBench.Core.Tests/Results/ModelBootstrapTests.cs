using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Results;

/// <summary>The model tables' bootstrap against its definition: each statistic recomputed from every case's ratings
/// with the case weights of <see cref="Bootstrap.PercentileInterval"/>, one statistic at a time.</summary>
public sealed class ModelBootstrapTests
{
    static readonly Criterion Quality = new("quality", "Quality", null, CriterionType.Likert, true, 1, 5, [], []);
    static readonly Criterion Dose = new("dose", "Dose", null, CriterionType.Numeric, true, null, null, [], []);
    static readonly Criterion Flag = new("flag", "Flag", null, CriterionType.Binary, true, null, null, [], []);

    /// <summary>Seeded cases: models with different numbers of cases (two share one), 1–4 values a case.</summary>
    static CriterionCases Cases(Criterion criterion, IReadOnlyList<string> categories, Func<Random, string> value, int seed)
    {
        var random = new Random(seed);
        return Of(criterion, categories, new[] { ("a", 40), ("b", 40), ("c", 23), ("d", 0) }.Select(m => (m.Item1,
            Enumerable.Range(0, m.Item2).Select(_ => Enumerable.Range(0, random.Next(1, 5)).Select(_ => value(random)).ToList()).ToList())).ToArray());
    }

    /// <summary>The cases of each model as lists of values: case i of a model is case number i.</summary>
    static CriterionCases Of(Criterion criterion, IReadOnlyList<string> categories, params (string Model, List<List<string>> Cases)[] models)
    {
        var values = models.SelectMany(m => m.Cases).SelectMany(c => c).Distinct().ToArray();
        var caseIds = Enumerable.Range(0, models.Max(m => m.Cases.Count)).Select(i => $"case-{i:D3}").ToArray();
        return new CriterionCases(criterion, categories, values, caseIds, models.Select(m => new ModelCases(m.Model,
            Enumerable.Range(0, m.Cases.Count).ToArray(),
            [0, .. m.Cases.Select((_, i) => m.Cases.Take(i + 1).Sum(c => c.Count))],
            m.Cases.SelectMany(c => c).Select(v => Array.IndexOf(values, v)).ToArray())).ToList());
    }

    static List<string>[] ListsOf(CriterionCases criterion, ModelCases model) => Enumerable.Range(0, model.CaseCount)
        .Select(i => model.Values[model.Starts[i]..model.Starts[i + 1]].Select(v => criterion.Values[v]).ToList()).ToArray();

    static readonly CriterionCases[] Study =
    [
        Cases(Quality, [], r => r.Next(1, 6).ToString(CultureInfo.InvariantCulture), 1),
        Cases(Dose, [], r => (r.Next(0, 40) / 4.0).ToString(CultureInfo.InvariantCulture), 2),
        Cases(Flag, ["false", "true"], r => r.Next(3) == 0 ? "true" : "false", 3),
    ];

    static double? Mean(List<string>[] cases, ReadOnlySpan<int> w)
    {
        double sum = 0, count = 0;
        for (var i = 0; i < cases.Length; i++)
        {
            foreach (var v in cases[i]) sum += w[i] * double.Parse(v, CultureInfo.InvariantCulture);
            count += w[i] * cases[i].Count;
        }
        return count == 0 ? null : sum / count;
    }

    static double? Median(List<string>[] cases, ReadOnlySpan<int> w)
    {
        var pooled = new List<double>();
        for (var i = 0; i < cases.Length; i++)
            for (var k = 0; k < w[i]; k++) pooled.AddRange(cases[i].Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
        pooled.Sort();
        return pooled.Count == 0 ? null : (pooled[(pooled.Count - 1) / 2] + pooled[pooled.Count / 2]) / 2;
    }

    static double? Share(List<string>[] cases, string category, ReadOnlySpan<int> w)
    {
        double hit = 0, all = 0;
        for (var i = 0; i < cases.Length; i++) { hit += w[i] * cases[i].Count(v => v == category); all += w[i] * cases[i].Count; }
        return all == 0 ? null : hit / all;
    }

    static Estimate Expected(List<string>[] cases, Bootstrap.WeightedStatistic statistic) =>
        Estimate.Of(statistic(Enumerable.Repeat(1, cases.Length).ToArray())!.Value,
            Bootstrap.PercentileInterval(cases.Length, statistic, resamples: 200, seed: 5));

    [Fact]
    public void EveryStatisticIsExactlyThePercentileIntervalOfItsCaseWeightedForm()
    {
        var summaries = ModelBootstrap.Summaries(Study, resamples: 200, seed: 5);

        for (var c = 0; c < Study.Length; c++)
            for (var m = 0; m < Study[c].Models.Count; m++)
            {
                var cases = ListsOf(Study[c], Study[c].Models[m]);
                var summary = summaries[c][m];
                Assert.Equal((cases.Length, cases.Sum(v => v.Count)), (summary.Cases, summary.Ratings));
                if (cases.Length == 0)
                {
                    Assert.Null(summary.Mean);
                    continue;
                }
                if (Study[c].Criterion.Type == CriterionType.Binary)
                {
                    Assert.Equal(["false", "true"], summary.Shares.Select(s => s.Category));
                    foreach (var share in summary.Shares)
                    {
                        Assert.Equal(Expected(cases, w => Share(cases, share.Category, w)), share.Proportion);
                        Assert.Equal(cases.Sum(v => v.Count(x => x == share.Category)), share.Count);
                    }
                    continue;
                }
                Assert.Equal(Expected(cases, w => Mean(cases, w)), summary.Mean);
                Assert.Equal(Expected(cases, w => Median(cases, w)), summary.Median);
            }
    }

    [Fact]
    public void TheIntervalsAreTheSameOnOneThreadAsOnMany()
    {
        var one = ModelBootstrap.Summaries(Study, resamples: 300, seed: 9, maxThreads: 1);
        var many = ModelBootstrap.Summaries(Study, resamples: 300, seed: 9, maxThreads: 4);

        Assert.Equal(one.SelectMany(c => c), many.SelectMany(c => c), new SummaryComparer());
    }

    [Fact]
    public void MeansOfDecimalsAreTheExactMeanRoundedOnce()
    {
        // 0.1 + 0.2 + 0.3 summed in doubles is 0.6000000000000001; the exact mean is 6/30 = 0.2.
        var cases = Of(Dose, [], ("a", [["0.1", "0.2"], ["0.3"]]));

        var mean = ModelBootstrap.Summaries([cases], resamples: 0)[0][0].Mean!;

        Assert.Equal(0.2, mean.Value);
        Assert.NotEqual(0.2, (0.1 + 0.2 + 0.3) / 3);
    }

    sealed class SummaryComparer : IEqualityComparer<ModelSummary>
    {
        public bool Equals(ModelSummary? x, ModelSummary? y) =>
            x!.Model == y!.Model && Equals(x.Mean, y.Mean) && Equals(x.Median, y.Median) && x.Shares.SequenceEqual(y.Shares);

        public int GetHashCode(ModelSummary obj) => obj.Model.GetHashCode(StringComparison.Ordinal);
    }
}
