using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Core.Spans.Interchange;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Results;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>Passages of a case's clinical note (<see cref="NoteSpanStore"/>) in the demo study with note labels
/// (<see cref="DemoNotes"/>): code point offsets checked against the note, the quote and hash taken by the server,
/// attributes checked by kind, and every write scoped as answer highlights are (<see cref="SpanStore"/>): the rater's own
/// passages, on a case of theirs, in an open study, until they have seen others' values there.</summary>
public sealed class NoteSpanStoreTests : IAsyncLifetime
{
    NoteWorld _world = null!;
    TestDatabase _db = null!;
    NoteSpanStore _notes = null!;
    long _studyId, _rater, _other, _case, _response, _otherCase;
    string _text = null!;
    NoteLabelInfo _nihss = null!, _symptom = null!, _medication = null!;

    long Negated => _nihss.Attributes[0].Id;
    long Score => _nihss.Attributes[1].Id;
    long Onset => _symptom.Attributes[3].Id;

    public async Task InitializeAsync()
    {
        _world = await NoteWorld.CreateAsync();
        (_db, _notes, _studyId, _rater, _other, _case, _response, _text) =
            (_world.Db, _world.Notes, _world.StudyId, _world.Rater, _world.Other, _world.Case, _world.Response, _world.Text);
        (_nihss, _symptom, _medication) = (_world.Labels[0], _world.Labels[1], _world.Labels[2]);
        // Of case-002 the other rater holds an answer, the rater none.
        _otherCase = await _world.CaseAsync("case-002");
        await _world.UnassignCaseAsync(_rater, _otherCase);
        await _world.AssignAsync(_other, await _world.AnswerOfAsync(_otherCase));
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    static Dictionary<long, string> Values(params (long Id, string Value)[] values) => values.ToDictionary(v => v.Id, v => v.Value);

    async Task<long> AddAsync(long rater, int start, int end, long? label = null, Dictionary<long, string>? attributes = null)
    {
        var (outcome, id) = await _notes.AddAsync(rater, _case, label ?? _medication.Id, start, end, attributes, null);
        Assert.Equal(NoteSpanOutcome.Saved, outcome);
        return id!.Value;
    }

    async Task<long> AnswerSpanAsync(long rater, long response)
    {
        var spans = new SpanStore(_db.Database, _db.Clock);
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(_studyId, rater, response, (await spans.LabelsAsync(_studyId))[0].Id, 0, 5, null));
        return (await spans.ListAsync(_studyId, rater, response))[^1].Id;
    }

    async Task<long> CountAsync(string table)
    {
        await using var connection = await _db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Fact]
    public async Task TheStudysLabelsComeWithTheirAttributesInOrder()
    {
        var labels = await _notes.LabelsAsync(_studyId);

        Assert.Equal(DemoNotes.Labels, labels.Select(l => l.Slug));
        Assert.Equal(("NIHSS item", "#36c", "NIHSS 条目"), (_nihss.Label, _nihss.Color, _nihss.LabelTranslations.ByLanguage["zh-CN"]));
        Assert.Equal([("negated", AttributeKind.Flag), ("score", AttributeKind.Number)], _nihss.Attributes.Select(a => (a.Slug, a.Kind)));
        Assert.Equal(["negated", "uncertain", "historical", "onset"], _symptom.Attributes.Select(a => a.Slug));
        Assert.Equal("评分", _nihss.Attributes[1].LabelTranslations.ByLanguage["zh-CN"]);
        Assert.Empty(_medication.Attributes);
        Assert.Null(_medication.Color);
    }

    [Fact]
    public async Task APassageKeepsCodePointOffsetsTheQuoteTheNotesHashAndItsAttributes()
    {
        // After the emoji a code point offset is one less than a UTF-16 one.
        Assert.StartsWith(DemoNotes.AstralPrefix, _text);
        var (outcome, id) = await _notes.AddAsync(_rater, _case, _nihss.Id, 2, 9,
            Values((Negated, "true"), (Score, " 7.50 ")), "  looks like item 5a ");

        var span = Assert.Single(await _notes.ListAsync(_rater, _case));
        Assert.Equal(NoteSpanOutcome.Saved, outcome);
        Assert.Equal(span.Id, id);
        Assert.Equal((_nihss.Id, 2, 9, _text.Substring(3, 7), "looks like item 5a"), (span.LabelId, span.Start, span.End, span.Quote, span.Note));
        Assert.Equal(CodePoints.Slice(_text, 2, 9), span.Quote);
        Assert.Equal(TextHash.Sha256(_text), span.TextSha256);
        Assert.Equal(Values((Negated, "true"), (Score, "7.5")), span.Attributes);
        Assert.Empty(span.LinkedAnswerSpans);
        Assert.Equal((_db.Clock.Now, _db.Clock.Now), (span.CreatedAt, span.UpdatedAt));
    }

    [Fact]
    public async Task OffsetsAreCodePointsOfTheNoteFromItsStartToItsEnd()
    {
        var length = CodePoints.Length(_text);
        Assert.Equal(_text.Length - 1, length);

        Assert.Equal(NoteSpanOutcome.Invalid, (await _notes.AddAsync(_rater, _case, _medication.Id, -1, 4, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Invalid, (await _notes.AddAsync(_rater, _case, _medication.Id, 5, 5, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Invalid, (await _notes.AddAsync(_rater, _case, _medication.Id, 6, 5, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Invalid, (await _notes.AddAsync(_rater, _case, _medication.Id, 0, _text.Length, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_rater, _case, _medication.Id, 0, length, null, null)).Outcome);
        Assert.Equal(_text, Assert.Single(await _notes.ListAsync(_rater, _case)).Quote);
    }

    [Theory]
    [InlineData("negated", "false")]
    [InlineData("score", "seven")]
    [InlineData("score", "NaN")]
    [InlineData("onset", "")] // an attribute of another label
    public async Task AValueTheAttributeDoesNotTakeOrAnAttributeOfAnotherLabelIsRefused(string attribute, string value)
    {
        var id = attribute == "onset" ? Onset : _nihss.Attributes.Single(a => a.Slug == attribute).Id;

        var (outcome, _) = await _notes.AddAsync(_rater, _case, _nihss.Id, 0, 5, Values((id, value)), null);

        Assert.Equal(NoteSpanOutcome.Invalid, outcome);
        Assert.Equal(0, await CountAsync("note_spans"));
    }

    [Fact]
    public async Task ATextValueIsAtMost200CharactersAndALabelMustBeTheStudys()
    {
        var onset = (await _notes.AddAsync(_rater, _case, _symptom.Id, 0, 5, Values((Onset, new string('x', 201))), null)).Outcome;
        long otherStudy;
        using (var temp = new TempFolder())
        {
            var study = Path.Combine(DemoNotes.Write(temp.Path), "study.json");
            File.WriteAllText(study, File.ReadAllText(study).Replace(TestPaths.DemoStudyId, "another-study"));
            otherStudy = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(temp.Path)).StudyId!.Value;
        }
        var foreignLabel = (await _notes.AddAsync(_rater, _case, (await _notes.LabelsAsync(otherStudy))[2].Id, 0, 5, null, null)).Outcome;
        var missingLabel = (await _notes.AddAsync(_rater, _case, 999_999, 0, 5, null, null)).Outcome;

        Assert.Equal((NoteSpanOutcome.Invalid, NoteSpanOutcome.Invalid, NoteSpanOutcome.Invalid), (onset, foreignLabel, missingLabel));
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_rater, _case, _symptom.Id, 0, 5, Values((Onset, new string('x', 200))), null)).Outcome);
    }

    [Fact]
    public async Task ThePassageCanBeChangedWholeAndItsQuoteFollows()
    {
        var id = await AddAsync(_rater, 2, 9, _nihss.Id, Values((Negated, "true"), (Score, "3")));

        var relabelled = await _notes.UpdateAsync(_rater, id, _symptom.Id, 4, 12, Values((Onset, " 08:30 ")), "onset");
        var badValue = await _notes.UpdateAsync(_rater, id, _symptom.Id, 4, 12, Values((Score, "3")), null);
        var badBounds = await _notes.UpdateAsync(_rater, id, _symptom.Id, 4, _text.Length, null, null);

        Assert.Equal((NoteSpanOutcome.Saved, NoteSpanOutcome.Invalid, NoteSpanOutcome.Invalid), (relabelled, badValue, badBounds));
        var span = Assert.Single(await _notes.ListAsync(_rater, _case));
        Assert.Equal((_symptom.Id, 4, 12, CodePoints.Slice(_text, 4, 12), "onset"), (span.LabelId, span.Start, span.End, span.Quote, span.Note));
        Assert.Equal(Values((Onset, "08:30")), span.Attributes);
    }

    [Fact]
    public async Task AnUpdateStampsUpdatedAtAndKeepsCreatedAt()
    {
        var id = await AddAsync(_rater, 0, 5);
        var created = _db.Clock.Now;
        _db.Clock.Now = created.AddMinutes(5);

        Assert.Equal(NoteSpanOutcome.Saved, await _notes.UpdateAsync(_rater, id, _medication.Id, 0, 6, null, null));

        var span = Assert.Single(await _notes.ListAsync(_rater, _case));
        Assert.Equal((created, created.AddMinutes(5)), (span.CreatedAt, span.UpdatedAt));
    }

    [Fact]
    public async Task TheSamePassageTwiceIsADuplicate()
    {
        var first = await AddAsync(_rater, 0, 5);
        var second = await AddAsync(_rater, 0, 6);

        Assert.Equal(NoteSpanOutcome.Duplicate, (await _notes.AddAsync(_rater, _case, _medication.Id, 0, 5, null, "again")).Outcome);
        Assert.Equal(NoteSpanOutcome.Duplicate, await _notes.UpdateAsync(_rater, second, _medication.Id, 0, 5, null, null));
        Assert.Equal(NoteSpanOutcome.Saved, await _notes.UpdateAsync(_rater, first, _medication.Id, 0, 5, null, "itself"));
        // Another label, or another rater, is another passage.
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_rater, _case, _nihss.Id, 0, 5, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_other, _case, _medication.Id, 0, 5, null, null)).Outcome);
    }

    [Fact]
    public async Task OtherRatersNeitherSeeNorTouchAPassage()
    {
        var id = await AddAsync(_rater, 0, 5);
        var answerSpan = await AnswerSpanAsync(_other, _response);

        Assert.Empty(await _notes.ListAsync(_other, _case));
        Assert.Equal(NoteSpanOutcome.NotFound, await _notes.UpdateAsync(_other, id, _medication.Id, 0, 6, null, "mine"));
        Assert.Equal(NoteSpanOutcome.NotFound, await _notes.DeleteAsync(_other, id));
        Assert.Equal(NoteSpanOutcome.NotFound, await _notes.LinkAsync(_other, answerSpan, id));
        Assert.Equal(NoteSpanOutcome.NotFound, await _notes.LinkAsync(_rater, answerSpan, id));
        Assert.Equal(NoteSpanOutcome.NotFound, await _notes.DeleteAsync(_rater, 999_999));
        var span = Assert.Single(await _notes.ListAsync(_rater, _case));
        Assert.Equal((0, 5, (string?)null), (span.Start, span.End, span.Note));
        Assert.Equal(0, await CountAsync("span_links"));
    }

    [Fact]
    public async Task ACaseWithoutAnAnswerAssignedToTheRaterIsNotFound()
    {
        Assert.Equal(NoteSpanOutcome.NotFound, (await _notes.AddAsync(_rater, _otherCase, _medication.Id, 0, 5, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.NotFound, (await _notes.AddAsync(_rater, 999_999, _medication.Id, 0, 5, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_other, _otherCase, _medication.Id, 0, 5, null, null)).Outcome);
    }

    [Fact]
    public async Task ARaterWhoLeftTheStudyOrWasDisabledWritesNothing()
    {
        var id = await AddAsync(_rater, 0, 5);
        await using var connection = await _db.Database.OpenAsync();

        await connection.ExecuteAsync("UPDATE users SET disabled_at = '2026-12-01T00:00:00Z' WHERE id = @Id", new { Id = _rater });
        Assert.Equal(NoteSpanOutcome.NotFound, await _notes.DeleteAsync(_rater, id));
        await connection.ExecuteAsync("UPDATE users SET disabled_at = NULL WHERE id = @Id", new { Id = _rater });
        await connection.ExecuteAsync("DELETE FROM study_members WHERE user_id = @Id", new { Id = _rater });
        Assert.Equal(NoteSpanOutcome.NotFound, (await _notes.AddAsync(_rater, _case, _medication.Id, 0, 6, null, null)).Outcome);
        Assert.Single(await _notes.ListAsync(_rater, _case)); // their work stays theirs
    }

    [Theory]
    [InlineData("UPDATE studies SET state = 'closed'")]
    [InlineData("UPDATE studies SET state = 'draft'")]
    [InlineData("UPDATE studies SET paused = TRUE")]
    public async Task AStudyThatIsNotOpenTakesNoPassages(string sql)
    {
        var id = await AddAsync(_rater, 0, 5);
        var answerSpan = await AnswerSpanAsync(_rater, _response);
        await using (var connection = await _db.Database.OpenAsync()) await connection.ExecuteAsync(sql);

        Assert.Equal(NoteSpanOutcome.StudyNotOpen, (await _notes.AddAsync(_rater, _case, _medication.Id, 0, 6, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.StudyNotOpen, await _notes.UpdateAsync(_rater, id, _medication.Id, 0, 6, null, null));
        Assert.Equal(NoteSpanOutcome.StudyNotOpen, await _notes.LinkAsync(_rater, answerSpan, id));
        Assert.Equal(NoteSpanOutcome.StudyNotOpen, await _notes.DeleteAsync(_rater, id));
    }

    [Fact]
    public async Task OnceTheRaterHasSeenOthersValuesOfAnAnswerToTheCaseTheirPassagesAreFinal()
    {
        var id = await AddAsync(_rater, 0, 5);
        var answerSpan = await AnswerSpanAsync(_rater, _response);
        await using (var connection = await _db.Database.OpenAsync())
            await connection.ExecuteAsync("""
                INSERT INTO rating_reveals (study_id, rater_id, response_id, source, revealed_at)
                VALUES (@StudyId, @Rater, @Response, 'adjudication', '2026-12-01T00:00:00Z')
                """, new { StudyId = _studyId, Rater = _rater, Response = _response });

        Assert.Equal(NoteSpanOutcome.Frozen, (await _notes.AddAsync(_rater, _case, _medication.Id, 0, 6, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Frozen, await _notes.UpdateAsync(_rater, id, _medication.Id, 0, 6, null, null));
        Assert.Equal(NoteSpanOutcome.Frozen, await _notes.LinkAsync(_rater, answerSpan, id));
        Assert.Equal(NoteSpanOutcome.Frozen, await _notes.DeleteAsync(_rater, id));
        // The other rater of the case has not seen anything.
        Assert.Equal(NoteSpanOutcome.Saved, (await _notes.AddAsync(_other, _case, _medication.Id, 0, 6, null, null)).Outcome);
    }

    [Fact]
    public async Task APassageOfTheNoteIsLinkedToTheRatersHighlightOfAnAnswerToTheSameCase()
    {
        var id = await AddAsync(_rater, 0, 5);
        var answerSpan = await AnswerSpanAsync(_rater, _response);
        await using var connection = await _db.Database.OpenAsync();
        var elsewhere = await connection.ExecuteScalarAsync<long>("""
            SELECT MIN(a.response_id) FROM assignments a JOIN responses r ON r.id = a.response_id WHERE a.rater_id = @Rater AND r.case_id <> @Case
            """, new { Rater = _rater, Case = _case });
        var otherCasesSpan = await AnswerSpanAsync(_rater, elsewhere);

        Assert.Equal(NoteSpanOutcome.Saved, await _notes.LinkAsync(_rater, answerSpan, id));
        Assert.Equal(NoteSpanOutcome.Duplicate, await _notes.LinkAsync(_rater, answerSpan, id));
        Assert.Equal(NoteSpanOutcome.Invalid, await _notes.LinkAsync(_rater, otherCasesSpan, id));
        Assert.Equal([answerSpan], Assert.Single(await _notes.ListAsync(_rater, _case)).LinkedAnswerSpans);

        Assert.Equal(NoteSpanOutcome.Saved, await _notes.UnlinkAsync(_rater, answerSpan, id));
        Assert.Equal(NoteSpanOutcome.NotFound, await _notes.UnlinkAsync(_rater, answerSpan, id));
        Assert.Empty(Assert.Single(await _notes.ListAsync(_rater, _case)).LinkedAnswerSpans);
    }

    [Fact]
    public async Task DeletingAPassageDeletesItsAttributesAndLinks()
    {
        var id = await AddAsync(_rater, 0, 5, _nihss.Id, Values((Negated, "true")));
        var kept = await AddAsync(_rater, 0, 6, _nihss.Id, Values((Score, "4")));
        var answerSpan = await AnswerSpanAsync(_rater, _response);
        Assert.Equal(NoteSpanOutcome.Saved, await _notes.LinkAsync(_rater, answerSpan, id));

        Assert.Equal(NoteSpanOutcome.Saved, await _notes.DeleteAsync(_rater, id));

        Assert.Equal(kept, Assert.Single(await _notes.ListAsync(_rater, _case)).Id);
        Assert.Equal((1L, 0L), (await CountAsync("note_span_attributes"), await CountAsync("span_links")));
    }

    [Fact]
    public async Task EveryWriteRaisesTheStudysDataVersion()
    {
        var before = await StudyDataVersion.ReadAsync(_db.Database, _studyId);

        var id = await AddAsync(_rater, 0, 5);
        await _notes.UpdateAsync(_rater, id, _medication.Id, 0, 6, null, null);
        await _notes.DeleteAsync(_rater, id);

        Assert.Equal(before + 3, await StudyDataVersion.ReadAsync(_db.Database, _studyId));
    }
}
