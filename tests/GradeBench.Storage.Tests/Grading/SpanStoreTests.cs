using Dapper;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Tests.Grading;

public sealed class SpanStoreTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    SpanStore _spans = null!;
    long _studyId, _rater, _other, _response, _label;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        (_studyId, _rater, _response, _) = await _db.DemoWithNewRaterAsync("dr-span");
        _other = await _db.AddRaterAsync(_studyId, "dr-else");
        _spans = new SpanStore(_db.Database, _db.Clock);
        _label = (await _spans.LabelsAsync(_studyId))[0].Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task SpanKeepsItsOffsetsAndTheQuotedSourceText()
    {
        var outcome = await _spans.AddAsync(_studyId, _rater, _response, _label, 3, 20, "  wrong dose ");

        var span = Assert.Single(await _spans.ListAsync(_studyId, _rater, _response));
        await using var connection = await _db.Database.OpenAsync();
        var content = await connection.ExecuteScalarAsync<string>("SELECT content_md FROM responses WHERE id = @Id", new { Id = _response });
        Assert.Equal(SpanWriteOutcome.Saved, outcome);
        Assert.Equal((3L, 20L, content![3..20], "wrong dose"), (span.StartOffset, span.EndOffset, span.Quote, span.Note));
    }

    [Fact]
    public async Task OtherRatersNeitherSeeNorChangeASpan()
    {
        await _spans.AddAsync(_studyId, _rater, _response, _label, 0, 5, null);
        var span = (await _spans.ListAsync(_studyId, _rater, _response))[0];

        Assert.Empty(await _spans.ListAsync(_studyId, _other, _response));
        Assert.Equal(SpanWriteOutcome.NotFound, await _spans.DeleteAsync(_studyId, _other, span.Id));
        Assert.Equal(SpanWriteOutcome.NotFound, await _spans.UpdateAsync(_studyId, _other, span.Id, _label, "mine now"));
        Assert.Single(await _spans.ListAsync(_studyId, _rater, _response));
    }

    [Fact]
    public async Task SpanCanBeRelabelledAndRemoved()
    {
        await _spans.AddAsync(_studyId, _rater, _response, _label, 0, 5, null);
        var span = (await _spans.ListAsync(_studyId, _rater, _response))[0];
        var other = (await _spans.LabelsAsync(_studyId))[1].Id;

        Assert.Equal(SpanWriteOutcome.Saved, await _spans.UpdateAsync(_studyId, _rater, span.Id, other, "note"));
        Assert.Equal(other, (await _spans.ListAsync(_studyId, _rater, _response))[0].LabelId);
        Assert.Equal(SpanWriteOutcome.Saved, await _spans.DeleteAsync(_studyId, _rater, span.Id));
        Assert.Empty(await _spans.ListAsync(_studyId, _rater, _response));
    }

    [Theory]
    [InlineData(-1, 4)]
    [InlineData(5, 5)]
    [InlineData(0, 1_000_000)]
    public async Task OffsetsOutsideTheResponseAreRefused(int start, int end)
    {
        Assert.Equal(SpanWriteOutcome.Invalid, await _spans.AddAsync(_studyId, _rater, _response, _label, start, end, null));
    }

    [Fact]
    public async Task UnassignedResponseAndClosedStudyAreRefused()
    {
        await using var connection = await _db.Database.OpenAsync();
        var foreign = await connection.ExecuteScalarAsync<long>(
            "SELECT MIN(id) FROM responses WHERE id NOT IN (SELECT response_id FROM assignments WHERE rater_id = @Rater)", new { Rater = _rater });

        Assert.Equal(SpanWriteOutcome.NotFound, await _spans.AddAsync(_studyId, _rater, foreign, _label, 0, 5, null));
        await connection.ExecuteAsync("UPDATE studies SET state = 'closed'");
        Assert.Equal(SpanWriteOutcome.StudyNotOpen, await _spans.AddAsync(_studyId, _rater, _response, _label, 0, 5, null));
    }
}
