using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Agreement;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Export;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Storage.Tests.Adjudication;

namespace GradeBench.Storage.Tests.Judges;

/// <summary>A judge that has rated every response of the demo study, each time at the far end of every scale (it would
/// disagree with the physicians everywhere and raise the safety rule), is left out of everything said of physicians
/// unless a caller includes judges.</summary>
public sealed class JudgesLeftOutTests : IAsyncLifetime
{
    AdjudicationWorld _world = null!;
    Judge _judge = null!;

    TestDatabase Db => _world.Db;
    long StudyId => _world.StudyId;

    public async Task InitializeAsync()
    {
        _world = await AdjudicationWorld.CreateAsync();
        _judge = (await new JudgeStore(Db.Database, new RubricQuery(Db.Database), Db.Clock).AddAsync(StudyId, new NewJudge("harsh", "gpt-4o"))).Judge!;
        await RateEverythingAsync(Db, _judge.UserId);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    /// <summary>Submits the judge's rating of each response it is assigned, as an import would, and completes the assignments.</summary>
    internal static async Task RateEverythingAsync(TestDatabase db, long judgeId)
    {
        var values = DemoRatings.Complete(("consensus", "1"), ("reasoning", "1"), ("completeness", "major"), ("incorrect_content", "major"),
            ("harm_extent", "severe-death"), ("harm_likelihood", "high"), ("hallucination", "true"), ("overall", "1"));
        await using var connection = await db.Database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO ratings (response_id, rater_id, criterion_id, value, comment, status, updated_at, submitted_at)
            SELECT a.response_id, a.rater_id, c.id, @Value, 'because', 'submitted', @Now, @Now
            FROM assignments a JOIN criteria c ON c.study_id = a.study_id AND c.slug = @Criterion
            WHERE a.rater_id = @JudgeId
            """, values.Select(v => new { JudgeId = judgeId, Criterion = v.Key, v.Value, db.Clock.Now }));
        await connection.ExecuteAsync("UPDATE assignments SET completed_at = @Now WHERE rater_id = @JudgeId", new { JudgeId = judgeId, db.Clock.Now });
    }

    [Fact]
    public async Task AgreementIsThePhysiciansUnlessJudgesAreIncluded()
    {
        var query = new AgreementQuery(Db.Database);
        var criteria = (await new RubricQuery(Db.Database).LoadAsync(StudyId)).Select(c => c.Id).ToHashSet();

        var physicians = (await query.SubmittedAsync(StudyId)).SelectMany(g => g).ToList();
        var everyone = (await query.SubmittedAsync(StudyId, RaterScope.PhysiciansAndJudges)).SelectMany(g => g).ToList();
        var columns = await query.SubmittedColumnsAsync(StudyId, criteria);
        var allColumns = await query.SubmittedColumnsAsync(StudyId, criteria, RaterScope.PhysiciansAndJudges);

        Assert.DoesNotContain(physicians, r => r.RaterId == _judge.UserId);
        Assert.Equal(physicians.Count + 60 * 8, everyone.Count);
        Assert.Equal(4, columns.Values.Max(c => c.RaterCount()));
        Assert.Equal(5, allColumns.Values.Max(c => c.RaterCount()));
    }

    [Fact]
    public async Task ResultsAreThePhysiciansUnlessJudgesAreIncluded()
    {
        var query = new ResultsQuery(Db.Database, new RubricQuery(Db.Database));

        var physicians = await query.LoadAsync(StudyId);
        var everyone = await query.LoadAsync(StudyId, RaterScope.PhysiciansAndJudges);

        Assert.DoesNotContain(physicians.Raters, r => r.Id == _judge.UserId);
        Assert.DoesNotContain(physicians.Ratings, r => r.RaterId == _judge.UserId);
        Assert.Contains(everyone.Raters, r => r.Id == _judge.UserId);
        Assert.Equal(60 * 8, everyone.Ratings.Count(r => r.RaterId == _judge.UserId));
    }

    [Fact]
    public async Task TheDashboardCountsPhysiciansOnly()
    {
        var query = new DashboardQuery(Db.Database);

        var raters = await query.RaterActivityAsync(StudyId);
        var counts = await query.CountsAsync(StudyId);

        Assert.DoesNotContain(raters, r => r.RaterId == _judge.UserId);
        Assert.False(counts.Raters.ContainsKey(_judge.UserId));
        Assert.Equal(180, counts.Models.Sum(m => m.Assigned));
        Assert.All(counts.Criteria, c => Assert.Equal(180, c.Assigned));
        Assert.Equal(72, counts.Criteria.Single(c => c.Key == "overall").Done);
    }

    [Fact]
    public async Task AStudyIsCompleteWhenItsPhysiciansAreAndItsListCountsTheirRatings()
    {
        await using (var connection = await Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE assignments SET completed_at = NULL WHERE rater_id = @Id", new { Id = _judge.UserId });

        var completion = (await new StudyCompletionQuery(Db.Database).ReadAsync(StudyId))!;
        var summary = (await new StudyQuery(Db.Database).ListVisibleAsync(_world.Coordinator, isAdmin: false)).Single();

        Assert.Equal((180L, 108L), (completion.Expected, completion.Missing));
        Assert.Equal(72, summary.Ratings);
    }

    [Fact]
    public async Task AdjudicationIsBuiltFromThePhysiciansRatings()
    {
        await using var plain = await AdjudicationWorld.CreateAsync();
        await plain.MoveToAsync(StudyState.Adjudication);
        var expected = (await plain.Store.BuildQueueAsync(plain.StudyId)).Count;

        await _world.MoveToAsync(StudyState.Adjudication);
        var items = await _world.Store.BuildQueueAsync(StudyId);

        Assert.Equal(expected, items.Count);
        Assert.All(items, i => Assert.DoesNotContain(_judge.UserId, i.Participants));
        var item = await _world.Store.LoadAsync(StudyId, items[0].ItemId, _world.Coordinator);
        Assert.DoesNotContain(item!.Raters, r => r.RaterId == _judge.UserId);
    }

    [Fact]
    public async Task ExportsAndTheReportsFactsAreThePhysicians()
    {
        var ratings = new StringWriter();
        var history = new StringWriter();
        var wide = new StringWriter();
        var export = new TextExport(Db.Database);

        var rows = await export.WriteRatingsAsync(StudyId, ratings);
        await export.WriteHistoryAsync(StudyId, history);
        await export.WriteRatingsWideAsync(StudyId, wide);
        var facts = (await new ReportQuery(Db.Database).LoadAsync(StudyId))!;

        Assert.Equal(72 * 8, rows);
        Assert.Equal(rows, await export.CountRatingsAsync(StudyId));
        foreach (var text in new[] { ratings, history, wide }) Assert.DoesNotContain(_judge.Username, text.ToString());
        Assert.Equal(5, facts.RaterLoads.Count);
        Assert.Equal(180, facts.RaterLoads.Sum());
        Assert.All(facts.RatersPerAssignedResponse, n => Assert.Equal(3, n));
        Assert.Equal(72 * 8, facts.SubmittedRatings);
    }
}
