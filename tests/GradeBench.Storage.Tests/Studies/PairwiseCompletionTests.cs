using GradeBench.Core.Pairwise;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>What a coordinator is told before ending rating in a side-by-side study (<see cref="DemoPairwise"/>, imported
/// with its pilot votes): the work is pair assignments, not ratings, and a pair begun counts its rater.</summary>
public sealed class PairwiseCompletionTests : IAsyncDisposable
{
    readonly TempFolder _temp = new();

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ASideBySideStudyCountsItsAssignedPairsAndTheRatersWhoBeganOne()
    {
        await using var db = await TestDatabase.CreateAsync();
        var imported = await new StudyImporter(db.Database, db.Clock).ImportAsync(DemoPairwise.Write(Path.Combine(_temp.Path, "bundle"), votes: true));
        var studyId = imported.StudyId!.Value;
        var voter = await db.AddRaterAsync(studyId, "dr-voter");
        var writer = await db.AddRaterAsync(studyId, "dr-writer");
        var store = new PairwiseStore(db.Database, db.Clock);
        var completion = new StudyCompletionQuery(db.Database);
        var votersPair = (await store.QueueAsync(studyId, voter))[0].PairId;
        var writersPair = (await store.QueueAsync(studyId, writer))[0].PairId;

        var before = await completion.ReadAsync(studyId);
        await store.SaveAsync(studyId, voter, votersPair, new PairJudgement { Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Left } }, submit: false);
        var voted = await completion.ReadAsync(studyId);
        // A comment alone, no vote yet, is begun work too.
        await store.SaveAsync(studyId, writer, writersPair, new PairJudgement { Comment = "Answer A skips the dose" }, submit: false);
        var commented = await completion.ReadAsync(studyId);
        await store.SaveAsync(studyId, voter, votersPair, new PairJudgement
        {
            Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Left, ["harm"] = PairwiseChoice.Tie },
        }, submit: true);
        var submitted = await completion.ReadAsync(studyId);

        // 60 pairs × 3 raters; the pilot raters submitted 12 and 6 of them.
        Assert.Equal(new StudyCompletion { Slug = DemoPairwise.StudyId, Pairwise = true, Expected = 180, Missing = 162, RatersWithDrafts = 0 }, before);
        Assert.Equal(before! with { RatersWithDrafts = 1 }, voted);
        Assert.Equal(before with { RatersWithDrafts = 2 }, commented);
        Assert.Equal(before with { Missing = 161, RatersWithDrafts = 1 }, submitted);
    }
}
