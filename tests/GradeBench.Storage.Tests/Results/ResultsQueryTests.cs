using Dapper;
using GradeBench.Core.Results;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Tests.Results;

public sealed class ResultsQueryTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    DemoRater _demo = null!;

    static readonly Dictionary<string, string?> CompleteRating = DemoRatings.Complete();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _demo = await _db.DemoWithNewRaterAsync("dr-timed");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    ResultsQuery Query => new(_db.Database, new RubricQuery(_db.Database));

    [Fact]
    public async Task TheDemoLoadsWithItsImportedRatingsAndNoTimings()
    {
        var input = await Query.LoadAsync(_demo.StudyId);

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
        var grading = new GradingStore(_db.Database, new RubricQuery(_db.Database), _db.Clock);
        await grading.SaveAsync(_demo.StudyId, _demo.RaterId, _demo.Assigned, new Dictionary<string, string?> { ["consensus"] = "3" }, submit: false);
        _db.Clock.Now = _db.Clock.Now.AddSeconds(90);
        await grading.SaveAsync(_demo.StudyId, _demo.RaterId, _demo.Assigned, CompleteRating, submit: true);
        var spans = new SpanStore(_db.Database, _db.Clock);
        var label = (await spans.LabelsAsync(_demo.StudyId))[0];
        await spans.AddAsync(_demo.StudyId, _demo.RaterId, _demo.Assigned, label.Id, 0, 5, null);

        var input = await Query.LoadAsync(_demo.StudyId);
        var results = StudyResults.Compute(input, resamples: 50);

        Assert.Equal(90, Assert.Single(input.Timings).Submitted.Subtract(input.Timings[0].FirstSaved).TotalSeconds);
        var rater = results.Raters.Single(r => r.Id == _demo.RaterId);
        Assert.Equal((1, 8, 90.0), (rater.Items, rater.Ratings, rater.MedianSecondsPerItem));
        await using var connection = await _db.Database.OpenAsync();
        var model = await connection.ExecuteScalarAsync<string>("SELECT model FROM responses WHERE id = @Id", new { Id = _demo.Assigned });
        Assert.Equal(1, results.Spans.Rows.Single(r => r.Model == model).Counts[0]);
    }
}
