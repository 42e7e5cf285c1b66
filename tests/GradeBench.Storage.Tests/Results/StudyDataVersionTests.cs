using GradeBench.Storage.Grading;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Results;

/// <summary>Every write that changes what the results or the dashboard's agreement show raises the study's data version
/// in its own transaction; a write that changes none of it (a draft) does not. Cached statistics rely on it.</summary>
public sealed class StudyDataVersionTests() : DemoRaterTest("dr-versioned")
{
    Task<long> VersionAsync() => StudyDataVersion.ReadAsync(Db.Database, StudyId);

    async Task RaisesAsync(Func<Task> write)
    {
        var before = await VersionAsync();
        await write();
        Assert.True(await VersionAsync() > before, "the write did not raise the data version");
    }

    [Fact]
    public async Task TheImportSubmitsHighlightsAndRemovalsRaiseTheVersionAndADraftDoesNot()
    {
        Assert.True(await VersionAsync() > 0, "an imported study starts above the version of an empty one");
        var queue = await Grading.QueueAsync(StudyId, Rater);
        var before = await VersionAsync();
        await Grading.SaveAsync(StudyId, Rater, queue[0].ResponseId, new Dictionary<string, string?> { ["consensus"] = "2" }, submit: false);
        Assert.Equal(before, await VersionAsync());

        await RaisesAsync(() => Grading.SaveAsync(StudyId, Rater, queue[0].ResponseId, CompleteRating, submit: true));
        var spans = new SpanStore(Db.Database, Db.Clock);
        var label = (await spans.LabelsAsync(StudyId))[0].Id;
        await RaisesAsync(() => spans.AddAsync(StudyId, Rater, queue[1].ResponseId, label, 0, 5, null));
        var span = (await spans.ListAsync(StudyId, Rater, queue[1].ResponseId))[0].Id;
        await RaisesAsync(() => spans.UpdateAsync(StudyId, Rater, span, label, "why"));
        await RaisesAsync(() => spans.DeleteAsync(StudyId, Rater, span));

        var coordinator = await CoordinatorAsync("coord", "Dr Coordinator");
        var setup = new StudySetupStore(Db.Database, new StudyQuery(Db.Database), new RubricQuery(Db.Database), Db.Clock);
        await RaisesAsync(async () => Assert.Null((await setup.RemoveMemberAsync(StudyId, coordinator, Rater)).Refusal));
    }
}
