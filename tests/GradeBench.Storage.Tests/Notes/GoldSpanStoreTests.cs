using Dapper;
using GradeBench.Core.Notes;
using GradeBench.Core.Spans;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>Span adjudication into a gold set (<see cref="GoldSpanStore"/>) on the demo study with note labels: the
/// raters' passages of a note grouped, each group accepted, edited or rejected by a coordinator while the study is in
/// adjudication, with who, when and from which raters, and decisions undone without losing their history.</summary>
public sealed class GoldSpanStoreTests : IAsyncLifetime
{
    NoteWorld _world = null!;
    GoldSpanStore _gold = null!;
    long _coordinator;
    NoteLabelInfo _nihss = null!, _symptom = null!, _medication = null!;

    string Case => DemoNotes.AstralCase;
    long Negated => _nihss.Attributes[0].Id;
    long Score => _nihss.Attributes[1].Id;

    public async Task InitializeAsync()
    {
        _world = await NoteWorld.CreateAsync();
        _gold = new GoldSpanStore(_world.Db.Database, _world.Db.Clock);
        (_nihss, _symptom, _medication) = (_world.Labels[0], _world.Labels[1], _world.Labels[2]);
        var users = new UserStore(_world.Db.Database, _world.Db.Clock);
        _coordinator = (await users.CreateAsync("coord", "Dr Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(_world.StudyId, _coordinator, "coordinator");
        // A member who joins plans unstarted work again: the raters get their answer back.
        await _world.AssignAsync(_world.Rater, _world.Response);
        await _world.AssignAsync(_world.Other, _world.Response);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    async Task<long> MarkAsync(long rater, NoteLabelInfo label, int start, int end, Dictionary<long, string>? attributes = null)
    {
        var (outcome, id) = await _world.Notes.AddAsync(rater, _world.Case, label.Id, start, end, attributes, null);
        Assert.Equal(NoteSpanOutcome.Saved, outcome);
        return id!.Value;
    }

    async Task SetStateAsync(string state)
    {
        await using var connection = await _world.Db.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE studies SET state = @State WHERE id = @StudyId", new { State = state, _world.StudyId });
    }

    /// <summary>Both raters mark NIHSS [2, 9) negated with score 7 (agreed); the rater also the emoji as a medication
    /// (one rater only); the rater a symptom at [12, 16), the other at [13, 18) (boundary differs); the rater marks
    /// [20, 24) a symptom, the other a medication there (label differs). The rater's NIHSS passage is linked to their
    /// highlight of an answer. Then the study enters adjudication.</summary>
    async Task<GoldDocument> MarkedAsync()
    {
        var agreed = new Dictionary<long, string> { [Negated] = "true", [Score] = "7" };
        var nihss = await MarkAsync(_world.Rater, _nihss, 2, 9, agreed);
        await MarkAsync(_world.Other, _nihss, 2, 9, agreed);
        await MarkAsync(_world.Rater, _medication, 0, 1);
        await MarkAsync(_world.Rater, _symptom, 12, 16);
        await MarkAsync(_world.Other, _symptom, 13, 18);
        await MarkAsync(_world.Rater, _symptom, 20, 24);
        await MarkAsync(_world.Other, _medication, 20, 24);
        var spans = new SpanStore(_world.Db.Database, _world.Db.Clock);
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(_world.StudyId, _world.Rater, _world.Response, (await spans.LabelsAsync(_world.StudyId))[0].Id, 0, 5, null));
        var highlight = Assert.Single(await spans.ListAsync(_world.StudyId, _world.Rater, _world.Response));
        Assert.Equal(NoteSpanOutcome.Saved, await _world.Notes.LinkAsync(_world.Rater, highlight.Id, nihss));
        await SetStateAsync("adjudication");
        return (await _gold.DocumentAsync(_world.StudyId, Case, _coordinator))!;
    }

    static GoldSpanGroup Of(GoldDocument document, SpanGroupKind kind) => document.Groups.Single(g => g.Kind == kind);

    [Fact]
    public async Task TheNotesPassagesComeGroupedWithTheirRatersLinksAndAttributes()
    {
        var document = await MarkedAsync();

        Assert.Equal((_world.Text, TextHash.Sha256(_world.Text), true), (document.NoteMd, document.TextSha256, document.CanDecide));
        Assert.Equal(["dr-note", "dr-other"], document.Readers);
        Assert.Equal(
            [(SpanGroupKind.OneRaterOnly, 0, 1), (SpanGroupKind.Agreed, 2, 9), (SpanGroupKind.BoundaryDiffers, 12, 18), (SpanGroupKind.LabelDiffers, 20, 24)],
            document.Groups.Select(g => (g.Kind, g.Start, g.End)));
        var agreed = Of(document, SpanGroupKind.Agreed);
        Assert.Equal(["dr-note", "dr-other"], agreed.Spans.Select(s => s.RaterName));
        Assert.Equal(CodePoints.Slice(_world.Text, 2, 9), agreed.Spans[0].Quote);
        Assert.Equal("7", agreed.Spans[0].Attributes[Score]);
        var link = Assert.Single(agreed.Spans[0].Links);
        Assert.Equal(("Factual error", true), (link.Label, link.Quote.Length > 0));
        Assert.Empty(agreed.Spans[1].Links);
        Assert.All(document.Groups, g => Assert.False(g.IsDecided));
    }

    [Fact]
    public async Task TheDocumentsListCountsTheGroupsLeftUndecided()
    {
        var document = await MarkedAsync();
        Assert.Equal((GoldSpanOutcome.Done, true), Pick(await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, Of(document, SpanGroupKind.Agreed).Key, null)));

        var summary = Assert.Single((await _gold.DocumentsAsync(_world.StudyId, _coordinator))!);

        Assert.Equal((Case, 4, 3, 1), (summary.CaseSlug, summary.Groups, summary.Undecided, summary.GoldSpans));
    }

    static (GoldSpanOutcome, bool) Pick((GoldSpanOutcome Outcome, long? Id) result) => (result.Outcome, result.Id is not null);

    [Fact]
    public async Task OnlyACoordinatorSeesOrDecides()
    {
        var document = await MarkedAsync();
        var key = Of(document, SpanGroupKind.Agreed).Key;

        Assert.Null(await _gold.DocumentsAsync(_world.StudyId, _world.Rater));
        Assert.Null(await _gold.DocumentAsync(_world.StudyId, Case, _world.Rater));
        Assert.Equal(GoldSpanOutcome.NotAllowed, (await _gold.AcceptAsync(_world.StudyId, Case, _world.Rater, key, null)).Outcome);
        Assert.Equal(GoldSpanOutcome.NotAllowed, (await _gold.RejectAsync(_world.StudyId, Case, _world.Rater, key)).Outcome);
        Assert.Equal(GoldSpanOutcome.NotAllowed, await _gold.UndoAsync(_world.StudyId, _world.Rater, 1));
        Assert.Null(await _gold.DocumentAsync(_world.StudyId, "no-such-case", _coordinator));
    }

    [Fact]
    public async Task DecisionsWaitForAdjudicationAndStopWhenItCloses()
    {
        var document = await MarkedAsync();
        var key = Of(document, SpanGroupKind.Agreed).Key;

        await SetStateAsync("open");
        Assert.Equal(GoldSpanOutcome.StudyNotInAdjudication, (await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, key, null)).Outcome);
        Assert.False((await _gold.DocumentAsync(_world.StudyId, Case, _coordinator))!.CanDecide);
        await SetStateAsync("closed");
        Assert.Equal(GoldSpanOutcome.StudyNotInAdjudication, (await _gold.RejectAsync(_world.StudyId, Case, _coordinator, key)).Outcome);
    }

    [Fact]
    public async Task AnAcceptedGroupKeepsWhoWhenAndFromWhichRaters()
    {
        var document = await MarkedAsync();
        _world.Db.Clock.Now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

        var (outcome, id) = await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, Of(document, SpanGroupKind.Agreed).Key, null);

        Assert.Equal(GoldSpanOutcome.Done, outcome);
        var group = Of((await _gold.DocumentAsync(_world.StudyId, Case, _coordinator))!, SpanGroupKind.Agreed);
        var gold = Assert.Single(group.Decisions);
        Assert.Equal((id!.Value, GoldDecision.Accepted, _nihss.Id, 2, 9, CodePoints.Slice(_world.Text, 2, 9)),
            (gold.Id, gold.Decision, gold.LabelId!.Value, gold.Start!.Value, gold.End!.Value, gold.Quote));
        Assert.Equal(("Dr Coordinator", _world.Db.Clock.Now, false), (gold.DecidedBy, gold.DecidedAt, gold.Imported));
        Assert.Equal(["dr-note", "dr-other"], gold.SourceRaters);
        Assert.Equal(new Dictionary<long, string> { [Negated] = "true", [Score] = "7" }, gold.Attributes);
        Assert.Equal(group.Key, gold.GroupKey);
        Assert.Equal(GoldSpanOutcome.Duplicate, (await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, group.Key, null)).Outcome);
    }

    [Fact]
    public async Task ADisputedGroupTakesTheVersionChosenFromItsRater()
    {
        var document = await MarkedAsync();
        var group = Of(document, SpanGroupKind.BoundaryDiffers);

        Assert.Equal(GoldSpanOutcome.Invalid, (await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, group.Key, null)).Outcome);
        Assert.Equal(GoldSpanOutcome.Invalid, (await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, group.Key, Of(document, SpanGroupKind.Agreed).Spans[0].Id)).Outcome);
        var other = group.Spans.Single(s => s.RaterId == _world.Other);
        Assert.Equal(GoldSpanOutcome.Done, (await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, group.Key, other.Id)).Outcome);

        var gold = Assert.Single(Of((await _gold.DocumentAsync(_world.StudyId, Case, _coordinator))!, SpanGroupKind.BoundaryDiffers).Decisions);
        Assert.Equal((13, 18), (gold.Start!.Value, gold.End!.Value));
        Assert.Equal(["dr-other"], gold.SourceRaters);
    }

    [Fact]
    public async Task AnEditedPassageIsCheckedAndKeepsTheRatersItCameFrom()
    {
        var document = await MarkedAsync();
        var group = Of(document, SpanGroupKind.LabelDiffers);
        var rater = group.Spans.Single(s => s.RaterId == _world.Rater);
        var onset = new Dictionary<long, string> { [_symptom.Attributes[3].Id] = " 3 h " };

        Assert.Equal(GoldSpanOutcome.Invalid, (await _gold.EditAsync(_world.StudyId, Case, _coordinator, group.Key, rater.Id, _symptom.Id, 20, 9999, onset)).Outcome);
        Assert.Equal(GoldSpanOutcome.Invalid, (await _gold.EditAsync(_world.StudyId, Case, _coordinator, group.Key, rater.Id, _symptom.Id, 20, 23,
            new Dictionary<long, string> { [Score] = "7" })).Outcome);
        var (outcome, _) = await _gold.EditAsync(_world.StudyId, Case, _coordinator, group.Key, rater.Id, _symptom.Id, 19, 23, onset);

        Assert.Equal(GoldSpanOutcome.Done, outcome);
        var gold = Assert.Single(Of((await _gold.DocumentAsync(_world.StudyId, Case, _coordinator))!, SpanGroupKind.LabelDiffers).Decisions);
        Assert.Equal((GoldDecision.Edited, 19, 23, CodePoints.Slice(_world.Text, 19, 23)), (gold.Decision, gold.Start!.Value, gold.End!.Value, gold.Quote));
        Assert.Equal(["dr-note"], gold.SourceRaters);
        Assert.Equal("3 h", gold.Attributes[_symptom.Attributes[3].Id]);

        // Edited from no one's version: from the whole group.
        Assert.Equal(GoldSpanOutcome.Done, (await _gold.EditAsync(_world.StudyId, Case, _coordinator, group.Key, null, _medication.Id, 20, 22, null)).Outcome);
        var second = Of((await _gold.DocumentAsync(_world.StudyId, Case, _coordinator))!, SpanGroupKind.LabelDiffers).Decisions[1];
        Assert.Equal(["dr-note", "dr-other"], second.SourceRaters);
    }

    [Fact]
    public async Task ARejectedGroupGivesNothingAndTakesNothingUntilUndone()
    {
        var document = await MarkedAsync();
        var group = Of(document, SpanGroupKind.OneRaterOnly);

        var (outcome, id) = await _gold.RejectAsync(_world.StudyId, Case, _coordinator, group.Key);

        Assert.Equal(GoldSpanOutcome.Done, outcome);
        var rejected = Of((await _gold.DocumentAsync(_world.StudyId, Case, _coordinator))!, SpanGroupKind.OneRaterOnly);
        Assert.True(rejected.IsRejected);
        var decision = Assert.Single(rejected.Decisions);
        Assert.Equal((GoldDecision.Rejected, null, null, null), (decision.Decision, decision.LabelId, decision.Start, decision.Quote));
        Assert.Equal(["dr-note"], decision.SourceRaters);
        Assert.Equal(GoldSpanOutcome.Decided, (await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, group.Key, null)).Outcome);
        Assert.Equal(GoldSpanOutcome.Decided, (await _gold.RejectAsync(_world.StudyId, Case, _coordinator, group.Key)).Outcome);

        Assert.Equal(GoldSpanOutcome.Done, await _gold.UndoAsync(_world.StudyId, _coordinator, id!.Value));
        Assert.Equal(GoldSpanOutcome.NotFound, await _gold.UndoAsync(_world.StudyId, _coordinator, id.Value));
        Assert.False(Of((await _gold.DocumentAsync(_world.StudyId, Case, _coordinator))!, SpanGroupKind.OneRaterOnly).IsDecided);
        Assert.Equal(GoldSpanOutcome.Done, (await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, group.Key, null)).Outcome);
        // The undone decision stays in the history.
        await using var connection = await _world.Db.Database.OpenAsync();
        Assert.Equal(_coordinator, await connection.ExecuteScalarAsync<long>("SELECT undone_by FROM gold_spans WHERE id = @Id", new { Id = id }));
    }

    [Fact]
    public async Task AGroupWithAcceptedPassagesIsNotRejectedAndAStaleGroupIsRefused()
    {
        var document = await MarkedAsync();
        var group = Of(document, SpanGroupKind.Agreed);
        await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, group.Key, null);

        Assert.Equal(GoldSpanOutcome.Decided, (await _gold.RejectAsync(_world.StudyId, Case, _coordinator, group.Key)).Outcome);
        Assert.Equal(GoldSpanOutcome.Stale, (await _gold.AcceptAsync(_world.StudyId, Case, _coordinator, [group.Key[0]], null)).Outcome);
        Assert.Equal(GoldSpanOutcome.NotFound, (await _gold.AcceptAsync(_world.StudyId, "no-such-case", _coordinator, group.Key, null)).Outcome);
    }

    /// <summary>dr-silent marks another case's note and rates an answer to this one without marking its note: a reader
    /// still. The demo's pilot raters rated answers to the case too, but mark no note: they are none.</summary>
    [Fact]
    public async Task AReaderWhoMarkedNothingKeepsTheOthersFromAgreeing()
    {
        var silent = await _world.Db.AddRaterAsync(_world.StudyId, "dr-silent");
        await _world.AssignAsync(_world.Rater, _world.Response);
        await _world.AssignAsync(_world.Other, _world.Response);
        var otherCase = await _world.CaseAsync("case-002");
        await _world.AssignAsync(silent, await _world.AnswerOfAsync(otherCase));
        Assert.Equal(NoteSpanOutcome.Saved, (await _world.Notes.AddAsync(silent, otherCase, _medication.Id, 0, 3, null, null)).Outcome);
        // dr-silent submitted their rating of an answer to the case: their work on it is finished.
        await _world.AssignAsync(silent, _world.Response);
        await using (var connection = await _world.Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE assignments SET completed_at = 'now' WHERE rater_id = @Silent AND response_id = @Response",
                new { _world.Response, Silent = silent });
        await MarkAsync(_world.Rater, _nihss, 2, 9);
        await MarkAsync(_world.Other, _nihss, 2, 9);

        var document = (await _gold.DocumentAsync(_world.StudyId, Case, _coordinator))!;

        Assert.Equal(["dr-note", "dr-other", "dr-silent"], document.Readers);
        Assert.Equal(SpanGroupKind.SomeRatersOnly, Assert.Single(document.Groups).Kind);
    }
}
