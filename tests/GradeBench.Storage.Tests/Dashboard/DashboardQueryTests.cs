using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Dashboard;

public sealed class DashboardQueryTests() : DemoRaterTest("dr-new")
{
    DashboardQuery _query = null!;

    protected override Task ArrangeAsync()
    {
        _query = new DashboardQuery(Db.Database);
        return Task.CompletedTask;
    }

    async Task<long> CountAsync(string sql)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new { Demo.StudyId, Demo.RaterId });
    }

    Task SubmitAsync() =>
        Grading.SaveAsync(Demo.StudyId, Demo.RaterId, Demo.Assigned, CompleteRating, submit: true);

    [Fact]
    public async Task ASubmissionIsDescribedByItsRaterResponseAndTheRatersProgress()
    {
        await SubmitAsync();

        var facts = await _query.SubmissionAsync(Demo.StudyId, Demo.RaterId, Demo.Assigned);

        Assert.Equal("dr-new", facts.RaterName);
        Assert.Equal(await ResponseSlugAsync(Demo.Assigned), facts.ResponseSlug);
        Assert.Equal(1, facts.RaterDone);
        Assert.Equal(await CountAsync("SELECT COUNT(*) FROM assignments WHERE rater_id = @RaterId"), facts.RaterAssigned);
    }

    [Fact]
    public async Task TheItemsRatersHaveOpenAreNamedByTheirBundleIds()
    {
        var queue = await Grading.QueueAsync(Demo.StudyId, Demo.RaterId);
        HashSet<long> open = [queue[0].ResponseId, queue[1].ResponseId];

        var names = await _query.ResponseSlugsAsync(Demo.StudyId, open);

        Assert.Equal(open.Order(), names.Keys.Order());
        foreach (var (id, slug) in names) Assert.Equal(await ResponseSlugAsync(id), slug);
    }

    [Fact]
    public async Task ASubmitsChangeAddedToTheCountsBeforeItGivesTheCountsReadAfterIt()
    {
        // The dashboard keeps its counts by adding each submit's change rather than reading the study again.
        var queue = await Grading.QueueAsync(Demo.StudyId, Demo.RaterId);
        var (first, second) = (queue[0].ResponseId, queue[1].ResponseId);
        var steps = new (long Response, Dictionary<string, string?> Values, bool Submit)[]
        {
            (first, CompleteRating, true),                                          // completes the assignment
            (first, DemoRatings.Complete(("comment", "Checked twice.")), true),     // an optional value added after
            (first, DemoRatings.Complete(("comment", null), ("overall", "2")), true), // and cleared, another changed
            (second, new() { ["consensus"] = "3" }, false),                          // a draft: nothing counted
            (second, CompleteRating, true),                                         // the draft's value now submitted
            (second, CompleteRating, true),                                         // the same again: nothing written
        };
        foreach (var (response, values, submit) in steps)
        {
            var before = await _query.CountsAsync(Demo.StudyId);
            var result = await Grading.SaveAsync(Demo.StudyId, Demo.RaterId, response, values, submit);
            var after = await _query.CountsAsync(Demo.StudyId);

            Assert.Equal(RatingWriteOutcome.Saved, result.Outcome);
            if (result.Progress is { } delta) Assert.Equal(Describe(after), Describe(before.After(delta)!));
            else Assert.Equal(Describe(before), Describe(after));
            Assert.Null(after.After(result.Progress ?? new ProgressDelta(after.Version, Demo.RaterId, "", false, new Dictionary<string, int>())));
        }
    }

    static string Describe(ProgressCounts counts) => string.Join("; ",
        [$"v{counts.Version}", .. counts.Raters.OrderBy(r => r.Key).Select(r => $"{r.Key}:{r.Value.Assigned}/{r.Value.Done}"),
         .. counts.Models.Select(m => $"{m.Key}:{m.Assigned}/{m.Done}"), .. counts.Criteria.Select(c => $"{c.Key}:{c.Assigned}/{c.Done}")]);

    async Task<string> ResponseSlugAsync(long responseId)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT slug FROM responses WHERE id = @Id", new { Id = responseId }) ?? "";
    }

    [Fact]
    public async Task EveryRaterIsListedWithProgressAndLastActivity()
    {
        var before = (await _query.RaterActivityAsync(Demo.StudyId)).Single(r => r.RaterId == Demo.RaterId);
        var doneBefore = (await _query.CountsAsync(Demo.StudyId)).Raters[Demo.RaterId].Done;
        Db.Clock.Now = Db.Clock.Now.AddHours(1);
        await SubmitAsync();

        var raters = await _query.RaterActivityAsync(Demo.StudyId);
        var counts = (await _query.CountsAsync(Demo.StudyId)).Raters;

        var after = raters.Single(r => r.RaterId == Demo.RaterId);
        Assert.Null(before.LastActivity);
        Assert.Equal(0, doneBefore);
        Assert.Equal(1, counts[Demo.RaterId].Done);
        Assert.Equal(Db.Clock.Now, after.LastActivity);
        // The pilot raters of the bundle hold assignments too; together they hold every assignment.
        Assert.Equal(["dr-new", "rater-1", "rater-2", "rater-3", "rater-4"], raters.Select(r => r.Name).Order());
        Assert.Equal(raters.Select(r => r.RaterId).Order(), counts.Keys.Order());
        Assert.Equal(await CountAsync("SELECT COUNT(*) FROM assignments"), counts.Values.Sum(r => r.Assigned));
    }

    [Fact]
    public async Task RatingsImportedFromTheBundleAreNotTheirRatersActivity()
    {
        // The demo's pilot raters hold only imported, submitted ratings: the import time is not when they worked.
        var raters = await _query.RaterActivityAsync(Demo.StudyId);

        Assert.All(raters, r => Assert.Null(r.LastActivity));
    }

    [Fact]
    public async Task AFlagOrAHighlightIsTheRatersActivity()
    {
        Db.Clock.Now = Db.Clock.Now.AddHours(1);
        Assert.NotNull(await new FlagStore(Db.Database, Db.Clock).AddAsync(Demo.StudyId, Demo.RaterId, Demo.Assigned, "Is the guideline current?"));
        var flagged = (await _query.RaterActivityAsync(Demo.StudyId)).Single(r => r.RaterId == Demo.RaterId).LastActivity;
        Db.Clock.Now = Db.Clock.Now.AddHours(1);
        var spans = new SpanStore(Db.Database, Db.Clock);
        var label = (await spans.LabelsAsync(Demo.StudyId))[0].Id;
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(Demo.StudyId, Demo.RaterId, Demo.Assigned, label, 0, 5, null));

        var highlighted = (await _query.RaterActivityAsync(Demo.StudyId)).Single(r => r.RaterId == Demo.RaterId).LastActivity;

        Assert.Equal(Db.Clock.Now.AddHours(-1), flagged);
        Assert.Equal(Db.Clock.Now, highlighted);
    }

    [Fact]
    public async Task RecentActivityLeavesOutSubmissionsImportedFromTheBundle()
    {
        var activity = await _query.RecentActivityAsync(Demo.StudyId, limit: 20);

        Assert.DoesNotContain(activity, a => a.Kind == "submitted");
    }

    [Fact]
    public async Task ProgressPerModelAddsUpToTheStudysAssignments()
    {
        var models = (await _query.CountsAsync(Demo.StudyId)).Models;

        Assert.Equal(["model-a", "model-b", "model-c"], models.Select(m => m.Key));
        Assert.Equal(await CountAsync("SELECT COUNT(*) FROM assignments"), models.Sum(m => m.Assigned));
        Assert.Equal(await CountAsync("SELECT COUNT(*) FROM assignments WHERE completed_at IS NOT NULL"), models.Sum(m => m.Done));
    }

    [Fact]
    public async Task ProgressPerCriterionCountsSubmittedValuesInRubricOrder()
    {
        var before = (await _query.CountsAsync(Demo.StudyId)).Criteria;
        await SubmitAsync();

        var after = (await _query.CountsAsync(Demo.StudyId)).Criteria;

        Assert.Equal(["consensus", "reasoning", "completeness", "incorrect_content", "harm_extent", "harm_likelihood", "hallucination", "overall", "comment"],
            after.Select(c => c.Key));
        Assert.Equal(before.Single(c => c.Key == "consensus").Done + 1, after.Single(c => c.Key == "consensus").Done);
        Assert.Equal(before.Single(c => c.Key == "comment").Done, after.Single(c => c.Key == "comment").Done);
        var assignments = await CountAsync("SELECT COUNT(*) FROM assignments");
        Assert.All(after, c => Assert.Equal(assignments, c.Assigned));
    }

    [Fact]
    public async Task RecentActivityListsSubmissionsAndStateChangesNewestFirst()
    {
        var users = Users;
        var lead = (await users.CreateAsync("dr-lead", "Dr Lead", isAdmin: false))!.Id;
        await users.AddMembershipAsync(Demo.StudyId, lead, "coordinator");
        var lifecycle = new StudyLifecycleStore(Db.Database, new StudyQuery(Db.Database), Db.Clock);
        Db.Clock.Now = Db.Clock.Now.AddDays(1);
        await SubmitAsync();
        Db.Clock.Now = Db.Clock.Now.AddMinutes(1);
        await lifecycle.SetPausedAsync(Demo.StudyId, lead, true);
        Db.Clock.Now = Db.Clock.Now.AddMinutes(1);
        await lifecycle.ChangeStateAsync(Demo.StudyId, lead, StudyState.Adjudication);

        var activity = await _query.RecentActivityAsync(Demo.StudyId, limit: 3);

        Assert.Equal(
            [("state", "Dr Lead", "adjudication"), ("state", "Dr Lead", "paused"), ("submitted", "dr-new", await ResponseSlugAsync(Demo.Assigned))],
            activity.Select(a => (a.Kind, a.Who, a.Subject)));
        Assert.Equal(Db.Clock.Now, activity[0].At);
    }
}
