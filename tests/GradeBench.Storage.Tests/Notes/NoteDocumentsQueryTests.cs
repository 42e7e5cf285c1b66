using GradeBench.Core.Spans.Interchange;
using GradeBench.Storage.Notes;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>A study's note spans as interchange documents (<see cref="NoteDocumentsQuery"/>): one per case with a
/// passage, named by the case's bundle id, holding its note; raters by username; attributes by their ids.</summary>
public sealed class NoteDocumentsQueryTests : IAsyncLifetime
{
    NoteWorld _world = null!;

    public async Task InitializeAsync() => _world = await NoteWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    static Dictionary<string, string> Attributes(params (string Name, string Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public async Task EachCaseWithPassagesIsADocumentOfItsNoteWithEveryRatersSpans()
    {
        var (nihss, symptom, medication) = (_world.Labels[0], _world.Labels[1], _world.Labels[2]);
        var notes = _world.Notes;
        var firstCase = await _world.CaseAsync("case-001");
        await _world.AssignAsync(_world.Other, await _world.AnswerOfAsync(firstCase));
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Other, _world.Case, symptom.Id, 2, 5,
            new Dictionary<long, string> { [symptom.Attributes[3].Id] = "发病 3 小时", [symptom.Attributes[1].Id] = "true" }, "not carried")).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Rater, _world.Case, nihss.Id, 2, 9,
            new Dictionary<long, string> { [nihss.Attributes[1].Id] = "7.50" }, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Rater, _world.Case, medication.Id, 0, 1, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Other, firstCase, medication.Id, 10, 20, null, null)).Outcome);

        var loaded = await new NoteDocumentsQuery(_world.Db.Database).LoadAsync(_world.StudyId);

        Assert.Equal(TestPaths.DemoStudyId, loaded.Study);
        Assert.Equal(["case-001", DemoNotes.AstralCase], loaded.Documents.Select(d => d.Id));
        var astral = loaded.Documents[1];
        Assert.Equal(_world.Text, astral.Text);
        Assert.StartsWith(DemoNotes.AstralPrefix, astral.Text);
        Assert.Equal(
        [
            new NoteAnnotation("medication", 0, 1, Attributes(), "dr-note"),
            new NoteAnnotation("nihss", 2, 9, Attributes(("score", "7.5")), "dr-note"),
            new NoteAnnotation("symptom", 2, 5, Attributes(("uncertain", "true"), ("onset", "发病 3 小时")), "dr-other"),
        ], astral.Annotations);
        Assert.Equal([new NoteAnnotation("medication", 10, 20, Attributes(), "dr-other")], loaded.Documents[0].Annotations);
    }

    [Fact]
    public async Task TheSchemeIsTheStudysNoteLabelsWithTheirAttributesAndAStudyWithoutPassagesHasNoDocuments()
    {
        var loaded = await new NoteDocumentsQuery(_world.Db.Database).LoadAsync(_world.StudyId);

        Assert.Empty(loaded.Documents);
        Assert.Equal(DemoNotes.Labels, loaded.Scheme.Labels.Select(l => l.Name));
        Assert.Equal([new AttributeDefinition("negated", AttributeKind.Flag), new AttributeDefinition("score", AttributeKind.Number)],
            loaded.Scheme.Label("nihss")!.Attributes);
        Assert.Equal(["negated", "uncertain", "historical", "onset"], loaded.Scheme.Label("symptom")!.Attributes.Select(a => a.Name));
        Assert.Equal(AttributeKind.Text, loaded.Scheme.Label("symptom")!.Attributes[3].Kind);
        Assert.Empty(loaded.Scheme.Label("medication")!.Attributes);
    }
}
