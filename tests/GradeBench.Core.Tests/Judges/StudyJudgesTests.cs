using GradeBench.Core.Judges;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Judges;

/// <summary>A study's judge statistics: each criterion with a level that a judge rated, on the criterion's whole scale,
/// with the responses' models; the same report as <see cref="JudgeAgreement.Analyse"/> gives.</summary>
public sealed class StudyJudgesTests
{
    internal const long Judge = 99;
    static readonly Criterion Quality = new("quality", "Quality", null, CriterionType.Likert, true, 1, 5, [], []);
    static readonly Criterion Flag = new("flag", "Flag", null, CriterionType.Binary, true, null, null, [], []);
    static readonly Criterion Note = new("note", "Note", null, CriterionType.Text, false, null, null, [], []);
    static readonly Criterion Unjudged = new("unjudged", "Unjudged", null, CriterionType.Binary, true, null, null, [], []);

    /// <summary>40 responses of two models: three physicians rate the first 32, the judge all 40; quality never 3.</summary>
    internal static ResultsInput Study()
    {
        var random = new Random(7);
        var responses = Enumerable.Range(1, 40).Select(i => new ResultResponse(i, $"case-{i}", i % 2 == 0 ? "model-a" : "model-b")).ToList();
        var ratings = new List<ResultRating>();
        foreach (var response in responses)
        {
            var truth = random.Next(2);
            long[] raters = response.Id <= 32 ? [10, 11, 12, Judge] : [Judge];
            foreach (var rater in raters)
            {
                var quality = truth == 1 ? (random.NextDouble() < 0.8 ? "5" : "4") : (random.NextDouble() < 0.8 ? "1" : "2");
                ratings.Add(new(1, response.Id, rater, quality));
                ratings.Add(new(2, response.Id, rater, random.NextDouble() < 0.85 ? (truth == 1 ? "true" : "false") : (truth == 1 ? "false" : "true")));
                ratings.Add(new(3, response.Id, rater, "a note"));
                if (rater != Judge) ratings.Add(new(4, response.Id, rater, "true"));
            }
        }
        return new ResultsInput([new(1, Quality), new(2, Flag), new(3, Note), new(4, Unjudged)], responses,
            [new(10, "ann"), new(11, "bob"), new(12, "cy"), new(Judge, "judge")], ratings, [], [], [], []);
    }

    [Fact]
    public void EachCriterionAJudgeRatedIsAnalysedOnItsWholeScaleWithTheModels()
    {
        var input = Study();

        var results = StudyJudges.Compute(input, new HashSet<long> { Judge }, resamples: 0);

        Assert.Equal(["quality", "flag"], results.Select(r => r.Criterion.Id));
        var quality = results[0].Report;
        Assert.Equal(["1", "2", "3", "4", "5"], quality.Categories);
        Assert.Equal(["10", "11", "12"], quality.Physicians);
        var judge = Assert.Single(quality.Judges);
        Assert.Equal(("99", 40), (judge.Judge, judge.Responses));
        Assert.Equal(3, judge.AltTest.HumansTested);
        Assert.Equal(["model-a", "model-b"], judge.Models.Select(m => m.Model).Order());
        Assert.All(judge.Models, m => Assert.Equal((16, 4), (m.PhysicianRated, m.Unlabeled)));
        Assert.NotNull(Assert.Single(results[1].Report.Judges).BalancedF1);
    }

    /// <summary>The judges' ratings reach the database in an order of their own (an import follows the blinded handles):
    /// the same ratings in another order give the same numbers, intervals included, to the last bit.</summary>
    [Fact]
    public void TheOrderTheRatingsAreReadInChangesNoNumber()
    {
        var input = Study();
        var shuffled = input with { Ratings = [.. input.Ratings.OrderBy(r => (r.ResponseId * 7919) % 41).ThenByDescending(r => r.RaterId)] };
        JudgeProvenance[] judges = [new(Judge, "judge", "gpt-4o", null, null, null, "rubric", DateTimeOffset.UnixEpoch)];

        var rows = JudgeRows.Of(StudyJudges.Compute(input, judges, resamples: 200), id => id).Select(r => r.ToString()).ToList();
        var again = JudgeRows.Of(StudyJudges.Compute(shuffled, judges, resamples: 200), id => id).Select(r => r.ToString()).ToList();

        Assert.Equal(rows, again);
    }

    [Fact]
    public void NoJudgeNoStatistics() => Assert.Empty(StudyJudges.Compute(Study(), new HashSet<long>(), resamples: 0));
}
