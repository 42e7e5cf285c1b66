using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>Adjudication and review show each highlight of the answer with the passages of the note its rater linked to
/// it as evidence.</summary>
public sealed class EvidenceInAdjudicationTests
{
    [Fact]
    public async Task ARatersColumnCarriesTheNoteEvidenceOfEachHighlight()
    {
        await using var world = await NoteWorld.CreateAsync();
        var spans = new SpanStore(world.Db.Database, world.Db.Clock);
        var label = (await spans.LabelsAsync(world.StudyId))[0].Id;
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(world.StudyId, world.Rater, world.Response, label, 0, 4, null));
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(world.StudyId, world.Rater, world.Response, label, 5, 9, null));
        var (first, second) = ((await spans.ListAsync(world.StudyId, world.Rater, world.Response))[0], (await spans.ListAsync(world.StudyId, world.Rater, world.Response))[1]);
        var (_, evidence) = await world.Notes.AddAsync(world.Rater, world.Case, world.Labels[0].Id, 2, 8, null, null);
        Assert.Equal(NoteSpanOutcome.Saved, await world.Notes.LinkAsync(world.Rater, first.Id, evidence!.Value));

        await using var connection = await world.Db.Database.OpenAsync();
        var column = Assert.Single(await RatedResponseLoader.LoadRaterColumnsAsync(connection, world.Response, [world.Rater], CancellationToken.None));

        var linked = Assert.Single(column.Spans.Single(s => s.Quote == first.Quote).Evidence);
        Assert.Equal(("NIHSS item", world.Text[3..9]), (linked.Label, linked.Quote));
        Assert.Empty(column.Spans.Single(s => s.Quote == second.Quote).Evidence);
    }
}
