using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Tests;

/// <summary>A test over a database of its own holding the demo study and a rater who has just joined it (see
/// <see cref="TestDatabase.DemoWithNewRaterAsync"/>); a test class adds what else it needs in <see cref="ArrangeAsync"/>.</summary>
public abstract class DemoRaterTest(string rater) : IAsyncLifetime
{
    protected TestDatabase Db { get; private set; } = null!;
    protected DemoRater Demo { get; private set; } = null!;
    protected long StudyId => Demo.StudyId;
    protected long Rater => Demo.RaterId;

    /// <summary>A complete rating of the demo rubric, new on each read.</summary>
    protected static Dictionary<string, string?> CompleteRating => DemoRatings.Complete();

    protected UserStore Users => new(Db.Database, Db.Clock);
    protected GradingStore Grading => new(Db.Database, new RubricQuery(Db.Database), Db.Clock);

    /// <summary>A new account, a coordinator of the demo study.</summary>
    protected async Task<long> CoordinatorAsync(string username, string displayName)
    {
        var users = Users;
        var id = (await users.CreateAsync(username, displayName, isAdmin: false))!.Id;
        await users.AddMembershipAsync(StudyId, id, "coordinator");
        return id;
    }

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        Demo = await Db.DemoWithNewRaterAsync(rater);
        await ArrangeAsync();
    }

    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Db.DisposeAsync();
}
