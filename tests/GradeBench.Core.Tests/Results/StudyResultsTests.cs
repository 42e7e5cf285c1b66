using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Results;

/// <summary>A small study worked by hand: three cases, models a and b answering each, raters 10 and 11 rating all six
/// responses on a likert 1–5 criterion and a binary one.</summary>
public sealed class StudyResultsTests
{
    static readonly Criterion Quality = new("quality", "Quality", null, CriterionType.Likert, true, 1, 5, [], []);
    static readonly Criterion Flag = new("flag", "Flag", null, CriterionType.Binary, true, null, null, [], []);
    static readonly Criterion Note = new("note", "Note", null, CriterionType.Text, false, null, null, [], []);
    static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    static ResultsInput Study(params ConsensusValue[] consensus)
    {
        ResultResponse[] responses =
        [
            new(1, "c1", "model-a"), new(2, "c1", "model-b"),
            new(3, "c2", "model-a"), new(4, "c2", "model-b"),
            new(5, "c3", "model-a"), new(6, "c3", "model-b"),
        ];
        // Quality (rater 10, rater 11) per response 1..6; flag likewise.
        (string, string)[] quality = [("4", "5"), ("2", "3"), ("5", "5"), ("3", "2"), ("3", "4"), ("4", "4")];
        (string, string)[] flag = [("true", "true"), ("false", "false"), ("false", "false"), ("false", "false"), ("true", "false"), ("false", "true")];
        var ratings = new List<ResultRating>();
        for (var i = 0; i < 6; i++)
        {
            ratings.Add(new(1, i + 1, 10, quality[i].Item1));
            ratings.Add(new(1, i + 1, 11, quality[i].Item2));
            ratings.Add(new(2, i + 1, 10, flag[i].Item1));
            ratings.Add(new(2, i + 1, 11, flag[i].Item2));
        }
        ratings.Add(new(3, 1, 10, "free text"));
        ItemTiming[] timings =
        [
            new(10, 1, T0, T0.AddSeconds(60)), new(10, 2, T0, T0.AddSeconds(120)), new(10, 3, T0, T0.AddSeconds(30)),
            new(11, 1, T0, T0.AddSeconds(10)), new(11, 2, T0, T0.AddSeconds(20)),
        ];
        return new ResultsInput([new(1, Quality), new(2, Flag), new(3, Note)], responses, [new(10, "ann"), new(11, "bob")], ratings, timings,
            ["hallucination", "omission"], [new(1, "hallucination"), new(1, "hallucination"), new(4, "omission")], consensus);
    }

    static StudyResultsReport Compute(ResultsInput input, bool onConsensus = false) => StudyResults.Compute(input, onConsensus, resamples: 200, seed: 7);

    [Fact]
    public void AgreementRowsGiveEachCoefficientWithItsReading()
    {
        var rows = Compute(Study()).AgreementRows().Where(r => r.Criterion == "quality").ToList();

        // Two raters agree on 2 of 6 responses.
        Assert.Equal(2.0 / 6, rows.Single(r => r.Metric == "percent_agreement").Value!.Value, 12);
        // Margins of rater 10 (2:1, 3:2, 4:2, 5:1) and rater 11 (2:1, 3:1, 4:2, 5:2): pe = 9/36, κ = (1/3 − 1/4)/(3/4) = 1/9.
        var kappa = rows.Single(r => r.Metric == "cohen_kappa");
        Assert.Equal(1.0 / 9, kappa.Value!.Value, 12);
        Assert.Equal("Landis & Koch 1977: slight", kappa.Reading);
        Assert.NotNull(kappa.CiLower);
        Assert.Equal(6, kappa.Units);
        Assert.Equal(2, kappa.Raters);
        Assert.Equal("ordinal", kappa.Level);
        Assert.DoesNotContain(Compute(Study()).AgreementRows(), r => r.Criterion == "note");
    }

    [Fact]
    public void LikertMeansAndMediansArePerModel()
    {
        var quality = Compute(Study()).ModelResults.Single(c => c.Criterion.Id == "quality");
        var a = quality.Models.Single(m => m.Model == "model-a");
        var b = quality.Models.Single(m => m.Model == "model-b");

        // a: 4, 5, 5, 5, 3, 4; b: 2, 3, 3, 2, 4, 4.
        Assert.Equal(26.0 / 6, a.Mean!.Value!.Value, 12);
        Assert.Equal(4.5, a.Median!.Value);
        Assert.Equal(3.0, b.Mean!.Value!.Value, 12);
        Assert.Equal(3.0, b.Median!.Value);
        Assert.Equal(6, a.Ratings);
        Assert.Equal(3, a.Cases);
        Assert.InRange(a.Mean.Value!.Value, a.Mean.Ci95!.Value.Lower, a.Mean.Ci95!.Value.Upper);
    }

    [Fact]
    public void ModelsAreComparedWithWilcoxonOnPerCaseMeans()
    {
        var comparison = Compute(Study()).ModelResults.Single(c => c.Criterion.Id == "quality").Comparisons.Single();

        // Per-case means a − b: 4.5 − 2.5 = 2, 5 − 2.5 = 2.5, 3.5 − 4 = −0.5; ranks of |d|: 0.5 → 1, 2 → 2, 2.5 → 3.
        // V = 2 + 3 = 5; exactly, P(V ≥ 5) = 2/8 for n = 3, so p = 0.5; one pair, so Holm leaves it.
        Assert.Equal(("model-a", "model-b", 3), (comparison.ModelA, comparison.ModelB, comparison.Cases));
        Assert.Equal(4.0 / 3, comparison.MeanDifference!.Value, 12);
        Assert.Equal(5, comparison.Test!.V);
        Assert.True(comparison.Test.Exact);
        Assert.Equal(0.5, comparison.Test.PValue, 12);
        Assert.Equal(0.5, comparison.HolmP!.Value, 12);
    }

    [Fact]
    public void BinaryCriteriaGiveTheShareOfEachCategoryAndNoComparison()
    {
        var flag = Compute(Study()).ModelResults.Single(c => c.Criterion.Id == "flag");

        var a = flag.Models.Single(m => m.Model == "model-a").Shares;
        var b = flag.Models.Single(m => m.Model == "model-b").Shares;
        Assert.Equal(["false", "true"], a.Select(s => s.Category));
        Assert.Equal(3.0 / 6, a[1].Proportion.Value!.Value, 12);
        Assert.Equal(1.0 / 6, b[1].Proportion.Value!.Value, 12);
        Assert.Equal(5, b[0].Count);
        Assert.Empty(flag.Comparisons);
    }

    [Fact]
    public void RatersGetCountsMedianTimeAndLeniency()
    {
        var raters = Compute(Study()).Raters;
        var ann = raters.Single(r => r.Name == "ann");
        var bob = raters.Single(r => r.Name == "bob");

        Assert.Equal((6, 13), (ann.Items, ann.Ratings));
        Assert.Equal(60, ann.MedianSecondsPerItem);
        Assert.Equal(15, bob.MedianSecondsPerItem);
        Assert.Equal(2, bob.TimedItems);
        // Ann minus Bob on quality: −1, −1, 0, +1, −1, 0.
        Assert.Equal(-2.0 / 6, ann.Leniency[1].MeanDifference.Value!.Value, 12);
        Assert.Equal(2.0 / 6, bob.Leniency[1].MeanDifference.Value!.Value, 12);
    }

    [Fact]
    public void SpanLabelsAreCountedPerModel()
    {
        var spans = Compute(Study()).Spans;

        Assert.Equal([2, 0], spans.Rows.Single(r => r.Model == "model-a").Counts);
        Assert.Equal([0, 1], spans.Rows.Single(r => r.Model == "model-b").Counts);
    }

    [Fact]
    public void OnConsensusAResponsesConsensusValueReplacesItsRatingsInTheModelTablesOnly()
    {
        var input = Study(new ConsensusValue(5, 1, "5"));
        var independent = Compute(input);
        var consensus = Compute(input, onConsensus: true);

        var a = consensus.ModelResults.Single(c => c.Criterion.Id == "quality").Models.Single(m => m.Model == "model-a");
        // 4, 5, 5, 5 and the consensus 5 instead of 3, 4.
        Assert.Equal(4.8, a.Mean!.Value!.Value, 12);
        Assert.Equal(5, a.Ratings);
        Assert.Equal(
            independent.AgreementRows().Select(r => r.Value),
            consensus.AgreementRows().Select(r => r.Value));
    }

    [Fact]
    public void TheSameSeedGivesTheSameIntervals()
    {
        var first = Compute(Study()).ModelResults.SelectMany(c => c.Models).Select(m => m.Mean?.Ci95).ToList();
        var second = Compute(Study()).ModelResults.SelectMany(c => c.Models).Select(m => m.Mean?.Ci95).ToList();

        Assert.Equal(first, second);
    }
}
