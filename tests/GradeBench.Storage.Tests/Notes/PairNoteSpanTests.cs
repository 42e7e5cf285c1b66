using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>Passages of the clinical note in a side-by-side study (<see cref="DemoPairwise"/> with
/// <see cref="DemoNotes"/>): a rater marks the note of a case on which a pair is assigned to them, links a passage to
/// their highlight of either answer, and once a pair's adjudication has shown them the others' votes on that case, their
/// passages there are final.</summary>
public sealed class PairNoteSpanTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    NoteSpanStore _notes = null!;
    long _studyId, _ann, _bo, _label;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        using (var temp = new TempFolder())
            _studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(DemoNotes.AddTo(DemoPairwise.Write(temp.Path)))).StudyId!.Value;
        // Two raters of three per pair: each is given every pair.
        _ann = await _db.AddRaterAsync(_studyId, "dr-ann");
        _bo = await _db.AddRaterAsync(_studyId, "dr-bo");
        _notes = new NoteSpanStore(_db.Database, _db.Clock);
        _label = (await _notes.LabelsAsync(_studyId))[0].Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    async Task<(long CaseId, long PairId, long ResponseA)> PairOfAsync(string caseSlug)
    {
        await using var connection = await _db.Database.OpenAsync();
        return await connection.QueryFirstAsync<(long, long, long)>("""
            SELECT c.id, p.id, p.response_a_id FROM pairs p JOIN cases c ON c.id = p.case_id
            WHERE p.study_id = @StudyId AND c.slug = @Slug ORDER BY p.position
            """, new { StudyId = _studyId, Slug = caseSlug });
    }

    [Fact]
    public async Task ARaterMarksTheNoteOfACaseOnlyWhileAPairOfItIsTheirs()
    {
        var (caseId, _, _) = await PairOfAsync("case-001");
        var (otherCase, _, _) = await PairOfAsync("case-002");
        await using (var connection = await _db.Database.OpenAsync())
            await connection.ExecuteAsync("""
                DELETE FROM pair_assignments WHERE rater_id = @Ann AND pair_id IN (SELECT id FROM pairs WHERE case_id = @OtherCase)
                """, new { Ann = _ann, OtherCase = otherCase });

        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_ann, caseId, _label, 0, 10, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.NotFound, (await _notes.AddAsync(_ann, otherCase, _label, 0, 10, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_bo, otherCase, _label, 0, 10, null, null)).Outcome);
    }

    [Fact]
    public async Task APassageIsLinkedToAHighlightOfAnAnswerOfThePair()
    {
        var (caseId, _, answer) = await PairOfAsync("case-001");
        var spans = new SpanStore(_db.Database, _db.Clock);
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(_studyId, _ann, answer, (await spans.LabelsAsync(_studyId))[0].Id, 0, 8, null));
        var highlight = Assert.Single(await spans.ListAsync(_studyId, _ann, answer)).Id;
        var (_, id) = await _notes.AddAsync(_ann, caseId, _label, 0, 10, null, null);

        Assert.Equal(NoteSpanOutcome.Saved, await _notes.LinkAsync(_ann, highlight, id!.Value));
        Assert.Equal([highlight], Assert.Single(await _notes.ListAsync(_ann, caseId)).LinkedAnswerSpans);
    }

    /// <summary>A passage of the note is work begun on the case (<c>PairAssignments.Unstarted</c>): a rater who
    /// leaves keeps the case's pairs, as a vote would keep them.</summary>
    [Fact]
    public async Task ARaterWhoLeavesKeepsThePairsOfACaseWhoseNoteTheyMarked()
    {
        var (caseId, _, _) = await PairOfAsync("case-001");
        var users = new UserStore(_db.Database, _db.Clock);
        var coordinator = (await users.CreateAsync("coord", "Dr Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(_studyId, coordinator, "coordinator");
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_ann, caseId, _label, 0, 5, null, null)).Outcome);

        var removed = await new StudySetupStore(_db.Database, new StudyQuery(_db.Database), new RubricQuery(_db.Database), _db.Clock)
            .RemoveMemberAsync(_studyId, coordinator, _ann);

        Assert.Null(removed.Refusal);
        await using var connection = await _db.Database.OpenAsync();
        var pairsOfCase = (await connection.QueryAsync<long>("SELECT id FROM pairs WHERE case_id = @CaseId ORDER BY id", new { CaseId = caseId })).AsList();
        Assert.Equal(3, pairsOfCase.Count);
        Assert.Equal(pairsOfCase, await connection.QueryAsync<long>("SELECT pair_id FROM pair_assignments WHERE rater_id = @Ann ORDER BY pair_id", new { Ann = _ann }));
    }

    [Fact]
    public async Task AfterAPairOfTheCaseIsRevealedToTheRaterTheirPassagesThereAreFinal()
    {
        var (caseId, pairId, _) = await PairOfAsync("case-001");
        var (otherCase, _, _) = await PairOfAsync("case-002");
        var (_, id) = await _notes.AddAsync(_ann, caseId, _label, 0, 10, null, null);
        await using (var connection = await _db.Database.OpenAsync())
            await connection.ExecuteAsync("""
                INSERT INTO pair_reveals (study_id, rater_id, pair_id, revealed_at) VALUES (@StudyId, @Ann, @Pair, '2026-12-07T00:00:00Z')
                """, new { StudyId = _studyId, Ann = _ann, Pair = pairId });

        Assert.Equal(NoteSpanOutcome.Frozen, (await _notes.AddAsync(_ann, caseId, _label, 2, 10, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Frozen, await _notes.UpdateAsync(_ann, id!.Value, _label, 2, 10, null, null));
        Assert.Equal(NoteSpanOutcome.Frozen, await _notes.DeleteAsync(_ann, id.Value));
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_ann, otherCase, _label, 0, 10, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_bo, caseId, _label, 0, 10, null, null)).Outcome);
    }
}
