using Dapper;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Tests.Pairwise;

/// <summary>Highlights in a side-by-side study (<see cref="SpanStore"/>): a rater marks passages in either answer of a
/// pair assigned to them, kept by rater and response as for single answers.</summary>
public sealed class PairSpansTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    PairwiseStudy _study = null!;
    SpanStore _spans = null!;
    long _label;

    long Ann => _study.Raters[0];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _study = await PairwiseFixture.CreateAsync(_db.Database, _db.Clock, "dr-ann");
        _spans = new SpanStore(_db.Database, _db.Clock);
        _label = (await _spans.LabelsAsync(_study.StudyId))[0].Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ARaterHighlightsEitherAnswerOfTheirPairAndNoOtherResponse()
    {
        var pair = _study.Pairs[0];
        await using var connection = await _db.Database.OpenAsync();
        var outsidePairs = await connection.ExecuteScalarAsync<long>("""
            SELECT MIN(r.id) FROM responses r WHERE r.study_id = @StudyId
              AND r.id NOT IN (SELECT response_a_id FROM pairs UNION SELECT response_b_id FROM pairs)
            """, new { _study.StudyId });

        var onA = await _spans.AddAsync(_study.StudyId, Ann, pair.A.Id, _label, 0, 10, "left one");
        var onB = await _spans.AddAsync(_study.StudyId, Ann, pair.B.Id, _label, 2, 12, null);
        var outside = await _spans.AddAsync(_study.StudyId, Ann, outsidePairs, _label, 0, 10, null);

        Assert.Equal((SpanWriteOutcome.Saved, SpanWriteOutcome.Saved, SpanWriteOutcome.NotFound), (onA, onB, outside));
        Assert.Equal("left one", Assert.Single(await _spans.ListAsync(_study.StudyId, Ann, pair.A.Id)).Note);
        Assert.Equal(2, Assert.Single(await _spans.ListAsync(_study.StudyId, Ann, pair.B.Id)).StartCodePoint);
    }
}
