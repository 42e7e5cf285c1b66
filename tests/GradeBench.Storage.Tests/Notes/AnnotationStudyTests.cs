using Dapper;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>A note-only study (<see cref="DemoAnnotation"/>) imported: one hidden note item per case, given to
/// raters_per_case raters by the study's assignment machinery, and the rater's passages allowed on the cases they hold.</summary>
public sealed class AnnotationStudyTests : IAsyncDisposable
{
    TestDatabase _db = null!;
    long _study;

    async Task ImportAsync()
    {
        _db = await TestDatabase.CreateAsync();
        using var temp = new TempFolder();
        var result = await new StudyImporter(_db.Database, _db.Clock).ImportAsync(DemoAnnotation.Write(temp.Path));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        _study = result.StudyId!.Value;
    }

    [Fact]
    public async Task EachCaseIsOneHiddenItemWithARandomHandleAndTheStudyIsNoteOnly()
    {
        await ImportAsync();

        await using var connection = await _db.Database.OpenAsync();
        var items = (await connection.QueryAsync<(string Slug, string Case, string Model, string Content, string Handle)>("""
            SELECT r.slug, c.slug, r.model, r.content_md, r.handle FROM responses r JOIN cases c ON c.id = r.case_id
            WHERE r.study_id = @Study ORDER BY r.position
            """, new { Study = _study })).AsList();
        Assert.Equal(DemoAnnotation.Cases, items.Count);
        Assert.All(items, i => Assert.Equal((i.Case, i.Case, "", ""), (i.Slug, i.Case, i.Model, i.Content)));
        Assert.All(items, i => Assert.Equal(16, i.Handle.Length));
        Assert.True(await NoteItems.IsAnnotationAsync(connection, null, _study));
        Assert.Equal(DemoAnnotation.RatersPerCase, await connection.ExecuteScalarAsync<int>("SELECT raters_per_response FROM studies WHERE id = @Study", new { Study = _study }));
        Assert.Equal(DemoNotes.Labels, await connection.QueryAsync<string>("SELECT slug FROM note_labels WHERE study_id = @Study ORDER BY position", new { Study = _study }));
    }

    [Fact]
    public async Task TheStudyListNamesItsDesignAnnotationAndOthersKeepTheirs()
    {
        await ImportAsync();
        var demo = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;

        var studies = await new StudyQuery(_db.Database).ListVisibleAsync(0, isAdmin: true);

        Assert.Equal("annotation", studies.Single(s => s.Id == _study).Design);
        Assert.Equal("single", studies.Single(s => s.Id == demo).Design);
        Assert.False(await new GradeBench.Storage.Studies.StudyQuery(_db.Database).IsNoteOnlyAsync(demo));
    }

    [Fact]
    public async Task RatersGetRatersPerCaseOfEveryCaseInARandomizedQueueAndMarkOnlyTheirCases()
    {
        await ImportAsync();
        long[] raters = [await _db.AddRaterAsync(_study, "dr-a"), await _db.AddRaterAsync(_study, "dr-b"), await _db.AddRaterAsync(_study, "dr-c")];

        await using var connection = await _db.Database.OpenAsync();
        var perCase = (await connection.QueryAsync<long>("""
            SELECT COUNT(a.id) FROM responses r LEFT JOIN assignments a ON a.response_id = r.id WHERE r.study_id = @Study GROUP BY r.id
            """, new { Study = _study })).AsList();
        Assert.Equal(DemoAnnotation.Cases, perCase.Count);
        Assert.All(perCase, n => Assert.Equal(DemoAnnotation.RatersPerCase, n));
        var grading = new GradingStore(_db.Database, new RubricQuery(_db.Database), _db.Clock);
        var queue = await grading.QueueAsync(_study, raters[0]);
        // The queue's order is the rater's own, not the cases' order.
        var queued = await QueuedPositionsAsync(connection, queue);
        Assert.NotEqual(queued.Order(), queued);

        var notes = new NoteSpanStore(_db.Database, _db.Clock);
        var label = (await notes.LabelsAsync(_study))[0].Id;
        var held = await CaseOfAsync(connection, queue[0].ResponseId);
        var notHeld = await connection.ExecuteScalarAsync<long>("""
            SELECT MIN(r.case_id) FROM responses r WHERE r.study_id = @Study
              AND r.id NOT IN (SELECT response_id FROM assignments WHERE rater_id = @Rater)
            """, new { Study = _study, Rater = raters[0] });
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(raters[0], held, label, 0, 5, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.NotFound, (await notes.AddAsync(raters[0], notHeld, label, 0, 5, null, null)).Outcome);
    }

    [Fact]
    public async Task DoneMarksTheCaseFinishedAndDoneAgainChangesNothing()
    {
        await ImportAsync();
        var rater = await _db.AddRaterAsync(_study, "dr-a");
        var grading = new GradingStore(_db.Database, new RubricQuery(_db.Database), _db.Clock);
        var first = (await grading.QueueAsync(_study, rater))[0];

        var done = await grading.SaveAsync(_study, rater, first.ResponseId, new Dictionary<string, string?>(), submit: true);

        Assert.Equal((RatingWriteOutcome.Saved, true, true), (done.Outcome, done.Submitted, done.Wrote));
        var position = await grading.PositionAsync(_study, rater, null);
        Assert.Equal(1, position.Done);
        var again = await grading.SaveAsync(_study, rater, first.ResponseId, new Dictionary<string, string?>(), submit: true);
        Assert.Equal((RatingWriteOutcome.Saved, false), (again.Outcome, again.Wrote));
    }

    [Fact]
    public async Task BundleZipWritesTheStudyBackAsNoteOnlyWithoutAnswersAndItImportsAgain()
    {
        await ImportAsync();
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, "notes.zip");

        await using (var file = File.Create(zip)) await new GradeBench.Storage.Export.BundleExport(_db.Database).WriteAsync(_study, file, asId: "notes-copy");

        using (var archive = System.IO.Compression.ZipFile.OpenRead(zip))
            Assert.Equal(["cases.jsonl", "study.json"], archive.Entries.Select(e => e.FullName).Order());
        var read = GradeBench.Core.Studies.BundleReader.Read(zip);
        Assert.Empty(read.Errors);
        Assert.Empty(read.Warnings);
        var bundle = read.Bundle!;
        Assert.True(bundle.Study.Annotation);
        Assert.Equal((DemoAnnotation.Cases, 0, DemoAnnotation.RatersPerCase), (bundle.Cases.Count, bundle.Responses.Count, bundle.Study.RatersPerResponse));
        Assert.Equal(DemoNotes.Labels, bundle.Study.NoteLabels.Select(l => l.Id));
        Assert.True((await new StudyImporter(_db.Database, _db.Clock).ImportAsync(zip)).Succeeded);
    }

    [Fact]
    public async Task RatingsAndHistoryExportsGiveJustTheirHeaders()
    {
        await ImportAsync();
        var rater = await _db.AddRaterAsync(_study, "dr-a");
        var grading = new GradingStore(_db.Database, new RubricQuery(_db.Database), _db.Clock);
        await grading.SaveAsync(_study, rater, (await grading.QueueAsync(_study, rater))[0].ResponseId, new Dictionary<string, string?>(), submit: true);
        var export = new GradeBench.Storage.Export.TextExport(_db.Database);

        var ratings = new StringWriter();
        var history = new StringWriter();
        Assert.Equal(0, await export.WriteRatingsAsync(_study, ratings));
        Assert.Equal(0, await export.WriteHistoryAsync(_study, history));
        Assert.Single(ratings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Single(history.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task InSpanAdjudicationARaterWhoFinishedTheCaseWithoutAPassageIsOneOfItsReaders()
    {
        await ImportAsync();
        var (marker, empty) = (await _db.AddRaterAsync(_study, "dr-marks"), await _db.AddRaterAsync(_study, "dr-finds-none"));
        var coordinator = await _db.AddRaterAsync(_study, "dr-coordinator");
        await using var connection = await _db.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE study_members SET role = 'coordinator' WHERE user_id = @Id", new { Id = coordinator });
        var grading = new GradingStore(_db.Database, new RubricQuery(_db.Database), _db.Clock);
        var shared = (await grading.QueueAsync(_study, marker)).Select(q => q.ResponseId).Intersect((await grading.QueueAsync(_study, empty)).Select(q => q.ResponseId)).First();
        var caseId = await CaseOfAsync(connection, shared);
        var notes = new NoteSpanStore(_db.Database, _db.Clock);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(marker, caseId, (await notes.LabelsAsync(_study))[0].Id, 0, 5, null, null)).Outcome);
        foreach (var rater in new[] { marker, empty })
            await grading.SaveAsync(_study, rater, shared, new Dictionary<string, string?>(), submit: true);
        await connection.ExecuteAsync("UPDATE studies SET state = 'adjudication' WHERE id = @Study", new { Study = _study });
        var slug = await connection.ExecuteScalarAsync<string>("SELECT slug FROM cases WHERE id = @Id", new { Id = caseId });

        var document = await new GoldSpanStore(_db.Database, _db.Clock).DocumentAsync(_study, slug!, coordinator);

        Assert.Equal(["dr-finds-none", "dr-marks"], document!.Readers.Order());
    }

    [Fact]
    public async Task AnswersCannotBeAddedToANoteOnlyStudy()
    {
        await ImportAsync();
        var coordinator = await _db.AddRaterAsync(_study, "dr-coordinator");
        await using var connection = await _db.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE study_members SET role = 'coordinator' WHERE user_id = @Id", new { Id = coordinator });
        var setup = new StudySetupStore(_db.Database, new StudyQuery(_db.Database), new RubricQuery(_db.Database), _db.Clock);

        var result = await setup.AddResponsesAsync(_study, coordinator,
            System.Text.Encoding.UTF8.GetBytes("{\"id\": \"a1\", \"case_id\": \"case-001\", \"model\": \"model-a\", \"content_md\": \"An answer\"}\n"));

        Assert.Equal("Setup_NoteOnlyNoAnswers", result.Refusal?.Key);
        Assert.Equal(DemoAnnotation.Cases, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM responses WHERE study_id = @Study", new { Study = _study }));
    }

    [Fact]
    public async Task AJudgeCannotJoinANoteOnlyStudy()
    {
        await ImportAsync();

        var added = await new GradeBench.Storage.Judges.JudgeStore(_db.Database, new RubricQuery(_db.Database), _db.Clock)
            .AddAsync(_study, new GradeBench.Storage.Judges.NewJudge("harsh", "gpt-4o"));

        Assert.Equal(GradeBench.Storage.Judges.JudgeAddOutcome.NoteOnlyStudy, added.Outcome);
        await using var connection = await _db.Database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM judges"));
    }

    static async Task<List<long>> QueuedPositionsAsync(System.Data.Common.DbConnection connection, IReadOnlyList<QueueEntry> queue)
    {
        var positions = new List<long>();
        foreach (var entry in queue)
            positions.Add(await connection.ExecuteScalarAsync<long>("SELECT position FROM responses WHERE id = @Id", new { Id = entry.ResponseId }));
        return positions;
    }

    static Task<long> CaseOfAsync(System.Data.Common.DbConnection connection, long responseId) =>
        connection.ExecuteScalarAsync<long>("SELECT case_id FROM responses WHERE id = @Id", new { Id = responseId });

    public async ValueTask DisposeAsync()
    {
        if (_db is not null) await _db.DisposeAsync();
    }
}
