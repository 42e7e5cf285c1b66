using Dapper;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Tests.Pairwise;

/// <summary>Once a rater has seen the other raters' votes on a pair (its adjudication page), their highlights of that
/// pair's answers are final, as their votes are (<see cref="SpanStore"/>); another rater's stay open.</summary>
public sealed class FrozenPairSpansTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    PairwiseStudy _study = null!;
    SpanStore _spans = null!;
    long _label;

    long Ann => _study.Raters[0];
    long Bo => _study.Raters[1];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _study = await PairwiseFixture.CreateAsync(_db.Database, _db.Clock, "dr-ann", "dr-bo");
        _spans = new SpanStore(_db.Database, _db.Clock);
        _label = (await _spans.LabelsAsync(_study.StudyId))[0].Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task AfterTheRevealTheRatersHighlightsOfThePairsAnswersAreNotAddedChangedOrDeleted()
    {
        var pair = _study.Pairs[0];
        var kept = await AddAndFindAsync(Ann, pair.A.Id);
        await using (var connection = await _db.Database.OpenAsync())
            await connection.ExecuteAsync("""
                INSERT INTO pair_reveals (study_id, rater_id, pair_id, revealed_at) VALUES (@StudyId, @Ann, @Pair, '2026-12-07T00:00:00Z')
                """, new { _study.StudyId, Ann, Pair = pair.Id });

        Assert.Equal(SpanWriteOutcome.Frozen, await _spans.AddAsync(_study.StudyId, Ann, pair.B.Id, _label, 0, 5, null));
        Assert.Equal(SpanWriteOutcome.Frozen, await _spans.UpdateAsync(_study.StudyId, Ann, kept, _label, "changed"));
        Assert.Equal(SpanWriteOutcome.Frozen, await _spans.DeleteAsync(_study.StudyId, Ann, kept));
        Assert.Null(Assert.Single(await _spans.ListAsync(_study.StudyId, Ann, pair.A.Id)).Note);
        // The other rater of the pair has not seen the votes.
        Assert.Equal(SpanWriteOutcome.Saved, await _spans.AddAsync(_study.StudyId, Bo, pair.A.Id, _label, 0, 5, null));
    }

    async Task<long> AddAndFindAsync(long rater, long response)
    {
        Assert.Equal(SpanWriteOutcome.Saved, await _spans.AddAsync(_study.StudyId, rater, response, _label, 0, 10, null));
        return Assert.Single(await _spans.ListAsync(_study.StudyId, rater, response)).Id;
    }
}
