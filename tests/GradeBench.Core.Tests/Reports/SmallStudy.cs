using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Reports;

/// <summary>The reports' small study: two raters (ann, bob) on two models' answers to each case, rating a 1–5 quality
/// and a yes/no flag; one span label, used once.</summary>
static class SmallStudy
{
    static readonly string[] Quality = ["4", "5", "2", "3", "5", "5", "3", "2", "3", "4", "4", "4"];

    public static ResultsInput Input(Criterion quality, Criterion flag, int cases)
    {
        var responses = Enumerable.Range(0, 2 * cases).Select(i => new ResultResponse(i + 1, $"c{i / 2 + 1}", i % 2 == 0 ? "model-a" : "model-b")).ToArray();
        var ratings = new List<ResultRating>();
        for (var i = 0; i < responses.Length; i++)
        {
            ratings.Add(new(1, i + 1, 10, Quality[2 * i]));
            ratings.Add(new(1, i + 1, 11, Quality[2 * i + 1]));
            ratings.Add(new(2, i + 1, 10, i % 2 == 0 ? "true" : "false"));
            ratings.Add(new(2, i + 1, 11, "false"));
        }
        return new ResultsInput([new(1, quality), new(2, flag)], responses, [new(10, "ann"), new(11, "bob")], ratings, [],
            ["omission"], [new(2, "omission")], []);
    }
}
