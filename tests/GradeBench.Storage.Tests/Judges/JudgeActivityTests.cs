using System.Text;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Judges;

/// <summary>A judge's work reaches the activity feed as one entry per import or burst of API submissions.</summary>
public sealed class JudgeActivityTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    long _studyId;
    Judge _judge = null!;

    JudgeStore Judges => new(_db.Database, new RubricQuery(_db.Database), _db.Clock);
    GradingStore Grading => new(_db.Database, new RubricQuery(_db.Database), _db.Clock);

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        _judge = (await Judges.AddAsync(_studyId, new NewJudge("gpt-judge", "gpt-4o"))).Judge!;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    async Task<RatingWriteResult> SubmitAsync(int place, string overall = "4")
    {
        var queue = await Grading.QueueAsync(_studyId, _judge.UserId);
        return await Grading.SaveAsync(_studyId, _judge.UserId, queue[place].ResponseId, DemoRatings.Complete(("overall", overall)), submit: true);
    }

    Task<IReadOnlyList<ActivityEntry>> FeedAsync() => new DashboardQuery(_db.Database).RecentActivityAsync(_studyId, 20);

    [Fact]
    public async Task SubmissionsTenMinutesApartOrLessAreOneBurstInTheFeed()
    {
        var first = await SubmitAsync(0);
        _db.Clock.Now += TimeSpan.FromMinutes(9);
        var second = await SubmitAsync(1);
        await SubmitAsync(1);                                    // the same values again: nothing written, nothing counted
        _db.Clock.Now += TimeSpan.FromMinutes(11);
        var third = await SubmitAsync(2);

        Assert.Equal((first.JudgeBatch!.Id, 2L), (second.JudgeBatch!.Id, second.JudgeBatch.Responses));
        Assert.NotEqual(first.JudgeBatch.Id, third.JudgeBatch!.Id);
        Assert.True(first.ByJudge);
        Assert.Null(first.Progress);
        var judged = (await FeedAsync()).Where(e => e.Kind == ActivityEntry.Judge).ToList();
        Assert.Equal([(third.JudgeBatch.Id, 1L, _db.Clock.Now), (first.JudgeBatch.Id, 2L, _db.Clock.Now - TimeSpan.FromMinutes(11))],
            judged.Select(e => (e.Batch!.Value, e.Count, e.At)));
        Assert.All(judged, e => Assert.Equal(("gpt-judge", JudgeBatch.Api), (e.Who, e.Subject)));
        Assert.DoesNotContain(await FeedAsync(), e => e.Kind == ActivityEntry.Submitted);
    }

    [Fact]
    public async Task AnImportIsOneEntryOfTheResponsesItChanged()
    {
        var csv = new StringBuilder("response_id,criterion,value\n");
        foreach (var response in new[] { "case-001.model-a", "case-001.model-b", "case-001.model-c" })
            foreach (var (criterion, value) in DemoRatings.Complete()) csv.Append($"{response},{criterion},{value}\n");

        var imported = await Judges.ImportAsync(_studyId, "gpt-judge", "judge.csv", Encoding.UTF8.GetBytes(csv.ToString()));
        await Judges.ImportAsync(_studyId, "gpt-judge", "judge.csv", Encoding.UTF8.GetBytes(csv.ToString()));

        Assert.Equal((JudgeImportOutcome.Imported, 3, 24), (imported.Outcome, imported.Responses, imported.Changed));
        var entry = Assert.Single(await FeedAsync(), e => e.Kind == ActivityEntry.Judge);
        Assert.Equal(("gpt-judge", JudgeBatch.Import, 3L), (entry.Who, entry.Subject, entry.Count));
    }
}
