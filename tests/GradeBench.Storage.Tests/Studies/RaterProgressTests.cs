using Dapper;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>The home page's card of a rater: their own assignments and how many they have submitted.</summary>
public sealed class RaterProgressTests() : DemoRaterTest("dr-progress")
{
    [Fact]
    public async Task TheStudyListCountsTheViewersOwnAssignmentsAndSubmissions()
    {
        var query = new StudyQuery(Db.Database);
        var queue = await Grading.QueueAsync(StudyId, Rater);
        var coordinator = await CoordinatorAsync("lead", "Dr Lead");

        var fresh = Assert.Single(await query.ListVisibleAsync(Rater, isAdmin: false));
        foreach (var item in queue.Take(3)) await Grading.SaveAsync(StudyId, Rater, item.ResponseId, CompleteRating, submit: true);
        await Grading.SaveAsync(StudyId, Rater, queue[3].ResponseId, new Dictionary<string, string?> { ["consensus"] = "3" }, submit: false);
        var begun = Assert.Single(await query.ListVisibleAsync(Rater, isAdmin: false));
        var lead = Assert.Single(await query.ListVisibleAsync(coordinator, isAdmin: false));

        Assert.Equal((queue.Count, 0L), (fresh.Assigned, fresh.Done));
        Assert.Equal((queue.Count, 3L), (begun.Assigned, begun.Done));
        Assert.Equal((0L, 0L), (lead.Assigned, lead.Done));
    }

    /// <summary>The two counts of <see cref="StudyQuery.ListVisibleAsync"/>, as written there: they must be answered from
    /// the covering index <c>assignments_queue</c> (rater, study, …, completed_at), so a card costs two index range
    /// scans over the viewer's own assignments however large the study.</summary>
    [Theory]
    [Trait("Provider", "SqliteOnly")]
    [InlineData("SELECT COUNT(*) FROM assignments a WHERE a.rater_id = @UserId AND a.study_id = @StudyId")]
    [InlineData("SELECT COUNT(*) FROM assignments a WHERE a.rater_id = @UserId AND a.study_id = @StudyId AND a.completed_at IS NOT NULL")]
    public async Task TheProgressCountsReadOnlyTheQueueIndex(string count)
    {
        await using var connection = await Db.Database.OpenAsync();

        var plan = string.Join("\n", (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + count, new { UserId = Rater, StudyId })).Select(row => row.Detail));

        Assert.Equal("SEARCH a USING COVERING INDEX assignments_queue (rater_id=? AND study_id=?)", plan);
    }
}
