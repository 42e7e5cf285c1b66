using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Tests.Grading;

public sealed class SpanStoreTests() : DemoRaterTest("dr-span")
{
    SpanStore _spans = null!;
    long _other, _label, _assigned;

    protected override async Task ArrangeAsync()
    {
        _other = await Db.AddRaterAsync(StudyId, "dr-else");
        _spans = new SpanStore(Db.Database, Db.Clock);
        _label = (await _spans.LabelsAsync(StudyId))[0].Id;
        // The other rater's arrival plans unstarted work again: the item is taken from the queue as it is now.
        _assigned = (await Grading.QueueAsync(StudyId, Rater))[0].ResponseId;
    }

    [Fact]
    public async Task SpanKeepsItsOffsetsAndTheQuotedSourceText()
    {
        var outcome = await _spans.AddAsync(StudyId, Rater, _assigned, _label, 3, 20, "  wrong dose ");

        var span = Assert.Single(await _spans.ListAsync(StudyId, Rater, _assigned));
        await using var connection = await Db.Database.OpenAsync();
        var content = await connection.ExecuteScalarAsync<string>("SELECT content_md FROM responses WHERE id = @Id", new { Id = _assigned });
        Assert.Equal(SpanWriteOutcome.Saved, outcome);
        Assert.Equal((3L, 20L, content![3..20], "wrong dose"), (span.StartCodePoint, span.EndCodePoint, span.Quote, span.Note));
    }

    [Fact]
    public async Task ASpanAfterAnEmojiIsKeptInCodePointsOverTheHashOfTheAnswer()
    {
        // One code point and two UTF-16 units: "aspirin" is 7..14 in code points, 8..15 in UTF-16 units.
        const string answer = "Give 🙂 aspirin 300 mg";
        await using var connection = await Db.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE responses SET content_md = @answer WHERE id = @Id", new { answer, Id = _assigned });

        Assert.Equal(SpanWriteOutcome.Saved, await _spans.AddAsync(StudyId, Rater, _assigned, _label, 7, 14, null));
        Assert.Equal(SpanWriteOutcome.Saved, await _spans.AddAsync(StudyId, Rater, _assigned, _label, 15, 21, null));
        // The answer is 21 code points long (22 UTF-16 units).
        Assert.Equal(SpanWriteOutcome.Invalid, await _spans.AddAsync(StudyId, Rater, _assigned, _label, 15, 22, null));

        Assert.Equal([(7L, 14L, "aspirin"), (15L, 21L, "300 mg")],
            (await _spans.ListAsync(StudyId, Rater, _assigned)).Select(s => (s.StartCodePoint, s.EndCodePoint, s.Quote)));
        Assert.Equal([TextHash.Sha256(answer)], await connection.QueryAsync<string>("SELECT DISTINCT text_sha256 FROM span_annotations"));
    }

    [Fact]
    public async Task OtherRatersNeitherSeeNorChangeASpan()
    {
        await _spans.AddAsync(StudyId, Rater, _assigned, _label, 0, 5, null);
        var span = (await _spans.ListAsync(StudyId, Rater, _assigned))[0];

        Assert.Empty(await _spans.ListAsync(StudyId, _other, _assigned));
        Assert.Equal(SpanWriteOutcome.NotFound, await _spans.DeleteAsync(StudyId, _other, span.Id));
        Assert.Equal(SpanWriteOutcome.NotFound, await _spans.UpdateAsync(StudyId, _other, span.Id, _label, "mine now"));
        Assert.Single(await _spans.ListAsync(StudyId, Rater, _assigned));
    }

    [Fact]
    public async Task SpanCanBeRelabelledAndRemoved()
    {
        await _spans.AddAsync(StudyId, Rater, _assigned, _label, 0, 5, null);
        var span = (await _spans.ListAsync(StudyId, Rater, _assigned))[0];
        var other = (await _spans.LabelsAsync(StudyId))[1].Id;

        Assert.Equal(SpanWriteOutcome.Saved, await _spans.UpdateAsync(StudyId, Rater, span.Id, other, "note"));
        Assert.Equal(other, (await _spans.ListAsync(StudyId, Rater, _assigned))[0].LabelId);
        Assert.Equal(SpanWriteOutcome.Saved, await _spans.DeleteAsync(StudyId, Rater, span.Id));
        Assert.Empty(await _spans.ListAsync(StudyId, Rater, _assigned));
    }

    [Theory]
    [InlineData(-1, 4)]
    [InlineData(5, 5)]
    [InlineData(0, 1_000_000)]
    public async Task OffsetsOutsideTheResponseAreRefused(int start, int end)
    {
        Assert.Equal(SpanWriteOutcome.Invalid, await _spans.AddAsync(StudyId, Rater, _assigned, _label, start, end, null));
    }

    [Fact]
    public async Task UnassignedResponseAndClosedStudyAreRefused()
    {
        await using var connection = await Db.Database.OpenAsync();
        var foreign = await connection.ExecuteScalarAsync<long>(
            "SELECT MIN(id) FROM responses WHERE id NOT IN (SELECT response_id FROM assignments WHERE rater_id = @Rater)", new { Rater = Rater });

        Assert.Equal(SpanWriteOutcome.NotFound, await _spans.AddAsync(StudyId, Rater, foreign, _label, 0, 5, null));
        await connection.ExecuteAsync("UPDATE studies SET state = 'closed'");
        Assert.Equal(SpanWriteOutcome.StudyNotOpen, await _spans.AddAsync(StudyId, Rater, _assigned, _label, 0, 5, null));
    }
}
