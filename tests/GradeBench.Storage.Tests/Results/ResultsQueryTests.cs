using Dapper;
using GradeBench.Core.Results;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Tests.Results;

public sealed class ResultsQueryTests() : DemoRaterTest("dr-timed")
{

    ResultsQuery Query => new(Db.Database, new RubricQuery(Db.Database));

    [Fact]
    public async Task TheDemoLoadsWithItsImportedRatingsAndNoTimings()
    {
        var input = await Query.LoadAsync(Demo.StudyId);

        Assert.Equal(60, input.Responses.Count);
        Assert.Equal(20, input.Responses.Select(r => r.CaseId).Distinct().Count());
        Assert.Equal(["model-a", "model-b", "model-c"], input.Responses.Select(r => r.Model).Distinct().Order());
        Assert.Equal(576, input.Ratings.Count);
        Assert.Equal(4, input.Raters.Count);
        Assert.Empty(input.Timings);
        Assert.Equal(9, input.Criteria.Count);
    }

    [Fact]
    public async Task AResponseIsTimedFromItsFirstSavedValueToItsSubmitAndItsSpansCount()
    {
        var grading = Grading;
        await grading.SaveAsync(Demo.StudyId, Demo.RaterId, Demo.Assigned, new Dictionary<string, string?> { ["consensus"] = "3" }, submit: false);
        Db.Clock.Now = Db.Clock.Now.AddSeconds(90);
        await grading.SaveAsync(Demo.StudyId, Demo.RaterId, Demo.Assigned, CompleteRating, submit: true);
        var spans = new SpanStore(Db.Database, Db.Clock);
        var label = (await spans.LabelsAsync(Demo.StudyId))[0];
        await spans.AddAsync(Demo.StudyId, Demo.RaterId, Demo.Assigned, label.Id, 0, 5, null);

        var input = await Query.LoadAsync(Demo.StudyId);
        var results = StudyResults.Compute(input, resamples: 50);

        Assert.Equal(90, Assert.Single(input.Timings).Submitted.Subtract(input.Timings[0].FirstSaved).TotalSeconds);
        var rater = results.Raters.Single(r => r.Id == Demo.RaterId);
        Assert.Equal((1, 8, 90.0), (rater.Items, rater.Ratings, rater.MedianSecondsPerItem));
        await using var connection = await Db.Database.OpenAsync();
        var model = await connection.ExecuteScalarAsync<string>("SELECT model FROM responses WHERE id = @Id", new { Id = Demo.Assigned });
        Assert.Equal(1, results.Spans.Rows.Single(r => r.Model == model).Counts[0]);
    }
}
