using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Notes;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>A passage of a case's note marked or changed is the rater's activity on the dashboard, as a highlight is.</summary>
public sealed class NoteActivityTests
{
    [Fact]
    public async Task MarkingOrChangingAPassageIsTheRatersLastActivity()
    {
        await using var world = await NoteWorld.CreateAsync();
        var query = new DashboardQuery(world.Db.Database);
        DateTimeOffset? Last(IReadOnlyList<RaterActivity> raters) => raters.Single(r => r.RaterId == world.Rater).LastActivity;
        Assert.Null(Last(await query.RaterActivityAsync(world.StudyId)));

        world.Db.Clock.Now = world.Db.Clock.Now.AddHours(1);
        var (outcome, id) = await world.Notes.AddAsync(world.Rater, world.Case, world.Labels[2].Id, 2, 6, null, null);
        Assert.Equal(NoteSpanOutcome.Saved, outcome);
        Assert.Equal(world.Db.Clock.Now, Last(await query.RaterActivityAsync(world.StudyId)));

        world.Db.Clock.Now = world.Db.Clock.Now.AddHours(1);
        Assert.Equal(NoteSpanOutcome.Saved, await world.Notes.UpdateAsync(world.Rater, id!.Value, world.Labels[1].Id, 2, 6, null, null));
        Assert.Equal(world.Db.Clock.Now, Last(await query.RaterActivityAsync(world.StudyId)));
    }
}
