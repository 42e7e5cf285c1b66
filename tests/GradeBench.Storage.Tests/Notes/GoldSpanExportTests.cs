using GradeBench.Core.Agreement;
using GradeBench.Core.Notes;
using GradeBench.Core.Spans;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Export;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Studies;
using Dapper;
using Sylvan.Data.Csv;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>gold-spans.csv (docs/exports.md) and reading it back (<see cref="GoldSpanImport"/>): the decisions that stand,
/// with who, when and from which raters; a file imported into a fresh copy of the study gives the same gold set, and a
/// row that does not fit the study changes nothing.</summary>
public sealed class GoldSpanExportTests : IAsyncLifetime
{
    const string Study = TestPaths.DemoStudyId, Decided = "2026-12-02T10:00:00.0000000Z";
    NoteWorld _world = null!;
    long _coordinator;

    public async Task InitializeAsync()
    {
        _world = await NoteWorld.CreateAsync();
        var users = new UserStore(_world.Db.Database, _world.Db.Clock);
        _coordinator = (await users.CreateAsync("coord", "Dr Coordinator", isAdmin: false))!.Id;
        await users.AddMembershipAsync(_world.StudyId, _coordinator, "coordinator");
        await _world.AssignAsync(_world.Rater, _world.Response);
        await _world.AssignAsync(_world.Other, _world.Response);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    static async Task<string> ExportAsync(TestDatabase db, long studyId)
    {
        var output = new StringWriter();
        await ExportKinds.Text.Single(k => k.Name == "gold-spans.csv").Write(new TextExport(db.Database), studyId, output, CancellationToken.None);
        return output.ToString();
    }

    /// <summary>Both raters mark NIHSS [2, 9) negated with score 7.5; the rater a medication at [0, 1) and a symptom at
    /// [12, 16), the other a symptom at [13, 18) with an onset. The coordinator accepts the NIHSS passage, rejects the
    /// medication, edits the symptom from the other's version, and accepts and undoes the other's symptom as it is.</summary>
    async Task DecideAsync()
    {
        var (nihss, symptom, medication) = (_world.Labels[0], _world.Labels[1], _world.Labels[2]);
        var agreed = new Dictionary<long, string> { [nihss.Attributes[0].Id] = "true", [nihss.Attributes[1].Id] = "7.5" };
        foreach (var rater in new[] { _world.Rater, _world.Other })
            await _world.Notes.AddAsync(rater, _world.Case, nihss.Id, 2, 9, agreed, null);
        await _world.Notes.AddAsync(_world.Rater, _world.Case, medication.Id, 0, 1, null, null);
        await _world.Notes.AddAsync(_world.Rater, _world.Case, symptom.Id, 12, 16, null, null);
        await _world.Notes.AddAsync(_world.Other, _world.Case, symptom.Id, 13, 18, new Dictionary<long, string> { [symptom.Attributes[3].Id] = "发病 3 小时" }, null);
        await using (var connection = await _world.Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'adjudication' WHERE id = @StudyId", new { _world.StudyId });
        _world.Db.Clock.Now = DateTimeOffset.Parse(Decided);
        var gold = new GoldSpanStore(_world.Db.Database, _world.Db.Clock);
        var groups = (await gold.DocumentAsync(_world.StudyId, DemoNotes.AstralCase, _coordinator))!.Groups;
        var (lone, together, boundary) = (groups[0], groups[1], groups[2]);
        Assert.Equal(GoldSpanOutcome.Done, (await gold.AcceptAsync(_world.StudyId, DemoNotes.AstralCase, _coordinator, together.Key, null)).Outcome);
        Assert.Equal(GoldSpanOutcome.Done, (await gold.RejectAsync(_world.StudyId, DemoNotes.AstralCase, _coordinator, lone.Key)).Outcome);
        var others = boundary.Spans.Single(s => s.RaterId == _world.Other).Id;
        Assert.Equal(GoldSpanOutcome.Done, (await gold.EditAsync(_world.StudyId, DemoNotes.AstralCase, _coordinator, boundary.Key, others, symptom.Id, 12, 18,
            new Dictionary<long, string> { [symptom.Attributes[3].Id] = "发病 3 小时", [symptom.Attributes[0].Id] = "true" })).Outcome);
        var (_, undone) = await gold.AcceptAsync(_world.StudyId, DemoNotes.AstralCase, _coordinator, boundary.Key, others);
        Assert.Equal(GoldSpanOutcome.Done, await gold.UndoAsync(_world.StudyId, _coordinator, undone!.Value));
    }

    static List<string[]> Rows(string csv)
    {
        using var reader = CsvDataReader.Create(new StringReader(csv), new CsvDataReaderOptions { HasHeaders = false });
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add([.. Enumerable.Range(0, reader.RowFieldCount).Select(reader.GetString)]);
        return rows;
    }

    [Fact]
    public async Task GoldSpansCsvHoldsTheDecisionsThatStandWithTheirProvenance()
    {
        await DecideAsync();

        var rows = Rows(await ExportAsync(_world.Db, _world.StudyId));

        var sha = TextHash.Sha256(_world.Text);
        Assert.Equal(["study", "case_id", "label", "start", "end", "text_sha256", "quote", "attributes", "decision", "decided_by", "decided_at", "source_raters"], rows[0]);
        Assert.Equal(
        [
            [Study, DemoNotes.AstralCase, "", "", "", sha, "", "{}", "rejected", "coord", Decided, """["dr-note"]"""],
            [Study, DemoNotes.AstralCase, "nihss", "2", "9", sha, CodePoints.Slice(_world.Text, 2, 9), """{"negated":true,"score":7.5}""", "accepted", "coord", Decided,
                """["dr-note","dr-other"]"""],
            [Study, DemoNotes.AstralCase, "symptom", "12", "18", sha, CodePoints.Slice(_world.Text, 12, 18), """{"negated":true,"onset":"发病 3 小时"}""", "edited",
                "coord", Decided, """["dr-other"]"""],
        ], rows.Skip(1));
    }

    [Fact]
    public async Task TheExportImportedIntoAFreshCopyGivesTheSameGoldSet()
    {
        await DecideAsync();
        var exported = await ExportAsync(_world.Db, _world.StudyId);
        await using var copy = await TestDatabase.CreateAsync();
        long copyId;
        using (var temp = new TempFolder())
            copyId = (await new StudyImporter(copy.Database, copy.Clock).ImportAsync(DemoNotes.Write(temp.Path))).StudyId!.Value;

        var imported = await new GoldSpanImport(copy.Database, copy.Clock).ImportAsync(copyId, GoldSpansCsv.Read(new StringReader(exported)), importedBy: null);

        Assert.Equal(3, imported);
        Assert.Equal(exported, await ExportAsync(copy, copyId));
        await using var connection = await copy.Database.OpenAsync();
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gold_spans WHERE source = 'import' AND imported_at IS NOT NULL AND group_span_ids IS NULL"));
    }

    [Fact]
    public async Task AnImportReplacesTheGoldSetAndKeepsTheOldInTheHistory()
    {
        await DecideAsync();
        var exported = await ExportAsync(_world.Db, _world.StudyId);
        var lines = exported.Split('\n');
        var fewer = string.Join('\n', lines.Where((_, i) => i != 1));

        var imported = await new GoldSpanImport(_world.Db.Database, _world.Db.Clock).ImportAsync(_world.StudyId, GoldSpansCsv.Read(new StringReader(fewer)), _coordinator);

        Assert.Equal(2, imported);
        Assert.Equal(fewer, await ExportAsync(_world.Db, _world.StudyId));
        await using var connection = await _world.Db.Database.OpenAsync();
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gold_spans WHERE undone_at IS NOT NULL"));
        var document = (await new GoldSpanStore(_world.Db.Database, _world.Db.Clock).DocumentAsync(_world.StudyId, DemoNotes.AstralCase, _coordinator))!;
        // The accepted NIHSS passage has the label and code points of the agreed group's passages: it decides that group.
        var decided = Assert.Single(document.Groups, g => g.IsDecided);
        Assert.Equal(SpanGroupKind.Agreed, decided.Kind);
        var attached = Assert.Single(decided.Decisions);
        Assert.True(attached.Imported);
        Assert.Equal((GoldDecision.Accepted, 2, 9, "Dr Coordinator"), (attached.Decision, attached.Start, attached.End, attached.DecidedBy));
        // The edited symptom [12, 18) is no rater's passage: it stays apart.
        var apart = Assert.Single(document.Unattached);
        Assert.Equal((GoldDecision.Edited, 12, 18, true), (apart.Decision, apart.Start, apart.End, apart.Imported));
    }

    /// <summary>An imported decision attached to a group decides it as one taken on the page would: the list counts the
    /// group decided, and the group cannot be rejected on top of its gold passage; an imported rejection names no passage
    /// and stays apart.</summary>
    [Fact]
    public async Task AnImportedPassageAttachedToItsGroupDecidesIt()
    {
        await DecideAsync();
        var exported = await ExportAsync(_world.Db, _world.StudyId);
        var gold = new GoldSpanStore(_world.Db.Database, _world.Db.Clock);

        await new GoldSpanImport(_world.Db.Database, _world.Db.Clock).ImportAsync(_world.StudyId, GoldSpansCsv.Read(new StringReader(exported)), _coordinator);

        var summary = Assert.Single((await gold.DocumentsAsync(_world.StudyId, _coordinator))!);
        Assert.Equal((3, 2), (summary.Groups, summary.Undecided));
        var document = (await gold.DocumentAsync(_world.StudyId, DemoNotes.AstralCase, _coordinator))!;
        var agreed = document.Groups.Single(g => g.Kind == SpanGroupKind.Agreed);
        Assert.Equal(GoldSpanOutcome.Decided, (await gold.RejectAsync(_world.StudyId, DemoNotes.AstralCase, _coordinator, agreed.Key)).Outcome);
        Assert.Equal(GoldSpanOutcome.Duplicate, (await gold.AcceptAsync(_world.StudyId, DemoNotes.AstralCase, _coordinator, agreed.Key, null)).Outcome);
        Assert.Equal([GoldDecision.Rejected, GoldDecision.Edited], document.Unattached.Select(d => d.Decision));
    }

    [Fact]
    public async Task AnImportByARaterIsRefusedAndChangesNothing()
    {
        await DecideAsync();
        var exported = await ExportAsync(_world.Db, _world.StudyId);
        var before = await _world.Db.DumpContentAsync();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => new GoldSpanImport(_world.Db.Database, _world.Db.Clock)
            .ImportAsync(_world.StudyId, GoldSpansCsv.Read(new StringReader(exported)), _world.Rater));

        Assert.Equal(before, await _world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task ACoordinatorsImportOutsideAdjudicationIsRefusedAndChangesNothing()
    {
        await DecideAsync();
        var exported = await ExportAsync(_world.Db, _world.StudyId);
        await using (var connection = await _world.Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'closed' WHERE id = @StudyId", new { _world.StudyId });
        var before = await _world.Db.DumpContentAsync();

        // As deciding a group: a closed study's gold set stays as it was closed (the command line, no user, may still).
        await Assert.ThrowsAsync<InvalidOperationException>(() => new GoldSpanImport(_world.Db.Database, _world.Db.Clock)
            .ImportAsync(_world.StudyId, GoldSpansCsv.Read(new StringReader(exported)), _coordinator));

        Assert.Equal(before, await _world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task ARowThatDoesNotFitTheStudyIsRefusedByLineAndFieldAndChangesNothing()
    {
        await DecideAsync();
        var exported = await ExportAsync(_world.Db, _world.StudyId);
        var sha = TextHash.Sha256(_world.Text);
        var quote = CodePoints.Slice(_world.Text, 2, 9);
        var before = await _world.Db.DumpContentAsync();
        var import = new GoldSpanImport(_world.Db.Database, _world.Db.Clock);

        foreach (var (from, to, expected) in new[]
        {
            (sha, new string('0', 64), "text_sha256: not the hash of case \"case-007\"'s note"),
            ("nihss,2,9", "nihss,2,99999", "end: 99999 is beyond the end of the note"),
            ("nihss,2,9", "nihss,3,9", "quote: "),
            ("nihss,2,9", "stroke,2,9", "label: the study has no note label \"stroke\""),
            ("{\"\"negated\"\":true,\"\"score\"\":7.5}", "{\"\"negated\"\":true,\"\"score\"\":\"\"high\"\"}", "attributes: score takes a number, found \"high\""),
            ("{\"\"negated\"\":true,\"\"score\"\":7.5}", "{\"\"hemisphere\"\":\"\"left\"\"}", "attributes: hemisphere is no attribute of the label \"nihss\""),
            (Study + ",case-007,nihss", Study + ",case-999,nihss", "case_id: the study has no case \"case-999\""),
        })
        {
            var bad = exported.Replace(from, to);
            Assert.NotEqual(exported, bad);
            var refused = await Assert.ThrowsAsync<RatingsCsvException>(() => import.ImportAsync(_world.StudyId, GoldSpansCsv.Read(new StringReader(bad)), _coordinator));
            Assert.StartsWith(expected, refused.Message);
            Assert.Equal(from == sha ? 2 : 3, refused.Line);
        }
        Assert.Contains(quote, exported);
        Assert.Equal(before, await _world.Db.DumpContentAsync());
    }
}
